import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { TRACKING_SECRET_CHARS, TRACKING_TOKEN_RE, type TrackingLink, type TrackingLinkCreate } from '../../../shared/contracts/tracking.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../../../shared/documents/snapshot.js';
import type { Database, Executor } from '../db/client.js';
import { bookings, documents, milestones, orderLines, orders, organisations, parties, shipmentAllocations, shipments, trackingLinks } from '../db/schema/index.js';
import { newId, newSecret, sha256Hex, timingSafeEqual } from '../lib/ids.js';
import { recordAudit, usersById } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { CONTENT_TYPES, databaseStore, type DocumentStore } from './documents/store.js';
import { conflict, notFound } from './errors.js';
import { ensureMilestones } from './milestones.js';
import { loadOrderRow } from './orders/orders.js';
import { requirePermission } from './permissions.js';

type LinkRow = typeof trackingLinks.$inferSelect;

/**
 * Buyer tracking links. Issuing, listing and revoking are ordinary service verbs (ServiceContext, permission
 * checks). Opening a link is public: `resolveTrackingLink` turns a token into its link (or null — unknown,
 * tampered, expired and revoked look the same), and `trackingView` / `trackingDocument` read ONLY that link's
 * order, through an explicit allow-list of fields: no prices, amounts, costs, payment data, remarks or notes.
 */

/** Record last use at most this often (reads stay cheap; scanners opening a link do not cause a write each time). */
const LAST_USED_EVERY_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** Document kinds offered to the buyer: those addressed to them. Shipping instructions go to the forwarder. */
export const BUYER_DOCUMENT_KINDS: readonly DocumentKind[] = ['proforma_invoice', 'commercial_invoice', 'packing_list', 'certificate_of_origin'];


/** Where a token's page is, relative to the server's origin. */
export const trackingPath = (token: string) => `/track/${token}`;

export function linkStatus(row: Pick<LinkRow, 'revokedAt' | 'expiresAt'>, now: Date): TrackingLink['status'] {
  if (row.revokedAt) return 'revoked';
  return Date.parse(row.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

async function toLinks(db: Executor, rows: LinkRow[], now: Date): Promise<TrackingLink[]> {
  const people = await usersById(db, rows.map((r) => r.createdBy));
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    status: linkStatus(r, now),
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    lastUsedAt: r.lastUsedAt,
    createdAt: r.createdAt,
    createdBy: people.get(r.createdBy) ?? null,
  }));
}

/**
 * Issue a link for an order: returns the link with its token (shown this once). Only the SHA-256 of the secret
 * is stored. Audited on the order ("order.tracking_link_issued", without the token).
 */
export async function issueTrackingLink(ctx: ServiceContext, orderId: string, input: TrackingLinkCreate): Promise<TrackingLink & { token: string }> {
  requirePermission(ctx, 'buyers:notify');
  const now = ctx.now();
  const row = await ctx.database.write(async (tx) => {
    const order = await loadOrderRow(tx, ctx, orderId);
    if (order.status === 'cancelled') throw conflict('ORDER_CANCELLED', 'A cancelled order gets no tracking link');
    const id = newId('trk');
    const secret = newSecret(TRACKING_SECRET_CHARS);
    const row: LinkRow = {
      id,
      orgId: ctx.orgId,
      orderId,
      secretHash: await sha256Hex(secret),
      expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString(),
      revokedAt: null,
      lastUsedAt: null,
      createdBy: ctx.actor.userId,
      createdAt: now.toISOString(),
    };
    await tx.insert(trackingLinks).values(row);
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: orderId, orderId, action: 'order.tracking_link_issued', after: { trackingLinkId: id, expiresAt: row.expiresAt } }]);
    return { row, token: `trk_${id.slice(4)}_${secret}` };
  });
  const [link] = await toLinks(ctx.database.db, [row.row], now);
  return { ...link!, token: row.token };
}

/** Every link of an order, newest first, with its status; never a secret. */
export async function listTrackingLinks(ctx: ServiceContext, orderId: string): Promise<TrackingLink[]> {
  requirePermission(ctx, 'orders:read');
  const db = ctx.database.db;
  await loadOrderRow(db, ctx, orderId);
  const rows = await db
    .select()
    .from(trackingLinks)
    .where(and(eq(trackingLinks.orgId, ctx.orgId), eq(trackingLinks.orderId, orderId)))
    .orderBy(desc(trackingLinks.id));
  return toLinks(db, rows, ctx.now());
}

/** Withdraw a link at once. Revoking a revoked link changes nothing (the first revocation time stays). */
export async function revokeTrackingLink(ctx: ServiceContext, id: string): Promise<TrackingLink> {
  requirePermission(ctx, 'buyers:notify');
  const row = await ctx.database.write(async (tx) => {
    const [row] = await tx.select().from(trackingLinks).where(and(eq(trackingLinks.orgId, ctx.orgId), eq(trackingLinks.id, id)));
    if (!row) throw notFound('Tracking link', id);
    await loadOrderRow(tx, ctx, row.orderId); // 404 for an order the actor may not see
    if (row.revokedAt) return row;
    const next = { ...row, revokedAt: isoNow(ctx) };
    await tx.update(trackingLinks).set({ revokedAt: next.revokedAt }).where(eq(trackingLinks.id, id));
    await recordAudit(tx, ctx, [{ entityType: 'order', entityId: row.orderId, orderId: row.orderId, action: 'order.tracking_link_revoked', after: { trackingLinkId: id } }]);
    return next;
  });
  const [link] = await toLinks(ctx.database.db, [row], ctx.now());
  return link!;
}

// ---------------------------------------------------------------------------------------------
// The public side: no user, no organisation until the token names one.
// ---------------------------------------------------------------------------------------------

/** What the public page needs: the database, the clock, and where document bytes are. */
export interface TrackingContext {
  readonly database: Database;
  readonly now: () => Date;
  readonly documentStore?: DocumentStore;
}

/** A link that opened: which organisation and order it shows. */
export interface OpenLink {
  id: string;
  orgId: string;
  orderId: string;
  expiresAt: string;
}

const NO_HASH = '0'.repeat(64);

/**
 * The link a token stands for, or null when the token is malformed, unknown, tampered with, expired or revoked —
 * all alike to the caller. The secret's hash is computed and compared (in constant time) whether or not the id
 * exists, and expiry and revocation are checked on every call. Records last use at most every 5 minutes.
 */
export async function resolveTrackingLink(ctx: TrackingContext, token: string): Promise<OpenLink | null> {
  const m = TRACKING_TOKEN_RE.exec(token);
  if (!m) return null;
  const id = `trk_${m[1]}`;
  const [row] = await ctx.database.db.select().from(trackingLinks).where(eq(trackingLinks.id, id));
  const hash = await sha256Hex(m[2]!);
  const matches = timingSafeEqual(hash, row?.secretHash ?? NO_HASH);
  const now = ctx.now();
  if (!row || !matches || linkStatus(row, now) !== 'active') return null;
  const last = row.lastUsedAt ? Date.parse(row.lastUsedAt) : 0;
  if (now.getTime() - last > LAST_USED_EVERY_MS) {
    await ctx.database.write((tx) => tx.update(trackingLinks).set({ lastUsedAt: now.toISOString() }).where(eq(trackingLinks.id, id)));
  }
  return { id: row.id, orgId: row.orgId, orderId: row.orderId, expiresAt: row.expiresAt };
}

/** A point in time with the zone to show it in. */
export interface Moment {
  at: string;
  timeZone: string;
}

/** Everything the tracking page shows — and nothing more: the page renders only this. */
export interface TrackingView {
  exporter: string;
  order: {
    reference: string;
    buyerPo: string | null;
    buyer: string;
    status: string;
    incoterm: string;
    incotermPlace: string;
    requestedShipDate: string | null;
    lines: { description: string; quantity: string; unit: string }[];
  };
  shipments: {
    id: string;
    reference: string;
    status: string;
    transportMode: string;
    portOfLoading: string;
    portOfDischarge: string;
    destinationCountry: string;
    carrier: string | null;
    vessel: string | null;
    voyage: string | null;
    bookingConfirmed: boolean;
    blNumber: string | null;
    etd: Moment | null;
    eta: Moment | null;
    plannedShipDate: string | null;
    plannedArrivalDate: string | null;
    shippedAt: string | null;
    deliveredAt: string | null;
    items: { description: string; quantity: string; unit: string }[];
    milestones: { code: string; name: string; planned: Moment | null; actual: Moment | null }[];
  }[];
  documents: { id: string; kind: DocumentKind; format: 'docx' | 'xlsx'; number: string; version: number; documentDate: string; shipmentReference: string | null }[];
  expiresAt: string;
}

/** A service context for reading one organisation on behalf of a link (an internal, read-only view of it). */
const readerFor = (ctx: TrackingContext, link: OpenLink): ServiceContext => ({
  database: ctx.database,
  orgId: link.orgId,
  actor: { userId: link.id, role: 'viewer' },
  now: ctx.now,
  ...(ctx.documentStore ? { documentStore: ctx.documentStore } : {}),
});

/** The data of the link's order for the buyer's page (null if the order is gone). */
export async function trackingView(ctx: TrackingContext, link: OpenLink): Promise<TrackingView | null> {
  const db = ctx.database.db;
  const [order] = await db
    .select({
      reference: orders.reference,
      buyerPo: orders.buyerPo,
      buyerId: orders.buyerId,
      status: orders.status,
      incoterm: orders.incoterm,
      incotermPlace: orders.incotermPlace,
      requestedShipDate: orders.requestedShipDate,
    })
    .from(orders)
    .where(and(eq(orders.orgId, link.orgId), eq(orders.id, link.orderId)));
  if (!order) return null;
  const [[org], [buyer], lines, ships] = await Promise.all([
    db.select({ legalName: organisations.legalName }).from(organisations).where(eq(organisations.id, link.orgId)),
    db.select({ name: parties.name }).from(parties).where(and(eq(parties.orgId, link.orgId), eq(parties.id, order.buyerId))),
    db
      .select({ id: orderLines.id, description: orderLines.description, quantity: orderLines.quantity, unit: orderLines.unit })
      .from(orderLines)
      .where(and(eq(orderLines.orgId, link.orgId), eq(orderLines.orderId, link.orderId)))
      .orderBy(asc(orderLines.lineNo)),
    db
      .select()
      .from(shipments)
      .where(and(eq(shipments.orgId, link.orgId), eq(shipments.orderId, link.orderId), ne(shipments.status, 'cancelled')))
      .orderBy(asc(shipments.seq)),
  ]);
  // Milestones are made lazily the first time anyone looks (as for GET milestones and the timeline).
  await ensureMilestones(readerFor(ctx, link), ships);
  const shipIds = ships.map((s) => s.id);
  const [allocs, books, stones, docs] = await Promise.all([
    db
      .select({ shipmentId: shipmentAllocations.shipmentId, orderLineId: shipmentAllocations.orderLineId, quantity: shipmentAllocations.quantity })
      .from(shipmentAllocations)
      .where(inArray(shipmentAllocations.shipmentId, shipIds)),
    db.select().from(bookings).where(and(eq(bookings.orgId, link.orgId), inArray(bookings.shipmentId, shipIds))),
    db
      .select({ shipmentId: milestones.shipmentId, code: milestones.code, name: milestones.name, seq: milestones.seq, plannedAt: milestones.plannedAt, actualAt: milestones.actualAt, timeZone: milestones.timeZone })
      .from(milestones)
      .where(and(eq(milestones.orgId, link.orgId), inArray(milestones.shipmentId, shipIds)))
      .orderBy(asc(milestones.seq)),
    finalDocuments(db, link),
  ]);
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const refOf = new Map(ships.map((s) => [s.id, s.reference]));
  return {
    exporter: org?.legalName ?? '',
    order: {
      reference: order.reference,
      buyerPo: order.buyerPo,
      buyer: buyer?.name ?? '',
      status: order.status,
      incoterm: order.incoterm,
      incotermPlace: order.incotermPlace,
      requestedShipDate: order.requestedShipDate,
      lines: lines.map(({ description, quantity, unit }) => ({ description, quantity, unit })),
    },
    shipments: ships.map((s) => {
      const booking = books.find((b) => b.shipmentId === s.id && b.status !== 'cancelled') ?? null;
      const zone = booking?.timeZone ?? 'UTC';
      const moment = (at: string | null | undefined, tz?: string | null): Moment | null => (at ? { at, timeZone: tz ?? zone } : null);
      return {
        id: s.id,
        reference: s.reference,
        status: s.status,
        transportMode: s.transportMode,
        portOfLoading: booking?.portOfLoading ?? s.portOfLoading,
        portOfDischarge: booking?.portOfDischarge ?? s.portOfDischarge,
        destinationCountry: s.destinationCountry,
        carrier: booking?.carrier ?? null,
        vessel: booking?.vessel ?? s.vessel,
        voyage: booking?.voyage ?? s.voyage,
        bookingConfirmed: booking?.status === 'confirmed',
        blNumber: s.blNumber,
        etd: moment(booking?.etd),
        eta: moment(booking?.eta),
        plannedShipDate: s.plannedShipDate,
        plannedArrivalDate: s.plannedArrivalDate,
        shippedAt: s.shippedAt,
        deliveredAt: s.deliveredAt,
        items: allocs
          .filter((a) => a.shipmentId === s.id && lineById.has(a.orderLineId))
          .map((a) => ({ description: lineById.get(a.orderLineId)!.description, quantity: a.quantity, unit: lineById.get(a.orderLineId)!.unit })),
        milestones: stones
          .filter((m) => m.shipmentId === s.id)
          .map((m) => ({ code: m.code, name: m.name, planned: moment(m.plannedAt, m.timeZone), actual: moment(m.actualAt, m.timeZone) })),
      };
    }),
    documents: docs.map((d) => ({ ...d, shipmentReference: d.shipmentId ? (refOf.get(d.shipmentId) ?? null) : null })),
    expiresAt: link.expiresAt,
  };
}

/** The order's FINAL documents of the kinds addressed to the buyer (never drafts, approved-not-final or superseded versions). */
async function finalDocuments(db: Executor, link: OpenLink) {
  const rows = await db
    .select({ id: documents.id, shipmentId: documents.shipmentId, kind: documents.kind, format: documents.format, number: documents.number, version: documents.version, documentDate: documents.documentDate })
    .from(documents)
    .where(and(eq(documents.orgId, link.orgId), eq(documents.orderId, link.orderId), eq(documents.status, 'final'), inArray(documents.kind, [...BUYER_DOCUMENT_KINDS])));
  const out = rows.map((r) => ({ ...r, kind: r.kind as DocumentKind, format: r.format as 'docx' | 'xlsx', shipmentId: r.shipmentId || null }));
  // the order's own documents first, then per shipment; by kind as in the pack; Word before Excel
  return out.sort((a, b) => (a.shipmentId ?? '').localeCompare(b.shipmentId ?? '') || DOCUMENT_KINDS.indexOf(a.kind) - DOCUMENT_KINDS.indexOf(b.kind) || a.format.localeCompare(b.format));
}

/** The bytes of one FINAL buyer document of the link's order, or null (any other document: as if it did not exist). */
export async function trackingDocument(ctx: TrackingContext, link: OpenLink, documentId: string): Promise<{ bytes: Uint8Array; contentType: string; filename: string; contentHash: string } | null> {
  if (!/^doc_[0-9A-HJKMNP-TV-Z]{26}$/.test(documentId)) return null;
  const [row] = await ctx.database.db
    .select({ kind: documents.kind, format: documents.format, number: documents.number, version: documents.version, storageKey: documents.storageKey, contentHash: documents.contentHash })
    .from(documents)
    .where(
      and(
        eq(documents.orgId, link.orgId),
        eq(documents.orderId, link.orderId),
        eq(documents.id, documentId),
        eq(documents.status, 'final'),
        inArray(documents.kind, [...BUYER_DOCUMENT_KINDS]),
      ),
    );
  if (!row) return null;
  const bytes = await (ctx.documentStore ?? databaseStore).get(ctx.database.db, row.storageKey);
  if (!bytes) return null;
  return {
    bytes,
    contentType: CONTENT_TYPES[row.format as 'docx' | 'xlsx'],
    filename: `${row.number.replace(/[^A-Za-z0-9._-]+/g, '-')}_${row.kind.replace(/_/g, '-')}_v${row.version}.${row.format}`,
    contentHash: row.contentHash,
  };
}
