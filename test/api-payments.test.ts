/**
 * Payment milestones from payment terms, receipts and their allocation (FIFO or explicit), over- and under-payment,
 * write-offs, letters of credit, e-BRC and aged receivables — through the HTTP API on a real libSQL file.
 */
import fc from 'fast-check';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { PartyCreate } from '../shared/contracts/parties.js';
import { createParty, verifyParty } from '../worker/src/services/parties.js';
import { apiClient, orderInput, useApiFixture } from './support/harness.js';

const fx = useApiFixture();
const finance = () => fx.org.keys.finance;
let seq = 0;
const ref = (p: string) => `${p}-${Date.now().toString(36)}-${++seq}`.toUpperCase();

type Api = ReturnType<typeof apiClient>;
async function call(api: Api, method: string, path: string, body?: unknown, key?: string, headers: Record<string, string> = {}) {
  return api.call(method, path, { ...(body === undefined ? {} : { body }), ...(key ? { key } : {}), headers });
}
async function transition(api: Api, kind: 'orders' | 'shipments', id: string, to: string) {
  const cur = await call(api, 'GET', `/${kind}/${id}`);
  const r = await call(api, 'POST', `/${kind}/${id}/transitions`, { to }, undefined, { 'If-Match': cur.headers.get('etag')! });
  expect(r.status, r.text).toBe(200);
  return r.json;
}
async function newOrder(overrides: Record<string, unknown> = {}, api: Api = fx.api) {
  const r = await call(api, 'POST', '/orders', OrderCreate.parse(orderInput(fx.master, { reference: ref('PAY'), ...overrides })));
  expect(r.status, r.text).toBe(201);
  return r.json;
}
async function payments(orderId: string, api: Api = fx.api) {
  const r = await call(api, 'GET', `/orders/${orderId}/payments`);
  expect(r.status, r.text).toBe(200);
  return r.json;
}
/** Confirmed, produced, one shipment of everything shipped with a B/L date. */
async function shipAll(order: any, blDate: string, api: Api = fx.api) {
  for (const to of ['confirmed', 'in_production', 'ready_to_ship']) await transition(api, 'orders', order.id, to);
  const s = await call(api, 'POST', `/orders/${order.id}/shipments`, { allocations: order.lines.map((l: any) => ({ orderLineId: l.id, quantity: l.quantity })) });
  expect(s.status, s.text).toBe(201);
  const patched = await call(api, 'PATCH', `/shipments/${s.json.id}`, { blNumber: 'MAEU123456789', blDate }, undefined, { 'If-Match': s.headers.get('etag')! });
  expect(patched.status, patched.text).toBe(200);
  await transition(api, 'shipments', s.json.id, 'shipped');
  return s.json;
}
/** A verified buyer of its own, so FIFO allocation sees only this test's orders. */
async function freshBuyer(name = `Buyer ${ref('B')}`, country = 'DE', city = 'Bremen') {
  const b = await createParty(
    fx.org.admin,
    PartyCreate.parse({ name, roles: ['buyer', 'consignee'], address: { lines: ['1 Kai'], city, country }, ...(country === 'DE' ? { taxIds: [{ type: 'EORI', value: 'DE1234567890123' }] } : {}), contacts: [{ name: 'Accounts', email: `accounts@${ref('m').toLowerCase()}.example` }] }),
  );
  return verifyParty(fx.org.admin, b.id, b.version);
}
const forBuyer = (b: { id: string }) => ({ buyerId: b.id, consigneeId: b.id });
const receipt = (body: Record<string, unknown>) => call(fx.api, 'POST', '/receipts', { buyerId: fx.master.buyer.id, currency: 'EUR', valueDate: '2026-11-20', fxRate: '90.10', bankReference: ref('FIRC'), ...body }, finance());

describe('payment milestones from the terms', () => {
  it('30% advance / 70% against B/L: amounts sum exactly to the total; due dates follow confirmation and the B/L date', async () => {
    const order = await newOrder();
    expect(order.total).toEqual({ currency: 'EUR', amount: '5482.50', minor: 548250 });
    const draft = await payments(order.id);
    expect(draft.paymentTerms).toBe('30% advance, 70% against copy of bill of lading');
    expect(draft.milestones.map((m: any) => [m.label, m.amount.amount, m.status, m.dueDate])).toEqual([
      ['30% advance', '1644.75', 'pending', null],
      ['70% against copy of B/L', '3837.75', 'pending', null],
    ]);
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const today = new Date().toISOString().slice(0, 10);
    const confirmed = await payments(order.id);
    expect(confirmed.milestones[0]).toMatchObject({ status: 'due', dueDate: today });
    expect(confirmed.milestones[1]).toMatchObject({ status: 'pending', dueDate: null });
    await transition(fx.api, 'orders', order.id, 'in_production');
    await transition(fx.api, 'orders', order.id, 'ready_to_ship');
    const s = await call(fx.api, 'POST', `/orders/${order.id}/shipments`, { allocations: order.lines.map((l: any) => ({ orderLineId: l.id, quantity: l.quantity })) });
    await call(fx.api, 'PATCH', `/shipments/${s.json.id}`, { blDate: '2026-11-10' }, undefined, { 'If-Match': s.headers.get('etag')! });
    const shipped = await payments(order.id);
    expect(shipped.milestones[1]).toMatchObject({ dueDate: '2026-11-10', due: { anchor: 'bl_date', days: 0 } });
    expect(['overdue', 'due']).toContain(shipped.milestones[1].status);
  });

  it('follows the order: a changed quantity re-derives the amounts (same ids, new versions); new terms re-derive the milestones', async () => {
    const order = await newOrder();
    const before = await payments(order.id);
    const patch = await call(fx.api, 'PATCH', `/orders/${order.id}`, { lines: [{ id: order.lines[0].id, productId: fx.master.tee.id, quantity: '2000', unitPrice: '2.85' }, { id: order.lines[1].id, productId: fx.master.polo.id, quantity: '500', unitPrice: '5.40', discountPercent: '2.5' }] }, undefined, { 'If-Match': '"1"' });
    expect(patch.status, patch.text).toBe(200);
    const after = await payments(order.id);
    expect(after.total.amount).toBe('8332.50');
    expect(after.milestones.map((m: any) => m.id)).toEqual(before.milestones.map((m: any) => m.id));
    expect(after.milestones.map((m: any) => m.amount.amount)).toEqual(['2499.75', '5832.75']);
    expect(after.milestones[0].version).toBe(before.milestones[0].version + 1);
    const terms = await call(fx.api, 'PATCH', `/orders/${order.id}`, { paymentTerms: { type: 'open_account', days: 60, from: 'bl_date' } }, undefined, { 'If-Match': patch.headers.get('etag')! });
    expect(terms.status, terms.text).toBe(200);
    const oa = await payments(order.id);
    expect(oa.milestones.map((m: any) => [m.label, m.amount.amount, m.due])).toEqual([['100% open account 60 days from B/L date', '8332.50', { anchor: 'bl_date', days: 60 }]]);
  });

  it('a manual due date overrides the terms (If-Match), and null follows them again', async () => {
    const order = await newOrder();
    const [, balance] = (await payments(order.id)).milestones;
    const set = await call(fx.api, 'PATCH', `/payment-milestones/${balance.id}`, { dueDate: '2027-02-15' }, finance(), { 'If-Match': `"${balance.version}"` });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ dueDate: '2027-02-15', dueDateManual: true, status: 'due' });
    const stale = await call(fx.api, 'PATCH', `/payment-milestones/${balance.id}`, { dueDate: null }, finance(), { 'If-Match': `"${balance.version}"` });
    expect(stale.status).toBe(412);
    const back = await call(fx.api, 'PATCH', `/payment-milestones/${balance.id}`, { dueDate: null }, finance(), { 'If-Match': set.headers.get('etag')! });
    expect(back.json).toMatchObject({ dueDate: null, dueDateManual: false, status: 'pending' });
  });
});

describe('receipts', () => {
  it('FIFO: one receipt pays the advance in full and part of the balance; the order shows paid, partly paid, outstanding', async () => {
    const buyer = await freshBuyer();
    const order = await newOrder(forBuyer(buyer));
    // B/L dated after the confirmation (today), as in life: the advance falls due first.
    const blDate = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    await shipAll(order, blDate);
    const r = await receipt({ buyerId: buyer.id, amount: '2000.00', bankCharges: '12.50' });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ amount: { amount: '2000.00' }, allocated: { amount: '2000.00' }, unallocated: { amount: '0.00' }, fxRate: '90.10', baseAmount: { currency: 'INR', amount: '180200.00' } });
    const p = await payments(order.id);
    expect(p.milestones.map((m: any) => [m.status, m.paid.amount, m.outstanding.amount])).toEqual([
      ['paid', '1644.75', '0.00'],
      ['partly_paid', '355.25', '3482.50'],
    ]);
    expect(p.milestones[1].allocations[0]).toMatchObject({ kind: 'payment', bankReference: r.json.bankReference, valueDate: '2026-11-20', amount: { amount: '355.25' } });
    expect(p).toMatchObject({ paid: { amount: '2000.00' }, outstanding: { amount: '3482.50' }, overdue: { amount: '0.00' } });
    // Ten days after the B/L date the rest is overdue.
    const later = apiClient(fx.database, fx.org.keys.admin, () => new Date(Date.now() + 15 * 86_400_000));
    const overdue = await payments(order.id, later);
    expect(overdue.milestones[1]).toMatchObject({ status: 'overdue', daysOverdue: 10 });
    expect(overdue.overdue.amount).toBe('3482.50');
    const history = await call(fx.api, 'GET', `/orders/${order.id}/history`);
    expect(history.json.items.filter((e: any) => e.action === 'payment.received')).toHaveLength(2);
  });

  it('over-payment stays visible as the buyer\'s credit, and can be allocated later', async () => {
    const buyer = await freshBuyer();
    const order = await newOrder({ ...forBuyer(buyer), paymentTerms: { type: 'advance', percent: '100' } });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const total = order.total.amount; // 5482.50
    const r = await call(fx.api, 'POST', '/receipts', { buyerId: buyer.id, amount: '6000.00', currency: 'EUR', valueDate: '2026-11-21', fxRate: '90.00', bankReference: ref('OVER'), allocations: [] }, finance());
    expect(r.status, r.text).toBe(201);
    expect(r.json.unallocated.amount).toBe('6000.00');
    const ms = (await payments(order.id)).milestones[0];
    const alloc = await call(fx.api, 'POST', `/receipts/${r.json.id}/allocations`, { allocations: [{ milestoneId: ms.id, amount: total }] }, finance());
    expect(alloc.status, alloc.text).toBe(200);
    expect(alloc.json).toMatchObject({ allocated: { amount: total }, unallocated: { amount: '517.50' } });
    expect((await payments(order.id)).milestones[0].status).toBe('paid');
    const credit = await call(fx.api, 'GET', `/receipts?unallocated=true&buyerId=${buyer.id}`);
    expect(credit.json.items.map((x: any) => x.id)).toContain(r.json.id);
  });

  it('bad allocations are refused by field and change nothing', async () => {
    const order = await newOrder();
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const [advance] = (await payments(order.id)).milestones;
    const countBefore = (await call(fx.api, 'GET', '/receipts?limit=200')).json.items.length;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ amount: '5000.00', allocations: [{ milestoneId: advance.id, amount: '1644.76' }] }, 422, 'allocations[0].amount'],
      [{ amount: '100.00', allocations: [{ milestoneId: advance.id, amount: '100.00' }, { milestoneId: advance.id, amount: '1.00' }] }, 422, 'allocations[1].milestoneId'],
      [{ amount: '10.00', allocations: [{ milestoneId: advance.id, amount: '20.00' }] }, 422, 'allocations'],
      [{ amount: '10.00', currency: 'USD', fxRate: '84', allocations: [{ milestoneId: advance.id, amount: '10.00' }] }, 422, 'allocations[0].milestoneId'],
      [{ amount: '10.001' }, 422, 'amount'],
      [{ amount: '10.00', fxRate: undefined }, 422, 'fxRate'],
      [{ amount: '10.00', fxRate: '-3' }, 400, 'fxRate'],
      [{ amount: '10.00', fxRate: '0' }, 400, 'fxRate'],
      [{ amount: '10.00', fxRate: '0.0000000000' }, 400, 'fxRate'],
      [{ amount: '10.00', bankCharges: '11.00' }, 422, 'bankCharges'],
      [{ amount: '10.00', allocations: [{ milestoneId: 'pms_00000000000000000000000000', amount: '1.00' }] }, 422, 'allocations[0].milestoneId'],
    ];
    for (const [body, status, path] of cases) {
      const r = await receipt(body);
      expect(r.status, `${JSON.stringify(body)}: ${r.text}`).toBe(status);
      expect(r.json.error.details.map((d: any) => d.path), JSON.stringify(body)).toContain(path);
    }
    const dup = await receipt({ amount: '1.00', bankReference: 'DUP-REF-1' });
    expect(dup.status).toBe(201);
    const again = await receipt({ amount: '1.00', bankReference: 'DUP-REF-1' });
    expect(again.status).toBe(409);
    expect(again.json.error.details[0].path).toBe('bankReference');
    expect((await call(fx.api, 'GET', '/receipts?limit=200')).json.items.length).toBe(countBefore + 1);
  });

  it('a receipt for another buyer\'s milestone is refused; a viewer or ops user may not record receipts', async () => {
    const order = await newOrder();
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const [advance] = (await payments(order.id)).milestones;
    const other = await createParty(fx.org.admin, PartyCreate.parse({ name: `Other Buyer ${ref('B')}`, roles: ['buyer'], address: { lines: ['1 St'], city: 'Leeds', country: 'GB' } }));
    const r = await receipt({ buyerId: other.id, amount: '10.00', allocations: [{ milestoneId: advance.id, amount: '10.00' }] });
    expect(r.status).toBe(422);
    expect(r.json.error.details[0]).toMatchObject({ path: 'allocations[0].milestoneId', message: 'That milestone is owed by another buyer' });
    for (const key of [fx.org.keys.viewer, fx.org.keys.ops]) expect((await call(fx.api, 'POST', '/receipts', { buyerId: fx.master.buyer.id, amount: '1.00', currency: 'EUR', valueDate: '2026-11-20', fxRate: '90', bankReference: ref('X') }, key)).status).toBe(403);
  });

  it('under-payment: the rest is written off explicitly (never more than outstanding), and a reversal makes it owed again', async () => {
    const order = await newOrder({ paymentTerms: { type: 'advance', percent: '100' } });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const [m] = (await payments(order.id)).milestones;
    const r = await receipt({ amount: '5470.00', allocations: [{ milestoneId: m.id, amount: '5470.00' }] });
    expect(r.status, r.text).toBe(201);
    expect((await payments(order.id)).milestones[0]).toMatchObject({ status: 'partly_paid', outstanding: { amount: '12.50' } });
    const tooMuch = await call(fx.api, 'POST', `/payment-milestones/${m.id}/write-off`, { amount: '12.51', note: 'charges' }, finance());
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json.error.details[0].path).toBe('amount');
    const off = await call(fx.api, 'POST', `/payment-milestones/${m.id}/write-off`, { amount: '12.50', note: "Buyer's bank deducted charges" }, finance());
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ status: 'paid', paid: { amount: '5470.00' }, writtenOff: { amount: '12.50' }, outstanding: { amount: '0.00' } });
    const writeOffId = off.json.allocations.find((a: any) => a.kind === 'write_off').id;
    const rev = await call(fx.api, 'DELETE', `/allocations/${writeOffId}`, undefined, finance());
    expect(rev.status, rev.text).toBe(200);
    expect((await payments(order.id)).milestones[0]).toMatchObject({ status: 'partly_paid', writtenOff: { amount: '0.00' } });
    const payId = (await payments(order.id)).milestones[0].allocations[0].id;
    await call(fx.api, 'DELETE', `/allocations/${payId}`, undefined, finance());
    const back = await call(fx.api, 'GET', `/receipts/${r.json.id}`);
    expect(back.json).toMatchObject({ allocated: { amount: '0.00' }, unallocated: { amount: '5470.00' } });
  });

  it('two finance users allocating the same outstanding amount at once: exactly one succeeds, never over-paid', async () => {
    const order = await newOrder({ paymentTerms: { type: 'advance', percent: '100' } });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const [m] = (await payments(order.id)).milestones;
    const results = await Promise.all(Array.from({ length: 8 }, () => receipt({ amount: order.total.amount, allocations: [{ milestoneId: m.id, amount: order.total.amount }] })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 422 || r.status === 409)).toBe(true);
    expect((await payments(order.id)).milestones[0]).toMatchObject({ status: 'paid', paid: { amount: order.total.amount } });
  });

  it('property: any sequence of FIFO receipts settles to the minor unit — paid + outstanding = total, receipts = allocated + credit', async () => {
    const kwBuyer = await freshBuyer();
    const order = await newOrder({ ...forBuyer(kwBuyer), currency: 'KWD', lines: [{ productId: fx.master.tee.id, quantity: '333', unitPrice: '1.237' }] });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const buyerReceipts: string[] = [];
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 150_000 }), async (fils) => {
        const amount = (fils / 1000).toFixed(3);
        const r = await call(fx.api, 'POST', '/receipts', { buyerId: kwBuyer.id, amount, currency: 'KWD', valueDate: '2026-11-22', fxRate: '273.5', bankReference: ref('KWD') }, finance());
        expect(r.status, r.text).toBe(201);
        buyerReceipts.push(r.json.id);
        expect(r.json.allocated.minor + r.json.unallocated.minor).toBe(fils);
        const p = await payments(order.id);
        expect(p.paid.minor + p.outstanding.minor).toBe(p.total.minor);
        expect(p.milestones.every((m: any) => m.paid.minor <= m.amount.minor)).toBe(true);
      }),
      { numRuns: 12 },
    );
    const p = await payments(order.id);
    const all = await Promise.all(buyerReceipts.map((id) => call(fx.api, 'GET', `/receipts/${id}`)));
    const toThisOrder = all.flatMap((r) => r.json.allocations.filter((a: any) => a.orderId === order.id)).reduce((s: number, a: any) => s + a.amount.minor, 0);
    expect(toThisOrder).toBe(p.paid.minor);
  });
});

describe('letters of credit', () => {
  it('records the LC of an LC order with its warnings; other orders are refused by field', async () => {
    const order = await newOrder({ paymentTerms: { type: 'lc', tenor: 'usance', usanceDays: 90, usanceFrom: 'bl_date' } });
    const lc = { number: 'ILC/DB/2026/4471', issuingBank: 'Deutsche Bank AG, Hamburg', amount: '5482.50', expiryDate: '2026-12-31', latestShipmentDate: '2026-12-15', presentationDays: 21 };
    const bad = await call(fx.api, 'PUT', `/orders/${order.id}/letter-of-credit`, { ...lc, latestShipmentDate: '2027-01-15' }, finance());
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toBe('latestShipmentDate');
    const put = await call(fx.api, 'PUT', `/orders/${order.id}/letter-of-credit`, lc, finance());
    expect(put.status, put.text).toBe(201);
    expect(put.json).toMatchObject({ number: lc.number, amount: { amount: '5482.50', currency: 'EUR' }, presentationDeadline: null, version: 1 });
    expect((await call(fx.api, 'PUT', `/orders/${order.id}/letter-of-credit`, lc, finance())).status).toBe(428);
    const late = apiClient(fx.database, fx.org.keys.admin, () => new Date('2026-12-12T10:00:00Z'));
    const p = await payments(order.id, late);
    expect(p.letterOfCredit.warnings.map((w: any) => w.code)).toContain('latest_shipment_date_near');
    expect(p.milestones).toMatchObject([{ kind: 'lc', label: expect.stringContaining('90 days'), due: { anchor: 'bl_date', days: 90 } }]);
    const plain = await newOrder();
    const refused = await call(fx.api, 'PUT', `/orders/${plain.id}/letter-of-credit`, lc, finance());
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('NOT_AN_LC_ORDER');
  });
});

describe('e-BRC per shipment', () => {
  it('records the realisation of a shipped shipment, with its shortfall against the invoice value', async () => {
    const order = await newOrder();
    const s = await shipAll(order, '2026-11-05');
    const r = await call(fx.api, 'PUT', `/shipments/${s.id}/realisation`, { ebrcNumber: 'EBRC6390001202600123', ebrcDate: '2026-11-25', realisedAmount: '5470.00', currency: 'EUR', baseAmount: '492847.00' }, finance());
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ invoiceValue: { amount: '5482.50' }, realised: { amount: '5470.00' }, shortfall: { amount: '12.50' }, baseAmount: { amount: '492847.00', currency: 'INR' } });
    expect((await call(fx.api, 'GET', `/shipments/${s.id}/realisation`)).json.ebrcNumber).toBe('EBRC6390001202600123');
    const order2 = await newOrder();
    await transition(fx.api, 'orders', order2.id, 'confirmed');
    const planned = await call(fx.api, 'POST', `/orders/${order2.id}/shipments`, { allocations: [] });
    const early = await call(fx.api, 'PUT', `/shipments/${planned.json.id}/realisation`, { ebrcNumber: 'X1', ebrcDate: '2026-11-25', realisedAmount: '1.00', currency: 'EUR' }, finance());
    expect(early.status).toBe(422);
    expect(early.json.error.code).toBe('NOT_SHIPPED');
  });
});

describe('receivables', () => {
  it('ages outstanding amounts per buyer and currency as of a date, with unapplied credit; xlsx has the same figures', async () => {
    const buyer = await freshBuyer('Aging Buyer Pty Ltd', 'AU', 'Sydney');
    // Everything happens on a fixed calendar: orders made in August, shipped in September and October.
    const on = (iso: string) => apiClient(fx.database, fx.org.keys.admin, () => new Date(iso));
    const mk = async (madeOn: string, blDate: string) => {
      const o = await newOrder({ buyerId: buyer.id, consigneeId: buyer.id, destinationCountry: 'AU', portOfDischarge: 'AUSYD', currency: 'USD', paymentTerms: { type: 'open_account', days: 30, from: 'bl_date' } }, on(madeOn));
      await shipAll(o, blDate, on(blDate + 'T12:00:00Z'));
      return o;
    };
    const a = await mk('2026-08-10T09:00:00Z', '2026-09-01'); // due 2026-10-01: 61 days overdue on 2026-12-01
    const b = await mk('2026-08-20T09:00:00Z', '2026-10-20'); // due 2026-11-19: 12 days overdue
    await call(fx.api, 'POST', '/receipts', { buyerId: buyer.id, amount: '100.00', currency: 'USD', valueDate: '2026-11-20', fxRate: '84.2', bankReference: ref('AUS'), allocations: [] }, finance());
    const r = await call(fx.api, 'GET', `/reports/receivables?asOf=2026-12-01&buyerId=${buyer.id}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.rows).toHaveLength(1);
    const row = r.json.rows[0];
    expect(row).toMatchObject({ buyerName: 'Aging Buyer Pty Ltd', currency: 'USD', milestones: 2, oldestDueDate: '2026-10-01', unappliedCredit: { amount: '100.00' } });
    expect(row.buckets.d61_90.minor).toBe(a.total.minor);
    expect(row.buckets.d1_30.minor).toBe(b.total.minor);
    expect(row.outstanding.minor).toBe(a.total.minor + b.total.minor);
    expect(row.overdue.minor).toBe(row.outstanding.minor);
    const early = await call(fx.api, 'GET', `/reports/receivables?asOf=2026-10-15&buyerId=${buyer.id}`);
    expect(early.json.rows[0].buckets.d1_30.minor).toBe(a.total.minor);
    expect(early.json.rows[0].buckets.pending.minor).toBe(b.total.minor); // shipped on 20 Oct: no due date yet on the 15th
    expect(early.json.rows[0].unappliedCredit.minor).toBe(0); // the receipt is valued 20 Nov
    const before = await call(fx.api, 'GET', `/reports/receivables?asOf=2026-08-15&buyerId=${buyer.id}`);
    expect(before.json.rows.map((r: any) => r.milestones)).toEqual([1]); // order b did not exist yet

    const file = await fx.api.app.request(`/reports/receivables?asOf=2026-12-01&buyerId=${buyer.id}&format=xlsx`, { headers: { Authorization: `Bearer ${fx.org.keys.viewer}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    const wb = XLSX.read(new Uint8Array(await file.arrayBuffer()), { type: 'array', cellNF: true });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Receivables!, { header: 1 });
    const dataRow = rows.find((x) => x[0] === 'Aging Buyer Pty Ltd')!;
    expect(dataRow[1]).toBe('USD');
    expect(dataRow[2]).toBeCloseTo(row.outstanding.minor / 100, 2);
    expect(typeof dataRow[2]).toBe('number');
    const cell = wb.Sheets.Receivables!['C5']; // heading (2 lines), a blank row, the header row, then the first buyer
    expect(cell?.z).toBe('#,##0.00');
  });
});

describe('money already received when the order changes', () => {
  const patchOrder = async (id: string, body: Record<string, unknown>) => {
    const cur = await call(fx.api, 'GET', `/orders/${id}`);
    return call(fx.api, 'PATCH', `/orders/${id}`, body, undefined, { 'If-Match': cur.headers.get('etag')! });
  };

  it('new terms: the paid advance is refitted — what no longer fits moves to the balance, nothing is lost', async () => {
    const buyer = await freshBuyer();
    const order = await newOrder({ ...forBuyer(buyer), paymentTerms: { type: 'advance', percent: '50', balance: 'against_bl_copy' } });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const [advance] = (await payments(order.id)).milestones;
    expect(advance.amount.amount).toBe('2741.25');
    const r = await receipt({ buyerId: buyer.id, amount: '2741.25', allocations: [{ milestoneId: advance.id, amount: '2741.25' }] });
    expect(r.status, r.text).toBe(201);
    const changed = await patchOrder(order.id, { paymentTerms: { type: 'advance', percent: '30', balance: 'against_bl_copy' } });
    expect(changed.status, changed.text).toBe(200);
    const p = await payments(order.id);
    expect(p.milestones.map((m: any) => [m.amount.amount, m.paid.amount, m.outstanding.amount])).toEqual([
      ['1644.75', '1644.75', '0.00'],
      ['3837.75', '1096.50', '2741.25'],
    ]);
    expect(p.milestones[0].id).toBe(advance.id);
    expect(p.paid.amount).toBe('2741.25');
    const rec = await call(fx.api, 'GET', `/receipts/${r.json.id}`);
    expect(rec.json).toMatchObject({ allocated: { amount: '2741.25' }, unallocated: { amount: '0.00' } });
    const history = await call(fx.api, 'GET', `/orders/${order.id}/history`);
    const moved = history.json.items.find((e: any) => e.action === 'payment.reallocated');
    expect(moved.after.moves).toEqual([{ from: '30% advance', to: '70% against copy of B/L', amount: '1096.50', currency: 'EUR' }]);
  });

  it('a lower total: money over the new total goes back to the receipt as credit and shows in receivables', async () => {
    const buyer = await freshBuyer();
    const order = await newOrder({ ...forBuyer(buyer), paymentTerms: { type: 'advance', percent: '100' } });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const [m] = (await payments(order.id)).milestones;
    const r = await receipt({ buyerId: buyer.id, amount: '5482.50', allocations: [{ milestoneId: m.id, amount: '5482.50' }] });
    expect(r.status).toBe(201);
    const cut = await patchOrder(order.id, { lines: [{ id: order.lines[0].id, productId: fx.master.tee.id, quantity: '100', unitPrice: '2.85' }] });
    expect(cut.status, cut.text).toBe(200);
    const p = await payments(order.id);
    expect(p).toMatchObject({ total: { amount: '285.00' }, paid: { amount: '285.00' }, outstanding: { amount: '0.00' } });
    expect((await call(fx.api, 'GET', `/receipts/${r.json.id}`)).json.unallocated.amount).toBe('5197.50');
    const rep = await call(fx.api, 'GET', `/reports/receivables?buyerId=${buyer.id}`);
    expect(rep.json.rows[0]).toMatchObject({ outstanding: { amount: '0.00' }, unappliedCredit: { amount: '5197.50' } });
  });

  it("an order with money against it keeps its currency and buyer (409 naming the field); cancelling it frees the money as credit", async () => {
    const buyer = await freshBuyer();
    const other = await freshBuyer();
    const order = await newOrder(forBuyer(buyer));
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const r = await receipt({ buyerId: buyer.id, amount: '1000.00' });
    expect(r.json.allocated.amount).toBe('1000.00');
    const cur = await patchOrder(order.id, { currency: 'USD' });
    expect(cur.status).toBe(409);
    expect(cur.json.error).toMatchObject({ code: 'ORDER_HAS_PAYMENTS', details: [{ path: 'currency' }] });
    const who = await patchOrder(order.id, { buyerId: other.id, consigneeId: other.id });
    expect(who.status).toBe(409);
    expect(who.json.error.details[0].path).toBe('buyerId');
    expect((await call(fx.api, 'GET', `/orders/${order.id}`)).json.currency).toBe('EUR');
    await transition(fx.api, 'orders', order.id, 'cancelled');
    expect((await call(fx.api, 'GET', `/receipts/${r.json.id}`)).json).toMatchObject({ allocated: { amount: '0.00' }, unallocated: { amount: '1000.00' } });
    expect((await payments(order.id)).paid.amount).toBe('0.00');
    const history = await call(fx.api, 'GET', `/orders/${order.id}/history`);
    expect(history.json.items.some((e: any) => e.action === 'payment.released')).toBe(true);
  });

  it('receivables as of a past date count only money valued by then', async () => {
    const buyer = await freshBuyer('As-Of Buyer GmbH');
    const order = await newOrder({ ...forBuyer(buyer), paymentTerms: { type: 'advance', percent: '100' } });
    await transition(fx.api, 'orders', order.id, 'confirmed');
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const r = await receipt({ buyerId: buyer.id, amount: '5482.50', valueDate: later });
    expect(r.status).toBe(201);
    const now = await call(fx.api, 'GET', `/reports/receivables?buyerId=${buyer.id}&asOf=${today}`);
    expect(now.json.rows[0]).toMatchObject({ outstanding: { amount: '5482.50' } });
    const after = await call(fx.api, 'GET', `/reports/receivables?buyerId=${buyer.id}&asOf=${later}`);
    expect(after.json.rows).toEqual([]);
  });
});
