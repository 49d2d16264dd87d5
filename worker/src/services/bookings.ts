import { and, asc, eq } from 'drizzle-orm';
import type { Booking, BookingChange, BookingInput, BookingRevision, BookingRevisionList, Equipment } from '../../../shared/contracts/bookings.js';
import { EQUIPMENT_BY_MODE } from '../../../shared/contracts/bookings.js';
import type { TransportMode } from '../../../shared/domain/incoterms.js';
import { toZonedIso } from '../../../shared/domain/zoned-time.js';
import { isSeaport } from '../../../shared/reference/ports.js';
import type { Executor } from '../db/client.js';
import { bookingRevisions, bookings, parties, shipments } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { diff, recordAudit, usersById } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { AppError, conflict, stale, unprocessable, type ErrorDetail } from './errors.js';
import { loadBooking, recordMilestoneActual, syncMilestones, type BookingRow, type ShipmentRow } from './milestones.js';
import { requirePermission } from './permissions.js';
import { scopedParty } from './scope.js';
import { assignParties } from './shipment-parties.js';
import { loadShipmentRow as loadShipment } from './shipments.js';

/** The fields a revision snapshot keeps and a change is judged on (everything but identity and bookkeeping). */
const FIELDS = [
  'status',
  'forwarderId',
  'carrier',
  'bookingNumber',
  'vessel',
  'voyage',
  'equipment',
  'portOfLoading',
  'portOfDischarge',
  'cutoffDocumentsAt',
  'cutoffVgmAt',
  'cutoffCargoAt',
  'etd',
  'eta',
  'timeZone',
] as const;

const zoned = (iso: string | null, tz: string | null) => (iso ? toZonedIso(iso, tz ?? 'UTC') : null);

/** A booking row (or a revision's snapshot of one) as the API shows it. */
export function toBooking(r: BookingRow, orderId: string): Booking {
  return {
    id: r.id,
    shipmentId: r.shipmentId,
    orderId,
    status: r.status as Booking['status'],
    forwarderId: r.forwarderId,
    carrier: r.carrier,
    bookingNumber: r.bookingNumber,
    vessel: r.vessel,
    voyage: r.voyage,
    equipment: (r.equipment ?? []) as Equipment[],
    portOfLoading: r.portOfLoading,
    portOfDischarge: r.portOfDischarge,
    cutoffs: { documents: r.cutoffDocumentsAt, vgm: r.cutoffVgmAt, cargo: r.cutoffCargoAt },
    etd: r.etd,
    eta: r.eta,
    timeZone: r.timeZone,
    local: {
      cutoffs: { documents: zoned(r.cutoffDocumentsAt, r.timeZone), vgm: zoned(r.cutoffVgmAt, r.timeZone), cargo: zoned(r.cutoffCargoAt, r.timeZone) },
      etd: zoned(r.etd, r.timeZone),
      eta: zoned(r.eta, r.timeZone),
    },
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** How `next` differs from `prev`: cancelled, rolled over (vessel or voyage changed after confirmation), ETD or ETA moved, or updated. */
export function classifyChange(prev: Pick<BookingRow, (typeof FIELDS)[number]>, next: Pick<BookingRow, (typeof FIELDS)[number]>): BookingChange {
  if (next.status === 'cancelled' && prev.status !== 'cancelled') return 'cancelled';
  const vesselMoved = (prev.vessel !== null && prev.vessel !== next.vessel) || (prev.voyage !== null && prev.voyage !== next.voyage);
  if (prev.status === 'confirmed' && next.status !== 'cancelled' && vesselMoved) return 'rolled_over';
  if (prev.etd !== next.etd && prev.etd !== null) return 'etd_changed';
  if (prev.eta !== next.eta && prev.eta !== null) return 'eta_changed';
  return 'updated';
}

function snapshotOf(r: BookingRow): Record<string, unknown> {
  const { orgId: _o, ...rest } = r;
  return rest;
}

/** The snapshot fields that differ between two versions of a booking. */
export const changedFields = (a: Record<string, unknown>, b: Record<string, unknown>) => FIELDS.filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null));

/** Business checks needing the shipment and the database: the forwarder, equipment for the mode, seaports for sea legs. */
async function bookingProblems(tx: Executor, ctx: ServiceContext, shipment: ShipmentRow, row: BookingRow): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  if (row.forwarderId) {
    const [p] = await tx.select({ roles: parties.roles }).from(parties).where(and(eq(parties.orgId, ctx.orgId), eq(parties.id, row.forwarderId)));
    if (!p) problems.push({ path: 'forwarderId', message: `Party ${row.forwarderId} not found` });
    else if (!p.roles.includes('forwarder')) problems.push({ path: 'forwarderId', message: 'This party is not a forwarder; add the forwarder role to it first' });
  }
  const mode = shipment.transportMode as TransportMode;
  const allowed = EQUIPMENT_BY_MODE[mode] ?? [];
  (row.equipment ?? []).forEach((e, i) => {
    if (!allowed.includes(e.type as never)) problems.push({ path: `equipment.${i}.type`, message: `${e.type} does not fit a ${mode.replace('_', ' ')} shipment; use ${allowed.join(', ')}` });
  });
  if (mode === 'sea' || mode === 'inland_waterway') {
    for (const key of ['portOfLoading', 'portOfDischarge'] as const) {
      const code = row[key];
      if (code && !isSeaport(code)) problems.push({ path: key, message: `${code} is not a seaport in UN/LOCODE (function 1)` });
    }
  }
  return problems;
}

export async function getBooking(ctx: ServiceContext, shipmentId: string): Promise<Booking> {
  requirePermission(ctx, 'shipments:read');
  const db = ctx.database.db;
  const shipment = await loadShipment(db, ctx, shipmentId);
  const row = await loadBooking(db, ctx, shipmentId);
  if (!row) throw new AppError(404, 'NOT_FOUND', `Shipment ${shipmentId} has no booking yet; PUT one`);
  return toBooking(row, shipment.orderId);
}

/**
 * Create or replace a shipment's booking. Creating needs no If-Match; replacing needs the booking's version
 * (`expectedVersion`, 428 without it). Every version is kept as a revision with how it changed; confirming
 * records the booking_confirmed milestone; the milestones' planned times follow the new dates.
 */
export async function putBooking(ctx: ServiceContext, shipmentId: string, input: BookingInput, expectedVersion: number | null): Promise<{ booking: Booking; created: boolean }> {
  requirePermission(ctx, 'bookings:write');
  return ctx.database.write(async (tx) => {
    const shipment = await loadShipment(tx, ctx, shipmentId);
    const existing = await loadBooking(tx, ctx, shipmentId);
    const own = scopedParty(ctx);
    if (own && (input.forwarderId ?? null) !== own.partyId) {
      throw unprocessable('FORWARDER_IS_YOU', 'As a forwarder you book for your own company: forwarderId must be your party', [
        { path: 'forwarderId', message: `Must be ${own.partyId}` },
      ]);
    }
    if (existing) {
      if (expectedVersion === null) throw new AppError(428, 'PRECONDITION_REQUIRED', 'This shipment has a booking: send If-Match with its ETag, so no one else\'s change is overwritten');
      if (existing.version !== expectedVersion) throw stale('Booking', toBooking(existing, shipment.orderId));
    } else if (expectedVersion !== null) {
      throw new AppError(412, 'PRECONDITION_FAILED', `Shipment ${shipmentId} has no booking yet: send the PUT without If-Match to create it`);
    }
    if (shipment.status === 'cancelled' && input.status !== 'cancelled') throw conflict('SHIPMENT_CANCELLED', 'The shipment is cancelled; its booking can only be cancelled');

    const now = isoNow(ctx);
    const next: BookingRow = {
      id: existing?.id ?? newId('bkg'),
      orgId: ctx.orgId,
      shipmentId,
      forwarderId: input.forwarderId ?? null,
      carrier: input.carrier ?? null,
      bookingNumber: input.bookingNumber ?? null,
      status: input.status,
      vessel: input.vessel ?? null,
      voyage: input.voyage ?? null,
      equipment: input.equipment,
      portOfLoading: input.portOfLoading ?? shipment.portOfLoading,
      portOfDischarge: input.portOfDischarge ?? shipment.portOfDischarge,
      cutoffDocumentsAt: input.cutoffs.documents ?? null,
      cutoffVgmAt: input.cutoffs.vgm ?? null,
      cutoffCargoAt: input.cutoffs.cargo ?? null,
      etd: input.etd ?? null,
      eta: input.eta ?? null,
      timeZone: input.timeZone,
      version: existing ? existing.version + 1 : 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const problems = await bookingProblems(tx, ctx, shipment, next);
    if (problems.length) throw unprocessable('BOOKING_REJECTED', 'The booking does not fit the shipment', problems);

    let change: BookingChange = 'created';
    if (existing) {
      if (!changedFields(existing, next).length) return { booking: toBooking(existing, shipment.orderId), created: false };
      change = classifyChange(existing, next);
      await tx.update(bookings).set(next).where(and(eq(bookings.id, existing.id), eq(bookings.version, existing.version)));
    } else {
      await tx.insert(bookings).values(next);
    }
    await tx.insert(bookingRevisions).values({
      id: newId('bkr'),
      orgId: ctx.orgId,
      bookingId: next.id,
      shipmentId,
      version: next.version,
      change,
      snapshot: snapshotOf(next),
      changedBy: ctx.actor.userId,
      changedAt: now,
    });
    const pick = (r: BookingRow | null) => (r ? Object.fromEntries(FIELDS.map((f) => [f, r[f]])) : {});
    const changes = existing ? diff(pick(existing), pick(next)) : { before: null, after: pick(next) };
    await recordAudit(tx, ctx, [
      { entityType: 'shipment', entityId: shipmentId, orderId: shipment.orderId, action: `booking.${change}`, before: changes?.before ?? null, after: { ...(changes?.after ?? {}), version: next.version } },
    ]);
    // What documents print is the shipment's vessel and voyage: a confirmed booking sets them (a roll-over moves them).
    let current = shipment;
    if (next.status === 'confirmed' && (next.vessel !== shipment.vessel || next.voyage !== shipment.voyage) && (next.vessel || next.voyage)) {
      const set = { vessel: next.vessel, voyage: next.voyage, version: shipment.version + 1, updatedAt: now };
      await tx.update(shipments).set(set).where(and(eq(shipments.id, shipmentId), eq(shipments.version, shipment.version)));
      current = { ...shipment, ...set };
    }
    // The booking's forwarder is the shipment's forwarder: their users see it from now on.
    if (next.forwarderId && next.forwarderId !== existing?.forwarderId) await assignParties(tx, ctx, current, [{ role: 'forwarder', partyId: next.forwarderId }]);
    await syncMilestones(tx, ctx, shipment, next, existing);
    if (next.status === 'confirmed' && existing?.status !== 'confirmed') await recordMilestoneActual(tx, ctx, shipmentId, 'booking_confirmed', now);
    return { booking: toBooking(next, shipment.orderId), created: !existing };
  });
}

/** Every version of a shipment's booking as it was, oldest first. */
export async function listBookingRevisions(ctx: ServiceContext, shipmentId: string): Promise<BookingRevisionList> {
  requirePermission(ctx, 'shipments:read');
  const db = ctx.database.db;
  const shipment = await loadShipment(db, ctx, shipmentId);
  const rows = await db
    .select()
    .from(bookingRevisions)
    .where(and(eq(bookingRevisions.orgId, ctx.orgId), eq(bookingRevisions.shipmentId, shipmentId)))
    .orderBy(asc(bookingRevisions.version));
  return { shipmentId, items: await toRevisions(db, rows, shipment.orderId) };
}

/** Revision rows with their booking as it was, the fields that changed and who changed them. */
export async function toRevisions(db: Executor, rows: (typeof bookingRevisions.$inferSelect)[], orderId: string): Promise<BookingRevision[]> {
  const people = await usersById(db, rows.map((r) => r.changedBy));
  return rows.map((r, i) => {
    const snap = r.snapshot as unknown as BookingRow;
    const prev = i > 0 && rows[i - 1]!.bookingId === r.bookingId ? (rows[i - 1]!.snapshot as Record<string, unknown>) : null;
    return {
      id: r.id,
      version: r.version,
      change: r.change as BookingChange,
      changedFields: prev ? changedFields(prev, r.snapshot) : [],
      booking: toBooking({ ...snap, orgId: '' }, orderId),
      changedBy: (r.changedBy && people.get(r.changedBy)) || null,
      changedAt: r.changedAt,
    };
  });
}
