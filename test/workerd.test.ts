/**
 * The Workers build, end to end: bundle the Worker exactly as `npm run build:worker` does (wrangler dry-run),
 * run the bundle in workerd (Miniflare; both via test/support/workerd.ts), and let it talk Hrana over HTTP to
 * a real libSQL file served by test/support/hrana-server.ts. Miniflare's `outboundService` is the only network
 * the Worker has: requests to the fake database host are forwarded to the Hrana server, everything else is refused.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createClient } from '@libsql/client';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderInput, readResponse, requestInit, seedMasterData, seedOrg, tempDatabase, type CallOptions } from './support/harness.js';
import { startHranaServer, type HranaServer } from './support/hrana-server.js';
import { requireAddinBuild } from './support/addin.js';
import { buildWorkerBundle, startWorker } from './support/workerd.js';

const TOKEN = `hrana-${Math.random().toString(36).slice(2)}`;

let tmp: string;
let bundlePath: string;
let dbPath: string;
let hrana: HranaServer;
let mf: Miniflare;
let refused: string[];
let org1: Awaited<ReturnType<typeof seedOrg>>;
let org2: Awaited<ReturnType<typeof seedOrg>>;
let seededBuyerId: string;

beforeAll(async () => {
  requireAddinBuild(); // wrangler.toml's [assets] directory; wrangler's [build] would otherwise build it here
  tmp = mkdtempSync(join(tmpdir(), 'exportdesk-workerd-'));

  // 1. The bundle, built the way `npm run build:worker` builds it (only the output folder differs).
  bundlePath = await buildWorkerBundle(join(tmp, 'bundle'));

  // 2. A migrated libSQL file with two organisations; org 1 also gets master data (written from Node).
  const temp = await tempDatabase();
  dbPath = temp.path;
  org1 = await seedOrg(temp.database, 'Workerd Exports Pvt Ltd');
  org2 = await seedOrg(temp.database, 'Other Exports Pvt Ltd');
  seededBuyerId = (await seedMasterData(org1.admin)).buyer.id;
  temp.database.client.close();

  // 3. The database over Hrana HTTP, and the Worker in workerd with only that as its network.
  hrana = await startHranaServer({ dbPath, authToken: TOKEN });
  // Document files go to R2 when the Worker has this binding (the database store is tested on Node).
  // The task pane's files (wrangler.toml [assets], built into dist/public) are served in front of the Worker.
  ({ mf, refused } = await startWorker({ bundlePath, hranaUrl: hrana.url, token: TOKEN, r2Buckets: ['DOCUMENTS'], assets: true }));
}, 240_000);

afterAll(async () => {
  try {
    await mf?.dispose();
  } finally {
    await hrana?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (dbPath) rmSync(dirname(dbPath), { recursive: true, force: true });
  }
});

interface Call {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

async function call(method: string, path: string, opts: CallOptions = {}): Promise<Call> {
  return readResponse((await mf.dispatchFetch(`http://localhost${path}`, requestInit(method, opts, org1.keys.admin))) as unknown as Response);
}

describe('Worker bundle in workerd (Miniflare) over Hrana HTTP to a real libSQL file', () => {
  it('bundle stays within the 2 MiB gzipped budget (Workers free plan limit: 3 MiB)', () => {
    const gz = gzipSync(readFileSync(bundlePath)).length;
    expect(gz).toBeGreaterThan(100 * 1024); // the real app, not an empty stub
    expect(gz).toBeLessThan(2 * 1024 * 1024);
  });

  it('answers /health with the database reachable', async () => {
    const before = hrana.requests;
    const res = await call('GET', '/health', { key: null });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', database: 'ok' });
    expect(hrana.requests).toBeGreaterThan(before);
  });

  it('refuses requests without a key with the JSON error shape', async () => {
    const res = await call('GET', '/orders', { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }) });
  });

  it('reads data written from Node into the same file', async () => {
    const res = await call('GET', '/parties');
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((p: { id: string }) => p.id)).toContain(seededBuyerId);
  });

  it('runs an order through its lifecycle', async () => {
    const requestsBefore = hrana.requests;

    // Master data through the API.
    const party = await call('POST', '/parties', {
      body: {
        name: 'Havenlicht Import B.V.',
        roles: ['buyer', 'consignee'],
        address: { lines: ['Waalhaven Oostzijde 1'], city: 'Rotterdam', country: 'NL' },
        taxIds: [{ type: 'EORI', value: 'NL123456789' }],
        contacts: [{ name: 'Sanne Bakker', email: 's.bakker@havenlicht.example' }],
      },
    });
    expect(party.status, party.text).toBe(201);
    expect(party.headers.get('etag')).toBe('"1"');
    const verified = await call('POST', `/parties/${party.json.id}/verify`, { headers: { 'If-Match': party.headers.get('etag')! } });
    expect(verified.status, verified.text).toBe(200);

    const products = [];
    for (const [sku, hsCode] of [['WK-TEE', '6109.10.00'], ['WK-POLO', '610510']] as const) {
      const p = await call('POST', '/products', { body: { sku, description: `Worker test ${sku}`, hsCode, unit: 'PCS', netWeightKg: '0.2', grossWeightKg: '0.25' } });
      expect(p.status, p.text).toBe(201);
      expect(p.headers.get('etag')).toBe('"1"');
      products.push(p.json);
    }
    const master = { buyer: verified.json, consignee2: verified.json, tee: products[0], polo: products[1] } as Parameters<typeof orderInput>[0];

    // Order with lines.
    const created = await call('POST', '/orders', { body: orderInput(master) });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/orders/${created.json.id}`);
    const order = created.json;
    expect(order.lines).toHaveLength(2);
    const [teeLine, poloLine] = order.lines as { id: string; quantity: string }[];

    // Update with If-Match; then a stale If-Match gets 412 with the current record.
    const patched = await call('PATCH', `/orders/${order.id}`, { headers: { 'If-Match': '"1"' }, body: { buyerPo: 'PO-WORKERD-2' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(patched.json.buyerPo).toBe('PO-WORKERD-2');
    const stale = await call('PATCH', `/orders/${order.id}`, { headers: { 'If-Match': '"1"' }, body: { buyerPo: 'PO-LOST' } });
    expect(stale.status, stale.text).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(stale.json.error).toMatchObject({ code: 'VERSION_MISMATCH', current: { id: order.id, version: 2, buyerPo: 'PO-WORKERD-2' } });

    // Split shipments; over-allocation is refused.
    const s1 = await call('POST', `/orders/${order.id}/shipments`, { body: { allocations: [{ orderLineId: teeLine!.id, quantity: '600' }] } });
    expect(s1.status, s1.text).toBe(201);
    expect(s1.headers.get('etag')).toBe('"1"');
    const s2 = await call('POST', `/orders/${order.id}/shipments`, {
      body: { allocations: [{ orderLineId: teeLine!.id, quantity: '400' }, { orderLineId: poloLine!.id, quantity: '500' }] },
    });
    expect(s2.status, s2.text).toBe(201);
    expect(s2.json.reference).toBe(`${order.reference}-S2`);
    const over = await call('POST', `/orders/${order.id}/shipments`, { body: { allocations: [{ orderLineId: teeLine!.id, quantity: '1' }] } });
    expect(over.status, over.text).toBe(422);
    expect(over.json.error.code).toBe('ALLOCATION_EXCEEDED');
    expect(over.json.error.details[0].path).toBe('allocations.0.quantity');

    // Confirm.
    const current = await call('GET', `/orders/${order.id}`);
    expect(current.status).toBe(200);
    const confirmed = await call('POST', `/orders/${order.id}/transitions`, { headers: { 'If-Match': current.headers.get('etag')! }, body: { to: 'confirmed' } });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.json.status).toBe('confirmed');

    // History.
    const history = await call('GET', `/orders/${order.id}/history`);
    expect(history.status, history.text).toBe(200);
    const actions = (history.json.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['order.created', 'order.updated', 'shipment.created', 'order.status_changed']));
    expect(actions.filter((a) => a === 'shipment.created')).toHaveLength(2);

    // Another organisation cannot see it.
    const foreign = await call('GET', `/orders/${order.id}`, { key: org2.keys.admin });
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe('NOT_FOUND');

    expect(hrana.requests).toBeGreaterThan(requestsBefore);

    // The Worker's writes are in the libSQL file, seen from Node.
    const node = createClient({ url: `file:${dbPath}` });
    try {
      const row = await node.execute({ sql: 'select status, version, buyer_po from orders where id = ?', args: [order.id] });
      expect(row.rows[0]).toMatchObject({ status: 'confirmed', buyer_po: 'PO-WORKERD-2' });
      const shipments = await node.execute({ sql: 'select count(*) as n from shipments where order_id = ?', args: [order.id] });
      expect(Number(shipments.rows[0]!.n)).toBe(2);
    } finally {
      node.close();
    }
  });

  it('replays an Idempotency-Key with the same body', async () => {
    const parties = await call('GET', '/parties');
    const products = await call('GET', '/products');
    const master = {
      buyer: parties.json.items.find((p: { id: string }) => p.id === seededBuyerId),
      consignee2: null,
      tee: products.json.items[0],
      polo: products.json.items[1],
    } as unknown as Parameters<typeof orderInput>[0];
    const body = JSON.stringify(orderInput(master));
    const key = `idem-${Date.now()}`;
    const first = await call('POST', '/orders', { body, headers: { 'Idempotency-Key': key } });
    expect(first.status, first.text).toBe(201);
    const again = await call('POST', '/orders', { body, headers: { 'Idempotency-Key': key } });
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const list = await call('GET', `/orders?limit=100`);
    expect(list.status, list.text).toBe(200);
    expect(list.json.items.filter((o: { id: string }) => o.id === first.json.id)).toHaveLength(1);
  });

  it('serves /openapi.json', async () => {
    const res = await call('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/orders', '/orders/{id}', '/orders/{id}/shipments']));
  });

  it('keeps answering over 20 sequential requests', async () => {
    const before = hrana.requests;
    for (let i = 0; i < 20; i++) {
      const res = await call('GET', i % 2 ? '/health' : '/orders?limit=5', i % 2 ? { key: null } : {});
      expect(res.status, `request ${i}: ${res.text}`).toBe(200);
    }
    expect(hrana.requests - before).toBeGreaterThanOrEqual(20);
  });

  it('generates documents repeatedly: 100 requests in a row, docx and xlsx each time, files in R2', async () => {
    const master = await call('GET', '/products?limit=1');
    const productId = master.json.items[0].id as string;
    const created = await call('POST', '/orders', {
      body: { ...orderInput({ buyer: { id: seededBuyerId }, tee: { id: productId }, polo: { id: productId } } as never), lines: [{ productId, quantity: '1200', unitPrice: '2.85' }] },
    });
    expect(created.status, created.text).toBe(201);
    const orderId = created.json.id as string;
    let last: { id: string; format: string; contentHash: string }[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await call('POST', `/orders/${orderId}/documents`, { body: { kinds: ['commercial_invoice'] } });
      expect(res.status, `request ${i}: ${res.text.slice(0, 300)}`).toBe(201);
      last = res.json.items;
      expect(last.map((d) => d.format).sort()).toEqual(['docx', 'xlsx']);
    }
    const pack = await call('POST', `/orders/${orderId}/documents`, { body: {} });
    expect(pack.status, pack.text.slice(0, 300)).toBe(201);
    expect(pack.json.items).toHaveLength(7); // proforma + the shipping pack for the unsplit order
    const xlsx = last.find((d) => d.format === 'xlsx')!;
    const file = await mf.dispatchFetch(`http://localhost/documents/${xlsx.id}/content`, { headers: { Authorization: `Bearer ${org1.keys.admin}` } });
    expect(file.status).toBe(200);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(xlsx.contentHash);
    // the bytes live in R2, not in the database
    const bucket = await mf.getR2Bucket('DOCUMENTS');
    const listed = await bucket.list();
    expect(listed.objects.length).toBeGreaterThan(0);
    const db = createClient({ url: `file:${dbPath}` });
    expect(Number((await db.execute('select count(*) as n from document_blobs')).rows[0]!.n)).toBe(0);
    db.close();
  }, 180_000);

  it('money on Workers: FX rates, a receipt, profitability and receivables as xlsx again and again, and the public tracking page', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rates = await call('PUT', '/fx-rates', { body: { rates: [{ date: today, base: 'EUR', quote: 'INR', rate: '89.50' }] } });
    expect(rates.status, rates.text).toBe(200);
    const master = await call('GET', '/products?limit=1');
    const productId = master.json.items[0].id as string;
    const created = await call('POST', '/orders', {
      body: { ...orderInput({ buyer: { id: seededBuyerId }, tee: { id: productId }, polo: { id: productId } } as never), lines: [{ productId, quantity: '1000', unitPrice: '3.00' }] },
    });
    expect(created.status, created.text).toBe(201);
    const orderId = created.json.id as string;
    const confirmed = await call('POST', `/orders/${orderId}/transitions`, { body: { to: 'confirmed' }, headers: { 'If-Match': created.headers.get('etag')! } });
    expect(confirmed.status, confirmed.text).toBe(200);
    const receipt = await call('POST', '/receipts', { body: { buyerId: seededBuyerId, amount: '900.00', currency: 'EUR', valueDate: today, bankReference: 'WORKERD-FIRC-1', fxRate: '90.10' } });
    expect(receipt.status, receipt.text).toBe(201);
    const payments = await call('GET', `/orders/${orderId}/payments`);
    expect(payments.json.milestones.map((m: { status: string; paid: { amount: string } }) => [m.status, m.paid.amount])).toEqual([
      ['paid', '900.00'],
      ['pending', '0.00'],
    ]);
    const profit = await call('GET', `/orders/${orderId}/profitability`);
    expect(profit.status, profit.text).toBe(200);
    expect(profit.json.fx.realisedGain.amount).toBe('540.00'); // 900 × (90.10 − 89.50)
    for (let i = 0; i < 5; i++) {
      for (const path of [`/orders/${orderId}/profitability?format=xlsx`, '/reports/receivables?format=xlsx']) {
        const file = await mf.dispatchFetch(`http://localhost${path}`, { headers: { Authorization: `Bearer ${org1.keys.admin}` } });
        expect(file.status, `${path} #${i}`).toBe(200);
        const bytes = new Uint8Array(await file.arrayBuffer());
        expect(String.fromCharCode(bytes[0]!, bytes[1]!), path).toBe('PK');
      }
    }
    const link = await call('POST', `/orders/${orderId}/tracking-links`, { body: {} });
    expect(link.status, link.text).toBe(201);
    const page = await call('GET', `/track/${link.json.token}`, { key: null });
    expect(page.status).toBe(200);
    expect(page.text).toContain(created.json.reference);
  }, 120_000);

  it('serves the Excel task pane from Static Assets on the same origin, without a key, framable by Office', async () => {
    const page = await call('GET', '/addin/taskpane.html', { key: null });
    expect(page.status, page.text.slice(0, 300)).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="root">');
    expect(page.text).toContain('src="./office/office.js"');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/\*\.officeapps\.live\.com/);
    expect(page.headers.get('x-frame-options')).toBeNull();

    const office = await call('GET', '/addin/office/office.js', { key: null });
    expect(office.status).toBe(200);
    expect(office.headers.get('content-type')).toMatch(/javascript/);
    expect(office.text).toContain('OfficeJS:"office.js"');

    const bundle = /<script type="module"[^>]* src="([^"]+)"/.exec(page.text)?.[1];
    expect(bundle).toMatch(/^\/addin\/bundle\/.+\.js$/);
    const js = await call('GET', bundle!, { key: null });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const root = await mf.dispatchFetch('http://localhost/', { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(new URL(root.headers.get('location')!, 'http://localhost').pathname).toBe('/addin/taskpane.html');
    await root.arrayBuffer();
    const favicon = await mf.dispatchFetch('http://localhost/favicon.ico', { redirect: 'manual' });
    expect([favicon.status, favicon.headers.get('location')?.replace(/^http:\/\/localhost/, '')]).toEqual([302, '/addin/assets/icon-32.png']);
    await favicon.arrayBuffer();

    // a miss under /addin/ reaches the Worker: a plain 404, not a request for a key
    const missing = await call('GET', '/addin/nope.js', { key: null });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
    // the API beside it still needs a key
    expect((await call('GET', '/orders', { key: null })).status).toBe(401);
  });

  it('made no outbound request other than to the database', () => {
    expect(refused).toEqual([]);
  });
});
