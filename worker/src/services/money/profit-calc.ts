/**
 * Order profitability as pure arithmetic: given the order total, the booked and today's rates, the receipts paid
 * on the order, write-offs and costs (each with the rate that converts it), every figure in the organisation's
 * base currency. Integers of minor units throughout; each conversion is one `convertMinor` (exact, rounded
 * half-up once); sums and differences are of those rounded figures, so the pieces always reconcile:
 *
 *   revenue.atRealisedRate − revenue.atBookedRate = fx.realisedGain + fx.unrealisedGain
 *   Σ cost lines = Σ categories = costs.total
 *   margin.atRealisedRate − margin.atBookedRate = fx.total
 *
 * A figure that needs a missing rate is null (never guessed), and so is everything computed from it.
 * No database here: profitability.ts loads the inputs.
 */
import type { CostCategory, Profitability, RateUsed } from '../../../../shared/contracts/fx.js';
import { COST_CATEGORIES } from '../../../../shared/contracts/fx.js';
import { prorateMinor } from '../../../../shared/domain/allocation.js';
import { convertMinor } from '../../../../shared/domain/fx.js';
import { money } from '../orders/mapping.js';

export interface CalcReceipt {
  receiptId: string;
  bankReference: string;
  valueDate: string;
  currency: string;
  /** Base-currency units per 1 unit of `currency`, as the bank applied it. */
  fxRate: string;
  /** The whole receipt (what the buyer paid, before charges). */
  amountMinor: number;
  bankChargesMinor: number;
  /** Payment allocations of this receipt to this order (order currency). */
  allocatedMinor: number;
  /** Payment allocations of this receipt to every order it pays, this one included. */
  allocationsByOrder: { orderId: string; minor: number }[];
}

export interface CalcWriteOff {
  allocationId: string;
  date: string;
  note: string | null;
  amountMinor: number;
}

export interface CalcCost {
  id: string;
  category: CostCategory;
  description: string;
  amountMinor: number;
  currency: string;
  date: string;
  supplier: string | null;
  reference: string | null;
  shipmentId: string | null;
  /** The rate converting it into the base currency (fixed, or from the FX table); null when none was found. */
  rate: RateUsed | null;
}

export interface ProfitInput {
  orderId: string;
  currency: string;
  baseCurrency: string;
  totalMinor: number;
  bookedRate: RateUsed | null;
  /** Needed only while something is outstanding. */
  todayRate: RateUsed | null;
  receipts: CalcReceipt[];
  writeOffs: CalcWriteOff[];
  costs: CalcCost[];
}

export type Problem = Profitability['problems'][number];
export type ProfitFigures = Pick<Profitability, 'revenue' | 'receipts' | 'writeOffs' | 'costs' | 'fx' | 'margin'> & { problems: Problem[] };

type N = number | null;

/**
 * Each order's share of a receipt's bank charges in the base currency: the charges × the bank's rate (one
 * conversion), split by largest remainder (prorateMinor) over the receipt's payment allocations per order (in
 * order-id order) and the part of the receipt not allocated yet, so the shares of one receipt add up to the
 * converted charges exactly. Keys: order ids ('' for the unallocated rest).
 */
export function receiptChargeShares(r: Pick<CalcReceipt, 'amountMinor' | 'bankChargesMinor' | 'currency' | 'fxRate' | 'allocationsByOrder'>, baseCurrency: string): Map<string, number> {
  const charges = convertMinor(r.bankChargesMinor, r.currency, baseCurrency, r.fxRate);
  const byOrder = new Map<string, number>();
  for (const a of r.allocationsByOrder) byOrder.set(a.orderId, (byOrder.get(a.orderId) ?? 0) + a.minor);
  const ids = [...byOrder.keys()].sort();
  const allocated = ids.reduce((t, id) => t + byOrder.get(id)!, 0);
  const rest = Math.max(0, r.amountMinor - allocated);
  const weights = [...ids.map((id) => byOrder.get(id)!), rest];
  if (weights.every((w) => w === 0)) return new Map([['', charges]]);
  const shares = prorateMinor(charges, weights);
  return new Map([...ids.map((id, i) => [id, shares[i]!] as const), ['', shares.at(-1)!]]);
}

/** margin / revenue × 100 with two decimals, half-up away from zero; null without a positive revenue. */
export function percentOf(margin: N, revenue: N): string | null {
  if (margin === null || revenue === null || revenue <= 0) return null;
  const n = BigInt(margin) * 10000n;
  const d = BigInt(revenue);
  const q = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  const abs = q.toString().padStart(3, '0');
  return `${n < 0n && q !== 0n ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

export function computeProfitability(input: ProfitInput, problems: Problem[] = []): ProfitFigures {
  const { currency, baseCurrency: base } = input;
  const B = input.bookedRate?.rate ?? null;
  const conv = (minor: number, from: string, rate: string | null, path: string): N => {
    if (rate === null) return null;
    try {
      return convertMinor(minor, from, base, rate);
    } catch (e) {
      problems.push({ code: 'CONVERSION_FAILED', message: `${path}: ${(e as Error).message}`, path });
      return null;
    }
  };
  const m = (minor: N, cur = base) => (minor === null ? null : money(minor, cur));
  let tooLarge = false;
  const sum = (values: N[]): N => {
    let total = 0;
    for (const v of values) {
      if (v === null) return null;
      total += v;
      if (!Number.isSafeInteger(total)) {
        if (!tooLarge) problems.push({ code: 'AMOUNT_TOO_LARGE', message: 'A total is too large for exact minor units', path: null });
        tooLarge = true;
        return null;
      }
    }
    return total;
  };
  const minus = (a: N, b: N): N => (a === null || b === null ? null : sum([a, -b]));

  // Receipts: what each paid on this order, at the bank's rate and at the booked rate.
  const receipts = input.receipts.map((r, i) => {
    const path = `receipts[${i}]`;
    const sameCurrency = r.currency === currency;
    if (!sameCurrency) {
      problems.push({ code: 'RECEIPT_CURRENCY_MISMATCH', message: `Receipt ${r.bankReference} is in ${r.currency} but pays this ${currency} order: its amounts cannot be valued`, path });
    }
    const realised = sameCurrency ? conv(r.allocatedMinor, currency, r.fxRate, path) : null;
    const booked = sameCurrency ? conv(r.allocatedMinor, currency, B, path) : null;
    let share: N = null;
    if (sameCurrency) {
      try {
        share = receiptChargeShares(r, base).get(input.orderId) ?? 0;
      } catch (e) {
        problems.push({ code: 'CONVERSION_FAILED', message: `${path}: ${(e as Error).message}`, path });
      }
    }
    return { r, realised, booked, share };
  });
  const paid = input.receipts.reduce((t, r) => t + r.allocatedMinor, 0);
  const writtenOff = input.writeOffs.reduce((t, w) => t + w.amountMinor, 0);
  const outstanding = input.totalMinor - paid - writtenOff;

  const writeOffs = input.writeOffs.map((w, i) => ({ w, booked: conv(w.amountMinor, currency, B, `writeOffs[${i}]`) }));
  const orderTotalAtBooked = conv(input.totalMinor, currency, B, 'revenue.orderTotal');
  const receivedAtBooked = sum(receipts.map((x) => x.booked));
  const receivedAtRealised = sum(receipts.map((x) => x.realised));
  const writtenOffAtBooked = sum(writeOffs.map((x) => x.booked));
  const outstandingAtBooked = outstanding === 0 ? 0 : conv(outstanding, currency, B, 'revenue.outstanding');
  const outstandingAtToday = outstanding === 0 ? 0 : conv(outstanding, currency, input.todayRate?.rate ?? null, 'revenue.outstanding');
  const atBooked = sum([receivedAtBooked, outstandingAtBooked]);
  const atRealised = sum([receivedAtRealised, outstandingAtToday]);
  const realisedGain = minus(receivedAtRealised, receivedAtBooked);
  const unrealisedGain = minus(outstandingAtToday, outstandingAtBooked);

  // Costs: each line converted once; bank charges of the receipts as lines of their own.
  const lines: ProfitFigures['costs']['lines'] = input.costs.map((c, i) => ({
    id: c.id,
    source: 'cost',
    category: c.category,
    description: c.description,
    amount: money(c.amountMinor, c.currency),
    date: c.date,
    supplier: c.supplier,
    reference: c.reference,
    shipmentId: c.shipmentId,
    rate: c.rate,
    base: m(conv(c.amountMinor, c.currency, c.rate?.rate ?? null, `costs[${i}]`)),
  }));
  for (const x of receipts) {
    if (x.r.bankChargesMinor === 0) continue;
    lines.push({
      id: x.r.receiptId,
      source: 'receipt',
      category: 'bank_charges',
      description: `Bank charges on receipt ${x.r.bankReference} (this order's share)`,
      amount: money(x.r.bankChargesMinor, x.r.currency),
      date: x.r.valueDate,
      supplier: null,
      reference: x.r.bankReference,
      shipmentId: null,
      rate: { from: x.r.currency, to: base, rate: x.r.fxRate, date: x.r.valueDate, derived: 'bank' },
      base: m(x.share),
    });
  }
  const minorOf = (l: (typeof lines)[number]): N => l.base?.minor ?? null;
  const byCategoryMinor = Object.fromEntries(COST_CATEGORIES.map((c) => [c, sum(lines.filter((l) => l.category === c).map(minorOf))])) as Record<CostCategory, N>;
  const totalCosts = sum(COST_CATEGORIES.map((c) => byCategoryMinor[c]));
  const marginRealised = minus(atRealised, totalCosts);
  const marginBooked = minus(atBooked, totalCosts);

  return {
    revenue: {
      orderTotal: money(input.totalMinor, currency),
      orderTotalAtBookedRate: m(orderTotalAtBooked),
      received: money(paid, currency),
      writtenOff: money(writtenOff, currency),
      outstanding: money(outstanding, currency),
      receivedAtBookedRate: m(receivedAtBooked),
      receivedAtRealisedRate: m(receivedAtRealised),
      writtenOffAtBookedRate: m(writtenOffAtBooked),
      outstandingAtBookedRate: m(outstandingAtBooked),
      outstandingAtTodayRate: m(outstandingAtToday),
      atBookedRate: m(atBooked),
      atRealisedRate: m(atRealised),
      conversionRounding: m(minus(minus(orderTotalAtBooked, writtenOffAtBooked), atBooked)),
    },
    receipts: receipts.map(({ r, realised, booked, share }) => ({
      receiptId: r.receiptId,
      bankReference: r.bankReference,
      valueDate: r.valueDate,
      amount: money(r.allocatedMinor, currency),
      rate: { from: r.currency, to: base, rate: r.fxRate, date: r.valueDate, derived: 'bank' as const },
      atRealisedRate: m(realised),
      atBookedRate: m(booked),
      fxGain: m(minus(realised, booked)),
      bankCharges: money(r.bankChargesMinor, r.currency),
      bankChargesShare: m(share),
    })),
    writeOffs: writeOffs.map(({ w, booked }) => ({ allocationId: w.allocationId, date: w.date, note: w.note, amount: money(w.amountMinor, currency), atBookedRate: m(booked) })),
    costs: {
      lines,
      byCategory: Object.fromEntries(COST_CATEGORIES.map((c) => [c, m(byCategoryMinor[c])])) as ProfitFigures['costs']['byCategory'],
      total: m(totalCosts),
    },
    fx: { realisedGain: m(realisedGain), unrealisedGain: m(unrealisedGain), total: m(sum([realisedGain, unrealisedGain])) },
    margin: {
      atRealisedRate: m(marginRealised),
      atBookedRate: m(marginBooked),
      percent: percentOf(marginRealised, atRealised),
      percentAtBookedRate: percentOf(marginBooked, atBooked),
    },
    problems,
  };
}
