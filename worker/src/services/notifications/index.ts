/** Buyer e-mail updates: the service verbs behind the notification routes, and the outbox's two sides. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DeliveryRun, OrderNotifications, OutboxMessage } from '../../../../shared/contracts/notifications.js';
import { documents, outboxMessages } from '../../db/schema/index.js';
import { isoNow, type ServiceContext } from '../context.js';
import { AppError, conflict, notFound } from '../errors.js';
import { loadOrderRow } from '../orders/orders.js';
import { requirePermission } from '../permissions.js';
import { deliverDue, type EmailDelivery } from './deliver.js';
import { documentFilename } from './enqueue.js';

export { backoffSeconds, BACKOFF_SECONDS, deliverDue, type DeliverOptions, type EmailDelivery } from './deliver.js';
export { DOCUMENTS_DEBOUNCE_SECONDS, enqueueDocumentFinal, enqueueMilestoneEmail } from './enqueue.js';
export { getNotificationPreferences, putNotificationPreferences } from './prefs.js';

type Row = typeof outboxMessages.$inferSelect;
type DocumentRow = typeof documents.$inferSelect;

function toMessage(r: Row, docs: Map<string, DocumentRow>): OutboxMessage {
  return {
    id: r.id,
    orderId: r.orderId,
    shipmentId: r.shipmentId,
    event: r.event,
    to: r.to,
    subject: r.subject,
    text: r.text,
    status: r.status as OutboxMessage['status'],
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt : null,
    lastError: r.lastError,
    sentAt: r.sentAt,
    messageId: r.messageId,
    providerMessageId: r.providerMessageId,
    createdAt: r.createdAt,
    attachments: r.attachments.map((id) => {
      const d = docs.get(id);
      return { documentId: id, kind: d?.kind ?? null, number: d?.number ?? null, filename: d ? documentFilename(d) : null };
    }),
  };
}

async function withDocuments(ctx: ServiceContext, rows: Row[]): Promise<OutboxMessage[]> {
  const ids = [...new Set(rows.flatMap((r) => r.attachments))];
  const docs = ids.length ? await ctx.database.db.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), inArray(documents.id, ids))) : [];
  const byId = new Map(docs.map((d) => [d.id, d]));
  return rows.map((r) => toMessage(r, byId));
}

/** The e-mails queued for an order's buyer, oldest first, with their delivery status. */
export async function listOrderNotifications(ctx: ServiceContext, orderId: string): Promise<OrderNotifications> {
  requirePermission(ctx, 'orders:read');
  const db = ctx.database.db;
  await loadOrderRow(db, ctx, orderId);
  const rows = await db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.orgId, ctx.orgId), eq(outboxMessages.orderId, orderId)))
    .orderBy(asc(outboxMessages.createdAt), asc(outboxMessages.id));
  return { orderId, items: await withDocuments(ctx, rows) };
}

/**
 * Try a message again now: a failed or cancelled one goes back to pending with its attempts counted afresh; a
 * pending one waiting for its backoff is moved to now. A sent message is not sent twice (409), nor is one being sent.
 */
export async function retryOutboxMessage(ctx: ServiceContext, id: string): Promise<OutboxMessage> {
  requirePermission(ctx, 'buyers:notify');
  const row = await ctx.database.write(async (tx) => {
    const [row] = await tx.select().from(outboxMessages).where(and(eq(outboxMessages.orgId, ctx.orgId), eq(outboxMessages.id, id)));
    if (!row) throw notFound('Outbox message', id);
    if (row.status === 'sent') throw conflict('ALREADY_SENT', `The message was sent at ${row.sentAt}; it is not sent twice`);
    if (row.status === 'sending') throw conflict('BEING_SENT', 'The message is being sent right now');
    const next = { status: 'pending', nextAttemptAt: isoNow(ctx), lockedUntil: null, attempts: row.status === 'pending' ? row.attempts : 0 };
    await tx.update(outboxMessages).set(next).where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, row.status)));
    return { ...row, ...next };
  });
  return (await withDocuments(ctx, [row]))[0]!;
}

/** Deliver the organisation's due messages now (what the schedule does for every organisation). */
export async function runDelivery(ctx: ServiceContext, delivery: EmailDelivery | null): Promise<DeliveryRun> {
  requirePermission(ctx, 'buyers:notify');
  if (!delivery) {
    throw new AppError(409, 'EMAIL_NOT_CONFIGURED', 'No e-mail transport is configured (EMAIL_TRANSPORT): messages wait in the outbox until one is');
  }
  return deliverDue({ ...delivery, database: ctx.database, now: ctx.now, orgId: ctx.orgId, ...(ctx.documentStore ? { documentStore: ctx.documentStore } : {}) });
}
