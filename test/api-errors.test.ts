/**
 * Errors: every 4xx/5xx answers `{ error: { code, message, requestId, details? } }`; internal errors
 * leak nothing; and a failed request leaves the database as it was.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, createApp } from '../worker/src/app.js';
import { auditEvents, orderLines, orders, shipments } from '../worker/src/db/schema/index.js';
import { apiClient, orderInput, seedMasterData, seedOrg, tempDatabase, useApiFixture } from './support/harness.js';

type Client = ReturnType<typeof apiClient>;
interface Res {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

const ERROR_KEYS = new Set(['code', 'message', 'requestId', 'details', 'current']);

/** The one error shape, with the request id echoed in X-Request-Id. */
function expectError(r: Res, status: number, code?: string) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.json, r.text).toBeTypeOf('object');
  expect(Object.keys(r.json)).toEqual(['error']);
  const { error } = r.json;
  for (const k of Object.keys(error)) expect(ERROR_KEYS.has(k), `unexpected error field ${k}`).toBe(true);
  expect(error.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  if (code) expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(typeof error.requestId).toBe('string');
  expect(error.requestId.length).toBeGreaterThan(0);
  expect(r.headers.get('x-request-id')).toBe(error.requestId);
  if ('details' in error) {
    expect(Array.isArray(error.details)).toBe(true);
    expect(error.details.length).toBeGreaterThan(0);
    for (const d of error.details) {
      expect(typeof d.path).toBe('string');
      expect(typeof d.message).toBe('string');
      if ('code' in d) expect(typeof d.code).toBe('string');
    }
  }
  return error as { code: string; message: string; requestId: string; details?: { path: string; message: string; code?: string }[] };
}

async function raw(app: Client['app'], path: string, init: RequestInit): Promise<Res> {
  const res = await app.request(path, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const fx = useApiFixture();

const count = async (table: typeof orders | typeof orderLines | typeof auditEvents | typeof shipments) =>
  (await fx.database.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n;

describe('one error shape for every 4xx', () => {
  it('unknown route: 404 NOT_FOUND (401 first without a key)', async () => {
    expectError(await fx.api.call('GET', '/no-such-route'), 404, 'NOT_FOUND');
    expectError(await fx.api.call('DELETE', '/orders'), 404, 'NOT_FOUND');
    const anon = await fx.api.call('GET', '/no-such-route', { key: null });
    expectError(anon, 401, 'UNAUTHENTICATED');
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('missing, malformed or unknown API key: 401', async () => {
    expectError(await fx.api.call('GET', '/orders', { key: null }), 401, 'UNAUTHENTICATED');
    expectError(await fx.api.call('GET', '/orders', { key: 'not-a-key' }), 401, 'UNAUTHENTICATED');
    expectError(await fx.api.call('GET', '/orders', { key: `exd_${'0'.repeat(58)}` }), 401, 'UNAUTHENTICATED');
  });

  it('a permission the role lacks: 403 FORBIDDEN', async () => {
    expectError(await fx.api.call('POST', '/orders', { key: fx.org.keys.viewer, body: orderInput(fx.master) }), 403, 'FORBIDDEN');
  });

  it('an id of another shape or not in this organisation: 400 / 404', async () => {
    const bad = expectError(await fx.api.call('GET', '/orders/123'), 400, 'VALIDATION_FAILED');
    expect(bad.details!.map((d) => d.path)).toEqual(['path.id']);
    expectError(await fx.api.call('GET', `/orders/ord_${'0'.repeat(26)}`), 404, 'NOT_FOUND');
  });

  it('bad JSON body: 400', async () => {
    expectError(await fx.api.call('POST', '/orders', { body: '{"reference": ' }), 400);
    expectError(await fx.api.call('POST', '/orders', { headers: { 'Content-Type': 'application/json' } }), 400);
  });

  it('a body that is JSON but not an object: 400 VALIDATION_FAILED', async () => {
    expectError(await fx.api.call('POST', '/orders', { body: '[]' }), 400, 'VALIDATION_FAILED');
    expectError(await fx.api.call('POST', '/orders', { body: 'null' }), 400, 'VALIDATION_FAILED');
  });

  it('wrong content type: 4xx in the same shape, nothing created', async () => {
    const before = await count(orders);
    const r = await raw(fx.api.app, '/orders', {
      method: 'POST',
      headers: { Authorization: `Bearer ${fx.org.keys.admin}`, 'Content-Type': 'text/plain' },
      body: JSON.stringify(orderInput(fx.master)),
    });
    expect([400, 415]).toContain(r.status);
    expectError(r, r.status);
    expect(await count(orders)).toBe(before);
  });

  it('a body over 1 MiB: 413 PAYLOAD_TOO_LARGE, with or without Content-Length', async () => {
    const before = await count(orders);
    const body = JSON.stringify({ ...orderInput(fx.master), remarks: 'x'.repeat(MAX_BODY_BYTES) });
    expect(body.length).toBeGreaterThan(MAX_BODY_BYTES);
    const headers = { Authorization: `Bearer ${fx.org.keys.admin}`, 'Content-Type': 'application/json' };
    expectError(await raw(fx.api.app, '/orders', { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, body }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await raw(fx.api.app, '/orders', { method: 'POST', headers, body }), 413, 'PAYLOAD_TOO_LARGE');
    expect(await count(orders)).toBe(before);
  });

  it('an unknown field: 400 naming it with code unknown_field, also inside lines', async () => {
    const body = orderInput(fx.master) as Record<string, any>;
    body.colour = 'red';
    body.lines[1].colour = 'blue';
    const e = expectError(await fx.api.call('POST', '/orders', { body }), 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'colour', code: 'unknown_field' }),
        expect.objectContaining({ path: 'lines.1.colour', code: 'unknown_field' }),
      ]),
    );
  });

  it('a missing required field is named with code required', async () => {
    const body = orderInput(fx.master) as Record<string, any>;
    delete body.currency;
    const e = expectError(await fx.api.call('POST', '/orders', { body }), 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual([expect.objectContaining({ path: 'currency', code: 'required' })]);
  });

  // BUG (worker/src/http/errors.ts:15): zod 4 leaves `input` out of issues unless asked (reportInput),
  // so `issue.input === undefined` is always true and every wrong-typed field is reported as
  // "Required" / code required. Fails until fixed.
  it('a field of the wrong type is reported as invalid, not as missing', async () => {
    const body = orderInput(fx.master) as Record<string, any>;
    body.lines[0].quantity = 1000;
    const e = expectError(await fx.api.call('POST', '/orders', { body }), 400, 'VALIDATION_FAILED');
    const d = e.details!.find((x) => x.path === 'lines.0.quantity');
    expect(d).toBeDefined();
    expect(d!.code).toBe('invalid_type');
    expect(d!.message).not.toBe('Required');
  });

  it('an invalid cursor: 400', async () => {
    for (const cursor of ['zzz', 'b3JkXw', encodeURIComponent('not a cursor!')]) {
      const e = expectError(await fx.api.call('GET', `/orders?cursor=${cursor}`), 400, 'VALIDATION_FAILED');
      expect(e.details!.map((d) => d.path)).toEqual([expect.stringMatching(/cursor$/)]);
    }
  });

  it('an invalid query parameter: 400 with path query.limit', async () => {
    for (const limit of ['0', '201', 'abc', '1.5']) {
      const e = expectError(await fx.api.call('GET', `/orders?limit=${limit}`), 400, 'VALIDATION_FAILED');
      expect(e.details!.map((d) => d.path), limit).toEqual(['query.limit']);
    }
  });

  it('business-rule and conflict errors use the same shape', async () => {
    const o = (await fx.api.call('POST', '/orders', { body: orderInput(fx.master, { lines: [] }) })).json;
    expectError(await fx.api.call('POST', `/orders/${o.id}/transitions`, { body: { to: 'confirmed' }, headers: { 'If-Match': '"1"' } }), 422, 'ORDER_NOT_READY');
    expectError(await fx.api.call('POST', `/orders/${o.id}/transitions`, { body: { to: 'closed' }, headers: { 'If-Match': '"1"' } }), 409, 'INVALID_TRANSITION');
    expectError(await fx.api.call('PATCH', `/orders/${o.id}`, { body: { remarks: 'x' } }), 428, 'PRECONDITION_REQUIRED');
    expect((await fx.api.call('PATCH', `/orders/${o.id}`, { body: { remarks: 'x' }, headers: { 'If-Match': '"1"' } })).status).toBe(200);
    const stale = expectError(await fx.api.call('PATCH', `/orders/${o.id}`, { body: { remarks: 'y' }, headers: { 'If-Match': '"1"' } }), 412, 'VERSION_MISMATCH');
    expect((stale as any).current).toMatchObject({ id: o.id, version: 2, remarks: 'x' });
  });
});

describe('internal errors', () => {
  it('a database that throws: 500 INTERNAL_ERROR, logged with the request id, nothing leaked', async () => {
    const logged: [unknown, string][] = [];
    const secret = 'SQLITE_IOERR at /srv/secret/path.db: token=hunter2';
    const app = createApp({
      database: () => {
        throw new Error(secret);
      },
      logError: (err, requestId) => logged.push([err, requestId]),
    });
    const r = await raw(app, '/orders', { method: 'GET', headers: { Authorization: `Bearer ${fx.org.keys.admin}` } });
    const e = expectError(r, 500, 'INTERNAL_ERROR');
    expect(e.details).toBeUndefined();
    expect(r.text).not.toContain('hunter2');
    expect(r.text).not.toContain('secret');
    expect(r.text).not.toContain('SQLITE');
    expect(r.text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(r.text).not.toContain('stack');
    expect(logged).toHaveLength(1);
    expect((logged[0]![0] as Error).message).toBe(secret);
    expect(logged[0]![1]).toBe(e.requestId);
  });

  it('a closed database client: 500 INTERNAL_ERROR without the driver message', async () => {
    const db2 = await tempDatabase();
    try {
      const org2 = await seedOrg(db2.database, 'Closed Exports');
      const logged: unknown[] = [];
      const app = createApp({ database: () => db2.database, logError: (err) => logged.push(err) });
      db2.database.client.close();
      for (const [method, path, body] of [
        ['GET', '/orders', undefined],
        ['POST', '/orders', JSON.stringify(orderInput(fx.master))],
        ['GET', '/health', undefined],
      ] as const) {
        const before = logged.length;
        const r = await raw(app, path, {
          method,
          headers: { Authorization: `Bearer ${org2.keys.admin}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
        expectError(r, 500, 'INTERNAL_ERROR');
        expect(logged, `${method} ${path} was logged once`).toHaveLength(before + 1);
        const driverMessage = (logged[before] as Error | undefined)?.message;
        expect(driverMessage, `${method} ${path} was not logged`).toBeTruthy();
        expect(r.text).not.toContain(driverMessage!);
        expect(r.text).not.toMatch(/closed|libsql|sqlite/i);
      }
    } finally {
      db2.cleanup();
    }
  });
});

describe('a failed request changes nothing', () => {
  it('an order whose 2nd line names an unknown product: 422, no order, no lines, no audit', async () => {
    const [o, l, a] = [await count(orders), await count(orderLines), await count(auditEvents)];
    const body = orderInput(fx.master, {
      reference: 'ATOMIC-1',
      lines: [
        { productId: fx.master.tee.id, quantity: '10', unitPrice: '1' },
        { productId: `prd_${'0'.repeat(26)}`, quantity: '10', unitPrice: '1' },
      ],
    });
    const e = expectError(await fx.api.call('POST', '/orders', { body }), 422);
    expect(e.details!.map((d) => d.path)).toEqual(['lines.1.productId']);
    expect([await count(orders), await count(orderLines), await count(auditEvents)]).toEqual([o, l, a]);
    // The reference is still free.
    expect((await fx.api.call('POST', '/orders', { body: orderInput(fx.master, { reference: 'ATOMIC-1' }) })).status).toBe(201);
  });

  // BUG (worker/src/services/orders/orders.ts:130, and :190 for PATCH): each line is range-checked
  // inside buildLines, but `sumMinor` of the total is called outside that try, so lines that fit one by
  // one but whose sum passes 2^53 − 1 minor units throw a RangeError → 500. Fails until fixed.
  it('an order whose total is too large to be exact: 422 naming lines, not 500', async () => {
    const before = await count(orders);
    const big = { quantity: '45035996274', unitPrice: '1000' }; // 4 503 599 627 400 000 cents each; the sum passes 2^53
    const r = await fx.api.call('POST', '/orders', { body: orderInput(fx.master, { lines: [{ productId: fx.master.tee.id, ...big }, { productId: fx.master.polo.id, ...big }] }) });
    const e = expectError(r, 422);
    expect(e.details!.map((d) => d.path)).toEqual([expect.stringMatching(/^lines/)]);
    expect(await count(orders)).toBe(before);
  });

  it('a product of another organisation counts as unknown', async () => {
    const other = await seedOrg(fx.database, 'Foreign Exports');
    const foreign = await seedMasterData(other.admin);
    const before = await count(orders);
    const r = await fx.api.call('POST', '/orders', { body: orderInput(fx.master, { lines: [{ productId: foreign.tee.id, quantity: '1', unitPrice: '1' }] }) });
    expectError(r, 422);
    expect(await count(orders)).toBe(before);
  });

  it('a PATCH that fails validation or a business rule leaves the version and history unchanged', async () => {
    const created = await fx.api.call('POST', '/orders', { body: orderInput(fx.master) });
    const id = created.json.id;
    const audits = await count(auditEvents);
    const attempts: [unknown, number][] = [
      [{ buyerPo: 'PO-9', colour: 'red' }, 400],
      [{ portOfDischarge: 'CNSHA' }, 422],
      [{ transportMode: 'air' }, 422],
      [{ lines: [{ productId: fx.master.tee.id, quantity: '1', unitPrice: '1' }, { productId: `prd_${'0'.repeat(26)}`, quantity: '1', unitPrice: '1' }] }, 422],
      [{ lines: [{ productId: fx.master.tee.id, quantity: '-1', unitPrice: '1' }] }, 400],
      [{ buyerId: fx.master.consignee2.id }, 422],
    ];
    for (const [body, status] of attempts) {
      const r = await fx.api.call('PATCH', `/orders/${id}`, { body, headers: { 'If-Match': '"1"' } });
      expectError(r, status);
    }
    const after = await fx.api.call('GET', `/orders/${id}`);
    expect(after.json.version).toBe(1);
    expect(after.headers.get('etag')).toBe('"1"');
    expect(after.json).toEqual(created.json);
    expect(await count(auditEvents)).toBe(audits);
  });

  it('a shipment that over-allocates is not created at all', async () => {
    const o = (await fx.api.call('POST', '/orders', { body: orderInput(fx.master) })).json;
    const before = await count(shipments);
    const r = await fx.api.call('POST', `/orders/${o.id}/shipments`, {
      body: { allocations: [{ orderLineId: o.lines[0].id, quantity: '10' }, { orderLineId: o.lines[1].id, quantity: '501' }] },
    });
    const e = expectError(r, 422, 'ALLOCATION_EXCEEDED');
    expect(e.details!.map((d) => d.path)).toEqual(['allocations.1.quantity']);
    expect(await count(shipments)).toBe(before);
    expect((await fx.api.call('GET', `/orders/${o.id}`)).json.lines[0].allocatedQuantity).toBe('0');
  });
});
