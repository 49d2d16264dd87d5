import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { orderLines, orders } from './orders.js';
import { organisations } from './organisations.js';
import { parties } from './parties.js';
import { products } from './products.js';
import { shipments } from './shipments.js';

/**
 * Execution of shipments: bookings (with every revision kept), milestones, and the parties (forwarder,
 * customs agent) a shipment is assigned to. Times are ISO 8601 instants in UTC (`…Z`) with the IANA time zone
 * they were given in kept beside them, so "cut-off 18:00 Mumbai time" prints as the forwarder wrote it.
 */

/** The current booking of a shipment (one per shipment). */
export const bookings = sqliteTable(
  'bookings',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    shipmentId: text('shipment_id').notNull().references(() => shipments.id),
    forwarderId: text('forwarder_id').references(() => parties.id),
    carrier: text('carrier'),
    bookingNumber: text('booking_number'),
    status: text('status').notNull(), // requested | confirmed | cancelled
    vessel: text('vessel'),
    voyage: text('voyage'),
    /** [{ type: '20GP' | '40GP' | '40HC' | '20RF' | '40RF' | 'LCL' | 'ULD' | 'FTL' | 'LTL' | …, count }] */
    equipment: text('equipment', { mode: 'json' }).notNull().$type<{ type: string; count: number }[]>().default([]),
    portOfLoading: text('port_of_loading'),
    portOfDischarge: text('port_of_discharge'),
    cutoffDocumentsAt: text('cutoff_documents_at'),
    cutoffVgmAt: text('cutoff_vgm_at'),
    cutoffCargoAt: text('cutoff_cargo_at'),
    etd: text('etd'),
    eta: text('eta'),
    timeZone: text('time_zone'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('bookings_shipment').on(t.shipmentId), index('bookings_org_cutoff').on(t.orgId, t.cutoffDocumentsAt)],
);

/** Every version of a booking as it was (a rolled-over vessel stays visible). */
export const bookingRevisions = sqliteTable(
  'booking_revisions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    bookingId: text('booking_id').notNull().references(() => bookings.id),
    shipmentId: text('shipment_id').notNull(),
    version: integer('version').notNull(),
    /** created | updated | rolled_over | etd_changed | eta_changed | cancelled */
    change: text('change').notNull(),
    snapshot: text('snapshot', { mode: 'json' }).notNull().$type<Record<string, unknown>>(),
    changedBy: text('changed_by'),
    changedAt: text('changed_at').notNull(),
  },
  (t) => [index('booking_revisions_booking').on(t.bookingId, t.version)],
);

/** A shipment's milestones, made from the transport mode's template plus the destination's additions. */
export const milestones = sqliteTable(
  'milestones',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    shipmentId: text('shipment_id').notNull().references(() => shipments.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    seq: integer('seq').notNull(),
    /** Template that added it: 'sea', 'air', 'us'… */
    source: text('source').notNull(),
    plannedAt: text('planned_at'),
    actualAt: text('actual_at'),
    timeZone: text('time_zone'),
    recordedBy: text('recorded_by'),
    recordedAt: text('recorded_at'),
    documentId: text('document_id'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('milestones_shipment_code').on(t.shipmentId, t.code), index('milestones_org_planned').on(t.orgId, t.plannedAt)],
);

/** Parties a shipment is assigned to; users of those parties see only their shipments. */
export const shipmentParties = sqliteTable(
  'shipment_parties',
  {
    shipmentId: text('shipment_id').notNull().references(() => shipments.id),
    role: text('role').notNull(), // forwarder | customs_agent
    partyId: text('party_id').notNull().references(() => parties.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.role] }), index('shipment_parties_party').on(t.orgId, t.partyId)],
);

/**
 * Stock per product per location, in thousandths of the product's unit (quantities have at most 3 decimals),
 * so a reservation is one conditional UPDATE that can never oversell: `reserved + q <= on_hand`.
 */
export const stockLocations = sqliteTable(
  'stock_locations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('stock_locations_org_code').on(t.orgId, t.code)],
);

export const stockLevels = sqliteTable(
  'stock_levels',
  {
    orgId: text('org_id').notNull().references(() => organisations.id),
    productId: text('product_id').notNull().references(() => products.id),
    locationId: text('location_id').notNull().references(() => stockLocations.id),
    onHandMilli: integer('on_hand_milli').notNull().default(0),
    reservedMilli: integer('reserved_milli').notNull().default(0),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.locationId] }), index('stock_levels_org').on(t.orgId, t.productId)],
);

/** Stock promised to an order line: reserved on confirm, released on cancel, consumed on shipping. */
export const stockReservations = sqliteTable(
  'stock_reservations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    orderLineId: text('order_line_id').notNull().references(() => orderLines.id),
    productId: text('product_id').notNull(),
    locationId: text('location_id').notNull(),
    quantityMilli: integer('quantity_milli').notNull(),
    status: text('status').notNull(), // reserved | released | consumed
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('stock_reservations_line').on(t.orderLineId), index('stock_reservations_order').on(t.orderId)],
);

/** Every stock change, for the ledger and the timeline. */
export const stockMovements = sqliteTable(
  'stock_movements',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    productId: text('product_id').notNull(),
    locationId: text('location_id').notNull(),
    kind: text('kind').notNull(), // receipt | adjustment | reserve | release | consume
    quantityMilli: integer('quantity_milli').notNull(),
    orderId: text('order_id'),
    orderLineId: text('order_line_id'),
    shipmentId: text('shipment_id'),
    note: text('note'),
    at: text('at').notNull(),
    by: text('by'),
  },
  (t) => [index('stock_movements_product').on(t.orgId, t.productId, t.at), index('stock_movements_order').on(t.orderId)],
);

/** Production of an order line. */
export const productionJobs = sqliteTable(
  'production_jobs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    orderLineId: text('order_line_id').notNull().references(() => orderLines.id),
    quantity: text('quantity').notNull(),
    status: text('status').notNull(), // planned | in_progress | completed | cancelled
    plannedStartAt: text('planned_start_at'),
    plannedCompletionAt: text('planned_completion_at'),
    actualCompletionAt: text('actual_completion_at'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('production_jobs_order').on(t.orderId), index('production_jobs_org_planned').on(t.orgId, t.plannedCompletionAt)],
);

/** Inspections (pre-shipment, third party, in-line) of an order or one shipment of it. */
export const inspections = sqliteTable(
  'inspections',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    shipmentId: text('shipment_id'),
    kind: text('kind').notNull(), // pre_shipment | third_party | in_line
    agency: text('agency'),
    inspector: text('inspector'),
    scheduledAt: text('scheduled_at'),
    inspectedAt: text('inspected_at'),
    result: text('result').notNull(), // pending | passed | passed_with_remarks | failed
    reportDocumentId: text('report_document_id'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('inspections_order').on(t.orderId), index('inspections_shipment').on(t.shipmentId)],
);

/**
 * Exceptions raised by the rule engine: one row per (rule, subject), open → acknowledged → resolved, resolved
 * automatically when the cause goes away (and reopened if it comes back).
 */
export const exceptions = sqliteTable(
  'exceptions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    ruleId: text('rule_id').notNull(),
    /** What the rule looked at: 'shipment:shp_…', 'order:ord_…' or 'organisation'. */
    subject: text('subject').notNull(),
    orderId: text('order_id'),
    shipmentId: text('shipment_id'),
    severity: text('severity').notNull(), // critical | high | medium | low
    ownerRole: text('owner_role').notNull(),
    title: text('title').notNull(),
    detail: text('detail').notNull(),
    dueAt: text('due_at'),
    state: text('state').notNull(), // open | acknowledged | resolved
    facts: text('facts', { mode: 'json' }).notNull().$type<Record<string, unknown>>().default({}),
    raisedAt: text('raised_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    acknowledgedAt: text('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: text('resolved_at'),
    resolvedBy: text('resolved_by'),
    /** auto (the cause went away) | manual */
    resolution: text('resolution'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('exceptions_rule_subject').on(t.orgId, t.ruleId, t.subject),
    index('exceptions_org_state').on(t.orgId, t.state, t.severity),
    index('exceptions_shipment').on(t.shipmentId),
  ],
);
