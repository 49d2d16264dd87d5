/**
 * Property tests of the profitability arithmetic: for random currencies (JPY with 0 decimals, KWD and BHD with
 * 3), rates (0–10 decimals), receipts, write-offs and costs, the pieces reconcile to the minor unit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COST_CATEGORIES, type RateUsed } from '../../../../shared/contracts/fx.js';
import { convertMinor, fxDifferenceMinor } from '../../../../shared/domain/fx.js';
import { fromMinor } from '../../../../shared/domain/money.js';
import { computeProfitability, percentOf, receiptChargeShares, type ProfitInput } from './profit-calc.js';

const CURRENCIES = ['EUR', 'USD', 'JPY', 'KWD', 'INR', 'GBP', 'BHD'] as const;
const BASES = ['INR', 'JPY', 'KWD', 'USD'] as const;

/** A rate string: up to 7 integer digits and 0–10 decimals, canonical or not ("84.50" is fine). */
const rateArb = fc
  .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 10 }))
  .map(([units, decimals]) => {
    const digits = String(units).padStart(decimals + 1, '0');
    return decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  });
const rateFor = (from: string, base: string, rate: string) => (from === base ? '1' : rate);
const used = (from: string, to: string, rate: string, derived: RateUsed['derived'] = 'direct'): RateUsed => ({ from, to, rate, date: '2026-11-20', derived });
const minorArb = (max = 2_000_000_000) => fc.integer({ min: 1, max });

const inputArb = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    base: fc.constantFrom(...BASES),
    booked: fc.option(rateArb, { freq: 6 }),
    today: fc.option(rateArb, { freq: 6 }),
    receipts: fc.array(
      fc.record({
        allocated: minorArb(),
        rate: rateArb,
        charges: fc.integer({ min: 0, max: 500_000 }),
        others: fc.array(fc.record({ orderId: fc.constantFrom('ord_a', 'ord_z', 'ord_m'), minor: minorArb() }), { maxLength: 3 }),
        unallocated: fc.oneof(fc.constant(0), minorArb()),
      }),
      { maxLength: 5 },
    ),
    writeOffs: fc.array(minorArb(5_000_000), { maxLength: 3 }),
    outstanding: fc.oneof(fc.constant(0), minorArb()),
    costs: fc.array(
      fc.record({ category: fc.constantFrom(...COST_CATEGORIES), currency: fc.constantFrom(...CURRENCIES), amount: minorArb(), rate: fc.option(rateArb, { freq: 8 }), derived: fc.constantFrom('direct', 'inverse', 'fixed') as fc.Arbitrary<RateUsed['derived']> }),
      { maxLength: 6 },
    ),
  })
  .map((g): ProfitInput => {
    const orderId = 'ord_k';
    const paid = g.receipts.reduce((t, r) => t + r.allocated, 0);
    const total = paid + g.writeOffs.reduce((t, w) => t + w, 0) + g.outstanding;
    return {
      orderId,
      currency: g.currency,
      baseCurrency: g.base,
      totalMinor: total,
      bookedRate: g.booked === null ? null : used(g.currency, g.base, rateFor(g.currency, g.base, g.booked)),
      todayRate: g.today === null ? null : used(g.currency, g.base, rateFor(g.currency, g.base, g.today)),
      receipts: g.receipts.map((r, i) => ({
        receiptId: `rcp_${i}`,
        bankReference: `BANK-${i}`,
        valueDate: '2026-11-28',
        currency: g.currency,
        fxRate: rateFor(g.currency, g.base, r.rate),
        amountMinor: r.allocated + r.others.reduce((t, o) => t + o.minor, 0) + r.unallocated,
        bankChargesMinor: r.charges,
        allocatedMinor: r.allocated,
        allocationsByOrder: [{ orderId, minor: r.allocated }, ...r.others],
      })),
      writeOffs: g.writeOffs.map((w, i) => ({ allocationId: `ral_${i}`, date: '2026-12-01', note: null, amountMinor: w })),
      costs: g.costs.map((c, i) => ({
        id: `cst_${i}`,
        category: c.category,
        description: c.category,
        amountMinor: c.amount,
        currency: c.currency,
        date: '2026-11-25',
        supplier: null,
        reference: null,
        shipmentId: null,
        rate: c.rate === null ? null : used(c.currency, g.base, rateFor(c.currency, g.base, c.rate), c.derived),
      })),
    };
  });

const minor = (m: { minor: number } | null) => (m === null ? null : m.minor);

describe('computeProfitability: the pieces reconcile exactly', () => {
  it('revenue at realised − revenue at booked = realised + unrealised FX gain; costs add up; margins differ by the FX gain', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const p = computeProfitability(input);
        // Numbers too large for exact minor units are reported, not guessed; they are outside this property.
        fc.pre(p.problems.length === 0);
        const r = p.revenue;

        // Every amount is written with its currency's decimals; base figures are in the base currency.
        const all = [...Object.values(r), ...Object.values(p.fx), p.margin.atRealisedRate, p.margin.atBookedRate, p.costs.total, ...Object.values(p.costs.byCategory)];
        for (const m of all) if (m) expect(m.amount).toBe(fromMinor(m.minor, m.currency));
        for (const m of [...Object.values(p.fx), p.costs.total, r.atBookedRate, r.atRealisedRate]) if (m) expect(m.currency).toBe(input.baseCurrency);

        // Revenue
        expect(r.outstanding.minor).toBe(input.totalMinor - r.received.minor - r.writtenOff.minor);
        if (input.bookedRate) {
          expect(minor(r.atBookedRate)).toBe(minor(r.receivedAtBookedRate)! + minor(r.outstandingAtBookedRate)!);
          // The booked order total, less write-offs, less the parts: a rounding of at most ⌊(k+1)/2⌋ minor units for k parts.
          const parts = input.receipts.length + input.writeOffs.length + (r.outstanding.minor !== 0 ? 1 : 0);
          expect(minor(r.orderTotalAtBookedRate)).toBe(minor(r.atBookedRate)! + minor(r.writtenOffAtBookedRate)! + minor(r.conversionRounding)!);
          expect(Math.abs(minor(r.conversionRounding)!)).toBeLessThanOrEqual(Math.floor((parts + 1) / 2));
          expect(minor(r.orderTotalAtBookedRate)).toBe(convertMinor(input.totalMinor, input.currency, input.baseCurrency, input.bookedRate.rate));
          // Per receipt, the gain is fxDifferenceMinor of what it paid on the order.
          p.receipts.forEach((x, i) => {
            const rc = input.receipts[i]!;
            expect(minor(x.fxGain)).toBe(fxDifferenceMinor({ amountMinor: rc.allocatedMinor, currency: input.currency, baseCurrency: input.baseCurrency, bookedRate: input.bookedRate!.rate, realisedRate: rc.fxRate }));
          });
          expect(minor(p.fx.realisedGain)).toBe(p.receipts.reduce((t, x) => t + minor(x.fxGain)!, 0));
        } else {
          // Nothing to value (no receipt, nothing outstanding) is 0 without a rate; anything else is unknown.
          if (input.receipts.length || r.outstanding.minor !== 0) expect(r.atBookedRate).toBeNull();
          if (input.receipts.length) expect(p.fx.realisedGain).toBeNull();
          expect(r.orderTotalAtBookedRate).toBeNull();
        }
        expect(minor(r.receivedAtRealisedRate)).toBe(p.receipts.reduce((t, x) => t + minor(x.atRealisedRate)!, 0));
        const todayKnown = !!input.todayRate || r.outstanding.minor === 0;
        if (!todayKnown) {
          expect(r.atRealisedRate).toBeNull();
          expect(p.fx.unrealisedGain).toBeNull();
          expect(p.margin.atRealisedRate).toBeNull();
          expect(p.margin.percent).toBeNull();
        } else {
          expect(minor(r.atRealisedRate)).toBe(minor(r.receivedAtRealisedRate)! + minor(r.outstandingAtTodayRate)!);
        }
        if (input.bookedRate && todayKnown) {
          // THE identity.
          expect(minor(r.atRealisedRate)! - minor(r.atBookedRate)!).toBe(minor(p.fx.realisedGain)! + minor(p.fx.unrealisedGain)!);
          expect(minor(p.fx.total)).toBe(minor(p.fx.realisedGain)! + minor(p.fx.unrealisedGain)!);
        }

        // Costs: lines → categories → total, exactly; a line without a rate makes its category and the total unknown.
        const lines = p.costs.lines;
        expect(lines.filter((l) => l.source === 'cost')).toHaveLength(input.costs.length);
        expect(lines.filter((l) => l.source === 'receipt')).toHaveLength(input.receipts.filter((x) => x.bankChargesMinor > 0).length);
        const anyMissing = lines.some((l) => l.base === null);
        if (anyMissing) expect(p.costs.total).toBeNull();
        else {
          expect(minor(p.costs.total)).toBe(lines.reduce((t, l) => t + l.base!.minor, 0));
          expect(minor(p.costs.total)).toBe(COST_CATEGORIES.reduce((t, c) => t + minor(p.costs.byCategory[c])!, 0));
          for (const c of COST_CATEGORIES) expect(minor(p.costs.byCategory[c])).toBe(lines.filter((l) => l.category === c).reduce((t, l) => t + l.base!.minor, 0));
        }
        lines.forEach((l, i) => {
          if (l.source === 'cost' && l.rate) expect(l.base!.minor).toBe(convertMinor(input.costs[i]!.amountMinor, input.costs[i]!.currency, input.baseCurrency, l.rate.rate));
        });

        // Margins
        if (p.costs.total && r.atRealisedRate) expect(minor(p.margin.atRealisedRate)).toBe(minor(r.atRealisedRate)! - minor(p.costs.total)!);
        if (p.costs.total && r.atBookedRate) expect(minor(p.margin.atBookedRate)).toBe(minor(r.atBookedRate)! - minor(p.costs.total)!);
        if (p.margin.atRealisedRate && p.margin.atBookedRate) expect(minor(p.margin.atRealisedRate)! - minor(p.margin.atBookedRate)!).toBe(minor(p.fx.total));
        if (p.margin.percent !== null) {
          // percent is margin / revenue × 100, half-up to 2 decimals: |P·rev − M·10⁴| ≤ rev / 2
          const P = BigInt(p.margin.percent.replace('.', ''));
          const rev = BigInt(minor(r.atRealisedRate)!);
          const err = P * rev - BigInt(minor(p.margin.atRealisedRate)!) * 10000n;
          expect((err < 0n ? -err : err) * 2n <= rev).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("a receipt's bank charges split over the orders it pays (and its unallocated rest) add up to the converted charges exactly", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.constantFrom(...BASES),
        rateArb,
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.record({ orderId: fc.constantFrom('ord_1', 'ord_2', 'ord_3', 'ord_4'), minor: minorArb() }), { minLength: 1, maxLength: 6 }),
        fc.oneof(fc.constant(0), minorArb()),
        (currency, base, rate, charges, allocations, rest) => {
          const fxRate = rateFor(currency, base, rate);
          const amountMinor = allocations.reduce((t, a) => t + a.minor, 0) + rest;
          let converted: number;
          try {
            converted = convertMinor(charges, currency, base, fxRate);
          } catch {
            return; // too large for exact minor units
          }
          const shares = receiptChargeShares({ amountMinor, bankChargesMinor: charges, currency, fxRate, allocationsByOrder: allocations }, base);
          expect([...shares.values()].reduce((t, s) => t + s, 0)).toBe(converted);
          if (rest === 0) expect(shares.get('')).toBe(0);
          // each order's share is within one minor unit of its exact quota
          const byOrder = new Map<string, number>();
          for (const a of allocations) byOrder.set(a.orderId, (byOrder.get(a.orderId) ?? 0) + a.minor);
          for (const [id, w] of byOrder) expect(Math.abs(shares.get(id)! * amountMinor - converted * w)).toBeLessThan(amountMinor);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('percentOf rounds half-up away from zero to two decimals', () => {
    expect(percentOf(15234750, 90905000)).toBe('16.76');
    expect(percentOf(1, 8)).toBe('12.50');
    expect(percentOf(-1, 8)).toBe('-12.50');
    expect(percentOf(-1, 3_000_000)).toBe('0.00');
    expect(percentOf(5, 0)).toBeNull();
    expect(percentOf(null, 10)).toBeNull();
  });
});
