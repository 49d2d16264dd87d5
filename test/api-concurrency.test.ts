/**
 * Concurrency through the real app over a real libSQL file: optimistic locking with If-Match,
 * Idempotency-Key under retries and races, and allocations that never exceed the ordered quantity.
 */
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys, orderLines, orders, shipmentAllocations, shipments } from '../worker/src/db/schema/index.js';
import { orderInput, seedMasterData, seedOrg, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

const countOrders = async (where = sql`1 = 1`) => (await fx.database.db.select({ n: sql<number>`count(*)` }).from(orders).where(where))[0]!.n;

async function createOrder(body: unknown): Promise<any> {
  const r = await fx.api.call('POST', '/orders', { body });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

describe('optimistic concurrency (If-Match)', () => {
  it('50 concurrent PATCHes with If-Match "1": one 200, 49 × 412 carrying version 2; the winner\'s value is kept', async () => {
    const order = await createOrder(orderInput(fx.master, { buyerPo: 'PO-START' }));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => fx.api.call('PATCH', `/orders/${order.id}`, { body: { buyerPo: `PO-RACE-${i}` }, headers: { 'If-Match': '"1"' } })),
    );
    const statuses = results.map((r) => r.status);
    const winners = results.filter((r) => r.status === 200);
    const losers = results.filter((r) => r.status === 412);
    expect(winners, JSON.stringify(statuses)).toHaveLength(1);
    expect(losers).toHaveLength(49);

    const winner = winners[0]!;
    expect(winner.json.version).toBe(2);
    expect(winner.headers.get('etag')).toBe('"2"');
    expect(winner.json.buyerPo).toMatch(/^PO-RACE-\d+$/);

    for (const r of losers) {
      expect(r.json.error.code).toBe('VERSION_MISMATCH');
      expect(r.json.error.current.version).toBe(2);
      expect(r.json.error.current.buyerPo).toBe(winner.json.buyerPo);
      expect(r.json.error.current.id).toBe(order.id);
      expect(r.headers.get('etag')).toBe('"2"');
    }

    const final = await fx.api.call('GET', `/orders/${order.id}`);
    expect(final.json.buyerPo).toBe(winner.json.buyerPo);
    expect(final.json.version).toBe(2);
    expect(final.headers.get('etag')).toBe('"2"');

    const history = (await fx.api.call('GET', `/orders/${order.id}/history`)).json.items;
    const updates = history.filter((e: any) => e.action === 'order.updated');
    expect(updates).toHaveLength(1);
    expect(updates[0].before).toMatchObject({ buyerPo: 'PO-START' });
    expect(updates[0].after).toMatchObject({ buyerPo: winner.json.buyerPo });
  });

  it('a stale If-Match on a transition answers 412 with the current order and changes nothing', async () => {
    const order = await createOrder(orderInput(fx.master));
    expect((await fx.api.call('PATCH', `/orders/${order.id}`, { body: { remarks: 'first' }, headers: { 'If-Match': '"1"' } })).status).toBe(200);
    const r = await fx.api.call('POST', `/orders/${order.id}/transitions`, { body: { to: 'confirmed' }, headers: { 'If-Match': '"1"' } });
    expect(r.status).toBe(412);
    expect(r.json.error.current).toMatchObject({ status: 'draft', version: 2, remarks: 'first' });
    expect(r.headers.get('etag')).toBe('"2"');
    expect((await fx.api.call('GET', `/orders/${order.id}`)).json).toMatchObject({ status: 'draft', version: 2 });
  });

  it('a missing If-Match answers 428; a malformed one 400', async () => {
    const order = await createOrder(orderInput(fx.master));
    const missing = await fx.api.call('PATCH', `/orders/${order.id}`, { body: { buyerPo: 'X' } });
    expect(missing.status).toBe(428);
    expect(missing.json.error.code).toBe('PRECONDITION_REQUIRED');
    const missingTransition = await fx.api.call('POST', `/orders/${order.id}/transitions`, { body: { to: 'confirmed' } });
    expect(missingTransition.status).toBe(428);

    for (const bad of ['abc', '"v1"', '"-1"']) {
      const r = await fx.api.call('PATCH', `/orders/${order.id}`, { body: { buyerPo: 'X' }, headers: { 'If-Match': bad } });
      expect(r.status, bad).toBe(400);
      expect(r.json.error.code).toBe('VALIDATION_FAILED');
      expect(r.json.error.details[0].path).toBe('header.If-Match');
    }
    expect((await fx.api.call('GET', `/orders/${order.id}`)).json.version).toBe(1);
  });
});

describe('Idempotency-Key on POST', () => {
  it('same key and body twice: the same answer, replayed, and only one order', async () => {
    const body = orderInput(fx.master, { reference: 'IDEM-1' });
    const first = await fx.api.call('POST', '/orders', { body, headers: { 'Idempotency-Key': 'key-one' } });
    const second = await fx.api.call('POST', '/orders', { body, headers: { 'Idempotency-Key': 'key-one' } });
    expect(first.status, first.text).toBe(201);
    expect(second.status).toBe(first.status);
    expect(second.json).toEqual(first.json);
    expect(second.json.id).toBe(first.json.id);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('etag')).toBe('"1"');
    expect(second.headers.get('content-type')).toMatch(/application\/json/);
    expect(await countOrders(eq(orders.reference, 'IDEM-1'))).toBe(1);
  });

  it('same key with a different body: 422 IDEMPOTENCY_KEY_REUSED, nothing created', async () => {
    const before = await countOrders();
    const body = orderInput(fx.master, { reference: 'IDEM-2' });
    expect((await fx.api.call('POST', '/orders', { body, headers: { 'Idempotency-Key': 'key-two' } })).status).toBe(201);
    const other = await fx.api.call('POST', '/orders', { body: { ...body, reference: 'IDEM-2B' }, headers: { 'Idempotency-Key': 'key-two' } });
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countOrders()).toBe(before + 1);
    expect(await countOrders(eq(orders.reference, 'IDEM-2B'))).toBe(0);
  });

  it('the same key on another path is a different request (422)', async () => {
    const order = await createOrder(orderInput(fx.master, { reference: 'IDEM-PATH' }));
    expect((await fx.api.call('POST', `/orders/${order.id}/shipments`, { body: {}, headers: { 'Idempotency-Key': 'key-path' } })).status).toBe(201);
    const r = await fx.api.call('POST', '/orders', { body: {}, headers: { 'Idempotency-Key': 'key-path' } });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('an invalid key is rejected with 400', async () => {
    const r = await fx.api.call('POST', '/orders', { body: orderInput(fx.master), headers: { 'Idempotency-Key': 'x'.repeat(256) } });
    expect(r.status).toBe(400);
    expect(r.json.error.details[0].path).toBe('header.Idempotency-Key');
  });

  it('10 concurrent POSTs with the same key and body create exactly one order', async () => {
    const body = orderInput(fx.master, { reference: 'IDEM-RACE' });
    const results = await Promise.all(Array.from({ length: 10 }, () => fx.api.call('POST', '/orders', { body, headers: { 'Idempotency-Key': 'key-race' } })));
    const fresh = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
    expect(fresh, JSON.stringify(results.map((r) => [r.status, r.headers.get('idempotent-replayed')]))).toHaveLength(1);
    const id = fresh[0]!.json.id;
    for (const r of results) {
      if (r.status === 201) {
        expect(r.json.id).toBe(id);
      } else {
        expect(r.status).toBe(409);
        expect(r.json.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      }
    }
    expect(await countOrders(eq(orders.reference, 'IDEM-RACE'))).toBe(1);
    const lines = await fx.database.db.select({ n: sql<number>`count(*)` }).from(orderLines).where(eq(orderLines.orderId, id));
    expect(lines[0]!.n).toBe(2);

    // Once the first answer is stored, a retry is a replay.
    const retry = await fx.api.call('POST', '/orders', { body, headers: { 'Idempotency-Key': 'key-race' } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.id).toBe(id);
  });

  it('keys are per organisation: org B may reuse org A\'s key string', async () => {
    const bodyA = orderInput(fx.master, { reference: 'IDEM-ORG' });
    const a = await fx.api.call('POST', '/orders', { body: bodyA, headers: { 'Idempotency-Key': 'shared-key' } });
    expect(a.status).toBe(201);

    const orgB = await seedOrg(fx.database, 'Org B Exports');
    const mB = await seedMasterData(orgB.admin);
    const bodyB = orderInput(mB, { reference: 'IDEM-ORG' });
    const b = await fx.api.call('POST', '/orders', { key: orgB.keys.admin, body: bodyB, headers: { 'Idempotency-Key': 'shared-key' } });
    expect(b.status, b.text).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.json.id).not.toBe(a.json.id);
    expect(b.json.buyerId).toBe(mB.buyer.id);

    // Each organisation replays its own answer.
    const bAgain = await fx.api.call('POST', '/orders', { key: orgB.keys.admin, body: bodyB, headers: { 'Idempotency-Key': 'shared-key' } });
    expect(bAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(bAgain.json.id).toBe(b.json.id);
    const aAgain = await fx.api.call('POST', '/orders', { body: bodyA, headers: { 'Idempotency-Key': 'shared-key' } });
    expect(aAgain.json.id).toBe(a.json.id);

    const rows = await fx.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'shared-key'));
    expect(rows.map((r) => r.orgId).sort()).toEqual([fx.org.organisation.id, orgB.organisation.id].sort());
    expect(await countOrders(and(eq(orders.reference, 'IDEM-ORG'), eq(orders.orgId, orgB.organisation.id)))).toBe(1);
    expect(await countOrders(and(eq(orders.reference, 'IDEM-ORG'), eq(orders.orgId, fx.org.organisation.id)))).toBe(1);
  });
});

describe('allocations under concurrency', () => {
  it('20 concurrent shipments of 100 against a 1000-quantity line: exactly 10 succeed, 1000 allocated', async () => {
    const order = await createOrder(orderInput(fx.master, { lines: [{ productId: fx.master.tee.id, quantity: '1000', unitPrice: '2.85' }] }));
    const lineId = order.lines[0].id;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => fx.api.call('POST', `/orders/${order.id}/shipments`, { body: { allocations: [{ orderLineId: lineId, quantity: '100' }] } })),
    );
    const ok = results.filter((r) => r.status === 201);
    const rejected = results.filter((r) => r.status === 422);
    expect(ok, JSON.stringify(results.map((r) => r.status))).toHaveLength(10);
    expect(rejected).toHaveLength(10);
    for (const r of rejected) {
      expect(r.json.error.code).toBe('ALLOCATION_EXCEEDED');
      expect(r.json.error.details.map((d: any) => d.path)).toEqual(['allocations.0.quantity']);
    }
    expect(new Set(ok.map((r) => r.json.reference)).size).toBe(10);

    const got = await fx.api.call('GET', `/orders/${order.id}`);
    expect(got.json.lines[0].allocatedQuantity).toBe('1000');
    expect(got.json.shipmentIds).toHaveLength(10);

    const rows = await fx.database.db
      .select({ quantity: shipmentAllocations.quantity })
      .from(shipmentAllocations)
      .innerJoin(shipments, eq(shipments.id, shipmentAllocations.shipmentId))
      .where(eq(shipments.orderId, order.id));
    expect(rows).toHaveLength(10);
    expect(rows.reduce((sum, r) => sum + Number(r.quantity), 0)).toBe(1000);
  });
});
