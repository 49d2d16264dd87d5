import { z } from 'zod';
import { SHIPMENT_STATUSES } from '../domain/order-status.js';
import { CountryCode, Id, IsoDate, Page, PageQuery, Quantity, Timestamp } from './common.js';
import { Locode, TransportMode, checkHeader } from './orders.js';

export const ShipmentId = Id('shp');

/** Reference numbers a shipment collects on its way (certificates, filings, the LC it ships under). */
export const SHIPMENT_REFERENCE_TYPES = [
  'SABER_SC',
  'ISF',
  'AMS',
  'ENS',
  'JP_AFR',
  'CN_GACC',
  'PHYTO',
  'FUMIGATION',
  'COO',
  'INSURANCE',
  'LC_NUMBER',
  'BANK_PRESENTATION',
  'SHIPPING_BILL',
  'LEO',
  'EXPORT_LICENCE',
  'REX',
] as const;
export const ShipmentReferences = z
  .partialRecord(z.enum(SHIPMENT_REFERENCE_TYPES), z.string().trim().min(1).max(80))
  .meta({ id: 'ShipmentReferences', description: 'SABER_SC: Saudi SABER shipment certificate; ISF: US Importer Security Filing; ENS: EU entry summary; JP_AFR: Japan advance filing; CN_GACC: China GACC registration; PHYTO, FUMIGATION, COO, INSURANCE: certificate numbers; LC_NUMBER; BANK_PRESENTATION: bank reference once documents are presented under the LC; SHIPPING_BILL and LEO (India)' });
export const ShipmentStatus = z.enum(SHIPMENT_STATUSES);

export const Allocation = z
  .strictObject({ orderLineId: Id('oln'), quantity: Quantity })
  .meta({ id: 'Allocation', description: 'Quantity of one order line carried by this shipment' });
export type Allocation = z.infer<typeof Allocation>;

const fields = {
  consigneeId: Id('pty').optional().meta({ description: "Defaults to the order's consignee" }),
  destinationCountry: CountryCode.optional().meta({ description: "Defaults to the order's destination country" }),
  portOfLoading: Locode.optional().meta({ description: "Defaults to the order's port of loading" }),
  portOfDischarge: Locode.optional().meta({ description: "Defaults to the order's port of discharge" }),
  transportMode: TransportMode.optional().meta({ description: "Defaults to the order's transport mode" }),
  plannedShipDate: IsoDate.optional(),
  plannedArrivalDate: IsoDate.optional(),
  notes: z.string().max(2000).optional(),
  marks: z.string().max(1000).optional().meta({ description: 'Shipping marks and numbers, as painted on the packages' }),
  woodPackaging: z.boolean().optional().meta({ description: 'Solid-wood packaging or pallets (ISPM-15 rules apply)' }),
  vessel: z.string().trim().max(80).optional(),
  voyage: z.string().trim().max(40).optional(),
  blNumber: z.string().trim().max(40).optional().meta({ description: 'Bill of lading / air waybill number' }),
  blDate: IsoDate.optional(),
  references: ShipmentReferences.optional(),
};

export const ShipmentCreate = z
  .strictObject({ ...fields, allocations: z.array(Allocation).max(500).default([]) })
  .superRefine(checkHeader)
  .superRefine(checkDates)
  .meta({ id: 'ShipmentCreate' });
export type ShipmentCreate = z.infer<typeof ShipmentCreate>;

export const ShipmentUpdate = z
  .strictObject({
    consigneeId: Id('pty').optional(),
    destinationCountry: CountryCode.optional(),
    portOfLoading: Locode.optional(),
    portOfDischarge: Locode.optional(),
    transportMode: TransportMode.optional(),
    plannedShipDate: IsoDate.nullable().optional(),
    plannedArrivalDate: IsoDate.nullable().optional(),
    notes: z.string().max(2000).nullable().optional(),
    marks: z.string().max(1000).nullable().optional(),
    woodPackaging: z.boolean().optional(),
    vessel: z.string().trim().max(80).nullable().optional(),
    voyage: z.string().trim().max(40).nullable().optional(),
    blNumber: z.string().trim().max(40).nullable().optional(),
    blDate: IsoDate.nullable().optional(),
    references: ShipmentReferences.optional().meta({ description: 'The complete new set of references' }),
    allocations: z.array(Allocation).max(500).optional().meta({ description: 'The complete new set of allocations' }),
  })
  .meta({ id: 'ShipmentUpdate' });
export type ShipmentUpdate = z.infer<typeof ShipmentUpdate>;

function checkDates(s: { plannedShipDate?: string | null; plannedArrivalDate?: string | null }, ctx: z.RefinementCtx) {
  if (s.plannedShipDate && s.plannedArrivalDate && s.plannedArrivalDate < s.plannedShipDate) {
    ctx.addIssue({ code: 'custom', path: ['plannedArrivalDate'], message: 'Planned arrival is before planned shipment' });
  }
}

export const Shipment = z
  .object({
    id: z.string(),
    orderId: z.string(),
    reference: z.string(),
    consigneeId: z.string(),
    destinationCountry: z.string(),
    portOfLoading: z.string(),
    portOfDischarge: z.string(),
    transportMode: TransportMode,
    plannedShipDate: z.string().nullable(),
    plannedArrivalDate: z.string().nullable(),
    shippedAt: Timestamp.nullable(),
    deliveredAt: Timestamp.nullable(),
    status: ShipmentStatus,
    notes: z.string().nullable(),
    marks: z.string().nullable(),
    woodPackaging: z.boolean(),
    vessel: z.string().nullable(),
    voyage: z.string().nullable(),
    blNumber: z.string().nullable(),
    blDate: z.string().nullable(),
    references: ShipmentReferences,
    allocations: z.array(Allocation.extend({ productId: z.string(), sku: z.string(), unit: z.string() })),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Shipment' });
export type Shipment = z.infer<typeof Shipment>;

export const ShipmentTransition = z
  .strictObject({
    to: z.enum(['shipped', 'delivered', 'cancelled']),
    at: z.iso
      .datetime({ offset: true })
      .transform((t) => new Date(t).toISOString())
      .optional()
      .meta({ description: 'When it happened (ISO 8601 with offset); defaults to now' }),
    note: z.string().max(1000).optional(),
  })
  .meta({ id: 'ShipmentTransition' });
export type ShipmentTransition = z.infer<typeof ShipmentTransition>;

export const ShipmentListQuery = PageQuery.extend({
  orderId: Id('ord').optional(),
  status: ShipmentStatus.optional(),
  destinationCountry: CountryCode.optional(),
  shipFrom: IsoDate.optional(),
  shipTo: IsoDate.optional(),
});
export type ShipmentListQuery = z.infer<typeof ShipmentListQuery>;
export const ShipmentPage = Page(Shipment, 'ShipmentPage');
