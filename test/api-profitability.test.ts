/**
 * GET /orders/{id}/profitability through the real app over a real libSQL file, with a clock the tests set.
 *
 * Receipts, payment milestones and allocations are written straight into their tables (with the column meanings
 * of worker/src/db/schema/payments.ts), independent of the receipts API.
 *
 * The demo of issue 6: an order quoted in EUR, supplier costs in INR, freight in USD, two receipts at different
 * rates with bank charges → profit and FX gain in INR, every figure checked against numbers worked out by hand.
 */
import { asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { convertMinor } from '../shared/domain/fx.js';
import { fromMinor } from '../shared/domain/money.js';
import { organisations, paymentMilestones, receiptAllocations, receipts } from '../worker/src/db/schema/index.js';
import { newId } from '../worker/src/lib/ids.js';
import { apiClient, orderInput, useApiFixture } from './support/harness.js';

const fx = useApiFixture();
let clock = new Date('2026-11-20T09:30:00Z');
let api: ReturnType<typeof apiClient>;
beforeAll(() => {
  api = apiClient(fx.database, fx.org.keys.admin, () => clock);
});
const at = (iso: string) => {
  clock = new Date(iso);
};

async function ok(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await api.call(method, path, { body, headers });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
}
const rates = (list: [date: string, base: string, quote: string, rate: string][]) => ok('PUT', '/fx-rates', { rates: list.map(([date, base, quote, rate]) => ({ date, base, quote, rate })) });
const cost = (orderId: string, body: Record<string, unknown>) => ok('POST', `/orders/${orderId}/costs`, body);
const profitability = (orderId: string) => ok('GET', `/orders/${orderId}/profitability`);

/** An order of one line (quantity × unit price), confirmed now unless told otherwise. */
async function order(currency: string, quantity: string, unitPrice: string, confirm = true) {
  const o = await ok('POST', '/orders', orderInput(fx.master, { currency, lines: [{ productId: fx.master.tee.id, quantity, unitPrice }] }));
  if (confirm) await ok('POST', `/orders/${o.id}/transitions`, { to: 'confirmed' }, { 'If-Match': '"1"' });
  return o as { id: string; buyerId: string; total: { minor: number; amount: string; currency: string }; reference: string };
}

/** A payment milestone of the order to allocate to: the order's own when it has one, else one made here. */
async function milestoneOf(o: { id: string; buyerId: string; total: { minor: number; currency: string } }): Promise<string> {
  const db = fx.database.db;
  const [existing] = await db.select({ id: paymentMilestones.id }).from(paymentMilestones).where(eq(paymentMilestones.orderId, o.id)).orderBy(asc(paymentMilestones.seq));
  if (existing) return existing.id;
  const id = newId('pms');
  const now = clock.toISOString();
  await db.insert(paymentMilestones).values({
    id,
    orgId: fx.org.organisation.id,
    orderId: o.id,
    buyerId: o.buyerId,
    seq: 1,
    kind: 'advance',
    label: '100% advance',
    percent: '100',
    amountMinor: o.total.minor,
    currency: o.total.currency,
    dueAnchor: 'order_confirmed',
    dueDays: 0,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}

let refs = 0;
/** A receipt (bank credit) of `amount` at the bank's `fxRate` with `charges`, paying `to` (order, amount) pairs. Amounts in minor units. */
async function receipt(r: { currency: string; amount: number; fxRate: string; charges?: number; valueDate: string; base?: string; to: [order: Parameters<typeof milestoneOf>[0], minor: number][] }) {
  const id = newId('rcp');
  const bankReference = `FIRC-${++refs}`;
  const db = fx.database.db;
  await db.insert(receipts).values({
    id,
    orgId: fx.org.organisation.id,
    buyerId: fx.master.buyer.id,
    amountMinor: r.amount,
    currency: r.currency,
    valueDate: r.valueDate,
    bankReference,
    bankChargesMinor: r.charges ?? 0,
    fxRate: r.fxRate,
    baseAmountMinor: convertMinor(r.amount, r.currency, r.base ?? 'INR', r.fxRate),
    createdBy: fx.org.admin.actor.userId,
    createdAt: `${r.valueDate}T10:00:00.000Z`,
  });
  for (const [o, minor] of r.to) {
    await db.insert(receiptAllocations).values({
      id: newId('ral'),
      orgId: fx.org.organisation.id,
      receiptId: id,
      milestoneId: await milestoneOf(o),
      orderId: o.id,
      kind: 'payment',
      amountMinor: minor,
      createdBy: fx.org.admin.actor.userId,
      createdAt: `${r.valueDate}T10:00:00.000Z`,
    });
  }
  return { id, bankReference };
}

async function writeOff(o: Parameters<typeof milestoneOf>[0], minor: number, date: string, note: string) {
  await fx.database.db.insert(receiptAllocations).values({
    id: newId('ral'),
    orgId: fx.org.organisation.id,
    receiptId: null,
    milestoneId: await milestoneOf(o),
    orderId: o.id,
    kind: 'write_off',
    amountMinor: minor,
    note,
    createdBy: fx.org.admin.actor.userId,
    createdAt: `${date}T10:00:00.000Z`,
  });
}

const inr = (amount: string) => ({ currency: 'INR', amount, minor: Math.round(Number(amount) * 100) });

describe('the demo: EUR order, INR supplier, USD freight, two receipts at different rates', () => {
  it('shows the profit and the FX gain in INR, to the paisa', async () => {
    at('2026-11-20T09:30:00Z');
    await rates([
      ['2026-11-20', 'EUR', 'INR', '89.50'],
      ['2026-11-25', 'USD', 'INR', '84.00'],
      ['2026-11-28', 'EUR', 'INR', '90.05'], // the market that day; the receipt carries the bank's own rate
    ]);
    // EUR 10,000.00: 1,000 pcs × EUR 10.00, confirmed on 2026-11-20 when EUR/INR = 89.50
    const o = await order('EUR', '1000', '10');
    expect(o.total).toEqual({ currency: 'EUR', amount: '10000.00', minor: 1_000_000 });

    at('2026-11-26T08:00:00Z');
    // Before anything is received: all of it outstanding, valued at today's rate (the latest within 7 days: 89.50 of 11-20).
    const early = await profitability(o.id);
    expect(early.todayRate).toEqual({ from: 'EUR', to: 'INR', rate: '89.5', date: '2026-11-20', derived: 'direct' });
    expect(early.revenue.outstandingAtTodayRate).toEqual(inr('895000.00'));
    expect(early.fx).toEqual({ realisedGain: inr('0.00'), unrealisedGain: inr('0.00'), total: inr('0.00') });

    await cost(o.id, { category: 'supplier', description: 'Knitted fabric and stitching', amount: '650000.00', currency: 'INR', date: '2026-11-22', supplier: 'Sri Murugan Knitting', reference: 'SMK/26/411' });
    await cost(o.id, { category: 'freight', description: 'Ocean freight Nhava Sheva → Hamburg', amount: '1200.00', currency: 'USD', date: '2026-11-25', supplier: 'Blue Ocean Lines' });
    await receipt({ currency: 'EUR', amount: 300_000, fxRate: '90.10', charges: 2_500, valueDate: '2026-11-28', to: [[o, 300_000]] });
    await receipt({ currency: 'EUR', amount: 700_000, fxRate: '91.25', charges: 4_000, valueDate: '2026-12-15', to: [[o, 700_000]] });

    at('2026-12-20T11:00:00Z');
    const p = await profitability(o.id);
    // By hand:
    //   booked: EUR 10,000.00 × 89.50                          = INR 8,95,000.00
    //   receipt 1: EUR 3,000.00 × 90.10 = 2,70,300.00; at 89.50 = 2,68,500.00 → gain  1,800.00
    //   receipt 2: EUR 7,000.00 × 91.25 = 6,38,750.00; at 89.50 = 6,26,500.00 → gain 12,250.00
    //   revenue at realised rates = 2,70,300.00 + 6,38,750.00  = INR 9,09,050.00; realised FX gain 14,050.00;
    //   nothing outstanding, so no unrealised gain and no need of today's rate.
    //   costs: supplier INR 6,50,000.00
    //          freight USD 1,200.00 × 84.00                    =     1,00,800.00
    //          bank charges EUR 25.00 × 90.10 = 2,252.50; EUR 40.00 × 91.25 = 3,650.00 → 5,902.50
    //          total                                           = INR 7,56,702.50
    //   margin at realised rates 9,09,050.00 − 7,56,702.50     = INR 1,52,347.50 (16.758…% → 16.76%)
    //   margin at the booked rate 8,95,000.00 − 7,56,702.50    = INR 1,38,297.50 (15.452…% → 15.45%)
    expect(p).toMatchObject({
      orderId: o.id,
      currency: 'EUR',
      baseCurrency: 'INR',
      asOf: '2026-12-20',
      orderDate: '2026-11-20',
      orderDateBasis: 'confirmed',
      bookedRate: { from: 'EUR', to: 'INR', rate: '89.5', date: '2026-11-20', derived: 'direct' },
      todayRate: null,
      problems: [],
    });
    expect(p.revenue).toEqual({
      orderTotal: { currency: 'EUR', amount: '10000.00', minor: 1_000_000 },
      orderTotalAtBookedRate: inr('895000.00'),
      received: { currency: 'EUR', amount: '10000.00', minor: 1_000_000 },
      writtenOff: { currency: 'EUR', amount: '0.00', minor: 0 },
      outstanding: { currency: 'EUR', amount: '0.00', minor: 0 },
      receivedAtBookedRate: inr('895000.00'),
      receivedAtRealisedRate: inr('909050.00'),
      writtenOffAtBookedRate: inr('0.00'),
      outstandingAtBookedRate: inr('0.00'),
      outstandingAtTodayRate: inr('0.00'),
      atBookedRate: inr('895000.00'),
      atRealisedRate: inr('909050.00'),
      conversionRounding: inr('0.00'),
    });
    expect(p.receipts.map((r: any) => [r.valueDate, r.amount.amount, r.rate.rate, r.atRealisedRate.amount, r.atBookedRate.amount, r.fxGain.amount, r.bankCharges.amount, r.bankChargesShare.amount])).toEqual([
      ['2026-11-28', '3000.00', '90.10', '270300.00', '268500.00', '1800.00', '25.00', '2252.50'],
      ['2026-12-15', '7000.00', '91.25', '638750.00', '626500.00', '12250.00', '40.00', '3650.00'],
    ]);
    expect(p.fx).toEqual({ realisedGain: inr('14050.00'), unrealisedGain: inr('0.00'), total: inr('14050.00') });
    expect(p.costs.lines.map((l: any) => [l.source, l.category, l.amount.currency, l.amount.amount, l.rate.rate, l.rate.date, l.rate.derived, l.base.amount])).toEqual([
      ['cost', 'supplier', 'INR', '650000.00', '1', '2026-11-22', 'direct', '650000.00'],
      ['cost', 'freight', 'USD', '1200.00', '84', '2026-11-25', 'direct', '100800.00'],
      ['receipt', 'bank_charges', 'EUR', '25.00', '90.10', '2026-11-28', 'bank', '2252.50'],
      ['receipt', 'bank_charges', 'EUR', '40.00', '91.25', '2026-12-15', 'bank', '3650.00'],
    ]);
    expect(p.costs.byCategory).toEqual({ supplier: inr('650000.00'), freight: inr('100800.00'), insurance: inr('0.00'), bank_charges: inr('5902.50'), other: inr('0.00') });
    expect(p.costs.total).toEqual(inr('756702.50'));
    expect(p.margin).toEqual({ atRealisedRate: inr('152347.50'), atBookedRate: inr('138297.50'), percent: '16.76', percentAtBookedRate: '15.45' });

    // The same as a spreadsheet: numbers with their currency's format, the rates beside them.
    const ways: { path: string; headers: Record<string, string> }[] = [
      { path: `/orders/${o.id}/profitability?format=xlsx`, headers: {} },
      { path: `/orders/${o.id}/profitability`, headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } },
    ];
    for (const how of ways) {
      const res = await api.app.request(how.path, { headers: { Authorization: `Bearer ${fx.org.keys.viewer}`, ...how.headers } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="profitability-${o.reference}.xlsx"`);
      const wb = XLSX.read(new Uint8Array(await res.arrayBuffer()), { type: 'array', cellNF: true });
      const ws = wb.Sheets.Profitability!;
      const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: null });
      const rowIndex = (item: string) => rows.findIndex((r) => r[1] === item);
      const cell = (item: string, col: string) => ws[`${col}${rowIndex(item) + 1}`];
      expect(rows[12]).toEqual(['Section', 'Item', 'Date', 'Currency', 'Amount', 'Rate', 'Rate date', 'Rate basis', 'INR', 'At booked rate (INR)', 'FX gain / loss (INR)']);
      // Receipt 1: E amount (EUR), F rate, I at the bank's rate, J at the booked rate, K gain
      expect(['E', 'F', 'I', 'J', 'K'].map((c) => cell('Receipt FIRC-1', c)?.v)).toEqual([3000, 90.1, 270300, 268500, 1800]);
      expect(['E', 'F', 'I', 'J', 'K'].map((c) => cell('Receipt FIRC-1', c)?.z)).toEqual(['#,##0.00', '0.00########', '#,##0.00', '#,##0.00', '#,##0.00']);
      expect(cell('Receipt FIRC-1', 'H')?.v).toBe('bank');
      expect(cell('Receipt FIRC-2', 'K')?.v).toBe(12250);
      expect(['I', 'J', 'K'].map((c) => cell('Revenue', c)?.v)).toEqual([909050, 895000, 14050]);
      expect(cell('Freight: Ocean freight Nhava Sheva → Hamburg (Blue Ocean Lines)', 'I')).toMatchObject({ t: 'n', v: 100800, z: '#,##0.00' });
      expect(cell('Freight: Ocean freight Nhava Sheva → Hamburg (Blue Ocean Lines)', 'E')).toMatchObject({ v: 1200, z: '#,##0.00' });
      expect(cell('Subtotal bank charges', 'I')?.v).toBe(5902.5);
      expect(cell('Margin at realised rates', 'I')).toMatchObject({ t: 'n', v: 152347.5, z: '#,##0.00' });
      expect(cell('Margin at the booked rate', 'I')?.v).toBe(138297.5);
      expect(cell('Margin % (realised)', 'I')).toMatchObject({ t: 'n', v: 16.76, z: '0.00' });
      // No formula anywhere: the sheet shows the service's exact figures.
      expect(Object.values(ws).some((c: any) => c && typeof c === 'object' && 'f' in c)).toBe(false);
    }
    // ?format=json wins over the Accept header
    const json = await api.app.request(`/orders/${o.id}/profitability?format=json`, { headers: { Authorization: `Bearer ${fx.org.keys.admin}`, Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(((await json.json()) as any).margin.percent).toBe('16.76');
  });
});

describe('the demo with receipts and a write-off recorded through the payments API', () => {
  it('gives the same figures as the rows written directly', async () => {
    at('2026-11-20T09:30:00Z');
    await rates([
      ['2026-11-20', 'EUR', 'INR', '89.50'],
      ['2026-11-25', 'USD', 'INR', '84.00'],
    ]);
    const o = await order('EUR', '1000', '10'); // terms: 30% advance, 70% against copy of B/L
    await cost(o.id, { category: 'supplier', amount: '650000.00', currency: 'INR', date: '2026-11-22' });
    await cost(o.id, { category: 'freight', amount: '1200.00', currency: 'USD', date: '2026-11-25' });
    const { milestones } = await ok('GET', `/orders/${o.id}/payments`);
    expect(milestones.map((m: any) => m.amount.amount)).toEqual(['3000.00', '7000.00']);
    const pay = (amount: string, fxRate: string, bankCharges: string, valueDate: string, milestoneId: string) =>
      ok('POST', '/receipts', { buyerId: fx.master.buyer.id, amount, currency: 'EUR', valueDate, fxRate, bankCharges, bankReference: `API-${++refs}`, allocations: [{ milestoneId, amount }] });
    await pay('3000.00', '90.10', '25.00', '2026-11-28', milestones[0].id);
    // the balance short by EUR 50.00, written off: revenue given up at the booked rate (50 × 89.50 = 4,475.00)
    await pay('6950.00', '91.25', '40.00', '2026-12-15', milestones[1].id);
    await ok('POST', `/payment-milestones/${milestones[1].id}/write-off`, { amount: '50.00', note: 'Short payment' });

    at('2026-12-20T11:00:00Z');
    const p = await profitability(o.id);
    expect(p.problems).toEqual([]);
    // receipts: 2,70,300.00 + 6,950 × 91.25 = 6,34,187.50 → 9,04,487.50 realised; at 89.50: 2,68,500.00 + 6,22,025.00 = 8,90,525.00
    expect(p.revenue).toMatchObject({
      outstanding: { amount: '0.00' },
      writtenOffAtBookedRate: inr('4475.00'),
      receivedAtRealisedRate: inr('904487.50'),
      atBookedRate: inr('890525.00'),
      atRealisedRate: inr('904487.50'),
      conversionRounding: inr('0.00'),
    });
    // gain: 1,800.00 + 6,950 × (91.25 − 89.50) = 12,162.50 → 13,962.50
    expect(p.fx).toEqual({ realisedGain: inr('13962.50'), unrealisedGain: inr('0.00'), total: inr('13962.50') });
    // costs as in the demo: 7,56,702.50; margin 9,04,487.50 − 7,56,702.50 = 1,47,785.00 (16.339…% → 16.34)
    expect(p.costs.total).toEqual(inr('756702.50'));
    expect(p.margin).toMatchObject({ atRealisedRate: inr('147785.00'), atBookedRate: inr('133822.50'), percent: '16.34' });
  });
});

describe('outstanding, write-offs, fixed and inverse cost rates', () => {
  it('values what is outstanding at today\'s rate (unrealised gain) and write-offs at the booked rate', async () => {
    at('2027-01-10T05:00:00Z');
    await rates([
      ['2027-01-10', 'EUR', 'INR', '89.50'],
      ['2027-01-15', 'INR', 'JPY', '1.8'], // only the reverse pair: JPY→INR is 1 / 1.8 = 0.5555555556
      ['2027-01-29', 'EUR', 'INR', '92.00'],
    ]);
    const o = await order('EUR', '1000', '10');
    await receipt({ currency: 'EUR', amount: 300_000, fxRate: '90.10', valueDate: '2027-01-20', to: [[o, 300_000]] });
    await writeOff(o, 5_000, '2027-01-21', 'Short payment: buyer\'s bank charges');
    await cost(o.id, { category: 'insurance', amount: '100.00', currency: 'GBP', date: '2027-01-12', fxRate: '107.3456' });
    await cost(o.id, { category: 'other', description: 'Sample courier', amount: '15000', currency: 'JPY', date: '2027-01-16' });

    at('2027-02-01T12:00:00Z');
    const p = await profitability(o.id);
    // By hand (INR):
    //   received EUR 3,000.00: at 90.10 = 2,70,300.00, at 89.50 = 2,68,500.00 → realised gain 1,800.00
    //   written off EUR 50.00 at 89.50 = 4,475.00
    //   outstanding EUR 6,950.00: today (92.00 of 01-29, 3 days old) = 6,39,400.00; at 89.50 = 6,22,025.00 → unrealised 17,375.00
    //   revenue at booked = 2,68,500.00 + 6,22,025.00 = 8,90,525.00 (= 8,95,000.00 − 4,475.00, no rounding)
    //   revenue at realised = 2,70,300.00 + 6,39,400.00 = 9,09,700.00; difference 19,175.00 = 1,800.00 + 17,375.00
    //   costs: GBP 100.00 × 107.3456 (fixed) = 10,734.56; JPY 15,000 × 0.5555555556 = 8,333.333334 → 8,333.33; total 19,067.89
    //   margin realised 9,09,700.00 − 19,067.89 = 8,90,632.11 (97.9039…% → 97.90); booked 8,90,525.00 − 19,067.89 = 8,71,457.11 (97.8588…% → 97.86)
    expect(p.todayRate).toEqual({ from: 'EUR', to: 'INR', rate: '92', date: '2027-01-29', derived: 'direct' });
    expect(p.revenue).toMatchObject({
      received: { amount: '3000.00' },
      writtenOff: { amount: '50.00' },
      outstanding: { currency: 'EUR', amount: '6950.00' },
      receivedAtBookedRate: inr('268500.00'),
      receivedAtRealisedRate: inr('270300.00'),
      writtenOffAtBookedRate: inr('4475.00'),
      outstandingAtBookedRate: inr('622025.00'),
      outstandingAtTodayRate: inr('639400.00'),
      atBookedRate: inr('890525.00'),
      atRealisedRate: inr('909700.00'),
      orderTotalAtBookedRate: inr('895000.00'),
      conversionRounding: inr('0.00'),
    });
    expect(p.writeOffs).toEqual([{ allocationId: expect.any(String), date: '2027-01-21', note: "Short payment: buyer's bank charges", amount: { currency: 'EUR', amount: '50.00', minor: 5000 }, atBookedRate: inr('4475.00') }]);
    expect(p.fx).toEqual({ realisedGain: inr('1800.00'), unrealisedGain: inr('17375.00'), total: inr('19175.00') });
    expect(p.costs.lines.map((l: any) => [l.category, l.rate.rate, l.rate.derived, l.base.amount])).toEqual([
      ['insurance', '107.3456', 'fixed', '10734.56'],
      ['other', '0.5555555556', 'inverse', '8333.33'],
    ]);
    expect(p.costs.total).toEqual(inr('19067.89'));
    expect(p.margin).toEqual({ atRealisedRate: inr('890632.11'), atBookedRate: inr('871457.11'), percent: '97.90', percentAtBookedRate: '97.86' });
    expect(p.problems).toEqual([]);
  });

  it('splits one receipt\'s bank charges over the orders it pays, so the shares add up exactly', async () => {
    at('2027-02-10T05:00:00Z');
    await rates([['2027-02-10', 'EUR', 'INR', '90']]);
    const a = await order('EUR', '100', '10');
    const b = await order('EUR', '100', '10');
    // EUR 0.07 × 90.10 = INR 6.307 → 6.31 = 631 paise, over EUR 1,000.00 and EUR 1,000.00 → 316 + 315 (the odd paisa to the first order by id)
    await receipt({ currency: 'EUR', amount: 200_000, fxRate: '90.10', charges: 7, valueDate: '2027-02-12', to: [[a, 100_000], [b, 100_000]] });
    const shares = [];
    for (const o of [a, b]) {
      const p = await profitability(o.id);
      expect(p.receipts).toHaveLength(1);
      shares.push(p.receipts[0].bankChargesShare.minor);
      expect(p.costs.byCategory.bank_charges.minor).toBe(p.receipts[0].bankChargesShare.minor);
    }
    expect(shares).toEqual([316, 315]);
  });
});

describe('what cannot be computed is said, not guessed', () => {
  it('an order never confirmed uses its creation date; missing rates are listed by pair and date and their figures are null', async () => {
    at('2027-03-01T10:00:00Z');
    const o = await order('USD', '10', '5', false);
    await cost(o.id, { category: 'freight', amount: '300', currency: 'AUD', date: '2027-03-02' });
    at('2027-03-05T10:00:00Z');
    const p = await profitability(o.id);
    expect(p).toMatchObject({ orderDate: '2027-03-01', orderDateBasis: 'created', bookedRate: null, todayRate: null });
    expect(p.problems).toEqual([
      { code: 'NO_BOOKED_RATE', path: 'bookedRate', message: expect.stringContaining('No USD/INR rate on or before 2027-03-01') },
      { code: 'NO_TODAY_RATE', path: 'todayRate', message: expect.stringContaining('No USD/INR rate on or before 2027-03-05') },
      { code: 'NO_COST_RATE', path: 'costs[0]', message: expect.stringContaining('No AUD/INR rate on or before 2027-03-02') },
    ]);
    expect(p.revenue.orderTotal).toEqual({ currency: 'USD', amount: '50.00', minor: 5000 });
    for (const k of ['orderTotalAtBookedRate', 'atBookedRate', 'atRealisedRate', 'outstandingAtTodayRate']) expect(p.revenue[k], k).toBeNull();
    expect(p.fx).toEqual({ realisedGain: inr('0.00'), unrealisedGain: null, total: null });
    expect(p.costs.total).toBeNull();
    expect(p.costs.byCategory.freight).toBeNull();
    expect(p.costs.byCategory.supplier).toEqual(inr('0.00'));
    expect(p.margin).toEqual({ atRealisedRate: null, atBookedRate: null, percent: null, percentAtBookedRate: null });

    // A rate entered later fills the gaps in; the xlsx says n/a where a figure is unknown.
    await rates([['2027-03-01', 'USD', 'INR', '84.5']]);
    const later = await profitability(o.id);
    expect(later.bookedRate).toMatchObject({ rate: '84.5', date: '2027-03-01' });
    expect(later.todayRate).toMatchObject({ rate: '84.5', date: '2027-03-01' }); // 4 days old
    expect(later.revenue.atRealisedRate).toEqual(inr('4225.00'));
    expect(later.problems.map((x: any) => x.code)).toEqual(['NO_COST_RATE']);
    const res = await api.app.request(`/orders/${o.id}/profitability?format=xlsx`, { headers: { Authorization: `Bearer ${fx.org.keys.admin}` } });
    const ws = XLSX.read(new Uint8Array(await res.arrayBuffer()), { type: 'array' }).Sheets.Profitability!;
    const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: null });
    expect(rows.find((r) => r[1] === 'Total costs')![8]).toBe('n/a');
    expect(rows.some((r) => typeof r[1] === 'string' && r[1].includes('No AUD/INR rate on or before 2027-03-02'))).toBe(true);
  });

  it('every internal role may read it; an unknown order is 404', async () => {
    at('2027-03-06T10:00:00Z');
    const o = await order('INR', '10', '100', false);
    for (const role of ['ops', 'documentation', 'finance', 'viewer'] as const) {
      const r = await api.call('GET', `/orders/${o.id}/profitability`, { key: fx.org.keys[role] });
      expect(r.status, role).toBe(200);
      // an order in the base currency: rate 1, nothing to gain or lose
      expect(r.json.bookedRate).toEqual({ from: 'INR', to: 'INR', rate: '1', date: '2027-03-06', derived: 'direct' });
      expect(r.json.revenue.atRealisedRate).toEqual(inr('1000.00'));
      expect(r.json.fx.total).toEqual(inr('0.00'));
    }
    expect((await api.call('GET', `/orders/${o.id.slice(0, -1)}${o.id.endsWith('Z') ? 'Y' : 'Z'}/profitability`)).status).toBe(404);
  });
});

describe('property: through the API, the pieces reconcile exactly for any currencies and rates', () => {
  it('revenue at realised − at booked = realised + unrealised gain; costs add up; bank charges = Σ shares', async () => {
    at('2027-05-10T10:00:00Z');
    const digits = (cur: string) => ({ JPY: 0, KWD: 3 })[cur as 'JPY'] ?? 2;
    const rateArb = fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 6 })).map(([u, d]) => (d ? `${String(u).padStart(d + 1, '0').slice(0, -d)}.${String(u).padStart(d + 1, '0').slice(-d)}` : String(u)));
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('EUR', 'USD', 'JPY', 'KWD'),
        fc.constantFrom('INR', 'KWD', 'JPY'),
        rateArb,
        rateArb,
        fc.array(fc.record({ share: fc.integer({ min: 1, max: 40 }), rate: rateArb, charges: fc.integer({ min: 0, max: 99_999 }) }), { maxLength: 3 }),
        fc.array(fc.record({ currency: fc.constantFrom('JPY', 'KWD', 'USD', 'INR'), amount: fc.integer({ min: 1, max: 9_999_999 }), rate: rateArb, category: fc.constantFrom('supplier', 'freight', 'insurance', 'other') }), { maxLength: 3 }),
        async (currency, base, booked, today, paid, costs) => {
          runs++;
          await fx.database.db.update(organisations).set({ baseCurrency: base }).where(eq(organisations.id, fx.org.organisation.id));
          const day = `2027-${String(5 + Math.floor(runs / 28)).padStart(2, '0')}-${String((runs % 28) + 1).padStart(2, '0')}`;
          at(`${day}T10:00:00Z`);
          const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
          const pair = (c: string, r: string, on = day) => (c === base ? [] : [[on, c, base, r] as [string, string, string, string]]);
          // one rate per currency on the day (the order currency's is the booked rate)
          const perCurrency = new Map<string, string>([[currency, booked]]);
          for (const c of costs) if (!perCurrency.has(c.currency)) perCurrency.set(c.currency, c.rate);
          const todays = [...perCurrency].flatMap(([c, r]) => pair(c, r));
          if (todays.length) await rates(todays);
          const o = await order(currency, '1234.5', '7.77', false);
          for (const r of paid) {
            const minor = Math.floor((o.total.minor * r.share) / 200);
            if (minor > 0) await receipt({ currency, amount: minor, fxRate: currency === base ? '1' : r.rate, charges: r.charges, valueDate: day, base, to: [[o, minor]] });
          }
          for (const c of costs) await cost(o.id, { category: c.category, amount: fromMinor(c.amount, c.currency), currency: c.currency, date: day });
          // today's rate: the next day's
          at(`${next}T10:00:00Z`);
          if (currency !== base) await rates(pair(currency, today, next));
          const p = await profitability(o.id);
          expect(p.problems).toEqual([]);
          const m = (x: { minor: number; amount: string; currency: string }) => {
            expect(x.amount).toBe(fromMinor(x.minor, x.currency));
            expect(x.amount.split('.')[1]?.length ?? 0).toBe(digits(x.currency));
            return x.minor;
          };
          const r = p.revenue;
          expect(m(r.atRealisedRate) - m(r.atBookedRate)).toBe(m(p.fx.realisedGain) + m(p.fx.unrealisedGain));
          expect(m(p.fx.total)).toBe(m(p.fx.realisedGain) + m(p.fx.unrealisedGain));
          expect(m(r.orderTotalAtBookedRate)).toBe(m(r.atBookedRate) + m(r.writtenOffAtBookedRate) + m(r.conversionRounding));
          expect(Math.abs(r.conversionRounding.minor)).toBeLessThanOrEqual(Math.floor((p.receipts.length + 2) / 2));
          expect(m(r.outstanding)).toBe(o.total.minor - m(r.received));
          expect(m(p.costs.total)).toBe(p.costs.lines.reduce((t: number, l: any) => t + m(l.base), 0));
          expect(m(p.costs.total)).toBe(Object.values(p.costs.byCategory).reduce((t: number, x: any) => t + m(x), 0));
          expect(m(p.margin.atRealisedRate) - m(p.margin.atBookedRate)).toBe(m(p.fx.total));
          for (const rc of p.receipts) expect(m(rc.bankChargesShare)).toBe(convertMinor(rc.bankCharges.minor, currency, base, rc.rate.rate)); // one order per receipt: all of it
          expect(p.baseCurrency).toBe(base);
        },
      ),
      { numRuns: 12 },
    );
    await fx.database.db.update(organisations).set({ baseCurrency: 'INR' }).where(eq(organisations.id, fx.org.organisation.id));
  });
});

