import { z } from 'zod';
import { INCOTERMS, TRANSPORT_MODES, incotermModeProblem } from '../domain/incoterms.js';
import { ORDER_STATUSES, MANUAL_TARGETS } from '../domain/order-status.js';
import { isSeaport, normaliseLocode } from '../reference/ports.js';
import { CountryCode, CurrencyCode, Id, IsoDate, Money, Page, PageQuery, Percent, Quantity, Timestamp, UnitPrice } from './common.js';
import { PaymentTerms } from './payment-terms.js';
import { Unit } from './products.js';

export const OrderId = Id('ord');
export const OrderStatus = z.enum(ORDER_STATUSES);
export const Incoterm = z.enum(INCOTERMS).meta({ description: 'Incoterms 2020 rule' });
export const TransportMode = z.enum(TRANSPORT_MODES);

/** UN/LOCODE (5 characters), normalised; whether it must be a seaport depends on the transport mode. */
export const Locode = z
  .string()
  .transform(normaliseLocode)
  .refine((s) => /^[A-Z]{2}[A-Z2-9]{3}$/.test(s), 'Must be a 5-character UN/LOCODE, e.g. INNSA')
  .meta({ description: 'UN/LOCODE; for sea and inland waterway a seaport (function 1)', example: 'INNSA' });

export const OrderLineInput = z
  .strictObject({
    id: Id('oln').optional().meta({ description: 'On update: the existing line to keep; omit for a new line' }),
    productId: Id('prd'),
    description: z.string().trim().min(1).max(500).optional().meta({ description: 'Defaults to the product description' }),
    quantity: Quantity,
    unit: Unit.optional().meta({ description: 'Defaults to the product unit' }),
    unitPrice: UnitPrice,
    discountPercent: Percent.default('0'),
  })
  .meta({ id: 'OrderLineInput' });
export type OrderLineInput = z.infer<typeof OrderLineInput>;

const headerFields = {
  reference: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/, 'Use letters, digits and / _ . - only').meta({ description: "Exporter's own order reference, unique in the organisation", example: 'EXP-2026-0142' }),
  buyerPo: z.string().trim().min(1).max(60).optional().meta({ description: "Buyer's purchase order number" }),
  buyerId: Id('pty'),
  consigneeId: Id('pty').optional().meta({ description: 'Defaults to the buyer' }),
  notifyPartyId: Id('pty').optional(),
  portOfLoading: Locode,
  portOfDischarge: Locode,
  destinationCountry: CountryCode,
  incoterm: Incoterm,
  incotermPlace: z.string().trim().min(2).max(100).meta({ description: 'Named place or port of the Incoterm, e.g. "Nhava Sheva" for FOB' }),
  transportMode: TransportMode.default('sea'),
  paymentTerms: PaymentTerms,
  currency: CurrencyCode,
  requestedShipDate: IsoDate.optional(),
  remarks: z.string().max(4000).optional(),
};

type HeaderShape = { incoterm?: string; transportMode?: string; portOfLoading?: string; portOfDischarge?: string };
/** Cross-field checks shared by create and update: Incoterm vs transport mode, seaports for sea legs. */
export function checkHeader(h: HeaderShape, ctx: z.RefinementCtx) {
  if (h.incoterm && h.transportMode) {
    const problem = incotermModeProblem(h.incoterm as never, h.transportMode as never);
    if (problem) ctx.addIssue({ code: 'custom', path: ['incoterm'], message: problem });
  }
  if (h.transportMode === 'sea' || h.transportMode === 'inland_waterway') {
    for (const key of ['portOfLoading', 'portOfDischarge'] as const) {
      const code = h[key];
      if (code && /^[A-Z]{2}[A-Z2-9]{3}$/.test(code) && !isSeaport(code)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${code} is not a seaport in UN/LOCODE (function 1)` });
      }
    }
  }
}

export const OrderCreate = z
  .strictObject({ ...headerFields, lines: z.array(OrderLineInput).max(500).default([]) })
  .superRefine(checkHeader)
  .meta({ id: 'OrderCreate' });
export type OrderCreate = z.infer<typeof OrderCreate>;

export const OrderUpdate = z
  .strictObject({
    reference: headerFields.reference.optional(),
    buyerPo: headerFields.buyerPo.nullable().optional(),
    buyerId: headerFields.buyerId.optional(),
    consigneeId: Id('pty').nullable().optional(),
    notifyPartyId: Id('pty').nullable().optional(),
    portOfLoading: Locode.optional(),
    portOfDischarge: Locode.optional(),
    destinationCountry: CountryCode.optional(),
    incoterm: Incoterm.optional(),
    incotermPlace: headerFields.incotermPlace.optional(),
    transportMode: TransportMode.optional(),
    paymentTerms: PaymentTerms.optional(),
    currency: CurrencyCode.optional(),
    requestedShipDate: IsoDate.nullable().optional(),
    remarks: z.string().max(4000).nullable().optional(),
    lines: z.array(OrderLineInput).max(500).optional().meta({ description: 'The complete new set of lines: lines with `id` are kept and updated, lines without are added, missing lines are removed' }),
  })
  .meta({ id: 'OrderUpdate' });
export type OrderUpdate = z.infer<typeof OrderUpdate>;

export const OrderLine = z
  .object({
    id: z.string(),
    lineNo: z.number().int(),
    productId: z.string(),
    sku: z.string(),
    description: z.string(),
    hsCode: z.string(),
    quantity: z.string(),
    unit: Unit,
    unitPrice: z.string(),
    discountPercent: z.string(),
    amount: Money,
    allocatedQuantity: z.string().meta({ description: 'Quantity allocated to shipments that are not cancelled' }),
    shippedQuantity: z.string(),
  })
  .meta({ id: 'OrderLine' });
export type OrderLine = z.infer<typeof OrderLine>;

export const Order = z
  .object({
    id: z.string(),
    reference: z.string(),
    buyerPo: z.string().nullable(),
    buyerId: z.string(),
    consigneeId: z.string(),
    notifyPartyId: z.string().nullable(),
    portOfLoading: z.string(),
    portOfDischarge: z.string(),
    destinationCountry: z.string(),
    incoterm: Incoterm,
    incotermPlace: z.string(),
    transportMode: TransportMode,
    paymentTerms: PaymentTerms,
    paymentTermsText: z.string(),
    currency: z.string(),
    requestedShipDate: z.string().nullable(),
    remarks: z.string().nullable(),
    status: OrderStatus,
    lines: z.array(OrderLine),
    total: Money,
    shipmentIds: z.array(z.string()),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Order' });
export type Order = z.infer<typeof Order>;

export const OrderSummary = Order.omit({ lines: true, shipmentIds: true, paymentTerms: true }).extend({ lineCount: z.number().int() }).meta({ id: 'OrderSummary' });
export type OrderSummary = z.infer<typeof OrderSummary>;

const StatusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(OrderStatus).min(1).max(10));

export const OrderListQuery = PageQuery.extend({
  status: StatusList.optional().meta({ description: 'One or more statuses, comma-separated' }),
  buyerId: Id('pty').optional(),
  destinationCountry: CountryCode.optional(),
  shipFrom: IsoDate.optional().meta({ description: 'Requested ship date on or after' }),
  shipTo: IsoDate.optional().meta({ description: 'Requested ship date on or before' }),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
  q: z.string().trim().min(1).max(60).optional().meta({ description: 'Text in the order reference or buyer PO (case-insensitive)' }),
});
export type OrderListQuery = z.infer<typeof OrderListQuery>;
export const OrderPage = Page(OrderSummary, 'OrderPage');
export const OrderExpandedPage = Page(Order, 'OrderExpandedPage');

export const OrderTransition = z
  .strictObject({
    to: z.enum(MANUAL_TARGETS as [string, ...string[]]).meta({ description: 'Target status; partially_shipped, shipped and delivered follow from shipments' }),
    note: z.string().max(1000).optional(),
  })
  .meta({ id: 'OrderTransition' });
export type OrderTransition = z.infer<typeof OrderTransition>;

export const AuditEvent = z
  .object({
    id: z.string(),
    at: Timestamp,
    actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    entityType: z.enum(['order', 'shipment']),
    entityId: z.string(),
    action: z.string().meta({ example: 'order.updated' }),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;
export const OrderHistory = z.object({ items: z.array(AuditEvent) }).meta({ id: 'OrderHistory' });
