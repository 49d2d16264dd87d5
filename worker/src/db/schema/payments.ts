import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { orders } from './orders.js';
import { organisations } from './organisations.js';
import { parties } from './parties.js';
import { shipments } from './shipments.js';

/**
 * Money: every amount is an integer of its currency's minor unit (`*_minor` next to a `currency` column);
 * FX rates are decimal strings (units of `quote` per 1 unit of `base`). See shared/domain/fx.ts for rounding.
 */

/**
 * What the buyer owes when, derived from the order's payment terms (shared/domain/payment-schedule.ts):
 * e.g. 30% advance due on confirmation, 70% due on the B/L date. Amounts follow the order total until paid;
 * `due_date` resolves when its anchor happens (or is set by hand: `due_date_manual`).
 */
export const paymentMilestones = sqliteTable(
  'payment_milestones',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    buyerId: text('buyer_id').notNull().references(() => parties.id),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(), // advance | balance | lc | dp | da | open_account
    label: text('label').notNull(),
    percent: text('percent').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    dueAnchor: text('due_anchor').notNull(), // order_confirmed | bl_date | invoice_date | documents_presented | sight
    dueDays: integer('due_days').notNull(),
    dueDate: text('due_date'),
    dueDateManual: integer('due_date_manual', { mode: 'boolean' }).notNull().default(false),
    /** The order version the amounts were derived from: a newer order re-derives them. */
    orderVersion: integer('order_version').notNull().default(0),
    paidMinor: integer('paid_minor').notNull().default(0),
    writtenOffMinor: integer('written_off_minor').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('payment_milestones_order_seq').on(t.orderId, t.seq), index('payment_milestones_org_buyer').on(t.orgId, t.buyerId, t.dueDate)],
);

/** A letter of credit an order ships under: its expiry, latest shipment date and presentation period. */
export const lettersOfCredit = sqliteTable(
  'letters_of_credit',
  {
    orderId: text('order_id').primaryKey().references(() => orders.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
    number: text('number').notNull(),
    issuingBank: text('issuing_bank'),
    advisingBank: text('advising_bank'),
    amountMinor: integer('amount_minor'),
    currency: text('currency'),
    expiryDate: text('expiry_date').notNull(),
    expiryPlace: text('expiry_place'),
    latestShipmentDate: text('latest_shipment_date').notNull(),
    presentationDays: integer('presentation_days').notNull().default(21),
    version: integer('version').notNull().default(1),
    updatedAt: text('updated_at').notNull(),
  },
);

/** Money received from a buyer: as credited by the bank, with its charges and the rate the bank applied. */
export const receipts = sqliteTable(
  'receipts',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    buyerId: text('buyer_id').notNull().references(() => parties.id),
    /** What the buyer paid (before our bank's charges), in the currency paid. */
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    valueDate: text('value_date').notNull(),
    bankReference: text('bank_reference').notNull(),
    /** Charges deducted by the banks, in the receipt's currency. */
    bankChargesMinor: integer('bank_charges_minor').notNull().default(0),
    /** Base-currency units per 1 unit of `currency`, as applied by the bank (FIRC / bank advice). */
    fxRate: text('fx_rate').notNull(),
    /** amount × rate in the organisation's base currency, rounded once (shared/domain/fx.ts). */
    baseAmountMinor: integer('base_amount_minor').notNull(),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('receipts_org_bank_reference').on(t.orgId, t.bankReference), index('receipts_org_buyer').on(t.orgId, t.buyerId, t.valueDate)],
);

/** A receipt's money applied to payment milestones (and write-offs of short payments). */
export const receiptAllocations = sqliteTable(
  'receipt_allocations',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    receiptId: text('receipt_id').references(() => receipts.id),
    milestoneId: text('milestone_id').notNull().references(() => paymentMilestones.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    kind: text('kind').notNull(), // payment | write_off
    amountMinor: integer('amount_minor').notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('receipt_allocations_receipt').on(t.receiptId), index('receipt_allocations_milestone').on(t.milestoneId), index('receipt_allocations_order').on(t.orderId)],
);

/** Export proceeds realised for a shipment: the bank's e-BRC. */
export const shipmentRealisations = sqliteTable(
  'shipment_realisations',
  {
    shipmentId: text('shipment_id').primaryKey().references(() => shipments.id),
    orgId: text('org_id').notNull().references(() => organisations.id),
    ebrcNumber: text('ebrc_number').notNull(),
    ebrcDate: text('ebrc_date').notNull(),
    realisedMinor: integer('realised_minor').notNull(),
    currency: text('currency').notNull(),
    baseAmountMinor: integer('base_amount_minor'),
    version: integer('version').notNull().default(1),
    updatedBy: text('updated_by').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
);

/** Exchange rates per day and pair: `rate` units of `quote` per 1 unit of `base`. */
export const fxRates = sqliteTable(
  'fx_rates',
  {
    orgId: text('org_id').notNull().references(() => organisations.id),
    date: text('date').notNull(),
    base: text('base').notNull(),
    quote: text('quote').notNull(),
    rate: text('rate').notNull(),
    source: text('source').notNull(), // manual | csv
    updatedBy: text('updated_by').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.base, t.quote, t.date] })],
);

/** What an order cost, each in its own currency: supplier purchases, freight, insurance, bank charges, other. */
export const orderCosts = sqliteTable(
  'order_costs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    orderId: text('order_id').notNull().references(() => orders.id),
    shipmentId: text('shipment_id'),
    category: text('category').notNull(), // supplier | freight | insurance | bank_charges | other
    description: text('description').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    date: text('date').notNull(),
    /** Base per 1 unit of `currency` when fixed (e.g. paid); null: the FX table's rate on `date`. */
    fxRate: text('fx_rate'),
    supplier: text('supplier'),
    reference: text('reference'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('order_costs_order').on(t.orgId, t.orderId)],
);
