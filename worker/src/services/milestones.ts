import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Milestone, MilestoneList, MilestoneUpdate } from '../../../shared/contracts/milestones.js';
import type { TransportMode } from '../../../shared/domain/incoterms.js';
import { addHours, toZonedIso } from '../../../shared/domain/zoned-time.js';
import { milestonesFor, type ResolvedMilestone } from '../../../shared/milestones/registry.js';
import type { PlannedAnchor, PlannedRule } from '../../../shared/milestones/schema.js';
import type { Executor } from '../db/client.js';
import { bookings, documents, milestones, shipments } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { diff, recordAudit, usersById } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { AppError, stale, unprocessable, type ErrorDetail } from './errors.js';
import { enqueueMilestoneEmail } from './notifications/enqueue.js';
import { requirePermission } from './permissions.js';
import { canSeeDocument } from './scope.js';
import { loadShipmentRow as loadShipment } from './shipments.js';

export type ShipmentRow = typeof shipments.$inferSelect;
export type BookingRow = typeof bookings.$inferSelect;
export type MilestoneRow = typeof milestones.$inferSelect;

export async function loadBooking(db: Executor, ctx: ServiceContext, shipmentId: string): Promise<BookingRow | null> {
  const [row] = await db.select().from(bookings).where(and(eq(bookings.orgId, ctx.orgId), eq(bookings.shipmentId, shipmentId)));
  return row ?? null;
}

const ANCHOR: Readonly<Record<PlannedAnchor, 'etd' | 'eta' | 'cutoffDocumentsAt' | 'cutoffVgmAt' | 'cutoffCargoAt'>> = {
  etd: 'etd',
  eta: 'eta',
  cutoffDocuments: 'cutoffDocumentsAt',
  cutoffVgm: 'cutoffVgmAt',
  cutoffCargo: 'cutoffCargoAt',
};

/** The planned time a template rule gives for a booking (none without a live booking or its anchor time). */
export function plannedFrom(rule: PlannedRule | null, booking: BookingRow | null | undefined): string | null {
  if (!rule || !booking || booking.status === 'cancelled') return null;
  const at = booking[ANCHOR[rule.relativeTo]];
  return at ? addHours(at, rule.offsetHours) : null;
}

const definitionsOf = (s: ShipmentRow) => milestonesFor(s.transportMode as TransportMode, s.destinationCountry);
const untouched = (r: MilestoneRow) => r.actualAt === null && r.recordedBy === null && r.notes === null && r.documentId === null;

/** Whether the stored milestones need a write to match the templates (a milestone missing, or one no longer applying). */
function needsSync(defs: ResolvedMilestone[], rows: MilestoneRow[]): boolean {
  const codes = new Set(rows.map((r) => r.code));
  const wanted = new Set(defs.map((d) => d.code));
  return defs.some((d) => !codes.has(d.code)) || rows.some((r) => !wanted.has(r.code) && untouched(r));
}

/**
 * Make a shipment's milestones match its templates (mode + destination) and its booking, in the caller's
 * transaction: missing milestones are added (planned from the booking), untouched ones that no longer apply
 * (the mode or destination changed) are removed. When `previous` is given the booking has just changed from it:
 * a planned time that still equals what the rule gave for the previous booking was never set by hand, and
 * follows the new booking; one set by hand stays.
 */
export async function syncMilestones(tx: Executor, ctx: ServiceContext, shipment: ShipmentRow, booking: BookingRow | null, previous?: BookingRow | null): Promise<void> {
  const defs = definitionsOf(shipment);
  const rows = await tx.select().from(milestones).where(eq(milestones.shipmentId, shipment.id));
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const inserts: MilestoneRow[] = [];
  for (const d of defs) {
    const row = byCode.get(d.code);
    if (!row) {
      const plannedAt = plannedFrom(d.planned, booking);
      inserts.push({
        id: newId('mst'),
        orgId: ctx.orgId,
        shipmentId: shipment.id,
        code: d.code,
        name: d.name,
        seq: d.seq,
        source: d.source,
        plannedAt,
        actualAt: null,
        timeZone: booking?.timeZone ?? null,
        recordedBy: null,
        recordedAt: null,
        documentId: null,
        notes: null,
        version: 1,
      });
      continue;
    }
    const set: Partial<MilestoneRow> = {};
    if (row.name !== d.name || row.seq !== d.seq || row.source !== d.source) Object.assign(set, { name: d.name, seq: d.seq, source: d.source });
    if (previous !== undefined && d.planned && row.plannedAt === plannedFrom(d.planned, previous)) {
      const next = plannedFrom(d.planned, booking);
      if (next !== row.plannedAt) Object.assign(set, { plannedAt: next, timeZone: row.timeZone ?? booking?.timeZone ?? null });
    }
    if (Object.keys(set).length) {
      await tx
        .update(milestones)
        .set({ ...set, version: row.version + 1 })
        .where(and(eq(milestones.id, row.id), eq(milestones.version, row.version)));
    }
  }
  if (inserts.length) await tx.insert(milestones).values(inserts);
  const wanted = new Set(defs.map((d) => d.code));
  const gone = rows.filter((r) => !wanted.has(r.code) && untouched(r)).map((r) => r.id);
  if (gone.length) await tx.delete(milestones).where(inArray(milestones.id, gone));
}

/** Record that a milestone happened at `at` (unless someone already recorded it), e.g. booking_confirmed on confirmation. */
export async function recordMilestoneActual(tx: Executor, ctx: ServiceContext, shipmentId: string, code: string, at: string): Promise<void> {
  const [row] = await tx.select().from(milestones).where(and(eq(milestones.shipmentId, shipmentId), eq(milestones.code, code)));
  if (!row || row.actualAt) return;
  const done = await tx
    .update(milestones)
    .set({ actualAt: at, recordedBy: ctx.actor.userId, recordedAt: isoNow(ctx), version: row.version + 1 })
    .where(and(eq(milestones.id, row.id), eq(milestones.version, row.version)));
  if (done.rowsAffected) await enqueueMilestoneEmail(tx, ctx, shipmentId, code, at); // the buyer's e-mail, if wanted (outbox)
}

/** Rows as API milestones (state, local times, who recorded them). */
async function toMilestones(db: Executor, ctx: ServiceContext, shipment: ShipmentRow, booking: BookingRow | null, rows: MilestoneRow[]): Promise<Milestone[]> {
  const defs = new Map(definitionsOf(shipment).map((d) => [d.code, d]));
  const people = await usersById(db, rows.map((r) => r.recordedBy));
  const now = isoNow(ctx);
  return rows
    .slice()
    .sort((a, b) => a.seq - b.seq)
    .map((r) => {
      const rule = defs.get(r.code)?.planned ?? null;
      const zone = r.timeZone ?? 'UTC';
      return {
        id: r.id,
        shipmentId: r.shipmentId,
        code: r.code,
        name: r.name,
        seq: r.seq,
        source: r.source,
        state: r.actualAt ? 'done' : r.plannedAt && r.plannedAt < now ? 'overdue' : 'pending',
        plannedAt: r.plannedAt,
        plannedRule: rule,
        plannedByHand: r.plannedAt !== null && r.plannedAt !== plannedFrom(rule, booking),
        actualAt: r.actualAt,
        timeZone: r.timeZone,
        local: { plannedAt: r.plannedAt ? toZonedIso(r.plannedAt, zone) : null, actualAt: r.actualAt ? toZonedIso(r.actualAt, zone) : null },
        recordedBy: (r.recordedBy && people.get(r.recordedBy)) || null,
        recordedAt: r.recordedAt,
        documentId: r.documentId,
        notes: r.notes,
        version: r.version,
      } satisfies Milestone;
    });
}

/**
 * Make sure the milestones of these shipments exist (created lazily, the first time anyone looks), writing
 * only when something is missing. For reads: GET milestones, the timeline.
 */
export async function ensureMilestones(ctx: ServiceContext, shipmentRows: ShipmentRow[]): Promise<void> {
  if (!shipmentRows.length) return;
  const rows = await ctx.database.db.select().from(milestones).where(inArray(milestones.shipmentId, shipmentRows.map((s) => s.id)));
  const stale = shipmentRows.filter((s) => needsSync(definitionsOf(s), rows.filter((r) => r.shipmentId === s.id)));
  if (!stale.length) return;
  await ctx.database.write(async (tx) => {
    for (const s of stale) {
      const fresh = await loadShipment(tx, ctx, s.id);
      await syncMilestones(tx, ctx, fresh, await loadBooking(tx, ctx, s.id));
    }
  });
}

async function readList(db: Executor, ctx: ServiceContext, shipment: ShipmentRow): Promise<MilestoneList> {
  const booking = await loadBooking(db, ctx, shipment.id);
  const rows = await db.select().from(milestones).where(eq(milestones.shipmentId, shipment.id)).orderBy(asc(milestones.seq));
  return {
    shipmentId: shipment.id,
    shipmentReference: shipment.reference,
    transportMode: shipment.transportMode as TransportMode,
    destinationCountry: shipment.destinationCountry,
    items: await toMilestones(db, ctx, shipment, booking, rows),
  };
}

/** A shipment's milestones in sequence, made from its templates the first time. */
export async function listMilestones(ctx: ServiceContext, shipmentId: string): Promise<MilestoneList> {
  requirePermission(ctx, 'shipments:read');
  const shipment = await loadShipment(ctx.database.db, ctx, shipmentId);
  await ensureMilestones(ctx, [shipment]);
  return readList(ctx.database.db, ctx, shipment);
}

/** Allowance for clocks that differ a little: an actual time may not be later than now plus this. */
const FUTURE_SLACK_MS = 5 * 60_000;

/** Record a milestone's planned or actual time, notes or evidence document. Needs the milestone's version (If-Match). */
export async function updateMilestone(ctx: ServiceContext, shipmentId: string, code: string, expectedVersion: number, patch: MilestoneUpdate): Promise<Milestone> {
  requirePermission(ctx, 'milestones:write');
  const shipment = await ctx.database.write(async (tx) => {
    const shipment = await loadShipment(tx, ctx, shipmentId);
    const booking = await loadBooking(tx, ctx, shipmentId);
    await syncMilestones(tx, ctx, shipment, booking);
    const [row] = await tx.select().from(milestones).where(and(eq(milestones.shipmentId, shipmentId), eq(milestones.code, code)));
    if (!row) throw new AppError(404, 'NOT_FOUND', `Shipment ${shipmentId} has no milestone "${code}"`);
    if (row.version !== expectedVersion) {
      const [current] = await toMilestones(tx, ctx, shipment, booking, [row]);
      throw stale('Milestone', current);
    }
    const problems: ErrorDetail[] = [];
    if (patch.actualAt && new Date(patch.actualAt).getTime() > ctx.now().getTime() + FUTURE_SLACK_MS) {
      problems.push({ path: 'actualAt', message: 'An actual time cannot be in the future; plan it with plannedAt instead' });
    }
    if (patch.documentId) {
      const [doc] = await tx
        .select({ id: documents.id, orderId: documents.orderId, shipmentId: documents.shipmentId, kind: documents.kind })
        .from(documents)
        .where(and(eq(documents.orgId, ctx.orgId), eq(documents.orderId, shipment.orderId), eq(documents.id, patch.documentId)));
      if (!doc || !(await canSeeDocument(tx, ctx, { ...doc, shipmentId: doc.shipmentId || null }))) problems.push({ path: 'documentId', message: `Document ${patch.documentId} is not a document of this order` });
    }
    if (problems.length) throw unprocessable('MILESTONE_REJECTED', 'The milestone cannot be recorded', problems);

    const rule = definitionsOf(shipment).find((d) => d.code === code)?.planned ?? null;
    const next: MilestoneRow = { ...row };
    if (patch.plannedAt !== undefined) next.plannedAt = patch.plannedAt ?? plannedFrom(rule, booking);
    if (patch.actualAt !== undefined) next.actualAt = patch.actualAt;
    if (patch.timeZone !== undefined) next.timeZone = patch.timeZone;
    if (patch.notes !== undefined) next.notes = patch.notes || null;
    if (patch.documentId !== undefined) next.documentId = patch.documentId;
    const pick = (r: MilestoneRow) => ({ plannedAt: r.plannedAt, actualAt: r.actualAt, timeZone: r.timeZone, notes: r.notes, documentId: r.documentId });
    const changes = diff(pick(row), pick(next));
    if (!changes) return shipment;
    await tx
      .update(milestones)
      .set({ ...pick(next), recordedBy: ctx.actor.userId, recordedAt: isoNow(ctx), version: row.version + 1 })
      .where(and(eq(milestones.id, row.id), eq(milestones.version, row.version)));
    await recordAudit(tx, ctx, [
      { entityType: 'shipment', entityId: shipment.id, orderId: shipment.orderId, action: 'milestone.recorded', before: { code, ...changes.before }, after: { code, ...changes.after } },
    ]);
    // First actual time: the buyer's e-mail, if wanted, in this transaction (outbox; once per milestone and shipment).
    if (!row.actualAt && next.actualAt) await enqueueMilestoneEmail(tx, ctx, shipment.id, code, next.actualAt);
    return shipment;
  });
  const list = await readList(ctx.database.db, ctx, shipment);
  return list.items.find((m) => m.code === code)!;
}
