/**
 * POST /orders/batch-update — the add-in's Publish: each item under its own version and transaction,
 * answered on its own, through the real app over a real libSQL file.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orders } from '../worker/src/db/schema/index.js';
import { orderInput, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

async function createOrder(overrides = {}): Promise<any> {
  const r = await fx.api.call('POST', '/orders', { body: orderInput(fx.master, overrides) });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

describe('POST /orders/batch-update', () => {
  it('saves, rejects, conflicts and leaves unchanged items independently, in order', async () => {
    const [a, b, c, d] = [await createOrder(), await createOrder(), await createOrder(), await createOrder()];
    // Someone else edits c first.
    expect((await fx.api.call('PATCH', `/orders/${c.id}`, { body: { buyerPo: 'THEIRS' }, headers: { 'If-Match': '"1"' } })).status).toBe(200);

    const r = await fx.api.call('POST', '/orders/batch-update', {
      body: {
        items: [
          { id: a.id, version: 1, patch: { buyerPo: 'PO-A2', lines: [{ id: a.lines[0].id, productId: a.lines[0].productId, quantity: '750', unitPrice: a.lines[0].unitPrice }] } },
          { id: b.id, version: 1, patch: { lines: [{ id: b.lines[0].id, productId: b.lines[0].productId, quantity: '-5', unitPrice: '1' }] } },
          { id: c.id, version: 1, patch: { buyerPo: 'MINE' } },
          { id: d.id, version: 1, patch: { buyerPo: d.buyerPo ?? undefined } },
          { id: b.id, version: 1, patch: { portOfDischarge: 'ZZZZZ' } },
        ],
      },
    });
    expect(r.status, r.text).toBe(200);
    const [ra, rb, rc, rd, rb2] = r.json.results;
    expect(ra).toMatchObject({ id: a.id, status: 'saved', order: { version: 2, buyerPo: 'PO-A2' } });
    expect(ra.order.lines[0].quantity).toBe('750');
    expect(rb.status).toBe('rejected');
    expect(rb.error.details.map((x: any) => x.path)).toContain('lines.0.quantity');
    expect(rc).toMatchObject({ id: c.id, status: 'conflict', order: { version: 2, buyerPo: 'THEIRS' } });
    expect(rd).toMatchObject({ id: d.id, status: 'unchanged', order: { version: 1 } });
    expect(rb2.status).toBe('rejected');
    expect(rb2.error.details[0].path).toBe('portOfDischarge');

    // The rejected and conflicting items changed nothing.
    const [rowB] = await fx.database.db.select().from(orders).where(eq(orders.id, b.id));
    expect(rowB!.version).toBe(1);
    const [rowC] = await fx.database.db.select().from(orders).where(eq(orders.id, c.id));
    expect(rowC!.buyerPo).toBe('THEIRS');
  });

  it('another organisation\'s order is rejected as not found, and the rest still saves', async () => {
    const mine = await createOrder();
    const r = await fx.api.call('POST', '/orders/batch-update', {
      body: { items: [{ id: 'ord_00000000000000000000000000', version: 1, patch: { buyerPo: 'X' } }, { id: mine.id, version: 1, patch: { buyerPo: 'Y' } }] },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.json.results[0]).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } });
    expect(r.json.results[1]).toMatchObject({ status: 'saved', order: { buyerPo: 'Y' } });
  });

  it('over 100 items, or an item without a version, is a 400 naming the field and changes nothing', async () => {
    const o = await createOrder();
    const tooMany = Array.from({ length: 101 }, () => ({ id: o.id, version: 1, patch: { buyerPo: 'Z' } }));
    const r1 = await fx.api.call('POST', '/orders/batch-update', { body: { items: tooMany } });
    expect(r1.status).toBe(400);
    expect(r1.json.error.details[0].path).toBe('items');
    const r2 = await fx.api.call('POST', '/orders/batch-update', { body: { items: [{ id: o.id, patch: { buyerPo: 'Z' } }] } });
    expect(r2.status).toBe(400);
    expect(r2.json.error.details[0].path).toBe('items.0.version');
    expect((await fx.api.call('GET', `/orders/${o.id}`)).json.version).toBe(1);
  });
});

describe('GET /orders/expanded', () => {
  it('pages orders with their lines, filtered like GET /orders, newest first', async () => {
    const a = await createOrder({ buyerPo: 'ZQW-A' });
    const b = await createOrder({ buyerPo: 'ZQW-B' });
    const page1 = await fx.api.call('GET', '/orders/expanded?limit=1&q=ZQW-');
    expect(page1.status, page1.text).toBe(200);
    expect(page1.json.items.map((o: any) => o.id)).toEqual([b.id]);
    expect(page1.json.items[0]).toEqual((await fx.api.call('GET', `/orders/${b.id}`)).json);
    const page2 = await fx.api.call('GET', `/orders/expanded?limit=1&q=ZQW-&cursor=${page1.json.nextCursor}`);
    expect(page2.json.items.map((o: any) => o.id)).toEqual([a.id]);
    expect(page2.json.items[0].lines).toHaveLength(a.lines.length);
    expect(page2.json.nextCursor).toBeNull();
  });
});

describe('a description-only edit', () => {
  it('is a change: the version moves and the history records it', async () => {
    const o = await createOrder();
    const lines = o.lines.map((l: any, i: number) => ({ id: l.id, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, description: i === 0 ? 'Organic cotton T-shirt, navy' : l.description }));
    const r = await fx.api.call('POST', '/orders/batch-update', { body: { items: [{ id: o.id, version: 1, patch: { lines } }] } });
    expect(r.json.results[0]).toMatchObject({ status: 'saved', order: { version: 2 } });
    expect(r.json.results[0].order.lines[0].description).toBe('Organic cotton T-shirt, navy');
    const history = (await fx.api.call('GET', `/orders/${o.id}/history`)).json.items;
    expect(history.filter((e: any) => e.action === 'order.updated')).toHaveLength(1);
  });
});

describe('orders with money received against them', () => {
  it('keep their currency in a batch; their payment milestones follow a line change; orders without milestones save as usual', async () => {
    const paid = await createOrder();
    const plain = await createOrder();
    const cur = await fx.api.call('GET', `/orders/${paid.id}`);
    expect((await fx.api.call('POST', `/orders/${paid.id}/transitions`, { body: { to: 'confirmed' }, headers: { 'If-Match': cur.headers.get('etag')! } })).status).toBe(200);
    const before = (await fx.api.call('GET', `/orders/${paid.id}/payments`)).json;
    const r = await fx.api.call('POST', '/receipts', {
      key: fx.org.keys.finance,
      body: { buyerId: paid.buyerId, currency: paid.currency, amount: '5.00', valueDate: '2026-11-20', fxRate: '90.10', bankReference: `FIRC-BATCH-${Date.now()}`, allocations: [{ milestoneId: before.milestones[0].id, amount: '5.00' }] },
    });
    expect(r.status, r.text).toBe(201);

    const line = paid.lines[0];
    const batch = await fx.api.call('POST', '/orders/batch-update', {
      body: {
        items: [
          { id: paid.id, version: 2, patch: { currency: paid.currency === 'USD' ? 'EUR' : 'USD' } },
          { id: paid.id, version: 2, patch: { lines: [{ id: line.id, productId: line.productId, quantity: '10', unitPrice: line.unitPrice }] } },
          { id: plain.id, version: 1, patch: { buyerPo: 'PLAIN-2' } },
        ],
      },
    });
    expect(batch.status, batch.text).toBe(200);
    const [currency, lines, other] = batch.json.results;
    expect(currency).toMatchObject({ status: 'rejected', error: { code: 'ORDER_HAS_PAYMENTS', details: [{ path: 'currency' }] } });
    expect(lines).toMatchObject({ status: 'saved', order: { version: 3 } });
    expect(other).toMatchObject({ status: 'saved', order: { version: 2, buyerPo: 'PLAIN-2' } });
    const after = (await fx.api.call('GET', `/orders/${paid.id}/payments`)).json;
    expect(after.total).toEqual(lines.order.total);
    expect(after.milestones.reduce((sum: number, m: any) => sum + m.amount.minor, 0)).toBe(lines.order.total.minor);
    expect(after.paid.amount).toBe('5.00');
  });
});
