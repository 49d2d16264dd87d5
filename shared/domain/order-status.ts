import type { Permission } from './roles.js';

/** Order lifecycle. partially_shipped, shipped and delivered are derived from the order's shipments. */
export const ORDER_STATUSES = [
  'draft',
  'confirmed',
  'in_production',
  'ready_to_ship',
  'partially_shipped',
  'shipped',
  'delivered',
  'closed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses a user may request directly, with where each may come from and the permission it needs. */
export const MANUAL_TRANSITIONS: Record<string, { from: readonly OrderStatus[]; permission: Permission }> = {
  confirmed: { from: ['draft'], permission: 'orders:transition' },
  in_production: { from: ['confirmed'], permission: 'orders:transition' },
  ready_to_ship: { from: ['confirmed', 'in_production'], permission: 'orders:transition' },
  draft: { from: ['confirmed'], permission: 'orders:transition' },
  closed: { from: ['delivered'], permission: 'orders:close' },
  cancelled: { from: ['draft', 'confirmed', 'in_production', 'ready_to_ship'], permission: 'orders:cancel' },
};
export type ManualTarget = 'confirmed' | 'in_production' | 'ready_to_ship' | 'draft' | 'closed' | 'cancelled';
export const MANUAL_TARGETS = Object.keys(MANUAL_TRANSITIONS) as ManualTarget[];

/** Statuses in which header and lines may still be edited. */
export const EDITABLE_STATUSES: ReadonlySet<OrderStatus> = new Set(['draft', 'confirmed', 'in_production', 'ready_to_ship']);

/** Statuses from which shipments may be dispatched. */
export const SHIPPABLE_STATUSES: ReadonlySet<OrderStatus> = new Set(['ready_to_ship', 'partially_shipped']);

export const SHIPMENT_STATUSES = ['planned', 'shipped', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const SHIPMENT_TRANSITIONS: Record<'shipped' | 'delivered' | 'cancelled', readonly ShipmentStatus[]> = {
  shipped: ['planned'],
  delivered: ['shipped'],
  cancelled: ['planned'],
};
