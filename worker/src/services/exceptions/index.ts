/** Exceptions: the service verbs behind /exceptions (list, acknowledge, resolve, digest, sweep now). */
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Exception, ExceptionAcknowledge, ExceptionDigest, ExceptionDigestQuery, ExceptionListQuery, ExceptionResolve } from '../../../../shared/contracts/exceptions.js';
import { EXCEPTION_OWNER_ROLES, EXCEPTION_SEVERITIES } from '../../../../shared/exceptions/schema.js';
import { exceptions } from '../../db/schema/index.js';
import { isoNow, type ServiceContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import { decodeCursor, pageOf } from '../pagination.js';
import { requirePermission } from '../permissions.js';
import { visibleShipments } from '../scope.js';
import { sweepExceptions, type SweepResult } from './engine.js';

export { evaluateSubjects, sweepAllOrganisations, sweepExceptions, type SweepResult } from './engine.js';
export { clearValidationCache } from './validation-cache.js';

type Row = typeof exceptions.$inferSelect;

export const toException = (r: Row): Exception => ({
  id: r.id,
  ruleId: r.ruleId,
  subject: r.subject,
  orderId: r.orderId,
  shipmentId: r.shipmentId,
  severity: r.severity as Exception['severity'],
  ownerRole: r.ownerRole as Exception['ownerRole'],
  title: r.title,
  detail: r.detail,
  dueAt: r.dueAt,
  state: r.state as Exception['state'],
  facts: r.facts,
  raisedAt: r.raisedAt,
  lastSeenAt: r.lastSeenAt,
  acknowledgedAt: r.acknowledgedAt,
  acknowledgedBy: r.acknowledgedBy,
  resolvedAt: r.resolvedAt,
  resolvedBy: r.resolvedBy,
  resolution: r.resolution as Exception['resolution'],
  version: r.version,
});

/** Exceptions of the organisation, newest first, filtered by state, severity, owning role, order or shipment. */
export async function listExceptions(ctx: ServiceContext, q: ExceptionListQuery): Promise<{ items: Exception[]; nextCursor: string | null }> {
  requirePermission(ctx, 'exceptions:read');
  const after = decodeCursor(q.cursor);
  const where = [eq(exceptions.orgId, ctx.orgId)];
  const scope = visibleShipments(ctx, exceptions.shipmentId);
  if (scope) where.push(scope);
  if (after) where.push(lt(exceptions.id, after));
  if (q.state) where.push(inArray(exceptions.state, q.state));
  if (q.severity) where.push(inArray(exceptions.severity, q.severity));
  if (q.role) where.push(eq(exceptions.ownerRole, q.role));
  if (q.shipmentId) where.push(eq(exceptions.shipmentId, q.shipmentId));
  if (q.orderId) where.push(eq(exceptions.orderId, q.orderId));
  const rows = await ctx.database.db.select().from(exceptions).where(and(...where)).orderBy(desc(exceptions.id)).limit(q.limit + 1);
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toException), nextCursor: page.nextCursor };
}

/** One exception of the organisation that the actor may see (forwarders and customs agents: on their shipments only). */
const mine = (ctx: ServiceContext, id: string) => and(eq(exceptions.orgId, ctx.orgId), eq(exceptions.id, id), visibleShipments(ctx, exceptions.shipmentId));

export async function getException(ctx: ServiceContext, id: string): Promise<Exception> {
  requirePermission(ctx, 'exceptions:read');
  const [row] = await ctx.database.db.select().from(exceptions).where(mine(ctx, id));
  if (!row) throw notFound('Exception', id);
  return toException(row);
}

const withNote = (facts: Record<string, unknown>, entry: { at: string; by: string; action: string; note: string | undefined }) =>
  entry.note ? { ...facts, notes: [...((facts.notes as unknown[]) ?? []), entry].slice(-20) } : facts;

/** open → acknowledged (someone is on it). Acknowledging an acknowledged exception changes nothing; a resolved one is 409. */
export async function acknowledgeException(ctx: ServiceContext, id: string, input: ExceptionAcknowledge): Promise<Exception> {
  requirePermission(ctx, 'exceptions:write');
  return ctx.database.write(async (tx) => {
    const [row] = await tx.select().from(exceptions).where(mine(ctx, id));
    if (!row) throw notFound('Exception', id);
    if (row.state === 'resolved') throw conflict('EXCEPTION_RESOLVED', 'The exception is resolved; nothing to acknowledge');
    if (row.state === 'acknowledged' && !input.note) return toException(row);
    const now = isoNow(ctx);
    const next = {
      state: 'acknowledged',
      acknowledgedAt: row.acknowledgedAt ?? now,
      acknowledgedBy: row.acknowledgedBy ?? ctx.actor.userId,
      facts: withNote(row.facts, { at: now, by: ctx.actor.userId, action: 'acknowledged', note: input.note }),
      version: row.state === 'acknowledged' ? row.version : row.version + 1,
    };
    await tx.update(exceptions).set(next).where(eq(exceptions.id, id));
    return toException({ ...row, ...next });
  });
}

/**
 * Resolve by hand, with a note. The engine does not know about the note: if the cause is still there, the next
 * evaluation (on change, or the sweep) reopens the exception (state open, version + 1).
 */
export async function resolveException(ctx: ServiceContext, id: string, input: ExceptionResolve): Promise<Exception> {
  requirePermission(ctx, 'exceptions:write');
  return ctx.database.write(async (tx) => {
    const [row] = await tx.select().from(exceptions).where(mine(ctx, id));
    if (!row) throw notFound('Exception', id);
    if (row.state === 'resolved') throw conflict('EXCEPTION_RESOLVED', `The exception is already resolved (${row.resolution})`);
    const now = isoNow(ctx);
    const next = {
      state: 'resolved',
      resolution: 'manual',
      resolvedAt: now,
      resolvedBy: ctx.actor.userId,
      facts: withNote(row.facts, { at: now, by: ctx.actor.userId, action: 'resolved', note: input.note }),
      version: row.version + 1,
    };
    await tx.update(exceptions).set(next).where(eq(exceptions.id, id));
    return toException({ ...row, ...next });
  });
}

const severityRank = sql`CASE ${exceptions.severity} WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END`;

/** Per owning role: open and acknowledged exceptions counted by severity, and the most pressing ones. */
export async function exceptionDigest(ctx: ServiceContext, q: ExceptionDigestQuery): Promise<ExceptionDigest> {
  requirePermission(ctx, 'exceptions:read');
  const db = ctx.database.db;
  const now = isoNow(ctx);
  const roles = q.role ? [q.role] : [...EXCEPTION_OWNER_ROLES];
  const scope = visibleShipments(ctx, exceptions.shipmentId);
  const active = and(eq(exceptions.orgId, ctx.orgId), inArray(exceptions.state, ['open', 'acknowledged']), inArray(exceptions.ownerRole, roles), scope);
  const counts = await db
    .select({
      role: exceptions.ownerRole,
      severity: exceptions.severity,
      state: exceptions.state,
      n: sql<number>`count(*)`,
      overdue: sql<number>`sum(CASE WHEN ${exceptions.dueAt} IS NOT NULL AND ${exceptions.dueAt} < ${now} THEN 1 ELSE 0 END)`,
    })
    .from(exceptions)
    .where(active)
    .groupBy(exceptions.ownerRole, exceptions.severity, exceptions.state);
  const out: ExceptionDigest['roles'] = [];
  for (const role of roles) {
    const mine = counts.filter((c) => c.role === role);
    const bySeverity = Object.fromEntries(EXCEPTION_SEVERITIES.map((s) => [s, mine.filter((c) => c.severity === s).reduce((a, c) => a + Number(c.n), 0)])) as ExceptionDigest['roles'][number]['bySeverity'];
    const top = mine.length
      ? await db
          .select()
          .from(exceptions)
          .where(and(active, eq(exceptions.ownerRole, role)))
          .orderBy(sql`${exceptions.dueAt} IS NULL`, asc(exceptions.dueAt), severityRank, asc(exceptions.id))
          .limit(q.limit)
      : [];
    out.push({
      role,
      total: mine.reduce((a, c) => a + Number(c.n), 0),
      open: mine.filter((c) => c.state === 'open').reduce((a, c) => a + Number(c.n), 0),
      acknowledged: mine.filter((c) => c.state === 'acknowledged').reduce((a, c) => a + Number(c.n), 0),
      overdue: mine.reduce((a, c) => a + Number(c.overdue ?? 0), 0),
      bySeverity,
      top: top.map(toException),
    });
  }
  return { generatedAt: now, roles: out };
}

/** Run the sweep now (admin and ops: the permission that lets them run execution). */
export async function runSweep(ctx: ServiceContext): Promise<SweepResult> {
  requirePermission(ctx, 'execution:write');
  return sweepExceptions(ctx);
}
