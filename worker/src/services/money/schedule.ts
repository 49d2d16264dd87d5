/**
 * Payment milestones: derived from an order's payment terms and total (shared/domain/payment-schedule.ts),
 * kept in `payment_milestones` so receipts can be allocated to them. A schedule is re-derived whenever the order
 * has a newer version than the one it was made from; rows keep their ids by sequence, so allocations stay put.
 * Due dates follow the order's events (confirmation, B/L date, final invoice date) unless set by hand.
 */
import { and, asc, desc, eq, inArray, isNotNull, min, ne, sql } from 'drizzle-orm';
import type { PaymentMilestone } from '../../../../shared/contracts/payments.js';
import { PaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { deriveSchedule, paymentStatus, resolveDueDate, type DueAnchor, type DueAnchors } from '../../../../shared/domain/payment-schedule.js';
import type { Executor } from '../../db/client.js';
import { auditEvents, documents, orders, paymentMilestones, receiptAllocations, receipts, shipments } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { money } from '../orders/mapping.js';

export type MilestoneRow = typeof paymentMilestones.$inferSelect;
type OrderRow = typeof orders.$inferSelect;
type AllocationRow = typeof receiptAllocations.$inferSelect;

/** Orders whose schedule counts: not drafts (quotes) and not cancelled ones. */
export const RECEIVABLE_STATUSES = ['confirmed', 'in_production', 'ready_to_ship', 'partially_shipped', 'shipped', 'delivered', 'closed'] as const;

/**
 * Bring the schedules of these orders up to date with their orders (terms, total, currency, buyer). Changed rows
 * get a new version; rows no longer in the terms are removed. Then the money already applied is fitted to the new
 * amounts (`rebalance`): nothing is lost, nothing is over-applied. `onlyExisting` leaves orders without a schedule
 * alone (it is made the first time someone looks).
 */
export async function syncSchedules(tx: Executor, ctx: ServiceContext, orderRows: OrderRow[], options: { onlyExisting?: boolean } = {}): Promise<void> {
  if (!orderRows.length) return;
  const ids = orderRows.map((o) => o.id);
  const existing = await tx.select().from(paymentMilestones).where(and(eq(paymentMilestones.orgId, ctx.orgId), inArray(paymentMilestones.orderId, ids)));
  const now = isoNow(ctx);
  for (const order of orderRows) {
    const mine = existing.filter((m) => m.orderId === order.id).sort((a, b) => a.seq - b.seq);
    if (options.onlyExisting && !mine.length) continue;
    const planned = deriveSchedule(PaymentTerms.parse(order.paymentTerms), order.totalMinor, order.currency);
    if (mine.length === planned.length && mine.every((m) => m.orderVersion === order.version)) continue;
    for (const p of planned) {
      const row = mine.find((m) => m.seq === p.sequence);
      const fields = {
        buyerId: order.buyerId,
        kind: p.kind,
        label: p.label,
        percent: p.percent,
        amountMinor: p.amountMinor,
        currency: order.currency,
        dueAnchor: p.due.anchor,
        dueDays: p.due.days,
        orderVersion: order.version,
      };
      if (!row) {
        await tx.insert(paymentMilestones).values({ id: newId('pms'), orgId: ctx.orgId, orderId: order.id, seq: p.sequence, ...fields, createdAt: now, updatedAt: now });
      } else {
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => k !== 'orderVersion' && row[k] !== fields[k]);
        await tx
          .update(paymentMilestones)
          .set({ ...fields, ...(changed ? { version: row.version + 1, updatedAt: now } : {}) })
          .where(eq(paymentMilestones.id, row.id));
      }
    }
    const gone = mine.filter((m) => !planned.some((p) => p.sequence === m.seq));
    if (gone.length) {
      const [last] = await tx.select({ id: paymentMilestones.id }).from(paymentMilestones).where(and(eq(paymentMilestones.orderId, order.id), inArray(paymentMilestones.seq, planned.map((p) => p.sequence)))).orderBy(desc(paymentMilestones.seq)).limit(1);
      const goneIds = gone.map((g) => g.id);
      await tx.update(receiptAllocations).set({ milestoneId: last!.id }).where(inArray(receiptAllocations.milestoneId, goneIds));
      await tx.delete(paymentMilestones).where(inArray(paymentMilestones.id, goneIds));
    }
    await rebalance(tx, ctx, order.id);
  }
}

/**
 * Fit an order's allocations to its milestones' current amounts, oldest allocation first: each milestone keeps
 * money up to its amount; what is over moves to the next milestones that still owe (splitting an allocation row
 * where needed); what no milestone owes any more goes back to its receipt as the buyer's credit. Write-offs come
 * after payments and shrink (or go) where they are no longer needed. One audit entry says what moved.
 */
export async function rebalance(tx: Executor, ctx: ServiceContext, orderId: string): Promise<void> {
  const ms = await tx.select().from(paymentMilestones).where(eq(paymentMilestones.orderId, orderId)).orderBy(asc(paymentMilestones.seq));
  if (!ms.length) return;
  const allocs = await tx.select().from(receiptAllocations).where(inArray(receiptAllocations.milestoneId, ms.map((m) => m.id))).orderBy(asc(receiptAllocations.createdAt), asc(receiptAllocations.id));
  const room = new Map(ms.map((m) => [m.id, m.amountMinor]));
  const moves: { allocation: string; from: string; to: string | null; amountMinor: number }[] = [];
  // Pass 1: every allocation keeps what fits on its own milestone (payments before write-offs).
  const ordered = [...allocs.filter((a) => a.kind === 'payment'), ...allocs.filter((a) => a.kind !== 'payment')];
  const over: { a: AllocationRow; minor: number }[] = [];
  for (const a of ordered) {
    const fits = Math.min(a.amountMinor, room.get(a.milestoneId) ?? 0);
    room.set(a.milestoneId, (room.get(a.milestoneId) ?? 0) - fits);
    if (fits < a.amountMinor) over.push({ a, minor: a.amountMinor - fits });
  }
  if (!over.length) return;
  const at = isoNow(ctx);
  for (const { a, minor } of over) {
    let left = minor;
    // Shrink the original row to what stays on its milestone.
    const kept = a.amountMinor - minor;
    if (kept > 0) await tx.update(receiptAllocations).set({ amountMinor: kept }).where(eq(receiptAllocations.id, a.id));
    else await tx.delete(receiptAllocations).where(eq(receiptAllocations.id, a.id));
    // Payments move on to milestones that still owe; write-offs are simply no longer needed.
    if (a.kind === 'payment') {
      for (const m of ms) {
        if (!left) break;
        const free = room.get(m.id)!;
        if (free <= 0 || m.id === a.milestoneId) continue;
        const part = Math.min(free, left);
        room.set(m.id, free - part);
        left -= part;
        await tx.insert(receiptAllocations).values({ ...a, id: newId('ral'), milestoneId: m.id, amountMinor: part, createdAt: a.createdAt });
        moves.push({ allocation: a.id, from: a.milestoneId, to: m.id, amountMinor: part });
      }
    }
    if (left) moves.push({ allocation: a.id, from: a.milestoneId, to: null, amountMinor: left });
  }
  await refreshPaid(tx, ms.map((m) => m.id));
  await tx.update(paymentMilestones).set({ version: sql`${paymentMilestones.version} + 1`, updatedAt: at }).where(inArray(paymentMilestones.id, [...new Set(moves.flatMap((m) => [m.from, m.to]).filter((x): x is string => !!x))]));
  const label = new Map(ms.map((m) => [m.id, m.label]));
  const c = ms[0]!.currency;
  await recordAudit(tx, ctx, [
    {
      entityType: 'order',
      entityId: orderId,
      orderId,
      action: 'payment.reallocated',
      after: { moves: moves.map((m) => ({ from: label.get(m.from), to: m.to ? label.get(m.to) : 'receipt credit', amount: money(m.amountMinor, c).amount, currency: c })) },
      note: 'The order changed: money already applied was fitted to the new payment milestones',
    },
  ]);
}

/** When an order is cancelled, the money applied to it goes back to its receipts as the buyer's credit; write-offs go. */
export async function releaseOrderAllocations(tx: Executor, ctx: ServiceContext, orderId: string): Promise<void> {
  const allocs = await tx.select().from(receiptAllocations).where(and(eq(receiptAllocations.orgId, ctx.orgId), eq(receiptAllocations.orderId, orderId)));
  if (!allocs.length) return;
  const ms = await tx.select().from(paymentMilestones).where(eq(paymentMilestones.orderId, orderId));
  await tx.delete(receiptAllocations).where(and(eq(receiptAllocations.orgId, ctx.orgId), eq(receiptAllocations.orderId, orderId)));
  await refreshPaid(tx, ms.map((m) => m.id));
  const c = ms[0]?.currency ?? 'USD';
  const paid = allocs.filter((a) => a.kind === 'payment').reduce((s, a) => s + a.amountMinor, 0);
  await recordAudit(tx, ctx, [
    { entityType: 'order', entityId: orderId, orderId, action: 'payment.released', before: { applied: money(paid, c).amount, currency: c }, after: { applied: money(0, c).amount }, note: 'Order cancelled: received money is the buyer\'s credit again' },
  ]);
}

/** Recompute paid and written-off totals of milestones from their allocations. */
export async function refreshPaid(tx: Executor, milestoneIds: string[]): Promise<void> {
  if (!milestoneIds.length) return;
  await tx
    .update(paymentMilestones)
    .set({
      paidMinor: sql`(SELECT coalesce(sum(${receiptAllocations.amountMinor}), 0) FROM ${receiptAllocations} WHERE ${receiptAllocations.milestoneId} = ${paymentMilestones.id} AND ${receiptAllocations.kind} = 'payment')`,
      writtenOffMinor: sql`(SELECT coalesce(sum(${receiptAllocations.amountMinor}), 0) FROM ${receiptAllocations} WHERE ${receiptAllocations.milestoneId} = ${paymentMilestones.id} AND ${receiptAllocations.kind} = 'write_off')`,
    })
    .where(inArray(paymentMilestones.id, milestoneIds));
}

/** Bring out of date schedules of an organisation's receivable orders up to date (for lists and reports). */
export async function syncStaleSchedules(tx: Executor, ctx: ServiceContext, buyerId?: string): Promise<void> {
  const stale = await tx
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.orgId, ctx.orgId),
        inArray(orders.status, [...RECEIVABLE_STATUSES]),
        buyerId ? eq(orders.buyerId, buyerId) : undefined,
        sql`NOT EXISTS (SELECT 1 FROM ${paymentMilestones} WHERE ${paymentMilestones.orderId} = ${orders.id} AND ${paymentMilestones.orderVersion} = ${orders.version})`,
      ),
    );
  for (let i = 0; i < stale.length; i += 200) await syncSchedules(tx, ctx, stale.slice(i, i + 200));
}

/** The dates due dates hang on, per order: confirmation, earliest B/L date, earliest final commercial invoice. */
export async function dueAnchors(db: Executor, ctx: ServiceContext, orderIds: string[]): Promise<Map<string, DueAnchors>> {
  const out = new Map<string, DueAnchors>(orderIds.map((id) => [id, {}]));
  if (!orderIds.length) return out;
  for (let i = 0; i < orderIds.length; i += 500) {
    const ids = orderIds.slice(i, i + 500);
    const confirmed = await db
      .select({ orderId: auditEvents.orderId, at: min(auditEvents.at) })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, ctx.orgId), inArray(auditEvents.orderId, ids), eq(auditEvents.action, 'order.status_changed'), sql`json_extract(${auditEvents.after}, '$.status') = 'confirmed'`))
      .groupBy(auditEvents.orderId);
    const bl = await db
      .select({ orderId: shipments.orderId, date: min(shipments.blDate) })
      .from(shipments)
      .where(and(eq(shipments.orgId, ctx.orgId), inArray(shipments.orderId, ids), ne(shipments.status, 'cancelled'), isNotNull(shipments.blDate)))
      .groupBy(shipments.orderId);
    const invoices = await db
      .select({ orderId: documents.orderId, date: min(documents.documentDate) })
      .from(documents)
      .where(and(eq(documents.orgId, ctx.orgId), inArray(documents.orderId, ids), eq(documents.kind, 'commercial_invoice'), isNotNull(documents.finalizedAt)))
      .groupBy(documents.orderId);
    for (const c of confirmed) if (c.orderId && c.at) out.get(c.orderId)!.order_confirmed = c.at.slice(0, 10);
    for (const b of bl) {
      if (!b.date) continue;
      // Documents go to the bank (and the buyer sights them) after shipment: until a date is recorded by hand, the B/L date.
      Object.assign(out.get(b.orderId)!, { bl_date: b.date, documents_presented: b.date, sight: b.date });
    }
    for (const d of invoices) if (d.date) out.get(d.orderId)!.invoice_date = d.date;
  }
  return out;
}

type ShownAllocation = AllocationRow & { bankReference: string | null; valueDate: string | null };

/** A milestone's due date: set by hand, or its anchor event's date plus its days (null until the event happened). */
export function dueDateOf(row: Pick<MilestoneRow, 'dueDateManual' | 'dueDate' | 'dueAnchor' | 'dueDays'>, anchors: DueAnchors): string | null {
  return row.dueDateManual ? row.dueDate : resolveDueDate({ anchor: row.dueAnchor as DueAnchor, days: row.dueDays }, anchors);
}

/** A milestone as the API shows it, with its status on `today`; `allocations` are this milestone's. */
function toMilestone(
  row: MilestoneRow,
  reference: string,
  anchors: DueAnchors,
  allocations: ShownAllocation[],
  today: string,
  totals: { paidMinor: number; writtenOffMinor: number } = row,
): PaymentMilestone {
  const dueDate = dueDateOf(row, anchors);
  const settled = totals.paidMinor + totals.writtenOffMinor;
  const st = paymentStatus({ amountMinor: row.amountMinor, paidMinor: Math.min(settled, Number.MAX_SAFE_INTEGER), dueDate, today });
  const c = row.currency;
  return {
    id: row.id,
    orderId: row.orderId,
    orderReference: reference,
    buyerId: row.buyerId,
    seq: row.seq,
    kind: row.kind as PaymentMilestone['kind'],
    label: row.label,
    percent: row.percent,
    amount: money(row.amountMinor, c),
    due: { anchor: row.dueAnchor as DueAnchor, days: row.dueDays },
    dueDate,
    dueDateManual: row.dueDateManual,
    paid: money(totals.paidMinor, c),
    writtenOff: money(totals.writtenOffMinor, c),
    outstanding: money(st.outstandingMinor, c),
    status: st.status,
    daysOverdue: st.daysOverdue,
    allocations: allocations.map((a) => ({
      id: a.id,
      kind: a.kind as 'payment' | 'write_off',
      receiptId: a.receiptId,
      bankReference: a.bankReference,
      valueDate: a.valueDate,
      amount: money(a.amountMinor, c),
      note: a.note,
      createdAt: a.createdAt,
      createdBy: a.createdBy,
    })),
    version: row.version,
  };
}

/**
 * Milestones of some orders with their allocations, as the API shows them on `today`. With `asOf`, as they stood at
 * the end of that day: only money with a value date (write-offs: a date made) up to then, and only due-date events
 * that had happened by then.
 */
export async function readMilestones(db: Executor, ctx: ServiceContext, orderRows: Pick<OrderRow, 'id' | 'reference'>[], today: string, options: { asOf?: boolean } = {}): Promise<PaymentMilestone[]> {
  if (!orderRows.length) return [];
  const ids = orderRows.map((o) => o.id);
  const rows = await db.select().from(paymentMilestones).where(and(eq(paymentMilestones.orgId, ctx.orgId), inArray(paymentMilestones.orderId, ids))).orderBy(asc(paymentMilestones.orderId), asc(paymentMilestones.seq));
  const allocs = rows.length
    ? await db
        .select({ a: receiptAllocations, bankReference: receipts.bankReference, valueDate: receipts.valueDate })
        .from(receiptAllocations)
        .leftJoin(receipts, eq(receipts.id, receiptAllocations.receiptId))
        .where(and(eq(receiptAllocations.orgId, ctx.orgId), inArray(receiptAllocations.orderId, ids)))
        .orderBy(asc(receiptAllocations.id))
    : [];
  const anchors = await dueAnchors(db, ctx, ids);
  const refs = new Map(orderRows.map((o) => [o.id, o.reference]));
  const byMilestone = new Map<string, ShownAllocation[]>();
  for (const x of allocs) {
    const a = { ...x.a, bankReference: x.bankReference, valueDate: x.valueDate };
    if (options.asOf && (a.valueDate ?? a.createdAt.slice(0, 10)) > today) continue;
    const list = byMilestone.get(a.milestoneId);
    if (list) list.push(a);
    else byMilestone.set(a.milestoneId, [a]);
  }
  if (!options.asOf) return rows.map((r) => toMilestone(r, refs.get(r.orderId)!, anchors.get(r.orderId) ?? {}, byMilestone.get(r.id) ?? [], today));
  for (const [id, a] of anchors) anchors.set(id, Object.fromEntries(Object.entries(a).filter(([, d]) => d && d <= today)));
  return rows.map((r) => {
    const mine = byMilestone.get(r.id) ?? [];
    const sum = (kind: string) => mine.filter((a) => a.kind === kind).reduce((s2, a) => s2 + a.amountMinor, 0);
    return toMilestone(r, refs.get(r.orderId)!, anchors.get(r.orderId) ?? {}, mine, today, { paidMinor: sum('payment'), writtenOffMinor: sum('write_off') });
  });
}

/** Today's date in UTC for the context's clock. */
export const todayOf = (ctx: Pick<ServiceContext, 'now'>) => ctx.now().toISOString().slice(0, 10);
