/**
 * Receipts: money a buyer paid, as the bank credited it (amount, value date, reference, charges, the rate applied),
 * allocated to that buyer's payment milestones in the same currency. What is not allocated stays on the receipt as
 * the buyer's credit (an over-payment is never lost); a short payment leaves the milestone partly paid until more
 * money comes or the rest is written off.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { AllocationInput, Receipt, ReceiptAllocate, ReceiptCreate, ReceiptListQuery } from '../../../../shared/contracts/payments.js';
import { allocateReceipt as planAllocation } from '../../../../shared/domain/allocation.js';
import { convertMinor } from '../../../../shared/domain/fx.js';
import type { Executor } from '../../db/client.js';
import { orders, parties, paymentMilestones, receiptAllocations, receipts } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { conflict, notFound, unprocessable, type ErrorDetail } from '../errors.js';
import { money } from '../orders/mapping.js';
import { decodeCursor, pageOf } from '../pagination.js';
import { requirePermission } from '../permissions.js';
import { baseCurrencyOf } from './fx-rates.js';
import { minorOf } from './payments.js';
import { dueAnchors, dueDateOf, refreshPaid, syncStaleSchedules } from './schedule.js';

type ReceiptRow = typeof receipts.$inferSelect;
type MilestoneRow = typeof paymentMilestones.$inferSelect;

async function loadReceiptRow(db: Executor, ctx: ServiceContext, id: string): Promise<ReceiptRow> {
  const [row] = await db.select().from(receipts).where(and(eq(receipts.orgId, ctx.orgId), eq(receipts.id, id)));
  if (!row) throw notFound('Receipt', id);
  return row;
}

/** The buyer's open milestones in `currency`, oldest due first (unknown due dates last, then by order and sequence). */
async function openMilestones(tx: Executor, ctx: ServiceContext, buyerId: string, currency: string): Promise<MilestoneRow[]> {
  await syncStaleSchedules(tx, ctx, buyerId);
  const rows = await tx
    .select()
    .from(paymentMilestones)
    .innerJoin(orders, eq(orders.id, paymentMilestones.orderId))
    .where(
      and(
        eq(paymentMilestones.orgId, ctx.orgId),
        eq(paymentMilestones.buyerId, buyerId),
        eq(paymentMilestones.currency, currency),
        sql`${paymentMilestones.amountMinor} > ${paymentMilestones.paidMinor} + ${paymentMilestones.writtenOffMinor}`,
        sql`${orders.status} NOT IN ('draft', 'cancelled')`,
      ),
    );
  const anchors = await dueAnchors(tx, ctx, [...new Set(rows.map((r) => r.orders.id))]);
  const dated = rows.map((r) => ({ row: r.payment_milestones, due: dueDateOf(r.payment_milestones, anchors.get(r.orders.id) ?? {}) }));
  dated.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.row.orderId.localeCompare(b.row.orderId) || a.row.seq - b.row.seq);
  return dated.map((d) => d.row);
}

/**
 * Apply `amountMinor` of a receipt to milestones: FIFO over the buyer's open milestones when `requested` is absent,
 * else exactly the requested allocations (each checked: same buyer and currency, not above what is outstanding,
 * not above what the receipt has left). Problems name the input field; nothing is written when there is one.
 */
async function applyAllocations(tx: Executor, ctx: ServiceContext, receipt: ReceiptRow, availableMinor: number, requested: AllocationInput[] | undefined): Promise<number> {
  const open = await openMilestones(tx, ctx, receipt.buyerId, receipt.currency);
  const problems: ErrorDetail[] = [];
  let plan;
  if (requested) {
    const asked = requested.map((a, i) => ({ id: a.milestoneId, amountMinor: safeMinor(a.amount, receipt.currency, `allocations[${i}].amount`, problems) }));
    const byId = new Map(open.map((m) => [m.id, m]));
    const known = await tx
      .select({ m: paymentMilestones, status: orders.status, reference: orders.reference })
      .from(paymentMilestones)
      .innerJoin(orders, eq(orders.id, paymentMilestones.orderId))
      .where(and(eq(paymentMilestones.orgId, ctx.orgId), inArray(paymentMilestones.id, requested.map((a) => a.milestoneId))));
    requested.forEach((a, i) => {
      const hit = known.find((k) => k.m.id === a.milestoneId);
      const m = hit?.m;
      if (!m) problems.push({ path: `allocations[${i}].milestoneId`, message: `Payment milestone ${a.milestoneId} not found` });
      else if (hit.status === 'draft' || hit.status === 'cancelled') problems.push({ path: `allocations[${i}].milestoneId`, message: `Order ${hit.reference} is ${hit.status}: nothing is owed on it` });
      else if (m.buyerId !== receipt.buyerId) problems.push({ path: `allocations[${i}].milestoneId`, message: 'That milestone is owed by another buyer' });
      else if (m.currency !== receipt.currency) problems.push({ path: `allocations[${i}].milestoneId`, message: `That milestone is in ${m.currency}; the receipt is in ${receipt.currency}` });
      else if (!byId.has(m.id)) problems.push({ path: `allocations[${i}].milestoneId`, message: `"${m.label}" has nothing outstanding` });
    });
    if (problems.length) throw unprocessable('ALLOCATION_REJECTED', 'The allocations do not fit', problems);
    plan = planAllocation(availableMinor, open.map((m) => ({ id: m.id, outstandingMinor: m.amountMinor - m.paidMinor - m.writtenOffMinor })), asked);
    if (plan.problems.length) {
      throw unprocessable(
        'ALLOCATION_REJECTED',
        'The allocations do not fit',
        plan.problems.map((p) => ({ path: p.path.replace(/\.amountMinor$/, '.amount').replace(/^allocations\[(\d+)\]\.id$/, 'allocations[$1].milestoneId'), message: p.message })),
      );
    }
  } else {
    plan = planAllocation(availableMinor, open.map((m) => ({ id: m.id, outstandingMinor: m.amountMinor - m.paidMinor - m.writtenOffMinor })));
  }
  const at = isoNow(ctx);
  const milestoneOf = new Map(open.map((m) => [m.id, m]));
  if (plan.allocations.length) {
    await tx.insert(receiptAllocations).values(
      plan.allocations.map((a) => ({
        id: newId('ral'),
        orgId: ctx.orgId,
        receiptId: receipt.id,
        milestoneId: a.id,
        orderId: milestoneOf.get(a.id)!.orderId,
        kind: 'payment',
        amountMinor: a.amountMinor,
        note: null,
        createdBy: ctx.actor.userId,
        createdAt: at,
      })),
    );
    const ids = plan.allocations.map((a) => a.id);
    await refreshPaid(tx, ids);
    await tx.update(paymentMilestones).set({ version: sql`${paymentMilestones.version} + 1`, updatedAt: at }).where(inArray(paymentMilestones.id, ids));
    // Never more than owed, whatever ran concurrently: the writer lock makes this a check of committed state.
    const over = await tx.select({ id: paymentMilestones.id }).from(paymentMilestones).where(and(inArray(paymentMilestones.id, ids), sql`${paymentMilestones.paidMinor} + ${paymentMilestones.writtenOffMinor} > ${paymentMilestones.amountMinor}`));
    if (over.length) throw conflict('OVER_ALLOCATED', 'Another allocation was made to the same milestone meanwhile; reload and try again');
    await recordAudit(
      tx,
      ctx,
      plan.allocations.map((a) => {
        const m = milestoneOf.get(a.id)!;
        return { entityType: 'order' as const, entityId: m.orderId, orderId: m.orderId, action: 'payment.received', after: { milestone: m.label, amount: money(a.amountMinor, m.currency).amount, currency: m.currency, bankReference: receipt.bankReference, valueDate: receipt.valueDate } };
      }),
    );
  }
  return plan.allocations.reduce((s, a) => s + a.amountMinor, 0);
}

function safeMinor(amount: string, currency: string, path: string, problems: ErrorDetail[]): number {
  try {
    return minorOf(amount, currency, path);
  } catch (e) {
    problems.push({ path, message: (e as Error).message });
    return 0;
  }
}

/** Record a receipt and allocate it (FIFO when no allocations are given), all in one transaction. */
export async function createReceipt(ctx: ServiceContext, input: ReceiptCreate): Promise<Receipt> {
  requirePermission(ctx, 'payments:write');
  const id = await ctx.database.write(async (tx) => {
    const base = await baseCurrencyOf(tx, ctx);
    const [buyer] = await tx.select({ id: parties.id, roles: parties.roles }).from(parties).where(and(eq(parties.orgId, ctx.orgId), eq(parties.id, input.buyerId)));
    const problems: ErrorDetail[] = [];
    if (!buyer) problems.push({ path: 'buyerId', message: `Party ${input.buyerId} not found` });
    else if (!buyer.roles.includes('buyer')) problems.push({ path: 'buyerId', message: 'That party is not a buyer' });
    const amountMinor = safeMinor(input.amount, input.currency, 'amount', problems);
    const chargesMinor = input.bankCharges ? safeMinor(input.bankCharges, input.currency, 'bankCharges', problems) : 0;
    if (!problems.length && amountMinor <= 0) problems.push({ path: 'amount', message: 'Must be above zero' });
    if (chargesMinor > amountMinor) problems.push({ path: 'bankCharges', message: 'Charges cannot exceed the amount' });
    const fxRate = input.currency === base ? (input.fxRate ?? '1') : input.fxRate;
    if (!fxRate) problems.push({ path: 'fxRate', message: `Give the ${input.currency}/${base} rate the bank applied` });
    else if (input.currency === base && Number(fxRate) !== 1) problems.push({ path: 'fxRate', message: `A receipt in ${base} has rate 1` });
    const [dupe] = await tx.select({ id: receipts.id }).from(receipts).where(and(eq(receipts.orgId, ctx.orgId), eq(receipts.bankReference, input.bankReference)));
    if (dupe) throw conflict('DUPLICATE_RECEIPT', `Receipt ${input.bankReference} is already recorded (${dupe.id})`, [{ path: 'bankReference', message: 'Already recorded' }]);
    if (problems.length) throw unprocessable('RECEIPT_REJECTED', 'The receipt cannot be recorded', problems);
    const row: ReceiptRow = {
      id: newId('rcp'),
      orgId: ctx.orgId,
      buyerId: input.buyerId,
      amountMinor,
      currency: input.currency,
      valueDate: input.valueDate,
      bankReference: input.bankReference,
      bankChargesMinor: chargesMinor,
      fxRate: fxRate!,
      baseAmountMinor: convertMinor(amountMinor, input.currency, base, fxRate!),
      notes: input.notes ?? null,
      version: 1,
      createdBy: ctx.actor.userId,
      createdAt: isoNow(ctx),
    };
    await tx.insert(receipts).values(row);
    await applyAllocations(tx, ctx, row, amountMinor, input.allocations);
    return row.id;
  });
  return getReceipt(ctx, id);
}

/** Allocate what a receipt still has (its buyer's credit) to milestones. */
export async function allocateReceiptCredit(ctx: ServiceContext, id: string, input: ReceiptAllocate): Promise<Receipt> {
  requirePermission(ctx, 'payments:write');
  await ctx.database.write(async (tx) => {
    const row = await loadReceiptRow(tx, ctx, id);
    const [used] = await tx.select({ n: sql<number>`coalesce(sum(${receiptAllocations.amountMinor}), 0)` }).from(receiptAllocations).where(eq(receiptAllocations.receiptId, id));
    const left = row.amountMinor - Number(used?.n ?? 0);
    if (left <= 0) throw conflict('NOTHING_LEFT', `Receipt ${row.bankReference} is fully allocated`);
    await applyAllocations(tx, ctx, row, left, input.allocations);
  });
  return getReceipt(ctx, id);
}

/** Undo one allocation (payment or write-off): the money goes back to the receipt's credit, the milestone is owed again. */
export async function reverseAllocation(ctx: ServiceContext, allocationId: string): Promise<{ id: string; milestoneId: string; receiptId: string | null }> {
  requirePermission(ctx, 'payments:write');
  return ctx.database.write(async (tx) => {
    const [a] = await tx.select().from(receiptAllocations).where(and(eq(receiptAllocations.orgId, ctx.orgId), eq(receiptAllocations.id, allocationId)));
    if (!a) throw notFound('Allocation', allocationId);
    const [m] = await tx.select().from(paymentMilestones).where(eq(paymentMilestones.id, a.milestoneId));
    await tx.delete(receiptAllocations).where(eq(receiptAllocations.id, allocationId));
    await refreshPaid(tx, [a.milestoneId]);
    await tx.update(paymentMilestones).set({ version: sql`${paymentMilestones.version} + 1`, updatedAt: isoNow(ctx) }).where(eq(paymentMilestones.id, a.milestoneId));
    await recordAudit(tx, ctx, [
      { entityType: 'order', entityId: a.orderId, orderId: a.orderId, action: a.kind === 'write_off' ? 'payment.write_off_reversed' : 'payment.allocation_reversed', before: { milestone: m?.label, amount: money(a.amountMinor, m?.currency ?? 'USD').amount }, after: null },
    ]);
    return { id: a.id, milestoneId: a.milestoneId, receiptId: a.receiptId };
  });
}

async function toReceipts(db: Executor, ctx: ServiceContext, rows: ReceiptRow[]): Promise<Receipt[]> {
  if (!rows.length) return [];
  const base = await baseCurrencyOf(db, ctx);
  const allocs = await db
    .select({ a: receiptAllocations, label: paymentMilestones.label, reference: orders.reference })
    .from(receiptAllocations)
    .innerJoin(paymentMilestones, eq(paymentMilestones.id, receiptAllocations.milestoneId))
    .innerJoin(orders, eq(orders.id, receiptAllocations.orderId))
    .where(inArray(receiptAllocations.receiptId, rows.map((r) => r.id)))
    .orderBy(asc(receiptAllocations.id));
  const buyers = await db.select({ id: parties.id, name: parties.name }).from(parties).where(inArray(parties.id, [...new Set(rows.map((r) => r.buyerId))]));
  const buyerName = new Map(buyers.map((b) => [b.id, b.name]));
  const byReceipt = new Map<string, typeof allocs>();
  for (const x of allocs) {
    const list = byReceipt.get(x.a.receiptId!);
    if (list) list.push(x);
    else byReceipt.set(x.a.receiptId!, [x]);
  }
  return rows.map((r) => {
    const mine = byReceipt.get(r.id) ?? [];
    const allocated = mine.reduce((s, x) => s + x.a.amountMinor, 0);
    const c = r.currency;
    return {
      id: r.id,
      buyerId: r.buyerId,
      buyerName: buyerName.get(r.buyerId) ?? '',
      amount: money(r.amountMinor, c),
      valueDate: r.valueDate,
      bankReference: r.bankReference,
      bankCharges: money(r.bankChargesMinor, c),
      fxRate: r.fxRate,
      baseAmount: money(r.baseAmountMinor, base),
      allocated: money(allocated, c),
      unallocated: money(r.amountMinor - allocated, c),
      allocations: mine.map((x) => ({ id: x.a.id, milestoneId: x.a.milestoneId, orderId: x.a.orderId, orderReference: x.reference, label: x.label, amount: money(x.a.amountMinor, c), createdAt: x.a.createdAt })),
      notes: r.notes,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
    };
  });
}

export async function getReceipt(ctx: ServiceContext, id: string): Promise<Receipt> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  return (await toReceipts(db, ctx, [await loadReceiptRow(db, ctx, id)]))[0]!;
}

/** Receipts, newest first, by buyer, value date range, or only those with credit left. */
export async function listReceipts(ctx: ServiceContext, q: ReceiptListQuery): Promise<{ items: Receipt[]; nextCursor: string | null }> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  const after = decodeCursor(q.cursor);
  const allocated = sql`(SELECT coalesce(sum(${receiptAllocations.amountMinor}), 0) FROM ${receiptAllocations} WHERE ${receiptAllocations.receiptId} = ${receipts.id})`;
  const rows = await db
    .select()
    .from(receipts)
    .where(
      and(
        eq(receipts.orgId, ctx.orgId),
        after ? lt(receipts.id, after) : undefined,
        q.buyerId ? eq(receipts.buyerId, q.buyerId) : undefined,
        q.from ? gte(receipts.valueDate, q.from) : undefined,
        q.to ? lte(receipts.valueDate, q.to) : undefined,
        q.unallocated === 'true' ? gt(receipts.amountMinor, allocated) : q.unallocated === 'false' ? sql`${receipts.amountMinor} = ${allocated}` : undefined,
      ),
    )
    .orderBy(desc(receipts.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit);
  return { items: await toReceipts(db, ctx, page.items), nextCursor: page.nextCursor };
}
