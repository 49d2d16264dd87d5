import { and, eq, sql } from 'drizzle-orm';
import type { Order, OrderTransition } from '../../../../shared/contracts/orders.js';
import { compareDecimal } from '../../../../shared/domain/money.js';
import { MANUAL_TRANSITIONS, type OrderStatus } from '../../../../shared/domain/order-status.js';
import type { Executor } from '../../db/client.js';
import { orders, shipments } from '../../db/schema/index.js';
import { recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { conflict, stale, unprocessable, type ErrorDetail } from '../errors.js';
import { requirePermission } from '../permissions.js';
import { releaseOrderStock, reserveOrderStock } from '../stock/reservations.js';
import { confirmationBlockers, orderValidation } from '../validation.js';
import { loadLines, loadOrderRow, loadProgress, readOrder } from './orders.js';
import { loadParties } from './parties-check.js';
import type { LineRow } from './lines.js';
import type { OrderRow } from './mapping.js';
import { releaseOrderAllocations } from '../money/schedule.js';

/**
 * Move an order to a new status by hand. Shipped states are not accepted here: they follow from
 * shipments. Confirming checks that the order is complete; cancelling cancels its planned shipments.
 */
export async function transitionOrder(ctx: ServiceContext, id: string, expectedVersion: number, input: OrderTransition): Promise<Order> {
  const rule = MANUAL_TRANSITIONS[input.to]!;
  requirePermission(ctx, rule.permission);
  await ctx.database.write(async (tx) => {
    const row = await loadOrderRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Order', await readOrder(tx, ctx, id));
    if (!rule.from.includes(row.status as OrderStatus)) {
      throw conflict('INVALID_TRANSITION', `An order that is ${row.status} cannot become ${input.to} (allowed from: ${rule.from.join(', ')})`);
    }
    if (input.to === 'confirmed') {
      await reserveOrderStock(tx, ctx, id, await assertConfirmable(tx, ctx, row));
    }
    if (input.to === 'cancelled' || input.to === 'draft') await releaseOrderStock(tx, ctx, id, input.to === 'cancelled' ? 'Order cancelled' : 'Order reopened (back to draft)');
    if (input.to === 'cancelled') {
      await releaseOrderAllocations(tx, ctx, id);
      const planned = await tx.select().from(shipments).where(and(eq(shipments.orderId, id), eq(shipments.status, 'planned')));
      await tx
        .update(shipments)
        .set({ status: 'cancelled', version: sql`${shipments.version} + 1`, updatedAt: isoNow(ctx) })
        .where(and(eq(shipments.orderId, id), eq(shipments.status, 'planned')));
      await recordAudit(
        tx,
        ctx,
        planned.map((s) => ({ entityType: 'shipment' as const, entityId: s.id, orderId: id, action: 'shipment.status_changed', before: { status: s.status }, after: { status: 'cancelled' }, note: 'Order cancelled' })),
      );
    }
    await setStatus(tx, ctx, row, input.to as OrderStatus, input.note ?? null);
  });
  return readOrder(ctx.database.db, ctx, id);
}

async function setStatus(tx: Executor, ctx: ServiceContext, row: OrderRow, to: OrderStatus, note: string | null) {
  await tx
    .update(orders)
    .set({ status: to, version: row.version + 1, updatedAt: isoNow(ctx) })
    .where(and(eq(orders.id, row.id), eq(orders.version, row.version)));
  await recordAudit(tx, ctx, [{ entityType: 'order', entityId: row.id, orderId: row.id, action: 'order.status_changed', before: { status: row.status }, after: { status: to }, note }]);
}

/**
 * An order can be confirmed once it has lines, a value, a ship date and verified buyer and consignee, and
 * the country templates find no blocking error in the order or its shipments (see `confirmationBlockers`;
 * warnings never block). Returns the order's lines.
 */
async function assertConfirmable(tx: Executor, ctx: ServiceContext, row: OrderRow): Promise<LineRow[]> {
  const problems: ErrorDetail[] = [];
  const lines = await loadLines(tx, row.id);
  if (!lines.length) problems.push({ path: 'lines', message: 'An order needs at least one line to be confirmed' });
  else if (row.totalMinor <= 0) problems.push({ path: 'lines', message: 'The order total is zero' });
  if (!row.requestedShipDate) problems.push({ path: 'requestedShipDate', message: 'Set the requested ship date before confirming' });
  const partyMap = await loadParties(tx, ctx, [row.buyerId, row.consigneeId, row.notifyPartyId]);
  for (const [path, pid] of [['buyerId', row.buyerId], ['consigneeId', row.consigneeId], ['notifyPartyId', row.notifyPartyId]] as const) {
    const p = pid ? partyMap.get(pid) : undefined;
    if (pid && p && !p.verifiedAt) problems.push({ path, message: `${p.name} is not verified yet: check its address, tax ids and contacts, then verify it`, code: 'PARTY_UNVERIFIED' });
  }
  if (lines.length) {
    for (const f of confirmationBlockers(await orderValidation(tx, ctx, row.id))) {
      // The order's own parties were checked just above (PARTY_UNVERIFIED); a shipment's consignee was not.
      if (f.rule === 'default.parties-verified' && !f.shipmentId) continue;
      problems.push({ path: `validation.${f.path}`, message: f.shipmentReference ? `Shipment ${f.shipmentReference}: ${f.message}` : f.message, code: f.rule });
    }
  }
  if (problems.length) throw unprocessable('ORDER_NOT_READY', 'The order cannot be confirmed yet', problems);
  return lines;
}

/**
 * Derive partially_shipped / shipped / delivered from the order's shipments, after a shipment changed.
 * Called inside the shipment's transaction.
 */
export async function syncShippedStatus(tx: Executor, ctx: ServiceContext, orderId: string): Promise<void> {
  const row = await loadOrderRow(tx, ctx, orderId);
  if (!['ready_to_ship', 'partially_shipped', 'shipped', 'delivered'].includes(row.status)) return;
  const [lines, { progress, shipments: live }] = await Promise.all([loadLines(tx, orderId), loadProgress(tx, orderId)]);
  const anyShipped = lines.some((l) => compareDecimal(progress.get(l.id)?.shipped ?? '0', '0') > 0);
  const allShipped = lines.length > 0 && lines.every((l) => compareDecimal(progress.get(l.id)?.shipped ?? '0', l.quantity) >= 0);
  const allDelivered = allShipped && live.every((s) => s.status === 'delivered' || s.status === 'cancelled');
  const target: OrderStatus = allDelivered ? 'delivered' : allShipped ? 'shipped' : anyShipped ? 'partially_shipped' : 'ready_to_ship';
  if (target !== row.status) await setStatus(tx, ctx, row, target, 'Derived from shipments');
}
