/** The published contract: OpenAPI 3.1 that validates, the docs page, and the health check. */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, tempDatabase } from './support/harness.js';

let t: Awaited<ReturnType<typeof tempDatabase>>;
let api: ReturnType<typeof apiClient>;
let doc: any;

beforeAll(async () => {
  t = await tempDatabase();
  api = apiClient(t.database);
  const r = await api.call('GET', '/openapi.json');
  expect(r.status, r.text).toBe(200);
  doc = r.json;
});
afterAll(() => t?.cleanup());

describe('GET /openapi.json', () => {
  it('is served without a key as JSON', async () => {
    const r = await api.call('GET', '/openapi.json', { key: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('validates as OpenAPI 3.1', async () => {
    const v = new Validator();
    const r = await v.validate(structuredClone(doc));
    if (!r.valid) console.error(JSON.stringify(r.errors, null, 2));
    expect(r.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('documents the order, shipment, party and product paths', () => {
    const expected: Record<string, string[]> = {
      '/orders': ['get', 'post'],
      '/orders/{id}': ['get', 'patch'],
      '/orders/{id}/history': ['get'],
      '/orders/{id}/transitions': ['post'],
      '/orders/{id}/shipments': ['post'],
      '/shipments/{id}': ['get', 'patch'],
      '/parties': ['get', 'post'],
      '/products': ['get', 'post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths, path).toHaveProperty([path]);
      for (const method of methods) expect(doc.paths[path], `${method} ${path}`).toHaveProperty([method]);
    }
    // Path templates, not Hono's ":id".
    expect(Object.keys(doc.paths).filter((p) => p.includes(':'))).toEqual([]);
  });

  it('has a bearerAuth scheme, required on API routes but not on /health', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/orders'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/health'].get.security).toBeUndefined();
  });

  it('has the Order, Error and Money component schemas, and routes refer to them', () => {
    const schemas = doc.components.schemas;
    for (const name of ['Order', 'Error', 'Money']) expect(schemas, name).toHaveProperty([name]);
    expect(schemas.Order.properties).toHaveProperty('total');
    expect(schemas.Order.properties.total.$ref).toBe('#/components/schemas/Money');
    expect(schemas.Error.properties.error.properties).toHaveProperty('code');
    const created = doc.paths['/orders'].post.responses;
    expect(created['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/Order');
    expect(created['422'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(doc.paths['/orders/{id}'].patch.responses).toHaveProperty(['412']);
    expect(doc.paths['/orders/{id}'].patch.responses).toHaveProperty(['428']);
  });
});

describe('GET /docs and /health', () => {
  it('GET /docs returns an HTML page that loads /openapi.json, without a key', async () => {
    const r = await api.call('GET', '/docs', { key: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/<html/i);
    expect(r.text).toContain('/openapi.json');
  });

  it('GET /health answers 200 without a key', async () => {
    const r = await api.call('GET', '/health', { key: null });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'ok', database: 'ok' });
    expect(typeof r.json.version).toBe('string');
  });
});
