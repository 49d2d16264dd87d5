import { customType, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { orders } from './orders.js';
import { organisations } from './organisations.js';

/**
 * Export documents. One row per version of a document; a document is identified by
 * (order, shipment or none, kind, format). draft → approved → final; a final version is immutable and
 * is superseded by the next final version. Each version keeps the snapshot it was made from.
 */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    /** Empty string for order-scoped documents (so the identity can be unique). */
    shipmentId: text('shipment_id').notNull().default(''),
    kind: text('kind').notNull(),
    format: text('format').notNull(),
    version: integer('version').notNull(),
    status: text('status').notNull(),
    /** Invoice / proforma number shared by all documents of the same scope. */
    number: text('number').notNull(),
    documentDate: text('document_date').notNull(),
    snapshot: text('snapshot', { mode: 'json' }).notNull(),
    /** SHA-256 of the facts documents must agree on (see services/documents/facts.ts). */
    factsHash: text('facts_hash').notNull(),
    contentHash: text('content_hash').notNull(),
    storageKey: text('storage_key').notNull(),
    size: integer('size').notNull(),
    findings: text('findings', { mode: 'json' }).notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    approvedAt: text('approved_at'),
    approvedBy: text('approved_by'),
    finalizedAt: text('finalized_at'),
    finalizedBy: text('finalized_by'),
    supersededAt: text('superseded_at'),
  },
  (t) => [
    uniqueIndex('documents_identity_version').on(t.orderId, t.shipmentId, t.kind, t.format, t.version),
    index('documents_org_order').on(t.orgId, t.orderId, t.id),
  ],
);

/** Sequential document numbers per organisation, series and financial year (GST: unique per FY). */
export const documentCounters = sqliteTable(
  'document_counters',
  {
    orgId: text('org_id').notNull(),
    series: text('series').notNull(),
    financialYear: text('financial_year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.series, t.financialYear] })],
);

/** The number given to each document scope (an order, or one of its shipments) per series: kept across versions and formats. */
export const documentNumbers = sqliteTable(
  'document_numbers',
  {
    orgId: text('org_id').notNull(),
    orderId: text('order_id').notNull(),
    shipmentId: text('shipment_id').notNull(),
    series: text('series').notNull(),
    number: text('number').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.shipmentId, t.series] }), uniqueIndex('document_numbers_org_number').on(t.orgId, t.number)],
);

/** Raw bytes as Uint8Array on both runtimes (no Node Buffer: the Workers build has no nodejs_compat). */
const bytes = customType<{ data: Uint8Array; driverData: ArrayBuffer | Uint8Array }>({
  dataType: () => 'blob',
  toDriver: (value) => value,
  fromDriver: (value) => (value instanceof Uint8Array ? value : new Uint8Array(value)),
});

/** Document bytes, content-addressed, when stored in the database (the default store). */
export const documentBlobs = sqliteTable('document_blobs', {
  key: text('key').primaryKey(),
  content: bytes('content').notNull(),
  contentType: text('content_type').notNull(),
  createdAt: text('created_at').notNull(),
});
