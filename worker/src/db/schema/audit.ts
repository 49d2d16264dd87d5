import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Append-only audit trail: who changed what, with before/after snapshots. */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    orderId: text('order_id'),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    actorId: text('actor_id'),
    at: text('at').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    note: text('note'),
  },
  (t) => [index('audit_order').on(t.orgId, t.orderId, t.id), index('audit_entity').on(t.orgId, t.entityId, t.id)],
);
