import { and, asc, eq, ne } from 'drizzle-orm';
import {
  PRODUCTION_JOB_TRANSITIONS,
  type ProductionJob,
  type ProductionJobCreate,
  type ProductionJobList,
  type ProductionJobUpdate,
} from '../../../shared/contracts/production.js';
import { compareDecimal, normaliseDecimal, subtractDecimal, sumDecimal } from '../../../shared/domain/money.js';
import type { Executor } from '../db/client.js';
import { orderLines, productionJobs } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { diff, recordAudit } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { conflict, notFound, stale, unprocessable, type ErrorDetail } from './errors.js';
import { loadOrderRow } from './orders/orders.js';
import { requirePermission } from './permissions.js';

/**
 * Production jobs of order lines: planned start and completion, status, actual completion. The quantities of a
 * line's live (not cancelled) jobs never exceed the line's quantity. Changes are audited on the order.
 */

type JobRow = typeof productionJobs.$inferSelect;
type JobStatus = ProductionJob['status'];

/** Orders that may get new production jobs. */
const PLANNABLE: ReadonlySet<string> = new Set(['draft', 'confirmed', 'in_production', 'ready_to_ship', 'partially_shipped']);

async function loadJobRow(db: Executor, ctx: ServiceContext, id: string): Promise<JobRow> {
  const [row] = await db.select().from(productionJobs).where(and(eq(productionJobs.orgId, ctx.orgId), eq(productionJobs.id, id)));
  if (!row) throw notFound('Production job', id);
  return row;
}

async function readJob(db: Executor, ctx: ServiceContext, id: string): Promise<ProductionJob> {
  return withLineNo(db, await loadJobRow(db, ctx, id));
}

async function withLineNo(db: Executor, row: JobRow): Promise<ProductionJob> {
  const [line] = await db.select({ lineNo: orderLines.lineNo }).from(orderLines).where(eq(orderLines.id, row.orderLineId));
  return toJob(row, line?.lineNo ?? 0);
}

function toJob(r: JobRow, lineNo: number): ProductionJob {
  return {
    id: r.id,
    orderId: r.orderId,
    orderLineId: r.orderLineId,
    lineNo,
    quantity: r.quantity,
    status: r.status as JobStatus,
    plannedStartAt: r.plannedStartAt,
    plannedCompletionAt: r.plannedCompletionAt,
    actualCompletionAt: r.actualCompletionAt,
    notes: r.notes,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const auditView = (r: JobRow) => ({
  productionJobId: r.id,
  orderLineId: r.orderLineId,
  quantity: r.quantity,
  status: r.status,
  plannedStartAt: r.plannedStartAt,
  plannedCompletionAt: r.plannedCompletionAt,
  actualCompletionAt: r.actualCompletionAt,
  notes: r.notes,
});

/** 422 naming `quantity` when the line's live jobs (except `exceptJobId`) plus `quantity` exceed the line. */
async function assertFits(tx: Executor, line: typeof orderLines.$inferSelect, quantity: string, exceptJobId: string | null) {
  const others = await tx
    .select({ quantity: productionJobs.quantity })
    .from(productionJobs)
    .where(and(eq(productionJobs.orderLineId, line.id), ne(productionJobs.status, 'cancelled'), exceptJobId ? ne(productionJobs.id, exceptJobId) : undefined));
  const scheduled = sumDecimal(others.map((o) => o.quantity));
  if (compareDecimal(sumDecimal([scheduled, quantity]), line.quantity) > 0) {
    const left = subtractDecimal(line.quantity, scheduled);
    throw unprocessable('PRODUCTION_EXCEEDED', 'The production jobs would exceed the ordered quantity', [
      {
        path: 'quantity',
        message: `Line ${line.lineNo}: ${quantity} ${line.unit} here plus ${scheduled} in other jobs exceeds the ${line.quantity} ordered (at most ${compareDecimal(left, '0') > 0 ? left : '0'} more)`,
        code: 'PRODUCTION_EXCEEDED',
      },
    ]);
  }
}

export async function createProductionJob(ctx: ServiceContext, orderId: string, input: ProductionJobCreate): Promise<ProductionJob> {
  requirePermission(ctx, 'execution:write');
  const id = await ctx.database.write(async (tx) => {
    const order = await loadOrderRow(tx, ctx, orderId);
    if (!PLANNABLE.has(order.status)) throw conflict('ORDER_LOCKED', `Production cannot be planned for an order that is ${order.status}`);
    const [line] = await tx.select().from(orderLines).where(and(eq(orderLines.orderId, orderId), eq(orderLines.id, input.orderLineId)));
    if (!line) throw unprocessable('PRODUCTION_REJECTED', 'The production job cannot be created', [{ path: 'orderLineId', message: `Line ${input.orderLineId} is not a line of this order`, code: 'NOT_FOUND' }]);
    const quantity = normaliseDecimal(input.quantity);
    await assertFits(tx, line, quantity, null);
    const now = isoNow(ctx);
    const row: JobRow = {
      id: newId('pjb'),
      orgId: ctx.orgId,
      orderId,
      orderLineId: line.id,
      quantity,
      status: 'planned',
      plannedStartAt: input.plannedStartAt ?? null,
      plannedCompletionAt: input.plannedCompletionAt ?? null,
      actualCompletionAt: null,
      notes: input.notes ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(productionJobs).values(row);
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: orderId, orderId, action: 'production_job.created', after: { ...auditView(row), lineNo: line.lineNo } }]);
    return row.id;
  });
  return readJob(ctx.database.db, ctx, id);
}

export async function getProductionJob(ctx: ServiceContext, id: string): Promise<ProductionJob> {
  requirePermission(ctx, 'execution:read');
  return readJob(ctx.database.db, ctx, id);
}

/** Change a job under If-Match: status (see PRODUCTION_JOB_TRANSITIONS), quantity, plan dates, actual completion, notes. */
export async function updateProductionJob(ctx: ServiceContext, id: string, expectedVersion: number, patch: ProductionJobUpdate): Promise<ProductionJob> {
  requirePermission(ctx, 'execution:write');
  await ctx.database.write(async (tx) => {
    const row = await loadJobRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Production job', await withLineNo(tx, row));
    const from = row.status as JobStatus;
    const to = patch.status ?? from;
    if (to !== from && !PRODUCTION_JOB_TRANSITIONS[from].includes(to)) {
      throw conflict('INVALID_TRANSITION', `A production job that is ${from} cannot become ${to}${PRODUCTION_JOB_TRANSITIONS[from].length ? ` (allowed: ${PRODUCTION_JOB_TRANSITIONS[from].join(', ')})` : ''}`);
    }
    if (from === 'cancelled' && Object.keys(patch).some((k) => k !== 'notes')) throw conflict('JOB_CANCELLED', 'A cancelled production job can only have its notes changed');
    const next: JobRow = { ...row, status: to };
    for (const key of ['plannedStartAt', 'plannedCompletionAt', 'notes'] as const) if (patch[key] !== undefined) next[key] = patch[key];
    if (patch.quantity !== undefined) next.quantity = normaliseDecimal(patch.quantity);

    const problems: ErrorDetail[] = [];
    if (to === 'completed') next.actualCompletionAt = patch.actualCompletionAt ?? row.actualCompletionAt ?? isoNow(ctx);
    else if (patch.actualCompletionAt) problems.push({ path: 'actualCompletionAt', message: 'Only a completed job has an actual completion: set status to completed' });
    else next.actualCompletionAt = null;
    if (next.plannedStartAt && next.plannedCompletionAt && next.plannedCompletionAt < next.plannedStartAt) {
      problems.push({ path: patch.plannedCompletionAt !== undefined ? 'plannedCompletionAt' : 'plannedStartAt', message: 'Planned completion is before the planned start' });
    }
    if (problems.length) throw unprocessable('PRODUCTION_REJECTED', 'The change cannot be applied', problems);
    if (to !== 'cancelled' && patch.quantity !== undefined) {
      const [line] = await tx.select().from(orderLines).where(eq(orderLines.id, row.orderLineId));
      await assertFits(tx, line!, next.quantity, row.id);
    }
    const changes = diff(auditView(row), auditView(next));
    if (!changes) return;
    next.version = row.version + 1;
    next.updatedAt = isoNow(ctx);
    await tx.update(productionJobs).set(next).where(and(eq(productionJobs.id, id), eq(productionJobs.version, row.version)));
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'production_job.updated', before: { productionJobId: id, ...changes.before }, after: { productionJobId: id, ...changes.after } }]);
  });
  return readJob(ctx.database.db, ctx, id);
}

/** An order's jobs, with per-line totals (scheduled, completed, unscheduled) and whether the whole order is produced. */
export async function listProductionJobs(ctx: ServiceContext, orderId: string): Promise<ProductionJobList> {
  requirePermission(ctx, 'execution:read');
  const db = ctx.database.db;
  await loadOrderRow(db, ctx, orderId);
  const [lines, rows] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo)),
    db.select().from(productionJobs).where(and(eq(productionJobs.orgId, ctx.orgId), eq(productionJobs.orderId, orderId))).orderBy(asc(productionJobs.id)),
  ]);
  const lineNo = new Map(lines.map((l) => [l.id, l.lineNo]));
  const latest = (values: (string | null)[]) => values.filter((v): v is string => !!v).sort().at(-1) ?? null;
  const summaries = lines.map((l) => {
    const live = rows.filter((r) => r.orderLineId === l.id && r.status !== 'cancelled');
    const done = live.filter((r) => r.status === 'completed');
    const scheduled = sumDecimal(live.map((r) => r.quantity));
    const completed = sumDecimal(done.map((r) => r.quantity));
    const complete = compareDecimal(completed, l.quantity) >= 0;
    return {
      orderLineId: l.id,
      lineNo: l.lineNo,
      quantity: l.quantity,
      scheduled,
      completed,
      unscheduled: compareDecimal(scheduled, l.quantity) >= 0 ? '0' : subtractDecimal(l.quantity, scheduled),
      plannedCompletionAt: latest(live.map((r) => r.plannedCompletionAt)),
      actualCompletionAt: complete ? latest(done.map((r) => r.actualCompletionAt)) : null,
      complete,
    };
  });
  return {
    items: rows.map((r) => toJob(r, lineNo.get(r.orderLineId) ?? 0)),
    lines: summaries,
    complete: summaries.length > 0 && summaries.every((s) => s.complete),
  };
}
