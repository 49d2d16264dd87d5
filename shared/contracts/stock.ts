import { z } from 'zod';
import { Id, Page, PageQuery, Quantity, Timestamp } from './common.js';

/**
 * Stock: quantities per product per location, in the product's own unit. Quantities travel as decimal strings
 * with at most 3 decimals (stored as integer thousandths), so a reservation can never oversell.
 */

export const StockLocationId = Id('stl');

export const StockLocationCreate = z
  .strictObject({
    code: z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'Use letters, digits and _ . - only').meta({ description: 'Short code, unique in the organisation', example: 'TUP-WH1' }),
    name: z.string().trim().min(1).max(120).meta({ example: 'Tiruppur warehouse 1' }),
  })
  .meta({ id: 'StockLocationCreate' });
export type StockLocationCreate = z.infer<typeof StockLocationCreate>;

export const StockLocation = z
  .object({ id: z.string(), code: z.string(), name: z.string(), createdAt: Timestamp })
  .meta({ id: 'StockLocation' });
export type StockLocation = z.infer<typeof StockLocation>;
export const StockLocationList = z.object({ items: z.array(StockLocation) }).meta({ id: 'StockLocationList' });

const positive = (q: string) => /[1-9]/.test(q);

export const StockReceipt = z
  .strictObject({
    productId: Id('prd'),
    locationId: StockLocationId,
    quantity: Quantity.refine(positive, 'Quantity must be above zero'),
    note: z.string().trim().max(500).optional(),
  })
  .meta({ id: 'StockReceipt', description: 'Goods received into a location (adds to on hand)' });
export type StockReceipt = z.infer<typeof StockReceipt>;

export const SignedQuantity = z
  .string()
  .regex(/^-?\d{1,12}(\.\d{1,3})?$/, 'Must be a signed decimal string with at most 3 decimals, e.g. "-12.5"')
  .refine(positive, 'An adjustment of zero changes nothing')
  .meta({ description: 'Signed quantity as a decimal string (up to 3 decimals): positive adds to on hand, negative removes' });

export const StockAdjustment = z
  .strictObject({
    productId: Id('prd'),
    locationId: StockLocationId,
    quantity: SignedQuantity,
    reason: z.string().trim().min(1).max(500).meta({ description: 'Why: stock count, damage, sample, correction…' }),
  })
  .meta({ id: 'StockAdjustment', description: 'A correction of on hand; it can never take on hand below what is reserved' });
export type StockAdjustment = z.infer<typeof StockAdjustment>;

export const StockLevel = z
  .object({
    productId: z.string(),
    sku: z.string(),
    unit: z.string(),
    locationId: z.string(),
    locationCode: z.string(),
    onHand: z.string().meta({ description: 'Physically at the location' }),
    reserved: z.string().meta({ description: 'Promised to confirmed orders, not shipped yet' }),
    available: z.string().meta({ description: 'onHand − reserved' }),
    updatedAt: Timestamp,
  })
  .meta({ id: 'StockLevel' });
export type StockLevel = z.infer<typeof StockLevel>;

export const StockLevelQuery = z.object({
  productId: Id('prd').optional(),
  locationId: StockLocationId.optional(),
});
export type StockLevelQuery = z.infer<typeof StockLevelQuery>;
export const StockLevelList = z.object({ items: z.array(StockLevel) }).meta({ id: 'StockLevelList' });

export const STOCK_MOVEMENT_KINDS = ['receipt', 'adjustment', 'reserve', 'release', 'consume'] as const;
export const StockMovement = z
  .object({
    id: z.string(),
    kind: z.enum(STOCK_MOVEMENT_KINDS),
    productId: z.string(),
    locationId: z.string(),
    quantity: z
      .string()
      .meta({ description: 'Signed change: of on hand for receipt, adjustment and consume (consume also lowers reserved by as much); of reserved for reserve and release' }),
    orderId: z.string().nullable(),
    orderLineId: z.string().nullable(),
    shipmentId: z.string().nullable(),
    note: z.string().nullable(),
    at: Timestamp,
    by: z.string().nullable().meta({ description: 'User id' }),
  })
  .meta({ id: 'StockMovement' });
export type StockMovement = z.infer<typeof StockMovement>;

export const StockMovementQuery = PageQuery.extend({
  productId: Id('prd').optional(),
  locationId: StockLocationId.optional(),
  orderId: Id('ord').optional(),
  kind: z.enum(STOCK_MOVEMENT_KINDS).optional(),
});
export type StockMovementQuery = z.infer<typeof StockMovementQuery>;
export const StockMovementPage = Page(StockMovement, 'StockMovementPage');

/** The answer to a receipt or an adjustment: the movement written and the level after it. */
export const StockChange = z.object({ movement: StockMovement, level: StockLevel }).meta({ id: 'StockChange' });
export type StockChange = z.infer<typeof StockChange>;

export const StockReservation = z
  .object({
    id: z.string(),
    locationId: z.string(),
    locationCode: z.string(),
    quantity: z.string(),
    status: z.enum(['reserved', 'released', 'consumed']),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'StockReservation' });

export const LineReservation = z
  .object({
    orderLineId: z.string(),
    lineNo: z.number().int(),
    productId: z.string(),
    sku: z.string(),
    quantity: z.string().meta({ description: 'Ordered quantity' }),
    unit: z.string(),
    mode: z.enum(['stock', 'make_to_order']).meta({ description: 'make_to_order: the product has no stock level at any location, so nothing is reserved' }),
    reserved: z.string().meta({ description: 'Still reserved (not shipped yet)' }),
    consumed: z.string().meta({ description: 'Taken from stock by shipped shipments' }),
    shortfall: z.string().meta({ description: 'Stocked lines of an order holding stock: quantity − reserved − consumed ("0" when fully covered)' }),
    reservations: z.array(StockReservation),
  })
  .meta({ id: 'LineReservation' });
export type LineReservation = z.infer<typeof LineReservation>;

export const OrderReservations = z
  .object({
    orderId: z.string(),
    status: z.string(),
    holdsStock: z.boolean().meta({ description: 'True while the order is confirmed and not fully shipped (confirmed, in_production, ready_to_ship, partially_shipped)' }),
    lines: z.array(LineReservation),
  })
  .meta({ id: 'OrderReservations' });
export type OrderReservations = z.infer<typeof OrderReservations>;
