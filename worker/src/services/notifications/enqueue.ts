/**
 * The transactional outbox, write side. Called inside the transaction of the change that causes a message (a
 * milestone's actual time recorded, a document made final), so the message exists exactly when the change
 * committed. Each message has a dedupe key, unique per organisation, and is inserted with ON CONFLICT DO NOTHING:
 * recording the same milestone again, or a retried request, never makes a second message.
 *
 * These run as a side effect of someone else's permission (a forwarder recording `departed`), so they check none:
 * what is sent, and to whom, is decided by the buyer's preferences alone.
 */
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { DOCUMENTS_FINAL } from '../../../../shared/contracts/notifications.js';
import type { Executor } from '../../db/client.js';
import { bookings, documents, milestones, orders, organisations, outboxMessages, parties, shipments } from '../../db/schema/index.js';
import { newMessageId } from '../../email/message.js';
import { newId } from '../../lib/ids.js';
import { isoNow, type ServiceContext } from '../context.js';
import { composeDocumentsEmail, composeMilestoneEmail, type AttachmentFacts, type ShipmentFacts } from './compose.js';
import { loadPrefs, recipientsOf } from './prefs.js';

/**
 * How long a documents_final message waits for more documents of the same shipment: finalising the invoice, the
 * packing list and the certificate of origin within this window sends one e-mail with all three.
 */
export const DOCUMENTS_DEBOUNCE_SECONDS = 300;

/** Documents a buyer receives. Shipping instructions are for the carrier and forwarder, not the buyer. */
export const BUYER_DOCUMENT_KINDS = ['commercial_invoice', 'packing_list', 'certificate_of_origin'] as const;
/** ...and, on its own when made final, the order's proforma invoice. */
const DOCUMENTS_FINAL_KINDS: readonly string[] = [...BUYER_DOCUMENT_KINDS, 'proforma_invoice'];

/**
 * The domain of the Message-IDs the outbox mints. A message's id is fixed when it is queued, inside a service
 * transaction that does not know the deployment's sender, so it is one neutral domain; it only has to be unique.
 */
export const MESSAGE_ID_DOMAIN = 'outbox.exportdesk';

type DocumentRow = typeof documents.$inferSelect;

/** The download name of a final document: INV-26-27-0007_commercial-invoice_v1.docx (as GET /documents/{id}/content names it). */
export const documentFilename = (d: Pick<DocumentRow, 'number' | 'kind' | 'version' | 'format'>) =>
  `${d.number.replace(/\//g, '-')}_${d.kind.replace(/_/g, '-')}_v${d.version}.${d.format}`;

const attachmentFacts = (d: DocumentRow): AttachmentFacts => ({ kind: d.kind, number: d.number, filename: documentFilename(d) });

/** Whom to tell about `event` on this order, or null when its buyer does not want it (or has no one to tell). */
async function audience(tx: Executor, ctx: ServiceContext, orderId: string, event: string) {
  const [order] = await tx.select().from(orders).where(and(eq(orders.orgId, ctx.orgId), eq(orders.id, orderId)));
  if (!order) return null;
  const prefs = await loadPrefs(tx, ctx.orgId, order.buyerId);
  if (!prefs?.enabled || !prefs.events.includes(event)) return null;
  const [buyer] = await tx.select().from(parties).where(and(eq(parties.orgId, ctx.orgId), eq(parties.id, order.buyerId)));
  if (!buyer) return null;
  const to = recipientsOf(buyer, prefs.recipients);
  if (!to.length) return null;
  const [org] = await tx.select({ legalName: organisations.legalName }).from(organisations).where(eq(organisations.id, ctx.orgId));
  return { order, buyer, to, exporter: org?.legalName ?? '' };
}

async function shipmentFacts(tx: Executor, ctx: ServiceContext, shipmentId: string, order: typeof orders.$inferSelect): Promise<ShipmentFacts | null> {
  const [s] = await tx.select().from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, shipmentId)));
  if (!s) return null;
  const [b] = await tx.select().from(bookings).where(and(eq(bookings.orgId, ctx.orgId), eq(bookings.shipmentId, shipmentId)));
  const booking = b && b.status !== 'cancelled' ? b : null;
  return {
    reference: s.reference,
    orderReference: order.reference,
    buyerPo: order.buyerPo ?? null,
    portOfLoading: booking?.portOfLoading ?? s.portOfLoading,
    portOfDischarge: booking?.portOfDischarge ?? s.portOfDischarge,
    vessel: booking?.vessel ?? s.vessel,
    voyage: booking?.voyage ?? s.voyage,
    carrier: booking?.carrier ?? null,
    bookingNumber: booking?.bookingNumber ?? null,
    blNumber: s.blNumber,
    etd: booking?.etd ?? null,
    eta: booking?.eta ?? null,
    timeZone: booking?.timeZone ?? null,
  };
}

/** The final documents a buyer gets with a shipment's update: the shipment's own and the order's (not yet split) ones. */
async function finalDocuments(tx: Executor, ctx: ServiceContext, orderId: string, shipmentId: string): Promise<DocumentRow[]> {
  return tx
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.orgId, ctx.orgId),
        eq(documents.orderId, orderId),
        eq(documents.status, 'final'),
        inArray(documents.shipmentId, [shipmentId, '']),
        inArray(documents.kind, [...BUYER_DOCUMENT_KINDS]),
      ),
    )
    .orderBy(asc(documents.shipmentId), asc(documents.kind), asc(documents.format));
}

/** Dedupe keys of one documents_final scope (`…:<scope>:` then the counter), as an index-friendly range. */
const keyStartsWith = (prefix: string): SQL => and(gte(outboxMessages.dedupeKey, prefix), lt(outboxMessages.dedupeKey, `${prefix.slice(0, -1)};`))!; // ';' follows ':'

/** `iso` plus `seconds`, as an ISO timestamp. */
export const addSeconds = (iso: string, seconds: number) => new Date(new Date(iso).getTime() + seconds * 1000).toISOString();

type MessageFields = Pick<typeof outboxMessages.$inferInsert, 'orderId' | 'shipmentId' | 'buyerId' | 'event' | 'dedupeKey' | 'to' | 'subject' | 'text' | 'html' | 'attachments'>;

/** Insert a pending, never-tried message due `dueInSeconds` from now, unless its dedupe key is already taken. */
async function queueMessage(tx: Executor, ctx: ServiceContext, message: MessageFields, dueInSeconds = 0): Promise<void> {
  const now = isoNow(ctx);
  await tx
    .insert(outboxMessages)
    .values({
      id: newId('obx'),
      orgId: ctx.orgId,
      ...message,
      messageId: newMessageId(MESSAGE_ID_DOMAIN),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: addSeconds(now, dueInSeconds),
      createdAt: now,
    })
    .onConflictDoNothing({ target: [outboxMessages.orgId, outboxMessages.dedupeKey] });
}

/**
 * A milestone's actual time was recorded for the first time: queue the buyer's e-mail when they want this
 * milestone. Dedupe key `milestone:<code>:<shipmentId>`: one message per milestone and shipment, ever.
 */
export async function enqueueMilestoneEmail(tx: Executor, ctx: ServiceContext, shipmentId: string, code: string, at: string): Promise<void> {
  const [s] = await tx.select({ orderId: shipments.orderId }).from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, shipmentId)));
  if (!s) return;
  const who = await audience(tx, ctx, s.orderId, code);
  if (!who) return;
  const shipment = await shipmentFacts(tx, ctx, shipmentId, who.order);
  if (!shipment) return;
  const [m] = await tx.select().from(milestones).where(and(eq(milestones.shipmentId, shipmentId), eq(milestones.code, code)));
  const docs = await finalDocuments(tx, ctx, s.orderId, shipmentId);
  const email = composeMilestoneEmail({
    exporter: who.exporter,
    recipientNames: who.to.map((t) => t.name ?? ''),
    attachments: docs.map(attachmentFacts),
    shipment,
    milestone: { code, name: m?.name ?? code, at, timeZone: m?.timeZone ?? null },
  });
  await queueMessage(tx, ctx, {
    orderId: s.orderId,
    shipmentId,
    buyerId: who.buyer.id,
    event: `milestone.${code}`,
    dedupeKey: `milestone:${code}:${shipmentId}`,
    to: who.to,
    ...email,
    attachments: docs.map((d) => d.id),
  });
}

/**
 * A document became final: when the buyer wants documents_final, add it to the scope's open message (pending and
 * never tried: its contents can still change) or open one, due DOCUMENTS_DEBOUNCE_SECONDS from now. Dedupe key
 * `documents_final:<shipmentId or orderId>:<n>`, n counting that scope's messages. A newer final version of the
 * same document replaces the older one in the open message.
 */
export async function enqueueDocumentFinal(tx: Executor, ctx: ServiceContext, documentId: string): Promise<void> {
  const [doc] = await tx.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, documentId)));
  if (!doc || doc.status !== 'final' || !DOCUMENTS_FINAL_KINDS.includes(doc.kind)) return;
  const who = await audience(tx, ctx, doc.orderId, DOCUMENTS_FINAL);
  if (!who) return;
  const scope = doc.shipmentId || doc.orderId;
  const prefix = `documents_final:${scope}:`;
  const [open] = await tx
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.orgId, ctx.orgId), keyStartsWith(prefix), eq(outboxMessages.status, 'pending'), eq(outboxMessages.attempts, 0)))
    .limit(1);

  const attachedIds = open ? [...open.attachments.filter((id) => id !== doc.id), doc.id] : [doc.id];
  const attached = await tx.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), inArray(documents.id, attachedIds)));
  // one version per document (kind + format): the newest final one
  const newest = new Map<string, DocumentRow>();
  for (const d of attached) {
    const key = `${d.kind}|${d.format}`;
    const seen = newest.get(key);
    if (!seen || d.version > seen.version) newest.set(key, d);
  }
  const docs = [...newest.values()].sort((a, b) => DOCUMENTS_FINAL_KINDS.indexOf(a.kind) - DOCUMENTS_FINAL_KINDS.indexOf(b.kind) || a.format.localeCompare(b.format));
  const shipment = doc.shipmentId ? await shipmentFacts(tx, ctx, doc.shipmentId, who.order) : null;
  const email = composeDocumentsEmail({
    exporter: who.exporter,
    recipientNames: who.to.map((t) => t.name ?? ''),
    attachments: docs.map(attachmentFacts),
    shipment,
    orderReference: who.order.reference,
    buyerPo: who.order.buyerPo ?? null,
  });

  if (open) {
    await tx
      .update(outboxMessages)
      .set({ ...email, to: who.to, attachments: docs.map((d) => d.id) })
      .where(and(eq(outboxMessages.id, open.id), eq(outboxMessages.status, 'pending'), eq(outboxMessages.attempts, 0)));
    return;
  }
  const [{ n }] = (await tx
    .select({ n: sql<number>`count(*)` })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.orgId, ctx.orgId), keyStartsWith(prefix)))) as [{ n: number }];
  await queueMessage(
    tx,
    ctx,
    {
      orderId: doc.orderId,
      shipmentId: doc.shipmentId || null,
      buyerId: who.buyer.id,
      event: 'documents.final',
      dedupeKey: `${prefix}${Number(n) + 1}`,
      to: who.to,
      ...email,
      attachments: docs.map((d) => d.id),
    },
    DOCUMENTS_DEBOUNCE_SECONDS,
  );
}
