/**
 * Issue 6 "Done when", money half: the demo order quoted in EUR, with INR supplier costs, USD freight and two
 * receipts at different rates, shows its profit and FX gain in INR — figures worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../worker/src/demo/seed.js';
import { apiClient, tempDatabase } from './support/harness.js';

let t: Awaited<ReturnType<typeof tempDatabase>>;
let api: ReturnType<typeof apiClient>;
let demo: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  t = await tempDatabase();
  demo = await seedDemo(t.database);
  api = apiClient(t.database, demo.apiKey);
});
afterAll(() => t?.cleanup());

describe('the money demo (KK-2026-0139)', () => {
  it('is paid in full by two receipts at 90.10 and 91.25', async () => {
    const p = await api.call('GET', `/orders/${demo.money.orderId}/payments`);
    expect(p.status, p.text).toBe(200);
    expect(p.json.milestones.map((m: any) => [m.label, m.amount.amount, m.status, m.allocations[0]?.bankReference])).toEqual([
      ['30% advance', '3000.00', 'paid', 'FIRC/HDFC/2026/0918'],
      ['70% against copy of B/L', '7000.00', 'paid', 'FIRC/HDFC/2026/1187'],
    ]);
    expect(p.json.outstanding.amount).toBe('0.00');
  });

  it('shows profit and FX gain in INR, to the paisa', async () => {
    const r = await api.call('GET', `/orders/${demo.money.orderId}/profitability`);
    expect(r.status, r.text).toBe(200);
    const inr = (m: { amount: string; currency: string } | null) => (m ? `${m.currency} ${m.amount}` : null);
    const p = r.json;
    expect(p.problems).toEqual([]);
    expect(p.bookedRate.rate).toBe('89.5'); // EUR/INR on the day the order was confirmed
    // Revenue: booked 10,000.00 × 89.50 = 8,95,000.00; realised 3,000 × 90.10 + 7,000 × 91.25 = 2,70,300 + 6,38,750.
    expect(inr(p.revenue.atBookedRate)).toBe('INR 895000.00');
    expect(inr(p.revenue.atRealisedRate)).toBe('INR 909050.00');
    expect(inr(p.fx.realisedGain)).toBe('INR 14050.00'); // 3,000 × 0.60 + 7,000 × 1.75
    expect(inr(p.fx.unrealisedGain)).toBe('INR 0.00');
    // Costs: supplier 6,50,000.00; freight USD 1,200 × 84.00 = 1,00,800.00; bank charges EUR 25 × 90.10 + EUR 40 × 91.25 = 2,252.50 + 3,650.00.
    expect(inr(p.costs.byCategory.supplier)).toBe('INR 650000.00');
    expect(inr(p.costs.byCategory.freight)).toBe('INR 100800.00');
    expect(inr(p.costs.byCategory.bank_charges)).toBe('INR 5902.50');
    expect(inr(p.costs.total)).toBe('INR 756702.50');
    // Margin: 9,09,050.00 − 7,56,702.50 = 1,52,347.50 = 16.76 % of revenue; 1,38,297.50 at the booked rate.
    expect(inr(p.margin.atRealisedRate)).toBe('INR 152347.50');
    expect(p.margin.percent).toBe('16.76');
    expect(inr(p.margin.atBookedRate)).toBe('INR 138297.50');
  });
});
