import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisations } from './organisations.js';

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    sku: text('sku').notNull(),
    description: text('description').notNull(),
    hsCode: text('hs_code').notNull(),
    unit: text('unit').notNull(),
    netWeightKg: text('net_weight_kg').notNull(),
    grossWeightKg: text('gross_weight_kg').notNull(),
    originCountry: text('origin_country').notNull(),
    packageType: text('package_type').notNull().default('CTN'),
    unitsPerPackage: integer('units_per_package'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('products_org_sku').on(t.orgId, sql`lower(${t.sku})`), index('products_org_id').on(t.orgId, t.id)],
);
