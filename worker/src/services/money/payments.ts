/** An order's payments: its milestones with their allocations, its letter of credit, due-date overrides and write-offs. */
import { and, eq, min, ne, sql } from 'drizzle-orm';
import type { LetterOfCredit, LetterOfCreditInput, OrderPayments, PaymentMilestone, PaymentMilestoneUpdate, WriteOffInput } from '../../../../shared/contracts/payments.js';
import { describePaymentTerms, PaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { toMinor } from '../../../../shared/domain/money.js';
import { deriveSchedule, lcChecks, presentationDeadline } from '../../../../shared/domain/payment-schedule.js';
import type { Executor } from '../../db/client.js';
import { lettersOfCredit, orders, paymentMilestones, receiptAllocations, shipments } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { AppError, conflict, notFound, stale, unprocessable } from '../errors.js';
import { loadOrderRow } from '../orders/orders.js';
import { money } from '../orders/mapping.js';
import { requirePermission } from '../permissions.js';
import { readMilestones, refreshPaid, syncSchedules, todayOf } from './schedule.js';

type OrderRow = typeof orders.$inferSelect;
type LcRow = typeof lettersOfCredit.$inferSelect;

/** A major-unit amount of `currency` as minor units, or 422 naming `path` when it has more decimals than the currency. */
export function minorOf(amount: string, currency: string, path: string): number {
  try {
    return toMinor(amount, currency);
  } catch (e) {
    throw unprocessable('INVALID_AMOUNT', (e as Error).message, [{ path, message: (e as Error).message }]);
  }
}

/** The order's schedule, derived anew when the order changed since. */
async function freshSchedule(ctx: ServiceContext, order: OrderRow): Promise<void> {
  const rows = await ctx.database.db.select({ v: paymentMilestones.orderVersion }).from(paymentMilestones).where(eq(paymentMilestones.orderId, order.id));
  const planned = deriveSchedule(PaymentTerms.parse(order.paymentTerms), order.totalMinor, order.currency).length;
  if (rows.length !== planned || rows.some((r) => r.v !== order.version)) await ctx.database.write((tx) => syncSchedules(tx, ctx, [order]));
}

/** Payment milestones (with allocations and status today), totals and the letter of credit of an order. */
export async function getOrderPayments(ctx: ServiceContext, orderId: string): Promise<OrderPayments> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  const order = await loadOrderRow(db, ctx, orderId);
  await freshSchedule(ctx, order);
  const today = todayOf(ctx);
  const milestones = await readMilestones(db, ctx, [order], today);
  const sum = (pick: (m: PaymentMilestone) => number) => milestones.reduce((a, m) => a + pick(m), 0);
  const c = order.currency;
  return {
    orderId: order.id,
    reference: order.reference,
    paymentTerms: describePaymentTerms(PaymentTerms.parse(order.paymentTerms)),
    total: money(order.totalMinor, c),
    paid: money(sum((m) => m.paid.minor), c),
    writtenOff: money(sum((m) => m.writtenOff.minor), c),
    outstanding: money(sum((m) => m.outstanding.minor), c),
    overdue: money(sum((m) => (m.status === 'overdue' ? m.outstanding.minor : 0)), c),
    milestones,
    letterOfCredit: await readLc(db, ctx, order, today),
  };
}

async function readLc(db: Executor, ctx: ServiceContext, order: OrderRow, today: string): Promise<LetterOfCredit | null> {
  const [row] = await db.select().from(lettersOfCredit).where(and(eq(lettersOfCredit.orgId, ctx.orgId), eq(lettersOfCredit.orderId, order.id)));
  if (!row) return null;
  const [bl] = await db
    .select({ date: min(shipments.blDate) })
    .from(shipments)
    .where(and(eq(shipments.orderId, order.id), ne(shipments.status, 'cancelled')));
  return toLc(row, order, bl?.date ?? null, today);
}

function toLc(row: LcRow, order: OrderRow, blDate: string | null, today: string): LetterOfCredit {
  return {
    orderId: row.orderId,
    number: row.number,
    issuingBank: row.issuingBank,
    advisingBank: row.advisingBank,
    amount: row.amountMinor === null ? null : money(row.amountMinor, row.currency ?? order.currency),
    expiryDate: row.expiryDate,
    expiryPlace: row.expiryPlace,
    latestShipmentDate: row.latestShipmentDate,
    presentationDays: row.presentationDays,
    presentationDeadline: blDate ? presentationDeadline(blDate, row.expiryDate, row.presentationDays) : null,
    warnings: lcChecks({ expiryDate: row.expiryDate, latestShipmentDate: row.latestShipmentDate, presentationDays: row.presentationDays, ...(blDate ? { blDate } : {}), today }),
    version: row.version,
  };
}

/**
 * Record or replace the letter of credit an LC order ships under. Creating needs no If-Match; replacing needs the
 * LC's version. Warnings (latest shipment date near or passed, presentation deadline) come back with it.
 */
export async function putLetterOfCredit(ctx: ServiceContext, orderId: string, expectedVersion: number | null, input: LetterOfCreditInput): Promise<{ lc: LetterOfCredit; created: boolean }> {
  requirePermission(ctx, 'payments:write');
  const created = await ctx.database.write(async (tx) => {
    const order = await loadOrderRow(tx, ctx, orderId);
    if (PaymentTerms.parse(order.paymentTerms).type !== 'lc') {
      throw unprocessable('NOT_AN_LC_ORDER', `Order ${order.reference} is not paid by letter of credit (${describePaymentTerms(PaymentTerms.parse(order.paymentTerms))})`, [
        { path: 'number', message: 'Change the order\'s payment terms to LC first' },
      ]);
    }
    const [existing] = await tx.select().from(lettersOfCredit).where(and(eq(lettersOfCredit.orgId, ctx.orgId), eq(lettersOfCredit.orderId, orderId)));
    if (existing && expectedVersion === null) throw new AppError(428, 'PRECONDITION_REQUIRED', 'This order has a letter of credit: send If-Match with its ETag');
    if (existing && existing.version !== expectedVersion) throw stale('Letter of credit', toLc(existing, order, null, todayOf(ctx)));
    if (!existing && expectedVersion !== null) throw new AppError(412, 'PRECONDITION_FAILED', `Order ${order.reference} has no letter of credit yet: send the PUT without If-Match`);
    const next: LcRow = {
      orderId,
      orgId: ctx.orgId,
      number: input.number,
      issuingBank: input.issuingBank ?? null,
      advisingBank: input.advisingBank ?? null,
      amountMinor: input.amount ? minorOf(input.amount, order.currency, 'amount') : null,
      currency: input.amount ? order.currency : null,
      expiryDate: input.expiryDate,
      expiryPlace: input.expiryPlace ?? null,
      latestShipmentDate: input.latestShipmentDate,
      presentationDays: input.presentationDays,
      version: existing ? existing.version + 1 : 1,
      updatedAt: isoNow(ctx),
    };
    if (existing) await tx.update(lettersOfCredit).set(next).where(eq(lettersOfCredit.orderId, orderId));
    else await tx.insert(lettersOfCredit).values(next);
    const { updatedAt: _u, orgId: _o, ...audited } = next;
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: orderId, orderId, action: existing ? 'payment.lc_updated' : 'payment.lc_recorded', before: null, after: audited }]);
    return !existing;
  });
  const order = await loadOrderRow(ctx.database.db, ctx, orderId);
  return { lc: (await readLc(ctx.database.db, ctx, order, todayOf(ctx)))!, created };
}

async function loadMilestoneRow(db: Executor, ctx: ServiceContext, id: string) {
  const [row] = await db.select().from(paymentMilestones).where(and(eq(paymentMilestones.orgId, ctx.orgId), eq(paymentMilestones.id, id)));
  if (!row) throw notFound('Payment milestone', id);
  return row;
}

async function readOne(ctx: ServiceContext, id: string): Promise<PaymentMilestone> {
  const db = ctx.database.db;
  const row = await loadMilestoneRow(db, ctx, id);
  const order = await loadOrderRow(db, ctx, row.orderId);
  return (await readMilestones(db, ctx, [order], todayOf(ctx))).find((m) => m.id === id)!;
}

/** Set a milestone's due date by hand (null: follow the payment terms again). Needs the milestone's version. */
export async function updatePaymentMilestone(ctx: ServiceContext, id: string, expectedVersion: number, patch: PaymentMilestoneUpdate): Promise<PaymentMilestone> {
  requirePermission(ctx, 'payments:write');
  await ctx.database.write(async (tx) => {
    const row = await loadMilestoneRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Payment milestone', await readOne(ctx, id));
    const next = { dueDate: patch.dueDate, dueDateManual: patch.dueDate !== null, version: row.version + 1, updatedAt: isoNow(ctx) };
    await tx.update(paymentMilestones).set(next).where(and(eq(paymentMilestones.id, id), eq(paymentMilestones.version, row.version)));
    await recordAudit(tx, ctx, [
      { entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'payment.due_date_set', before: { milestone: row.label, dueDate: row.dueDate }, after: { milestone: row.label, dueDate: patch.dueDate } },
    ]);
  });
  return readOne(ctx, id);
}

/**
 * Close a short payment explicitly: write off up to the milestone's outstanding amount (e.g. charges the buyer's bank
 * deducted). The milestone then counts as paid; the write-off shows in the order's profitability as lost revenue.
 */
export async function writeOffMilestone(ctx: ServiceContext, id: string, input: WriteOffInput): Promise<PaymentMilestone> {
  requirePermission(ctx, 'payments:write');
  await ctx.database.write(async (tx) => {
    const row = await loadMilestoneRow(tx, ctx, id);
    const amountMinor = minorOf(input.amount, row.currency, 'amount');
    const outstanding = row.amountMinor - row.paidMinor - row.writtenOffMinor;
    if (amountMinor <= 0) throw unprocessable('INVALID_AMOUNT', 'Write off more than zero', [{ path: 'amount', message: 'Must be above zero' }]);
    if (amountMinor > outstanding) {
      throw unprocessable('OVER_WRITE_OFF', `Only ${money(Math.max(0, outstanding), row.currency).amount} ${row.currency} is outstanding on "${row.label}"`, [
        { path: 'amount', message: `At most ${money(Math.max(0, outstanding), row.currency).amount}` },
      ]);
    }
    await tx.insert(receiptAllocations).values({
      id: newId('ral'),
      orgId: ctx.orgId,
      receiptId: null,
      milestoneId: id,
      orderId: row.orderId,
      kind: 'write_off',
      amountMinor,
      note: input.note,
      createdBy: ctx.actor.userId,
      createdAt: isoNow(ctx),
    });
    await refreshPaid(tx, [id]);
    await tx.update(paymentMilestones).set({ version: row.version + 1, updatedAt: isoNow(ctx) }).where(eq(paymentMilestones.id, id));
    await recordAudit(tx, ctx, [
      { entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'payment.written_off', before: null, after: { milestone: row.label, amount: money(amountMinor, row.currency).amount, currency: row.currency }, note: input.note },
    ]);
  });
  return readOne(ctx, id);
}
