import { and, eq, inArray } from 'drizzle-orm';
import type { ShipmentParties, ShipmentPartiesUpdate, ShipmentPartyRole } from '../../../shared/contracts/shipment-parties.js';
import type { Executor } from '../db/client.js';
import { parties, shipmentParties, shipments } from '../db/schema/index.js';
import { recordAudit } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { conflict, stale, unprocessable, type ErrorDetail } from './errors.js';
import { requirePermission } from './permissions.js';
import { loadShipmentRow } from './shipments.js';

type ShipmentRow = typeof shipments.$inferSelect;
const FIELD: Record<ShipmentPartyRole, 'forwarderId' | 'customsAgentId'> = { forwarder: 'forwarderId', customs_agent: 'customsAgentId' };

async function readParties(db: Executor, ctx: ServiceContext, shipment: ShipmentRow): Promise<ShipmentParties> {
  const rows = await db
    .select({ role: shipmentParties.role, id: parties.id, name: parties.name })
    .from(shipmentParties)
    .innerJoin(parties, eq(parties.id, shipmentParties.partyId))
    .where(and(eq(shipmentParties.orgId, ctx.orgId), eq(shipmentParties.shipmentId, shipment.id)));
  const ref = (role: ShipmentPartyRole) => {
    const r = rows.find((x) => x.role === role);
    return r ? { id: r.id, name: r.name } : null;
  };
  return { shipmentId: shipment.id, forwarder: ref('forwarder'), customsAgent: ref('customs_agent'), version: shipment.version };
}

/** The shipment's forwarder and customs agent. */
export async function getShipmentParties(ctx: ServiceContext, shipmentId: string): Promise<ShipmentParties> {
  requirePermission(ctx, 'shipments:read');
  const db = ctx.database.db;
  return readParties(db, ctx, await loadShipmentRow(db, ctx, shipmentId));
}

/**
 * Assign (or remove) the shipment's forwarder and customs agent. Their users see the shipment from now on, and
 * stop seeing it when removed. Needs the shipment's version (If-Match); the shipment's version moves on.
 */
export async function setShipmentParties(ctx: ServiceContext, shipmentId: string, expectedVersion: number, input: ShipmentPartiesUpdate): Promise<ShipmentParties> {
  requirePermission(ctx, 'shipments:write');
  return ctx.database.write(async (tx) => {
    const shipment = await loadShipmentRow(tx, ctx, shipmentId);
    if (shipment.version !== expectedVersion) throw stale('Shipment parties', await readParties(tx, ctx, shipment));
    if (shipment.status === 'cancelled') throw conflict('SHIPMENT_CANCELLED', 'The shipment is cancelled');
    const wanted = (Object.entries(FIELD) as [ShipmentPartyRole, 'forwarderId' | 'customsAgentId'][])
      .filter(([, field]) => input[field] !== undefined)
      .map(([role, field]) => ({ role, field, partyId: input[field] ?? null }));
    const problems = await partyRoleProblems(tx, ctx, wanted);
    if (problems.length) throw unprocessable('PARTY_ROLE_MISMATCH', 'The parties cannot take these places', problems);
    const changed = await assignParties(tx, ctx, shipment, wanted);
    return changed ? readParties(tx, ctx, changed) : readParties(tx, ctx, shipment);
  });
}

/** Each named party exists in the organisation and has the role of its place. */
export async function partyRoleProblems(tx: Executor, ctx: ServiceContext, wanted: { role: ShipmentPartyRole; field: string; partyId: string | null }[]): Promise<ErrorDetail[]> {
  const ids = wanted.map((w) => w.partyId).filter((x): x is string => !!x);
  const found = ids.length ? await tx.select({ id: parties.id, name: parties.name, roles: parties.roles }).from(parties).where(and(eq(parties.orgId, ctx.orgId), inArray(parties.id, ids))) : [];
  const problems: ErrorDetail[] = [];
  for (const w of wanted) {
    if (!w.partyId) continue;
    const p = found.find((x) => x.id === w.partyId);
    if (!p) problems.push({ path: w.field, message: `Party ${w.partyId} not found` });
    else if (!p.roles.includes(w.role)) problems.push({ path: w.field, message: `${p.name} is not a ${w.role.replace('_', ' ')} (its roles: ${p.roles.join(', ')})` });
  }
  return problems;
}

/**
 * Put parties in their places on a shipment (null removes); records one audit event and bumps the shipment's
 * version when anything changed. Returns the updated shipment row, or null when nothing changed.
 * Callers check roles first (`partyRoleProblems`).
 */
export async function assignParties(tx: Executor, ctx: ServiceContext, shipment: ShipmentRow, wanted: { role: ShipmentPartyRole; partyId: string | null }[]): Promise<ShipmentRow | null> {
  const current = await tx.select().from(shipmentParties).where(and(eq(shipmentParties.orgId, ctx.orgId), eq(shipmentParties.shipmentId, shipment.id)));
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  for (const w of wanted) {
    const was = current.find((c) => c.role === w.role)?.partyId ?? null;
    if (was === w.partyId) continue;
    before[w.role] = was;
    after[w.role] = w.partyId;
    await tx.delete(shipmentParties).where(and(eq(shipmentParties.shipmentId, shipment.id), eq(shipmentParties.role, w.role)));
    if (w.partyId) await tx.insert(shipmentParties).values({ shipmentId: shipment.id, role: w.role, partyId: w.partyId, orgId: ctx.orgId });
  }
  if (!Object.keys(after).length) return null;
  const next = { ...shipment, version: shipment.version + 1, updatedAt: isoNow(ctx) };
  await tx.update(shipments).set({ version: next.version, updatedAt: next.updatedAt }).where(and(eq(shipments.id, shipment.id), eq(shipments.version, shipment.version)));
  await recordAudit(tx, ctx, [{ entityType: 'shipment', entityId: shipment.id, orderId: shipment.orderId, action: 'shipment.parties_assigned', before, after }]);
  return next;
}
