/**
 * GET /orders/{id}/profitability: loads the order, its receipts (through receipt_allocations), write-offs and
 * costs, finds every rate it needs (the booked rate on the order date, today's rate for what is outstanding,
 * each cost's rate on its date) and hands them to the pure computation in profit-calc.ts. Rates that cannot be
 * found are listed in `problems` by pair and date; the figures that need them are null.
 */
import { and, asc, eq, inArray, min, sql } from 'drizzle-orm';
import type { CostCategory, Profitability, RateUsed } from '../../../../shared/contracts/fx.js';
import { auditEvents, receiptAllocations, receipts } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { loadOrderRow } from '../orders/orders.js';
import { requirePermission } from '../permissions.js';
import { loadOrderCosts } from './costs.js';
import { baseCurrencyOf, noRateMessage, rateOn } from './fx-rates.js';
import { computeProfitability, type CalcReceipt, type CalcWriteOff, type Problem } from './profit-calc.js';
import { todayOf } from './schedule.js';

export async function orderProfitability(ctx: ServiceContext, orderId: string): Promise<Profitability> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  const order = await loadOrderRow(db, ctx, orderId);
  const base = await baseCurrencyOf(db, ctx);
  const today = todayOf(ctx);
  const problems: Problem[] = [];
  const tableRate = async (from: string, date: string, code: string, path: string): Promise<RateUsed | null> => {
    const found = await rateOn(db, ctx, from, base, date, base);
    if (found) return { from, to: base, ...found };
    problems.push({ code, message: noRateMessage(from, base, date), path });
    return null;
  };

  // The order date: its first confirmation (the day it was booked), else the day it was created.
  const [confirmed] = await db
    .select({ at: min(auditEvents.at) })
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, ctx.orgId), eq(auditEvents.orderId, orderId), eq(auditEvents.action, 'order.status_changed'), sql`json_extract(${auditEvents.after}, '$.status') = 'confirmed'`));
  const orderDate = (confirmed?.at ?? order.createdAt).slice(0, 10);
  const bookedRate = await tableRate(order.currency, orderDate, 'NO_BOOKED_RATE', 'bookedRate');

  // Payment allocations per receipt, and write-offs.
  const allocations = await db
    .select({ a: receiptAllocations, r: receipts })
    .from(receiptAllocations)
    .leftJoin(receipts, eq(receipts.id, receiptAllocations.receiptId))
    .where(and(eq(receiptAllocations.orgId, ctx.orgId), eq(receiptAllocations.orderId, orderId)))
    .orderBy(asc(receiptAllocations.createdAt), asc(receiptAllocations.id));
  const byReceipt = new Map<string, CalcReceipt>();
  const writeOffs: CalcWriteOff[] = [];
  for (const { a, r } of allocations) {
    if (a.kind === 'write_off') {
      writeOffs.push({ allocationId: a.id, date: a.createdAt.slice(0, 10), note: a.note, amountMinor: a.amountMinor });
    } else if (a.kind === 'payment' && r) {
      const x = byReceipt.get(r.id);
      if (x) x.allocatedMinor += a.amountMinor;
      else {
        byReceipt.set(r.id, {
          receiptId: r.id,
          bankReference: r.bankReference,
          valueDate: r.valueDate,
          currency: r.currency,
          fxRate: r.fxRate,
          amountMinor: r.amountMinor,
          bankChargesMinor: r.bankChargesMinor,
          allocatedMinor: a.amountMinor,
          allocationsByOrder: [],
        });
      }
    }
  }
  if (byReceipt.size) {
    const spread = await db
      .select({ receiptId: receiptAllocations.receiptId, orderId: receiptAllocations.orderId, minor: sql<number>`sum(${receiptAllocations.amountMinor})` })
      .from(receiptAllocations)
      .where(and(eq(receiptAllocations.orgId, ctx.orgId), inArray(receiptAllocations.receiptId, [...byReceipt.keys()]), eq(receiptAllocations.kind, 'payment')))
      .groupBy(receiptAllocations.receiptId, receiptAllocations.orderId);
    for (const s of spread) byReceipt.get(s.receiptId!)?.allocationsByOrder.push({ orderId: s.orderId, minor: Number(s.minor) });
  }
  const receiptList = [...byReceipt.values()].sort((a, b) => (a.valueDate === b.valueDate ? a.receiptId.localeCompare(b.receiptId) : a.valueDate < b.valueDate ? -1 : 1));

  const paid = receiptList.reduce((t, r) => t + r.allocatedMinor, 0);
  const writtenOff = writeOffs.reduce((t, w) => t + w.amountMinor, 0);
  const outstanding = order.totalMinor - paid - writtenOff;
  const todayRate = outstanding !== 0 ? await tableRate(order.currency, today, 'NO_TODAY_RATE', 'todayRate') : null;

  const costRows = await loadOrderCosts(db, ctx, orderId);
  const costs = [];
  for (const [i, c] of costRows.entries()) {
    const rate: RateUsed | null = c.fxRate
      ? { from: c.currency, to: base, rate: c.fxRate, date: c.date, derived: 'fixed' }
      : await tableRate(c.currency, c.date, 'NO_COST_RATE', `costs[${i}]`);
    costs.push({
      id: c.id,
      category: c.category as CostCategory,
      description: c.description,
      amountMinor: c.amountMinor,
      currency: c.currency,
      date: c.date,
      supplier: c.supplier,
      reference: c.reference,
      shipmentId: c.shipmentId,
      rate,
    });
  }

  const figures = computeProfitability(
    { orderId, currency: order.currency, baseCurrency: base, totalMinor: order.totalMinor, bookedRate, todayRate, receipts: receiptList, writeOffs, costs },
    problems,
  );
  return {
    orderId,
    reference: order.reference,
    status: order.status,
    currency: order.currency,
    baseCurrency: base,
    asOf: today,
    orderDate,
    orderDateBasis: confirmed?.at ? 'confirmed' : 'created',
    bookedRate,
    todayRate,
    ...figures,
  };
}
