/**
 * What an order cost, each cost in its own currency: supplier purchases, freight, insurance, bank charges, other.
 * Amounts are integers of the currency's minor unit; an optional fixed rate (base-currency units per 1 unit)
 * overrides the FX table for that cost. Every change is recorded in the order's audit trail.
 */
import { and, asc, eq } from 'drizzle-orm';
import { amountProblem, type CostCategory, type OrderCost, type OrderCostCreate, type OrderCostUpdate } from '../../../../shared/contracts/fx.js';
import { parseRate } from '../../../../shared/domain/fx.js';
import { fromMinor, normaliseDecimal, toMinor } from '../../../../shared/domain/money.js';
import type { Executor } from '../../db/client.js';
import { orderCosts, shipments } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { diff, recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { invalid, notFound, stale, unprocessable, type ErrorDetail } from '../errors.js';
import { money } from '../orders/mapping.js';
import { loadOrderRow } from '../orders/orders.js';
import { requirePermission } from '../permissions.js';
import { baseCurrencyOf } from './fx-rates.js';

export type CostRow = typeof orderCosts.$inferSelect;

export const COST_CATEGORY_LABELS: Record<CostCategory, string> = {
  supplier: 'Supplier purchase',
  freight: 'Freight',
  insurance: 'Insurance',
  bank_charges: 'Bank charges',
  other: 'Other cost',
};

export function toCost(r: CostRow): OrderCost {
  return {
    id: r.id,
    orderId: r.orderId,
    shipmentId: r.shipmentId,
    category: r.category as CostCategory,
    description: r.description,
    amount: money(r.amountMinor, r.currency),
    date: r.date,
    fxRate: r.fxRate,
    supplier: r.supplier,
    reference: r.reference,
    version: r.version,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The fields an audit entry shows (amount in major units beside its currency). */
const auditView = (r: CostRow) => ({
  orderCostId: r.id,
  category: r.category,
  description: r.description,
  amount: fromMinor(r.amountMinor, r.currency),
  currency: r.currency,
  date: r.date,
  fxRate: r.fxRate,
  supplier: r.supplier,
  reference: r.reference,
  shipmentId: r.shipmentId,
});

async function loadCostRow(db: Executor, ctx: ServiceContext, id: string): Promise<CostRow> {
  const [row] = await db.select().from(orderCosts).where(and(eq(orderCosts.orgId, ctx.orgId), eq(orderCosts.id, id)));
  if (!row) throw notFound('Cost', id);
  return row;
}

/** An order's costs, by date then entry. */
export async function loadOrderCosts(db: Executor, ctx: ServiceContext, orderId: string): Promise<CostRow[]> {
  return db
    .select()
    .from(orderCosts)
    .where(and(eq(orderCosts.orgId, ctx.orgId), eq(orderCosts.orderId, orderId)))
    .orderBy(asc(orderCosts.date), asc(orderCosts.id));
}

/** Business checks of a cost as it would be stored: its shipment belongs to the order; a base-currency cost has no rate but 1. */
async function checkCost(tx: Executor, ctx: ServiceContext, row: CostRow): Promise<void> {
  const problems: ErrorDetail[] = [];
  if (row.shipmentId) {
    const [s] = await tx.select({ orderId: shipments.orderId }).from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, row.shipmentId)));
    if (!s || s.orderId !== row.orderId) problems.push({ path: 'shipmentId', message: `Shipment ${row.shipmentId} is not a shipment of this order`, code: 'NOT_FOUND' });
  }
  if (row.fxRate) {
    const base = await baseCurrencyOf(tx, ctx);
    const r = parseRate(row.fxRate);
    if (row.currency === base && r.units !== 10n ** BigInt(r.decimals)) {
      problems.push({ path: 'fxRate', message: `The cost is in the base currency (${base}): its rate can only be 1; leave fxRate out`, code: 'FX_RATE_BASE' });
    }
  }
  if (problems.length) throw unprocessable('COST_REJECTED', 'The cost cannot be recorded', problems);
}

/** POST /orders/{id}/costs */
export async function createOrderCost(ctx: ServiceContext, orderId: string, input: OrderCostCreate): Promise<OrderCost> {
  requirePermission(ctx, 'payments:write');
  return ctx.database.write(async (tx) => {
    await loadOrderRow(tx, ctx, orderId);
    const now = isoNow(ctx);
    const row: CostRow = {
      id: newId('cst'),
      orgId: ctx.orgId,
      orderId,
      shipmentId: input.shipmentId ?? null,
      category: input.category,
      description: input.description ?? COST_CATEGORY_LABELS[input.category],
      amountMinor: toMinor(input.amount, input.currency),
      currency: input.currency,
      date: input.date,
      fxRate: input.fxRate ? normaliseDecimal(input.fxRate) : null,
      supplier: input.supplier ?? null,
      reference: input.reference ?? null,
      version: 1,
      createdBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    await checkCost(tx, ctx, row);
    await tx.insert(orderCosts).values(row);
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: orderId, orderId, action: 'order_cost.added', after: auditView(row) }]);
    return toCost(row);
  });
}

/** GET /orders/{id}/costs */
export async function listOrderCosts(ctx: ServiceContext, orderId: string): Promise<OrderCost[]> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  await loadOrderRow(db, ctx, orderId);
  return (await loadOrderCosts(db, ctx, orderId)).map(toCost);
}

/** GET /costs/{id} */
export async function getOrderCost(ctx: ServiceContext, id: string): Promise<OrderCost> {
  requirePermission(ctx, 'payments:read');
  return toCost(await loadCostRow(ctx.database.db, ctx, id));
}

/** The amount in minor units after a change of amount and/or currency; 400 naming `amount` when it does not fit the currency. */
function nextAmountMinor(row: CostRow, patch: OrderCostUpdate, currency: string): number {
  const amount = patch.amount ?? normaliseDecimal(fromMinor(row.amountMinor, row.currency));
  const why = amountProblem(amount, currency);
  if (why) {
    throw invalid('The request is not valid; see details', [
      { path: 'amount', message: patch.amount === undefined ? `The cost's amount ${amount} does not fit ${currency}: ${why}; send the amount in ${currency} too` : why },
    ]);
  }
  return toMinor(amount, currency);
}

/** PATCH /costs/{id} under If-Match. A change that changes nothing keeps the version and writes no audit event. */
export async function updateOrderCost(ctx: ServiceContext, id: string, expectedVersion: number, patch: OrderCostUpdate): Promise<OrderCost> {
  requirePermission(ctx, 'payments:write');
  return ctx.database.write(async (tx) => {
    const row = await loadCostRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Cost', toCost(row));
    const currency = patch.currency ?? row.currency;
    const next: CostRow = {
      ...row,
      category: patch.category ?? row.category,
      description: patch.description ?? row.description,
      currency,
      amountMinor: patch.amount !== undefined || currency !== row.currency ? nextAmountMinor(row, patch, currency) : row.amountMinor,
      date: patch.date ?? row.date,
    };
    if (patch.fxRate !== undefined) next.fxRate = patch.fxRate === null ? null : normaliseDecimal(patch.fxRate);
    for (const key of ['supplier', 'reference', 'shipmentId'] as const) if (patch[key] !== undefined) next[key] = patch[key];
    const changes = diff(auditView(row), auditView(next));
    if (!changes) return toCost(row);
    await checkCost(tx, ctx, next);
    next.version = row.version + 1;
    next.updatedAt = isoNow(ctx);
    await tx.update(orderCosts).set(next).where(and(eq(orderCosts.id, id), eq(orderCosts.version, row.version)));
    await recordAudit(tx, ctx, [
      { entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'order_cost.updated', before: { orderCostId: id, ...changes.before }, after: { orderCostId: id, ...changes.after } },
    ]);
    return toCost(next);
  });
}

/** DELETE /costs/{id} under If-Match: the cost is removed; the audit trail keeps what it was. */
export async function deleteOrderCost(ctx: ServiceContext, id: string, expectedVersion: number): Promise<void> {
  requirePermission(ctx, 'payments:write');
  await ctx.database.write(async (tx) => {
    const row = await loadCostRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Cost', toCost(row));
    await tx.delete(orderCosts).where(and(eq(orderCosts.id, id), eq(orderCosts.version, row.version)));
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'order_cost.removed', before: auditView(row) }]);
  });
}
