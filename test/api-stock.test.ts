/**
 * Stock through the real app over a real libSQL file: locations, receipts, adjustments, levels and the ledger;
 * reservations on confirm (make-to-order when a product has no stock level), release on cancel and reopen,
 * consumption on shipping, adjustment of reservations when a confirmed order's lines change; and the race:
 * 100 orders of 1 confirmed at once against a stock of 10 → exactly 10 reserved, never more.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createClient as createWebClient } from '@libsql/client/web';
import { OrderCreate } from '../shared/contracts/orders.js';
import { ProductCreate } from '../shared/contracts/products.js';
import { createDatabase } from '../worker/src/db/client.js';
import { stockLevels, stockMovements, stockReservations } from '../worker/src/db/schema/index.js';
import { createOrders } from '../worker/src/services/orders/orders.js';
import { createProduct } from '../worker/src/services/products.js';
import { createStockLocation, receiveStock } from '../worker/src/services/stock/levels.js';
import { startHranaServer, type HranaServer } from './support/hrana-server.js';
import { apiClient, orderInput, seedMasterData, seedOrg, tempDatabase, useApiFixture } from './support/harness.js';

const fx = useApiFixture();
let n = 0;
const uniq = () => `${Date.now().toString(36)}${(++n).toString(36)}`.toUpperCase();

async function ok(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key?: string) {
  const r = await fx.api.call(method, path, { body, headers, ...(key ? { key } : {}) });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
}

const product = async (unit = 'PCS') =>
  ok('POST', '/products', { sku: `STK-${uniq()}`, description: 'Stocked tee', hsCode: '610910', unit, netWeightKg: '0.2', grossWeightKg: '0.25' });
const location = async (code = `WH-${uniq()}`) => ok('POST', '/stock/locations', { code, name: `Warehouse ${code}` });
const receive = async (productId: string, locationId: string, quantity: string) => ok('POST', '/stock/receipts', { productId, locationId, quantity, note: 'GRN' });
const level = async (productId: string, locationId?: string) => {
  const r = await ok('GET', `/stock?productId=${productId}${locationId ? `&locationId=${locationId}` : ''}`);
  return locationId ? r.items[0] : r.items;
};
const order = async (lines: { productId: string; quantity: string; unitPrice?: string; unit?: 'MT' }[]) =>
  ok('POST', '/orders', orderInput(fx.master, { lines: lines.map((l) => ({ unitPrice: '2.5', ...l })) }));
const transition = (o: { id: string }, to: string, version: number) => fx.api.call('POST', `/orders/${o.id}/transitions`, { body: { to }, headers: { 'If-Match': `"${version}"` } });
const reservations = async (orderId: string) => ok('GET', `/orders/${orderId}/reservations`);

describe('locations, receipts, adjustments, levels, ledger', () => {
  it('receives into a location, lists levels with available, and writes receipt movements', async () => {
    const p = await product();
    const a = await location();
    const b = await location();
    const first = await receive(p.id, a.id, '100.5');
    expect(first.level).toMatchObject({ productId: p.id, sku: p.sku, unit: 'PCS', locationId: a.id, locationCode: a.code, onHand: '100.5', reserved: '0', available: '100.5' });
    expect(first.movement).toMatchObject({ kind: 'receipt', quantity: '100.5', note: 'GRN', productId: p.id, locationId: a.id });
    await receive(p.id, a.id, '0.5');
    await receive(p.id, b.id, '7');
    expect((await level(p.id, a.id)).onHand).toBe('101');
    expect((await level(p.id)).map((l: any) => [l.locationCode, l.available])).toEqual([[a.code, '101'], [b.code, '7']].sort());
    const moves = await ok('GET', `/stock/movements?productId=${p.id}`);
    expect(moves.items.map((m: any) => [m.kind, m.quantity])).toEqual([['receipt', '7'], ['receipt', '0.5'], ['receipt', '100.5']]);
    const locs = await ok('GET', '/stock/locations');
    expect(locs.items.map((l: any) => l.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('refuses a duplicate location code (409, path code), bad quantities (400, named), unknown product or location (422, named)', async () => {
    const a = await location();
    const dup = await fx.api.call('POST', '/stock/locations', { body: { code: a.code.toLowerCase(), name: 'Again' } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.details[0].path).toBe('code');
    const p = await product();
    for (const [quantity, status] of [['0', 400], ['-1', 400], ['1.2345', 400], ['abc', 400]] as const) {
      const r = await fx.api.call('POST', '/stock/receipts', { body: { productId: p.id, locationId: a.id, quantity } });
      expect(r.status, `${quantity}: ${r.text}`).toBe(status);
      expect(r.json.error.details.map((d: any) => d.path)).toContain('quantity');
    }
    // Another id of the same shape (changing the last character; an id may already end in Z).
    const other = (id: string) => id.replace(/.$/, (c) => (c === 'Z' ? 'Y' : 'Z'));
    const ghost = await fx.api.call('POST', '/stock/receipts', { body: { productId: other(p.id), locationId: other(a.id), quantity: '1' } });
    expect(ghost.status).toBe(422);
    expect(ghost.json.error.details.map((d: any) => d.path).sort()).toEqual(['locationId', 'productId']);
    const noReason = await fx.api.call('POST', '/stock/adjustments', { body: { productId: p.id, locationId: a.id, quantity: '-1' } });
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.details.map((d: any) => d.path)).toContain('reason');
  });

  it('an adjustment never takes on hand below what is reserved (409 STOCK_BELOW_RESERVED, nothing changes)', async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '10');
    const o = await order([{ productId: p.id, quantity: '6' }]);
    expect((await transition(o, 'confirmed', 1)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '10', reserved: '6', available: '4' });

    const tooMuch = await fx.api.call('POST', '/stock/adjustments', { body: { productId: p.id, locationId: a.id, quantity: '-4.001', reason: 'count' } });
    expect(tooMuch.status, tooMuch.text).toBe(409);
    expect(tooMuch.json.error.code).toBe('STOCK_BELOW_RESERVED');
    expect(tooMuch.json.error.details[0]).toMatchObject({ path: 'quantity' });
    expect(tooMuch.json.error.details[0].message).toContain('at most 4');
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '10', reserved: '6', available: '4' });

    const exact = await ok('POST', '/stock/adjustments', { productId: p.id, locationId: a.id, quantity: '-4', reason: 'damaged in monsoon' });
    expect(exact.level).toMatchObject({ onHand: '6', reserved: '6', available: '0' });
    expect(exact.movement).toMatchObject({ kind: 'adjustment', quantity: '-4', note: 'damaged in monsoon' });
    const up = await ok('POST', '/stock/adjustments', { productId: p.id, locationId: a.id, quantity: '2.25', reason: 'recount' });
    expect(up.level).toMatchObject({ onHand: '8.25', available: '2.25' });
    // A negative adjustment where nothing is stocked at all.
    const nothing = await fx.api.call('POST', '/stock/adjustments', { body: { productId: p.id, locationId: (await location()).id, quantity: '-1', reason: 'x' } });
    expect(nothing.status).toBe(409);
  });
});

describe('reservations follow the order', () => {
  it('a product without any stock level is made to order: confirming reserves nothing and is not refused', async () => {
    const o = await order([{ productId: fx.master.tee.id, quantity: '1000' }]);
    const r = await transition(o, 'confirmed', 1);
    expect(r.status, r.text).toBe(200);
    const res = await reservations(o.id);
    expect(res).toMatchObject({ holdsStock: true, status: 'confirmed' });
    expect(res.lines[0]).toMatchObject({ mode: 'make_to_order', reserved: '0', shortfall: '0', reservations: [] });
  });

  it('reserves from the location with the most available; spreads when no single one holds enough; ties go to the lowest code', async () => {
    const p = await product();
    const small = await location(`A-${uniq()}`);
    const big = await location(`B-${uniq()}`);
    await receive(p.id, small.id, '5');
    await receive(p.id, big.id, '8');
    const one = await order([{ productId: p.id, quantity: '6' }]);
    expect((await transition(one, 'confirmed', 1)).status).toBe(200);
    expect((await reservations(one.id)).lines[0].reservations.map((x: any) => [x.locationCode, x.quantity, x.status])).toEqual([[big.code, '6', 'reserved']]);

    const spread = await order([{ productId: p.id, quantity: '6.5' }]); // 5 at A, 2 at B
    expect((await transition(spread, 'confirmed', 1)).status).toBe(200);
    const lines = (await reservations(spread.id)).lines[0];
    expect(lines.reservations.map((x: any) => [x.locationCode, x.quantity]).sort()).toEqual([[small.code, '5'], [big.code, '1.5']].sort());
    expect(lines).toMatchObject({ mode: 'stock', reserved: '6.5', consumed: '0', shortfall: '0' });
    expect((await level(p.id)).map((l: any) => l.available)).toEqual(['0', '0.5']);

    const q = await product();
    const x = await location(`X-${uniq()}`);
    const y = await location(`Y-${uniq()}`);
    await receive(q.id, y.id, '3');
    await receive(q.id, x.id, '3');
    const tie = await order([{ productId: q.id, quantity: '2' }]);
    expect((await transition(tie, 'confirmed', 1)).status).toBe(200);
    expect((await reservations(tie.id)).lines[0].reservations.map((r: any) => r.locationCode)).toEqual([x.code]);
  });

  it('insufficient stock refuses the confirmation with 409 STOCK_INSUFFICIENT naming the line, needed and available; nothing is reserved', async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '4');
    const o = await order([
      { productId: fx.master.polo.id, quantity: '10' },
      { productId: p.id, quantity: '3' },
      { productId: p.id, quantity: '2' },
    ]);
    const r = await transition(o, 'confirmed', 1);
    expect(r.status, r.text).toBe(409);
    expect(r.json.error.code).toBe('STOCK_INSUFFICIENT');
    expect(r.json.error.details).toEqual([{ path: 'lines.2.quantity', message: expect.stringContaining('2 PCS needed, 1 available'), code: 'STOCK_INSUFFICIENT' }]);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '0', available: '4' });
    expect((await ok('GET', `/orders/${o.id}`)).status).toBe('draft');
    expect((await ok('GET', `/stock/movements?orderId=${o.id}`)).items).toEqual([]);
  });

  it('a line in another unit than the stocked product is refused (422 naming lines.0.unit)', async () => {
    const p = await product('KG');
    await receive(p.id, (await location()).id, '50');
    const o = await order([{ productId: p.id, quantity: '5', unit: 'MT' }]);
    const r = await transition(o, 'confirmed', 1);
    expect(r.status).toBe(422);
    expect(r.json.error.details[0]).toMatchObject({ path: 'lines.0.unit', code: 'STOCK_UNIT_MISMATCH' });
  });

  it('cancelling releases; reopening to draft releases; each writes release movements in the same change', async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '10');
    const o = await order([{ productId: p.id, quantity: '7' }]);
    expect((await transition(o, 'confirmed', 1)).status).toBe(200);
    expect((await transition(o, 'draft', 2)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '0', available: '10' });
    expect((await reservations(o.id)).lines[0]).toMatchObject({ reserved: '0', reservations: [{ status: 'released', quantity: '7' }] });
    expect((await transition(o, 'confirmed', 3)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '7' });
    expect((await transition(o, 'in_production', 4)).status).toBe(200);
    expect((await transition(o, 'cancelled', 5)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '10', reserved: '0', available: '10' });
    const moves = (await ok('GET', `/stock/movements?orderId=${o.id}`)).items.map((m: any) => [m.kind, m.quantity, m.note]);
    expect(moves).toEqual([
      ['release', '-7', 'Order cancelled'],
      ['reserve', '7', null],
      ['release', '-7', 'Order reopened (back to draft)'],
      ['reserve', '7', null],
    ]);
    const res = await reservations(o.id);
    expect(res.holdsStock).toBe(false);
  });

  it('shipping consumes the shipped quantities from the reservations (on hand and reserved both drop)', async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '20');
    const o = await order([
      { productId: p.id, quantity: '12' },
      { productId: fx.master.polo.id, quantity: '5' },
    ]);
    const [stocked, mto] = o.lines;
    const s1 = await ok('POST', `/orders/${o.id}/shipments`, { allocations: [{ orderLineId: stocked.id, quantity: '8' }, { orderLineId: mto.id, quantity: '5' }] });
    const s2 = await ok('POST', `/orders/${o.id}/shipments`, { allocations: [{ orderLineId: stocked.id, quantity: '4' }] });
    for (const [to, v] of [['confirmed', 1], ['ready_to_ship', 2]] as const) expect((await transition(o, to, v)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '20', reserved: '12', available: '8' });

    const ship = (s: { id: string }) => fx.api.call('POST', `/shipments/${s.id}/transitions`, { body: { to: 'shipped' }, headers: { 'If-Match': '"1"' } });
    expect((await ship(s1)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '12', reserved: '4', available: '8' });
    let res = (await reservations(o.id)).lines;
    expect(res[0]).toMatchObject({ reserved: '4', consumed: '8', shortfall: '0' });
    expect(res[1]).toMatchObject({ mode: 'make_to_order', consumed: '0' });
    const consume = (await ok('GET', `/stock/movements?orderId=${o.id}&kind=consume`)).items;
    expect(consume).toEqual([expect.objectContaining({ quantity: '-8', shipmentId: s1.id, orderLineId: stocked.id })]);

    expect((await ship(s2)).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '8', reserved: '0', available: '8' });
    res = (await reservations(o.id)).lines;
    expect(res[0]).toMatchObject({ reserved: '0', consumed: '12' });
    expect((await ok('GET', `/orders/${o.id}`)).status).toBe('shipped');
    expect((await reservations(o.id)).holdsStock).toBe(false);
  });

  it('editing a confirmed order adjusts its reservations: up (or 409 when short), down, new lines, removed lines', async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '10');
    const o = await order([
      { productId: p.id, quantity: '4' },
      { productId: fx.master.polo.id, quantity: '5' },
    ]);
    expect((await transition(o, 'confirmed', 1)).status).toBe(200);
    let version = 2;
    const patch = async (lines: unknown[]) => {
      const r = await fx.api.call('PATCH', `/orders/${o.id}`, { body: { lines }, headers: { 'If-Match': `"${version}"` } });
      if (r.status === 200) version = r.json.version;
      return r;
    };
    const [l1, l2] = o.lines;
    const line = (l: any, quantity: string) => ({ id: l.id, productId: l.productId, quantity, unitPrice: '2.5' });

    expect((await patch([line(l1, '9'), line(l2, '5')])).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '9', available: '1' });

    const short = await patch([line(l1, '11'), line(l2, '5')]);
    expect(short.status, short.text).toBe(409);
    expect(short.json.error.details[0]).toMatchObject({ path: 'lines.0.quantity', code: 'STOCK_INSUFFICIENT' });
    expect(short.json.error.details[0].message).toContain('2 PCS needed, 1 available');
    expect((await ok('GET', `/orders/${o.id}`)).lines[0].quantity).toBe('9');

    expect((await patch([line(l1, '3'), line(l2, '5')])).status).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '3', available: '7' });

    // a new stocked line is reserved; the make-to-order line stays so
    const added = await patch([line(l1, '3'), line(l2, '6'), { productId: p.id, quantity: '2', unitPrice: '2.5' }]);
    expect(added.status, added.text).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '5' });
    const res = (await reservations(o.id)).lines;
    expect(res.map((x: any) => [x.lineNo, x.mode, x.reserved])).toEqual([[1, 'stock', '3'], [2, 'make_to_order', '0'], [3, 'stock', '2']]);

    // removing a line releases it
    const removed = await patch([line(l1, '3'), line(l2, '6')]);
    expect(removed.status, removed.text).toBe(200);
    expect(await level(p.id, a.id)).toMatchObject({ reserved: '3', available: '7' });
    const kinds = (await ok('GET', `/stock/movements?orderId=${o.id}`)).items.map((m: any) => `${m.kind} ${m.quantity}`);
    // lowering 9 → 3 released the newest reservation first (5), then 1 of the first (4)
    expect(kinds).toEqual(['release -2', 'reserve 2', 'release -1', 'release -5', 'reserve 5', 'reserve 4']);
  });
});

describe('never oversell, under concurrency', () => {
  it('stock 10, 100 orders of 1 confirmed at once through the API: exactly 10 succeed, 90 get 409 STOCK_INSUFFICIENT', async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '10');
    const orders = await Promise.all(Array.from({ length: 100 }, () => order([{ productId: p.id, quantity: '1' }])));
    const results = await Promise.all(orders.map((o) => transition(o, 'confirmed', 1)));
    const okCount = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 409);
    expect(okCount, JSON.stringify(results.map((r) => r.status))).toBe(10);
    expect(refused).toHaveLength(90);
    for (const r of refused) {
      expect(r.json.error.code).toBe('STOCK_INSUFFICIENT');
      expect(r.json.error.details[0]).toMatchObject({ path: 'lines.0.quantity', code: 'STOCK_INSUFFICIENT' });
    }
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '10', reserved: '10', available: '0' });
    const db = fx.database.db;
    const [moves] = await db.select({ n: sql<number>`count(*)` }).from(stockMovements).where(and(eq(stockMovements.productId, p.id), eq(stockMovements.kind, 'reserve')));
    expect(moves!.n).toBe(10);
    const [held] = await db.select({ q: sql<number>`sum(quantity_milli)` }).from(stockReservations).where(and(eq(stockReservations.productId, p.id), eq(stockReservations.status, 'reserved')));
    expect(held!.q).toBe(10_000);
    const confirmed = await Promise.all(orders.map((o) => ok('GET', `/orders/${o.id}`)));
    expect(confirmed.filter((o) => o.status === 'confirmed')).toHaveLength(10);
    const [row] = await db.select().from(stockLevels).where(eq(stockLevels.productId, p.id));
    expect(row!.reservedMilli).toBeLessThanOrEqual(row!.onHandMilli);
  });
});

describe('tenant isolation', () => {
  it("another organisation cannot see, receive into, or reserve A's stock", async () => {
    const p = await product();
    const a = await location();
    await receive(p.id, a.id, '10');
    const o = await order([{ productId: p.id, quantity: '1' }]);
    expect((await transition(o, 'confirmed', 1)).status).toBe(200);

    const orgB = await seedOrg(fx.database, `Stock Tenant B ${uniq()}`);
    await seedMasterData(orgB.admin);
    const asB = (method: string, path: string, body?: unknown) => fx.api.call(method, path, { key: orgB.keys.admin, body });
    for (const path of ['/stock', `/stock?productId=${p.id}`, '/stock/locations', '/stock/movements', `/stock/movements?orderId=${o.id}`]) {
      const r = await asB('GET', path);
      expect(r.status, path).toBe(200);
      expect(r.json.items, path).toEqual([]);
    }
    expect((await asB('GET', `/orders/${o.id}/reservations`)).status).toBe(404);
    const receipt = await asB('POST', '/stock/receipts', { productId: p.id, locationId: a.id, quantity: '5' });
    expect(receipt.status).toBe(422);
    expect(receipt.json.error.details.map((d: any) => d.path).sort()).toEqual(['locationId', 'productId']);
    const adj = await asB('POST', '/stock/adjustments', { productId: p.id, locationId: a.id, quantity: '-5', reason: 'theft' });
    expect(adj.status).toBe(422);
    // B may use A's location code for its own location.
    expect((await asB('POST', '/stock/locations', { code: a.code, name: 'Mine' })).status).toBe(201);
    expect(await level(p.id, a.id)).toMatchObject({ onHand: '10', reserved: '1' });
  });

  it('viewers read stock but cannot change it', async () => {
    expect((await fx.api.call('GET', '/stock', { key: fx.org.keys.viewer })).status).toBe(200);
    const r = await fx.api.call('POST', '/stock/locations', { key: fx.org.keys.viewer, body: { code: 'V1', name: 'Viewer' } });
    expect(r.status).toBe(403);
  });
});

describe('never oversell over remote libSQL (Hrana over HTTP, the way the Worker talks to Turso)', () => {
  it('stock 10, 100 orders of 1 confirmed at once, no in-process write queue: exactly 10 succeed', async () => {
    const temp = await tempDatabase();
    let hrana: HranaServer | undefined;
    let remote: ReturnType<typeof createDatabase> | undefined;
    try {
      const org = await seedOrg(temp.database, 'Remote Stock Exports');
      const master = await seedMasterData(org.admin);
      const p = await createProduct(org.admin, ProductCreate.parse({ sku: 'REMOTE-1', description: 'Remote tee', hsCode: '610910', unit: 'PCS', netWeightKg: '0.2', grossWeightKg: '0.25' }));
      const loc = await createStockLocation(org.admin, { code: 'R-WH', name: 'Remote warehouse' });
      await receiveStock(org.admin, { productId: p.id, locationId: loc.id, quantity: '10' });
      const orderIds = await createOrders(org.admin, Array.from({ length: 100 }, () => OrderCreate.parse(orderInput(master, { lines: [{ productId: p.id, quantity: '1', unitPrice: '2.5' }] }))));
      temp.database.client.close();

      hrana = await startHranaServer({ dbPath: temp.path, authToken: 'stock-race' });
      remote = createDatabase(createWebClient({ url: hrana.url, authToken: 'stock-race' }), { serializeWrites: false });
      const api = apiClient(remote, org.keys.admin);
      const results = await Promise.all(orderIds.map((id) => api.call('POST', `/orders/${id}/transitions`, { body: { to: 'confirmed' }, headers: { 'If-Match': '"1"' } })));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).toHaveLength(10);
      expect(results.filter((r) => r.status === 409 && r.json.error.code === 'STOCK_INSUFFICIENT')).toHaveLength(90);
      const lvl = await api.call('GET', `/stock?productId=${p.id}`);
      expect(lvl.json.items[0]).toMatchObject({ onHand: '10', reserved: '10', available: '0' });
      const moves = await api.call('GET', `/stock/movements?productId=${p.id}&kind=reserve&limit=200`);
      expect(moves.json.items).toHaveLength(10);
    } finally {
      remote?.client.close();
      await hrana?.close();
      temp.cleanup();
    }
  }, 120_000);
});
