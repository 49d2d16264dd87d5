import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organisations } from './organisations.js';

/** Buyers, consignees, notify parties, forwarders and customs agents. */
export const parties = sqliteTable(
  'parties',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    roles: text('roles', { mode: 'json' }).notNull().$type<string[]>(),
    address: text('address', { mode: 'json' }).notNull(),
    country: text('country').notNull(),
    taxIds: text('tax_ids', { mode: 'json' }).notNull(),
    contacts: text('contacts', { mode: 'json' }).notNull(),
    notes: text('notes'),
    verifiedAt: text('verified_at'),
    verifiedBy: text('verified_by'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('parties_org_id').on(t.orgId, t.id), index('parties_org_country').on(t.orgId, t.country)],
);
