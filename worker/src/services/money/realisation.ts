/** Export proceeds realised per shipment (GET answers before an e-BRC exists too: all realisation fields null, version 0): the bank's e-BRC number and date, and what was realised against the invoice value. */
import { and, eq } from 'drizzle-orm';
import type { Realisation, RealisationInput } from '../../../../shared/contracts/payments.js';
import { lineAmountMinor } from '../../../../shared/domain/money.js';
import type { Executor } from '../../db/client.js';
import { orderLines, orders, shipmentAllocations, shipmentRealisations } from '../../db/schema/index.js';
import { recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { AppError, notFound, stale, unprocessable } from '../errors.js';
import { money } from '../orders/mapping.js';
import { requirePermission } from '../permissions.js';
import { loadShipmentRow } from '../shipments.js';
import { baseCurrencyOf } from './fx-rates.js';
import { minorOf } from './payments.js';

type Row = typeof shipmentRealisations.$inferSelect;

/** Value of the goods on a shipment in the order currency: each allocated quantity at its line's price and discount. */
async function invoiceValue(db: Executor, shipmentId: string, currency: string): Promise<number> {
  const rows = await db
    .select({ quantity: shipmentAllocations.quantity, unitPrice: orderLines.unitPrice, discount: orderLines.discountPercent })
    .from(shipmentAllocations)
    .innerJoin(orderLines, eq(orderLines.id, shipmentAllocations.orderLineId))
    .where(eq(shipmentAllocations.shipmentId, shipmentId));
  return rows.reduce((s, r) => s + lineAmountMinor(r.quantity, r.unitPrice, r.discount, currency), 0);
}

async function toRealisation(db: Executor, row: Row, orderCurrency: string, baseCurrency: string): Promise<Realisation> {
  const value = await invoiceValue(db, row.shipmentId, orderCurrency);
  return {
    shipmentId: row.shipmentId,
    ebrcNumber: row.ebrcNumber,
    ebrcDate: row.ebrcDate,
    realised: money(row.realisedMinor, row.currency),
    baseAmount: row.baseAmountMinor === null ? null : money(row.baseAmountMinor, baseCurrency),
    invoiceValue: money(value, orderCurrency),
    shortfall: row.currency === orderCurrency ? money(value - row.realisedMinor, orderCurrency) : null,
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

async function context(db: Executor, ctx: ServiceContext, shipmentId: string) {
  const shipment = await loadShipmentRow(db, ctx, shipmentId);
  const [order] = await db.select({ currency: orders.currency }).from(orders).where(eq(orders.id, shipment.orderId));
  return { shipment, currency: order!.currency, base: await baseCurrencyOf(db, ctx) };
}

export async function getRealisation(ctx: ServiceContext, shipmentId: string): Promise<Realisation> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  const { currency, base } = await context(db, ctx, shipmentId);
  const [row] = await db.select().from(shipmentRealisations).where(and(eq(shipmentRealisations.orgId, ctx.orgId), eq(shipmentRealisations.shipmentId, shipmentId)));
  if (row) return toRealisation(db, row, currency, base);
  const value = await invoiceValue(db, shipmentId, currency);
  return { shipmentId, ebrcNumber: null, ebrcDate: null, realised: null, baseAmount: null, invoiceValue: money(value, currency), shortfall: money(value, currency), version: 0, updatedAt: null, updatedBy: null };
}

/** Record (or correct, with If-Match) the e-BRC of a shipped shipment. */
export async function putRealisation(ctx: ServiceContext, shipmentId: string, expectedVersion: number | null, input: RealisationInput): Promise<{ realisation: Realisation; created: boolean }> {
  requirePermission(ctx, 'payments:write');
  return ctx.database.write(async (tx) => {
    const { shipment, currency, base } = await context(tx, ctx, shipmentId);
    if (shipment.status !== 'shipped' && shipment.status !== 'delivered') {
      throw unprocessable('NOT_SHIPPED', `Shipment ${shipment.reference} is ${shipment.status}: proceeds are realised after shipment`, [{ path: 'ebrcNumber', message: 'Ship the shipment first' }]);
    }
    const [existing] = await tx.select().from(shipmentRealisations).where(and(eq(shipmentRealisations.orgId, ctx.orgId), eq(shipmentRealisations.shipmentId, shipmentId)));
    if (existing && expectedVersion === null) throw new AppError(428, 'PRECONDITION_REQUIRED', 'This shipment has an e-BRC recorded: send If-Match with its ETag');
    if (existing && existing.version !== expectedVersion) throw stale('Realisation', await toRealisation(tx, existing, currency, base));
    if (!existing && expectedVersion !== null) throw new AppError(412, 'PRECONDITION_FAILED', `Shipment ${shipment.reference} has no e-BRC recorded yet: send the PUT without If-Match`);
    const next: Row = {
      shipmentId,
      orgId: ctx.orgId,
      ebrcNumber: input.ebrcNumber,
      ebrcDate: input.ebrcDate,
      realisedMinor: minorOf(input.realisedAmount, input.currency, 'realisedAmount'),
      currency: input.currency,
      baseAmountMinor: input.baseAmount ? minorOf(input.baseAmount, base, 'baseAmount') : null,
      version: existing ? existing.version + 1 : 1,
      updatedBy: ctx.actor.userId,
      updatedAt: isoNow(ctx),
    };
    if (existing) await tx.update(shipmentRealisations).set(next).where(eq(shipmentRealisations.shipmentId, shipmentId));
    else await tx.insert(shipmentRealisations).values(next);
    await recordAudit(tx, ctx, [
      { entityType: 'shipment', entityId: shipmentId, orderId: shipment.orderId, action: existing ? 'payment.ebrc_corrected' : 'payment.ebrc_recorded', after: { ebrcNumber: next.ebrcNumber, ebrcDate: next.ebrcDate, realised: input.realisedAmount, currency: input.currency } },
    ]);
    return { realisation: await toRealisation(tx, next, currency, base), created: !existing };
  });
}
