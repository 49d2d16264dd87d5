import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { orderLines, orders } from './orders.js';
import { organisations } from './organisations.js';
import { parties } from './parties.js';

/** Split shipments of an order: each with its own consignee, destination, mode and dates. */
export const shipments = sqliteTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    seq: integer('seq').notNull(),
    reference: text('reference').notNull(),
    consigneeId: text('consignee_id').notNull().references(() => parties.id),
    destinationCountry: text('destination_country').notNull(),
    portOfLoading: text('port_of_loading').notNull(),
    portOfDischarge: text('port_of_discharge').notNull(),
    transportMode: text('transport_mode').notNull(),
    plannedShipDate: text('planned_ship_date'),
    plannedArrivalDate: text('planned_arrival_date'),
    shippedAt: text('shipped_at'),
    deliveredAt: text('delivered_at'),
    status: text('status').notNull(),
    notes: text('notes'),
    marks: text('marks'),
    woodPackaging: integer('wood_packaging', { mode: 'boolean' }).notNull().default(false),
    vessel: text('vessel'),
    voyage: text('voyage'),
    blNumber: text('bl_number'),
    blDate: text('bl_date'),
    references: text('references', { mode: 'json' }).notNull().$type<Record<string, string>>().default({}),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('shipments_order').on(t.orderId, t.seq),
    index('shipments_org_id').on(t.orgId, t.id),
    index('shipments_org_status').on(t.orgId, t.status, t.id),
  ],
);

/** Quantity of an order line carried by a shipment. */
export const shipmentAllocations = sqliteTable(
  'shipment_allocations',
  {
    shipmentId: text('shipment_id').notNull().references(() => shipments.id, { onDelete: 'cascade' }),
    orderLineId: text('order_line_id').notNull().references(() => orderLines.id),
    quantity: text('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.orderLineId] }), index('allocations_line').on(t.orderLineId)],
);
