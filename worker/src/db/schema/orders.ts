import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { organisations } from './organisations.js';
import { parties } from './parties.js';
import { products } from './products.js';

/** Export orders. Money: `total_minor` is integer minor units of `currency`. */
export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    reference: text('reference').notNull(),
    buyerPo: text('buyer_po'),
    buyerId: text('buyer_id').notNull().references(() => parties.id),
    consigneeId: text('consignee_id').notNull().references(() => parties.id),
    notifyPartyId: text('notify_party_id').references(() => parties.id),
    portOfLoading: text('port_of_loading').notNull(),
    portOfDischarge: text('port_of_discharge').notNull(),
    destinationCountry: text('destination_country').notNull(),
    incoterm: text('incoterm').notNull(),
    incotermPlace: text('incoterm_place').notNull(),
    transportMode: text('transport_mode').notNull(),
    paymentTerms: text('payment_terms', { mode: 'json' }).notNull(),
    currency: text('currency').notNull(),
    requestedShipDate: text('requested_ship_date'),
    remarks: text('remarks'),
    status: text('status').notNull(),
    totalMinor: integer('total_minor').notNull(),
    lineCount: integer('line_count').notNull(),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('orders_org_reference').on(t.orgId, sql`lower(${t.reference})`),
    index('orders_org_id').on(t.orgId, t.id),
    index('orders_org_status').on(t.orgId, t.status, t.id),
    index('orders_org_buyer').on(t.orgId, t.buyerId, t.id),
    index('orders_org_destination').on(t.orgId, t.destinationCountry, t.id),
    // covering indexes for date-range lists: the page's ids are picked from the index alone, then sorted
    index('orders_org_ship_date').on(t.orgId, t.requestedShipDate, t.status, t.buyerId, t.destinationCountry, t.id),
    index('orders_org_created').on(t.orgId, t.createdAt, t.id),
  ],
);

/** Order lines. Quantities and prices are canonical decimal strings; `amount_minor` is exact. */
export const orderLines = sqliteTable(
  'order_lines',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    orderId: text('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    productId: text('product_id').notNull().references(() => products.id),
    description: text('description').notNull(),
    hsCode: text('hs_code').notNull(),
    quantity: text('quantity').notNull(),
    unit: text('unit').notNull(),
    unitPrice: text('unit_price').notNull(),
    discountPercent: text('discount_percent').notNull(),
    amountMinor: integer('amount_minor').notNull(),
  },
  (t) => [index('order_lines_order').on(t.orderId, t.lineNo)],
);
