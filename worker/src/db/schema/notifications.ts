import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { orders } from './orders.js';
import { organisations } from './organisations.js';
import { parties } from './parties.js';

/**
 * Buyer updates by e-mail. A change that should tell the buyer (a milestone recorded, final documents ready)
 * writes an outbox row in the same transaction; a deliverer sends pending rows with retries and backoff.
 * `dedupe_key` makes each message exist once (e.g. `departed:shp_…`), and `message_id` is the Message-ID
 * sent, so a retry after an unknown outcome is recognisable downstream.
 */
export const outboxMessages = sqliteTable(
  'outbox_messages',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').references(() => orders.id),
    shipmentId: text('shipment_id'),
    buyerId: text('buyer_id').references(() => parties.id),
    event: text('event').notNull(), // e.g. milestone.departed, documents.final
    dedupeKey: text('dedupe_key').notNull(),
    messageId: text('message_id').notNull(),
    to: text('to', { mode: 'json' }).notNull().$type<{ name?: string; address: string }[]>(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html'),
    /** Document ids attached (their bytes are read at delivery time; final documents never change). */
    attachments: text('attachments', { mode: 'json' }).notNull().$type<string[]>(),
    status: text('status').notNull(), // pending | sending | sent | failed | cancelled
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lockedUntil: text('locked_until'),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    sentAt: text('sent_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('outbox_org_dedupe').on(t.orgId, t.dedupeKey),
    index('outbox_due').on(t.status, t.nextAttemptAt),
    index('outbox_order').on(t.orgId, t.orderId),
  ],
);

/** Per buyer: who receives updates, on which events. */
export const buyerNotificationPrefs = sqliteTable('buyer_notification_prefs', {
  buyerId: text('buyer_id').primaryKey().references(() => parties.id),
  orgId: text('org_id').notNull().references(() => organisations.id),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** Milestone codes (booking_confirmed, departed, arrived, …) and 'documents_final'. */
  events: text('events', { mode: 'json' }).notNull().$type<string[]>(),
  /** Contact e-mails of the party that receive them (empty: all its contacts with an e-mail). */
  recipients: text('recipients', { mode: 'json' }).notNull().$type<string[]>(),
  version: integer('version').notNull().default(1),
  updatedBy: text('updated_by').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/** Signed, expiring, revocable read-only links for a buyer to follow one order. Only a hash of the secret is kept. */
export const trackingLinks = sqliteTable(
  'tracking_links',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    secretHash: text('secret_hash').notNull(),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
    lastUsedAt: text('last_used_at'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('tracking_links_order').on(t.orgId, t.orderId)],
);
