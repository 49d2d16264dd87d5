import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Timeline, TimelineEntry } from '../../../shared/contracts/timeline.js';
import { formatZoned } from '../../../shared/domain/zoned-time.js';
import { auditEvents, bookingRevisions, documents, exceptions, milestones, parties, shipments } from '../db/schema/index.js';
import { usersById } from './audit.js';
import { changedFields } from './bookings.js';
import type { ServiceContext } from './context.js';
import { ensureMilestones, type BookingRow } from './milestones.js';
import { loadOrderRow } from './orders/orders.js';
import { requirePermission } from './permissions.js';

type Actor = TimelineEntry['actor'];
type Draft = Omit<TimelineEntry, 'actor'> & { actorId: string | null; rank: number; seq: number };

/** Tie-break for entries at the same instant: the order first, then the shipment, the booking, documents, milestones, exceptions. */
const RANK: Record<TimelineEntry['kind'], number> = {
  order: 0,
  shipment: 1,
  booking: 2,
  document: 3,
  milestone_actual: 4,
  milestone_planned: 5,
  exception_raised: 6,
  exception_acknowledged: 7,
  exception_resolved: 8,
};

const ORDER_STATUS_TITLES: Record<string, string> = {
  draft: 'Order back to draft',
  confirmed: 'Order confirmed',
  in_production: 'Production started',
  ready_to_ship: 'Order ready to ship',
  partially_shipped: 'Order partially shipped',
  shipped: 'Order shipped',
  delivered: 'Order delivered',
  closed: 'Order closed',
  cancelled: 'Order cancelled',
};

const FIELD_WORDS: Record<string, string> = {
  buyerPo: 'buyer PO',
  bookingNumber: 'booking number',
  forwarderId: 'forwarder',
  consigneeId: 'consignee',
  notifyPartyId: 'notify party',
  buyerId: 'buyer',
  cutoffDocumentsAt: 'documents cut-off',
  cutoffVgmAt: 'VGM cut-off',
  cutoffCargoAt: 'cargo cut-off',
  etd: 'ETD',
  eta: 'ETA',
  timeZone: 'time zone',
  blNumber: 'B/L number',
  blDate: 'B/L date',
};
/** "portOfLoading" → "port of loading". */
const words = (key: string) => FIELD_WORDS[key] ?? key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
const fieldList = (keys: string[]) => keys.filter((k) => k !== 'version').map(words).join(', ');
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const kindName = (kind: string) => sentence(kind.replace(/_/g, ' '));

/** "2 days", "5 h", "40 min" between two instants. */
function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.round(hours / 24);
  return `${days} days`;
}
const moved = (from: string, to: string) => {
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return `${span(ms)} ${ms >= 0 ? 'later' : 'earlier'}`;
};

/** The story line of one booking revision, given the one before it. */
function bookingTitle(b: BookingRow, prev: BookingRow | null, change: string, forwarderName: string | null): string {
  const tz = b.timeZone;
  const fmt = (iso: string) => formatZoned(iso, tz);
  const vessel = (r: BookingRow) => [r.vessel, r.voyage].filter(Boolean).join(' ');
  const who = b.carrier ?? forwarderName;
  const withWho = who ? ` with ${who}` : '';
  const on = vessel(b) ? ` on ${vessel(b)}` : '';
  const etd = b.etd ? `, ETD ${fmt(b.etd)}` : '';
  const equipment = b.equipment?.length ? ` for ${b.equipment.map((e) => `${e.count} × ${e.type}`).join(', ')}` : '';
  const number = b.bookingNumber ? ` ${b.bookingNumber}` : '';
  switch (change) {
    case 'cancelled':
      return `Booking${number}${withWho} cancelled`;
    case 'rolled_over':
      return `Rolled over from ${vessel(prev!) || 'the booked vessel'} to ${vessel(b) || 'another vessel'}${b.etd ? `, ETD now ${fmt(b.etd)}` : ''}${prev?.etd && b.etd && prev.etd !== b.etd ? ` (${moved(prev.etd, b.etd)})` : ''}`;
    case 'etd_changed':
      return `ETD moved from ${fmt(prev!.etd!)} to ${b.etd ? fmt(b.etd) : 'unknown'}${b.etd ? ` (${moved(prev!.etd!, b.etd)})` : ''}`;
    case 'eta_changed':
      return `ETA moved from ${fmt(prev!.eta!)} to ${b.eta ? fmt(b.eta) : 'unknown'}${b.eta ? ` (${moved(prev!.eta!, b.eta)})` : ''}`;
  }
  if (b.status === 'confirmed' && prev?.status !== 'confirmed') return `Booking confirmed${withWho}${on}${etd}`;
  if (b.status === 'requested' && (!prev || prev.status !== 'requested')) return `Booking requested${withWho}${equipment}${etd}`;
  const fields = prev ? changedFields(prev, b) : [];
  return `Booking${number} updated${fields.length ? `: ${fieldList(fields)}` : ''}`;
}

function auditTitle(action: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null, reference: string, shipmentRef: string | null): string {
  switch (action) {
    case 'order.created':
      return `Order ${reference} created`;
    case 'order.updated':
      return `Order updated: ${fieldList(Object.keys(after ?? {}))}`;
    case 'order.status_changed':
      return ORDER_STATUS_TITLES[String(after?.status)] ?? `Order ${String(after?.status ?? '').replace(/_/g, ' ')}`;
    case 'shipment.created': {
      const route = after?.portOfLoading && after?.portOfDischarge ? `: ${String(after.portOfLoading)} → ${String(after.portOfDischarge)}` : '';
      return `Shipment ${shipmentRef} planned${route}`;
    }
    case 'shipment.updated':
      return `Shipment ${shipmentRef} updated: ${fieldList(Object.keys(after ?? {}))}`;
    case 'shipment.status_changed':
      return `Shipment ${shipmentRef} ${String(after?.status ?? 'changed').replace(/_/g, ' ')}`;
    case 'shipment.parties_assigned': {
      const changes = Object.entries(after ?? {}).map(([role, party]) => `${role.replace('_', ' ')} ${party ? (before?.[role] ? 'changed' : 'assigned') : 'removed'}`);
      return `Shipment ${shipmentRef}: ${changes.join(', ')}`;
    }
  }
  const [entity = '', ...rest] = action.split('.');
  const what = rest.join(' ').replace(/_/g, ' ');
  return entity === 'shipment' || shipmentRef ? `Shipment ${shipmentRef ?? ''} ${what}`.replace(/\s+/g, ' ').trim() : `${sentence(entity)} ${what}`.trim();
}

/**
 * "Where is my order?": one list in time order merging the order's audit events, its shipments' booking
 * revisions, milestones (planned, and actual when recorded), documents (generated, approved, final) and the
 * exceptions raised about it. Each entry has a title that reads as a sentence, the shipment, and who did it.
 */
export async function orderTimeline(ctx: ServiceContext, orderId: string): Promise<Timeline> {
  requirePermission(ctx, 'execution:read');
  const db = ctx.database.db;
  const order = await loadOrderRow(db, ctx, orderId);
  const ships = await db.select().from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.orderId, orderId))).orderBy(asc(shipments.seq));
  await ensureMilestones(
    ctx,
    ships.filter((s) => s.status !== 'cancelled'),
  );
  const shipIds = ships.map((s) => s.id);
  const refOf = new Map(ships.map((s) => [s.id, s.reference]));
  const cancelled = new Set(ships.filter((s) => s.status === 'cancelled').map((s) => s.id));

  const [audit, revisions, stones, docs, excs] = await Promise.all([
    db.select().from(auditEvents).where(and(eq(auditEvents.orgId, ctx.orgId), eq(auditEvents.orderId, orderId))).orderBy(asc(auditEvents.id)),
    db.select().from(bookingRevisions).where(and(eq(bookingRevisions.orgId, ctx.orgId), inArray(bookingRevisions.shipmentId, shipIds))).orderBy(asc(bookingRevisions.shipmentId), asc(bookingRevisions.version)),
    db.select().from(milestones).where(and(eq(milestones.orgId, ctx.orgId), inArray(milestones.shipmentId, shipIds))),
    db.select({ id: documents.id, shipmentId: documents.shipmentId, kind: documents.kind, format: documents.format, version: documents.version, number: documents.number, createdAt: documents.createdAt, createdBy: documents.createdBy, approvedAt: documents.approvedAt, approvedBy: documents.approvedBy, finalizedAt: documents.finalizedAt, finalizedBy: documents.finalizedBy }).from(documents).where(and(eq(documents.orgId, ctx.orgId), eq(documents.orderId, orderId))).orderBy(asc(documents.id)),
    db.select().from(exceptions).where(and(eq(exceptions.orgId, ctx.orgId), or(eq(exceptions.orderId, orderId), inArray(exceptions.shipmentId, shipIds)))),
  ]);

  const out: Draft[] = [];
  const push = (d: Omit<Draft, 'shipmentReference' | 'rank' | 'seq' | 'planned'> & { seq?: number; planned?: boolean }) =>
    out.push({ ...d, planned: d.planned ?? false, seq: d.seq ?? 0, rank: RANK[d.kind], shipmentReference: d.shipmentId ? (refOf.get(d.shipmentId) ?? null) : null });

  // Audit events; booking and milestone changes have their own, richer entries below.
  for (const e of audit) {
    if (e.action.startsWith('booking.') || e.action.startsWith('milestone.')) continue;
    const shipmentId = e.entityType === 'shipment' ? e.entityId : null;
    push({
      at: e.at,
      kind: e.entityType === 'shipment' ? 'shipment' : 'order',
      title: auditTitle(e.action, e.before as Record<string, unknown> | null, e.after as Record<string, unknown> | null, order.reference, shipmentId ? (refOf.get(shipmentId) ?? null) : null),
      shipmentId,
      actorId: e.actorId,
      source: { type: 'audit', id: e.id },
    });
  }

  // Booking revisions, each told against the version before it.
  const forwarderIds = [...new Set(revisions.map((r) => (r.snapshot as { forwarderId?: string | null }).forwarderId).filter((x): x is string => !!x))];
  const forwarders = forwarderIds.length ? await db.select({ id: parties.id, name: parties.name }).from(parties).where(and(eq(parties.orgId, ctx.orgId), inArray(parties.id, forwarderIds))) : [];
  const confirmations = new Set<string>();
  revisions.forEach((r, i) => {
    const b = r.snapshot as unknown as BookingRow;
    const prevRow = i > 0 && revisions[i - 1]!.bookingId === r.bookingId ? (revisions[i - 1]!.snapshot as unknown as BookingRow) : null;
    if (b.status === 'confirmed' && prevRow?.status !== 'confirmed') confirmations.add(`${r.shipmentId}|${r.changedAt}`);
    push({
      at: r.changedAt,
      kind: 'booking',
      title: bookingTitle(b, prevRow, r.change, forwarders.find((f) => f.id === b.forwarderId)?.name ?? null),
      shipmentId: r.shipmentId,
      actorId: r.changedBy,
      source: { type: 'booking_revision', id: r.id },
    });
  });

  // Milestones: the plan, and what happened.
  for (const m of stones) {
    if (m.plannedAt && !cancelled.has(m.shipmentId)) {
      push({ at: m.plannedAt, kind: 'milestone_planned', planned: true, title: `${m.name} planned for ${formatZoned(m.plannedAt, m.timeZone)}`, shipmentId: m.shipmentId, actorId: null, seq: m.seq, source: { type: 'milestone', id: m.id } });
    }
    if (m.actualAt) {
      if (m.code === 'booking_confirmed' && confirmations.has(`${m.shipmentId}|${m.actualAt}`)) continue; // told by the booking entry
      const late = m.plannedAt ? new Date(m.actualAt).getTime() - new Date(m.plannedAt).getTime() : null;
      const timing = late === null ? '' : Math.abs(late) < 3_600_000 ? ' (on time)' : ` (${span(late)} ${late > 0 ? 'late' : 'early'})`;
      push({
        at: m.actualAt,
        kind: 'milestone_actual',
        title: `${m.name}, ${formatZoned(m.actualAt, m.timeZone)}${timing}${m.notes ? ` — ${m.notes}` : ''}`,
        shipmentId: m.shipmentId,
        actorId: m.recordedBy,
        seq: m.seq,
        source: { type: 'milestone', id: m.id },
      });
    }
  }

  // Documents: one entry per action, grouping the formats and kinds made together.
  const groups = new Map<string, { event: 'generated' | 'approved' | 'final'; at: string; by: string | null; shipmentId: string | null; docs: typeof docs }>();
  for (const d of docs) {
    const events = [
      ['generated', d.createdAt, d.createdBy],
      ['approved', d.approvedAt, d.approvedBy],
      ['final', d.finalizedAt, d.finalizedBy],
    ] as const;
    for (const [event, at, by] of events) {
      if (!at) continue;
      const key = `${event}|${at}|${d.shipmentId}|${by}`;
      const g = groups.get(key) ?? { event, at, by, shipmentId: d.shipmentId || null, docs: [] };
      g.docs.push(d);
      groups.set(key, g);
    }
  }
  for (const g of groups.values()) {
    const kinds = [...new Set(g.docs.map((d) => d.kind))];
    const first = g.docs[0]!;
    const one = `${kindName(first.kind)} ${first.number} v${first.version}`;
    const title =
      g.event === 'generated'
        ? kinds.length === 1
          ? `${kindName(first.kind)} ${first.number} generated (draft v${first.version})`
          : `Draft documents generated: ${kinds.map((k) => kindName(k).toLowerCase()).join(', ')}`
        : kinds.length === 1
          ? `${one} ${g.event === 'final' ? 'made final' : 'approved'}`
          : `Documents ${g.event === 'final' ? 'made final' : 'approved'}: ${kinds.map((k) => kindName(k).toLowerCase()).join(', ')}`;
    push({ at: g.at, kind: 'document', title, shipmentId: g.shipmentId, actorId: g.by, source: { type: 'document', id: first.id } });
  }

  // Exceptions raised by the rule engine (read as they are; the engine owns them).
  for (const x of excs) {
    const shipmentId = x.shipmentId && refOf.has(x.shipmentId) ? x.shipmentId : null;
    push({ at: x.raisedAt, kind: 'exception_raised', title: `Exception for ${x.ownerRole} (${x.severity}): ${x.title}`, shipmentId, actorId: null, source: { type: 'exception', id: x.id } });
    if (x.acknowledgedAt) push({ at: x.acknowledgedAt, kind: 'exception_acknowledged', title: `Exception acknowledged: ${x.title}`, shipmentId, actorId: x.acknowledgedBy, source: { type: 'exception', id: x.id } });
    if (x.resolvedAt) {
      push({
        at: x.resolvedAt,
        kind: 'exception_resolved',
        title: x.resolution === 'auto' ? `Resolved by itself: ${x.title}` : `Exception resolved: ${x.title}`,
        shipmentId,
        actorId: x.resolvedBy,
        source: { type: 'exception', id: x.id },
      });
    }
  }

  const people = await usersById(db, out.map((e) => e.actorId));
  const actor = (id: string | null): Actor => (id && people.get(id)) || null;
  out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank - b.rank || a.seq - b.seq || (a.source.id < b.source.id ? -1 : a.source.id > b.source.id ? 1 : 0)));
  return {
    orderId: order.id,
    reference: order.reference,
    status: order.status,
    items: out.map(({ actorId, rank: _r, seq: _s, ...e }) => ({ ...e, actor: actor(actorId) })),
  };
}
