import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AuditEvent } from '../../../shared/contracts/orders.js';
import { bulkInsert } from '../db/bulk.js';
import type { Executor } from '../db/client.js';
import { auditEvents, users } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { isoNow, type ServiceContext } from './context.js';
import { notFound } from './errors.js';
import { requirePermission } from './permissions.js';

export interface AuditEntry {
  entityType: 'order' | 'shipment';
  entityId: string;
  orderId: string;
  action: string;
  before?: object | null;
  after?: object | null;
  note?: string | null;
}

/** Append audit events in the caller's transaction, so the trail commits with the change or not at all. */
export async function recordAudit(tx: Executor, ctx: ServiceContext, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const at = isoNow(ctx);
  await bulkInsert(
    tx,
    auditEvents,
    entries.map((e) => ({
      id: newId('aud'),
      orgId: ctx.orgId,
      orderId: e.orderId,
      entityType: e.entityType,
      entityId: e.entityId,
      action: e.action,
      actorId: ctx.actor.userId,
      at,
      before: e.before ?? null,
      after: e.after ?? null,
      note: e.note ?? null,
    })),
    { perStatement: 1000 },
  );
}

/** The audit trail of an order and its shipments, oldest first. */
export async function orderHistory(ctx: ServiceContext, orderId: string): Promise<AuditEvent[]> {
  requirePermission(ctx, 'orders:read');
  const rows = await ctx.database.db
    .select({ e: auditEvents, u: { id: users.id, name: users.name, email: users.email } })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(eq(auditEvents.orgId, ctx.orgId), eq(auditEvents.orderId, orderId)))
    .orderBy(asc(auditEvents.id));
  if (!rows.length) throw notFound('Order', orderId); // every order has at least its creation event
  return rows.map(({ e, u }) => ({
    id: e.id,
    at: e.at,
    actor: u && u.id ? { id: u.id, name: u.name, email: u.email } : null,
    entityType: e.entityType as 'order' | 'shipment',
    entityId: e.entityId,
    action: e.action,
    before: (e.before as Record<string, unknown> | null) ?? null,
    after: (e.after as Record<string, unknown> | null) ?? null,
    note: e.note,
  }));
}

/** Only the fields that differ between two flat snapshots, for compact before/after entries. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** Users by id (id, name, email), in one query; none asked, none read. */
export async function usersById(db: Executor, ids: Iterable<string | null>): Promise<Map<string, { id: string; name: string; email: string }>> {
  const wanted = [...new Set([...ids].filter((x): x is string => !!x))];
  const rows = wanted.length ? await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, wanted)) : [];
  return new Map(rows.map((u) => [u.id, u]));
}
