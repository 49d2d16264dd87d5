import { and, asc, eq } from 'drizzle-orm';
import type { Inspection, InspectionCreate, InspectionList, InspectionUpdate } from '../../../shared/contracts/production.js';
import type { Executor } from '../db/client.js';
import { documents, inspections, shipments } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { diff, recordAudit } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { conflict, notFound, stale, unprocessable, type ErrorDetail } from './errors.js';
import { loadOrderRow } from './orders/orders.js';
import { requirePermission } from './permissions.js';

/**
 * Inspections of an order (or of one of its shipments): kind, agency, inspector, schedule, result, and the report
 * as a document of the same order. Changes are audited on the order.
 */

type InspectionRow = typeof inspections.$inferSelect;

async function loadInspectionRow(db: Executor, ctx: ServiceContext, id: string): Promise<InspectionRow> {
  const [row] = await db.select().from(inspections).where(and(eq(inspections.orgId, ctx.orgId), eq(inspections.id, id)));
  if (!row) throw notFound('Inspection', id);
  return row;
}

function toInspection(r: InspectionRow): Inspection {
  return {
    id: r.id,
    orderId: r.orderId,
    shipmentId: r.shipmentId,
    kind: r.kind as Inspection['kind'],
    agency: r.agency,
    inspector: r.inspector,
    scheduledAt: r.scheduledAt,
    inspectedAt: r.inspectedAt,
    result: r.result as Inspection['result'],
    reportDocumentId: r.reportDocumentId,
    notes: r.notes,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const auditView = (r: InspectionRow) => {
  const { orgId: _o, version: _v, createdAt: _c, updatedAt: _u, id, ...rest } = r;
  return { inspectionId: id, ...rest };
};

/** The shipment must be one of this order's (anyone else's is "not found"). */
async function shipmentProblem(tx: Executor, ctx: ServiceContext, orderId: string, shipmentId: string): Promise<ErrorDetail | null> {
  const [s] = await tx.select({ id: shipments.id }).from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.orderId, orderId), eq(shipments.id, shipmentId)));
  return s ? null : { path: 'shipmentId', message: `Shipment ${shipmentId} is not a shipment of this order`, code: 'NOT_FOUND' };
}

export async function createInspection(ctx: ServiceContext, orderId: string, input: InspectionCreate): Promise<Inspection> {
  requirePermission(ctx, 'execution:write');
  const row = await ctx.database.write(async (tx) => {
    const order = await loadOrderRow(tx, ctx, orderId);
    if (order.status === 'cancelled' || order.status === 'closed') throw conflict('ORDER_LOCKED', `Inspections cannot be added to an order that is ${order.status}`);
    if (input.shipmentId) {
      const problem = await shipmentProblem(tx, ctx, orderId, input.shipmentId);
      if (problem) throw unprocessable('INSPECTION_REJECTED', 'The inspection cannot be created', [problem]);
    }
    const now = isoNow(ctx);
    const r: InspectionRow = {
      id: newId('isp'),
      orgId: ctx.orgId,
      orderId,
      shipmentId: input.shipmentId ?? null,
      kind: input.kind,
      agency: input.agency ?? null,
      inspector: input.inspector ?? null,
      scheduledAt: input.scheduledAt ?? null,
      inspectedAt: null,
      result: 'pending',
      reportDocumentId: null,
      notes: input.notes ?? null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(inspections).values(r);
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: orderId, orderId, action: 'inspection.scheduled', after: auditView(r) }]);
    return r;
  });
  return toInspection(row);
}

export async function getInspection(ctx: ServiceContext, id: string): Promise<Inspection> {
  requirePermission(ctx, 'execution:read');
  return toInspection(await loadInspectionRow(ctx.database.db, ctx, id));
}

/** Record a result (with inspectedAt, default now), the report document (of the same order), notes or schedule changes, under If-Match. */
export async function updateInspection(ctx: ServiceContext, id: string, expectedVersion: number, patch: InspectionUpdate): Promise<Inspection> {
  requirePermission(ctx, 'execution:write');
  await ctx.database.write(async (tx) => {
    const row = await loadInspectionRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Inspection', toInspection(row));
    const next: InspectionRow = { ...row };
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    const problems: ErrorDetail[] = [];
    if (patch.shipmentId) {
      const problem = await shipmentProblem(tx, ctx, row.orderId, patch.shipmentId);
      if (problem) problems.push(problem);
    }
    if (patch.reportDocumentId) {
      const [doc] = await tx
        .select({ id: documents.id })
        .from(documents)
        .where(and(eq(documents.orgId, ctx.orgId), eq(documents.orderId, row.orderId), eq(documents.id, patch.reportDocumentId)));
      if (!doc) problems.push({ path: 'reportDocumentId', message: `Document ${patch.reportDocumentId} is not a document of this order`, code: 'NOT_FOUND' });
    }
    if (next.result !== 'pending' && !next.inspectedAt) {
      if (patch.inspectedAt === null) problems.push({ path: 'inspectedAt', message: `A ${next.result} inspection needs the time it was inspected` });
      else next.inspectedAt = isoNow(ctx);
    }
    if (problems.length) throw unprocessable('INSPECTION_REJECTED', 'The change cannot be applied', problems);
    const changes = diff(auditView(row), auditView(next));
    if (!changes) return;
    next.version = row.version + 1;
    next.updatedAt = isoNow(ctx);
    await tx.update(inspections).set(next).where(and(eq(inspections.id, id), eq(inspections.version, row.version)));
    await recordAudit(tx, ctx, [
      { entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'inspection.updated', before: { inspectionId: id, ...changes.before }, after: { inspectionId: id, ...changes.after } },
    ]);
  });
  return getInspection(ctx, id);
}

export async function listInspections(ctx: ServiceContext, orderId: string): Promise<InspectionList> {
  requirePermission(ctx, 'execution:read');
  const db = ctx.database.db;
  await loadOrderRow(db, ctx, orderId);
  const rows = await db.select().from(inspections).where(and(eq(inspections.orgId, ctx.orgId), eq(inspections.orderId, orderId))).orderBy(asc(inspections.id));
  return { items: rows.map(toInspection) };
}
