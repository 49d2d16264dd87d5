/**
 * Buyer updates by e-mail: per-buyer preferences (which events, which contacts), the messages queued for an
 * order (the transactional outbox) with their delivery status, and the delivery run.
 */
import { z } from 'zod';
import { loadMilestoneTemplates } from '../milestones/registry.js';
import { loadTemplates } from '../templates/registry.js';
import { Id, Timestamp } from './common.js';

/** The event that is not a milestone: documents of a shipment (or the order) became final. */
export const DOCUMENTS_FINAL = 'documents_final' as const;

/** Every milestone code a template knows (the modes' templates and the destinations' additions), in template order. */
function milestoneCodes(): string[] {
  const codes = new Set<string>();
  for (const t of loadMilestoneTemplates()) for (const m of t.milestones) codes.add(m.code);
  for (const t of loadTemplates()) for (const m of t.milestones ?? []) codes.add(m.code);
  return [...codes];
}

/** What a buyer can be told about: any milestone code, or `documents_final`. */
export const NOTIFICATION_EVENTS = [...milestoneCodes(), DOCUMENTS_FINAL] as unknown as readonly [string, ...string[]];
export const NotificationEvent = z.enum(NOTIFICATION_EVENTS).meta({
  description: "A milestone code (the actual time is recorded for a shipment the first time) or 'documents_final' (documents of a shipment became final)",
  example: 'departed',
});

const unique = <T>(list: T[], key: (v: T) => string = String) => new Set(list.map(key)).size === list.length;

export const NotificationPreferencesInput = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: 'false: this buyer gets no e-mail (messages not tried yet are cancelled)' }),
    events: z
      .array(NotificationEvent)
      .max(NOTIFICATION_EVENTS.length)
      .refine((l) => unique(l), 'Each event may be listed once')
      .meta({ description: 'The events the buyer is told about', example: ['departed', 'arrived', 'documents_final'] }),
    recipients: z
      .array(z.email().max(254))
      .max(20)
      .default([])
      .refine((l) => unique(l, (e) => e.toLowerCase()), 'Each address may be listed once')
      .meta({ description: "E-mail addresses of the buyer's contacts that receive the updates; empty: every contact with an e-mail" }),
  })
  .meta({ id: 'NotificationPreferencesInput' });
export type NotificationPreferencesInput = z.infer<typeof NotificationPreferencesInput>;

export const Mailbox = z.object({ name: z.string().optional(), address: z.string() }).meta({ id: 'Mailbox' });

export const NotificationPreferences = z
  .object({
    buyerId: z.string(),
    enabled: z.boolean(),
    events: z.array(z.string()),
    recipients: z.array(z.string()).meta({ description: 'As set; empty means every contact with an e-mail' }),
    sendsTo: z.array(Mailbox).meta({ description: "Who would receive an update now (the chosen contacts that still exist on the party, or all of them)" }),
    version: z.number().int().meta({ description: '0 while never set (send the first PUT without If-Match)' }),
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'NotificationPreferences' });
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export const OutboxId = Id('obx').meta({ description: 'Outbox message id', example: 'obx_01JD7Z3K8Q2W9V4N6M5R1T0Y3X' });

export const OutboxMessage = z
  .object({
    id: z.string(),
    orderId: z.string().nullable(),
    shipmentId: z.string().nullable(),
    event: z.string().meta({ description: "'milestone.<code>' or 'documents.final'", example: 'milestone.departed' }),
    to: z.array(Mailbox),
    subject: z.string(),
    text: z.string().meta({ description: 'The plain-text body as sent' }),
    status: z.enum(OUTBOX_STATUSES).meta({
      description:
        'pending: waiting for its (next) attempt at nextAttemptAt; sending: a deliverer holds it; sent: the mail server accepted it; failed: refused for good or out of attempts (POST /outbox/{id}/retry); cancelled: the buyer\'s preferences no longer wanted it before it was tried',
    }),
    attempts: z.number().int(),
    nextAttemptAt: Timestamp.nullable().meta({ description: 'When it is tried (next); null unless pending' }),
    lastError: z.string().nullable(),
    sentAt: Timestamp.nullable(),
    messageId: z.string().meta({ description: 'The Message-ID header it is (re)sent with; stays the same on every attempt' }),
    providerMessageId: z.string().nullable(),
    createdAt: Timestamp,
    attachments: z.array(z.object({ documentId: z.string(), kind: z.string().nullable(), number: z.string().nullable(), filename: z.string().nullable() })),
  })
  .meta({ id: 'OutboxMessage' });
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const OrderNotifications = z.object({ orderId: z.string(), items: z.array(OutboxMessage).meta({ description: 'Oldest first' }) }).meta({ id: 'OrderNotifications' });
export type OrderNotifications = z.infer<typeof OrderNotifications>;

export const DeliveryRun = z
  .object({
    transport: z.string(),
    claimed: z.number().int().meta({ description: 'Messages taken for an attempt' }),
    sent: z.number().int(),
    retrying: z.number().int().meta({ description: 'Failed for now; tried again later' }),
    failed: z.number().int().meta({ description: 'Refused for good or out of attempts' }),
    ms: z.number(),
  })
  .meta({ id: 'DeliveryRun' });
export type DeliveryRun = z.infer<typeof DeliveryRun>;
