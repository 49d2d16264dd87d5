import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { isScopedRole } from '../../../shared/domain/roles.js';
import type { Executor } from '../db/client.js';
import { shipmentParties, shipments } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';

/**
 * What forwarder and customs-agent users may see: the shipments assigned to their party (shipment_parties),
 * and what hangs off those shipments. Everything else answers 404, exactly as a record of another organisation
 * does, so a scoped user cannot even learn that it exists. Internal roles are not limited here.
 */

/** The party a scoped actor works for; null for internal roles (no limit). A scoped user without a party sees nothing. */
export function scopedParty(ctx: ServiceContext): { partyId: string } | null {
  return isScopedRole(ctx.actor.role) ? { partyId: ctx.actor.partyId ?? '' } : null;
}

/** A condition limiting `shipmentIdColumn` to the actor's visible shipments; undefined when the actor sees all. */
export function visibleShipments(ctx: ServiceContext, shipmentIdColumn: SQLiteColumn | SQL): SQL | undefined {
  const scope = scopedParty(ctx);
  if (!scope) return undefined;
  return sql`${shipmentIdColumn} IN (SELECT ${shipmentParties.shipmentId} FROM ${shipmentParties} WHERE ${shipmentParties.orgId} = ${ctx.orgId} AND ${shipmentParties.partyId} = ${scope.partyId})`;
}

/** A condition limiting `orderIdColumn` to orders with a shipment the actor may see; undefined when the actor sees all. */
export function visibleOrders(ctx: ServiceContext, orderIdColumn: SQLiteColumn | SQL): SQL | undefined {
  const condition = visibleShipments(ctx, shipments.id);
  return condition ? sql`EXISTS (SELECT 1 FROM ${shipments} WHERE ${shipments.orderId} = ${orderIdColumn} AND ${condition})` : undefined;
}

/**
 * Documents a scoped actor sees: those of their shipments, and the order's own (order-scoped) documents when one of
 * the order's shipments is theirs, except the proforma invoice (a commercial quote, not a shipping document).
 * Returns a test for the order's documents, made with one query (none for internal roles).
 */
export async function documentVisibility(db: Executor, ctx: ServiceContext, orderId: string): Promise<(doc: { shipmentId: string | null; kind: string }) => boolean> {
  const condition = visibleShipments(ctx, shipments.id);
  if (!condition) return () => true;
  const rows = await db.select({ id: shipments.id }).from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.orderId, orderId), condition));
  const mine = new Set(rows.map((r) => r.id));
  return (doc) => (doc.shipmentId ? mine.has(doc.shipmentId) : doc.kind !== 'proforma_invoice' && mine.size > 0);
}

/** `documentVisibility` for one document. */
export async function canSeeDocument(db: Executor, ctx: ServiceContext, doc: { orderId: string; shipmentId: string | null; kind: string }): Promise<boolean> {
  return (await documentVisibility(db, ctx, doc.orderId))(doc);
}
