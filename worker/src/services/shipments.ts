import { and, asc, desc, eq, gte, inArray, lt, lte, max, ne } from 'drizzle-orm';
import type { Allocation, Shipment, ShipmentCreate, ShipmentListQuery, ShipmentTransition, ShipmentUpdate } from '../../../shared/contracts/shipments.js';
import { checkHeader } from '../../../shared/contracts/orders.js';
import { compareDecimal, normaliseDecimal, sumDecimal } from '../../../shared/domain/money.js';
import { SHIPPABLE_STATUSES, SHIPMENT_TRANSITIONS, type OrderStatus, type ShipmentStatus } from '../../../shared/domain/order-status.js';
import type { Executor } from '../db/client.js';
import { orderLines, products, shipmentAllocations, shipments } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { diff, recordAudit } from './audit.js';
import { isoNow, type ServiceContext } from './context.js';
import { conflict, notFound, stale, unprocessable, type ErrorDetail } from './errors.js';
import { loadOrderRow } from './orders/orders.js';
import { loadParties, partyProblems } from './orders/parties-check.js';
import { syncShippedStatus } from './orders/transitions.js';
import { decodeCursor, pageOf } from './pagination.js';
import { requirePermission } from './permissions.js';
import { visibleShipments } from './scope.js';
import { consumeShipmentStock } from './stock/reservations.js';

type ShipmentRow = typeof shipments.$inferSelect;
type AllocationRow = typeof shipmentAllocations.$inferSelect;

/**
 * A shipment of the caller's organisation, or 404 (the same answer for another organisation's id as for none).
 * Forwarder and customs-agent users get 404 for shipments not assigned to their party too.
 */
export async function loadShipmentRow(db: Executor, ctx: ServiceContext, id: string): Promise<ShipmentRow> {
  const [row] = await db.select().from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, id), visibleShipments(ctx, shipments.id)));
  if (!row) throw notFound('Shipment', id);
  return row;
}

/** Shipments with their allocations (and each line's product), in one round of queries. */
async function toShipments(db: Executor, rows: ShipmentRow[]): Promise<Shipment[]> {
  if (!rows.length) return [];
  const allocs = await db
    .select({ a: shipmentAllocations, productId: orderLines.productId, unit: orderLines.unit, lineNo: orderLines.lineNo, sku: products.sku })
    .from(shipmentAllocations)
    .innerJoin(orderLines, eq(orderLines.id, shipmentAllocations.orderLineId))
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(inArray(shipmentAllocations.shipmentId, rows.map((r) => r.id)))
    .orderBy(asc(orderLines.lineNo));
  return rows.map((r) => ({
    id: r.id,
    orderId: r.orderId,
    reference: r.reference,
    consigneeId: r.consigneeId,
    destinationCountry: r.destinationCountry,
    portOfLoading: r.portOfLoading,
    portOfDischarge: r.portOfDischarge,
    transportMode: r.transportMode as Shipment['transportMode'],
    plannedShipDate: r.plannedShipDate,
    plannedArrivalDate: r.plannedArrivalDate,
    shippedAt: r.shippedAt,
    deliveredAt: r.deliveredAt,
    status: r.status as ShipmentStatus,
    notes: r.notes,
    marks: r.marks,
    woodPackaging: r.woodPackaging,
    vessel: r.vessel,
    voyage: r.voyage,
    blNumber: r.blNumber,
    blDate: r.blDate,
    references: r.references as Shipment['references'],
    allocations: allocs
      .filter((x) => x.a.shipmentId === r.id)
      .map((x) => ({ orderLineId: x.a.orderLineId, quantity: x.a.quantity, productId: x.productId, sku: x.sku, unit: x.unit })),
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

async function readShipment(db: Executor, ctx: ServiceContext, id: string): Promise<Shipment> {
  return (await toShipments(db, [await loadShipmentRow(db, ctx, id)]))[0]!;
}

/**
 * Check allocations against the order's lines: every line belongs to the order, appears once, and
 * the quantity on all non-cancelled shipments together never exceeds what was ordered.
 */
async function checkAllocations(tx: Executor, orderId: string, allocations: Allocation[], exceptShipmentId: string | null): Promise<AllocationRow[]> {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId));
  const others = await tx
    .select({ lineId: shipmentAllocations.orderLineId, quantity: shipmentAllocations.quantity })
    .from(shipmentAllocations)
    .innerJoin(shipments, eq(shipments.id, shipmentAllocations.shipmentId))
    .where(and(eq(shipments.orderId, orderId), ne(shipments.status, 'cancelled'), exceptShipmentId ? ne(shipments.id, exceptShipmentId) : undefined));
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const rows: AllocationRow[] = [];
  allocations.forEach((a, i) => {
    const line = lines.find((l) => l.id === a.orderLineId);
    if (!line) return problems.push({ path: `allocations.${i}.orderLineId`, message: `Line ${a.orderLineId} is not a line of this order` });
    if (seen.has(a.orderLineId)) return problems.push({ path: `allocations.${i}.orderLineId`, message: `Line ${line.lineNo} is allocated twice in this shipment` });
    seen.add(a.orderLineId);
    if (compareDecimal(a.quantity, '0') === 0) return problems.push({ path: `allocations.${i}.quantity`, message: 'Allocated quantity must be above zero' });
    const elsewhere = sumDecimal(others.filter((o) => o.lineId === a.orderLineId).map((o) => o.quantity));
    const total = sumDecimal([elsewhere, a.quantity]);
    if (compareDecimal(total, line.quantity) > 0) {
      return problems.push({
        path: `allocations.${i}.quantity`,
        message: `Line ${line.lineNo}: ${a.quantity} ${line.unit} here plus ${elsewhere} on other shipments exceeds the ${line.quantity} ordered`,
        code: 'ALLOCATION_EXCEEDED',
      });
    }
    rows.push({ shipmentId: '', orderLineId: a.orderLineId, quantity: normaliseDecimal(a.quantity) });
  });
  if (problems.length) throw unprocessable('ALLOCATION_EXCEEDED', 'The allocations do not fit the order', problems);
  return rows;
}

const OPEN_ORDER: ReadonlySet<string> = new Set(['draft', 'confirmed', 'in_production', 'ready_to_ship', 'partially_shipped']);

/** Split an order: add a shipment with its own consignee, destination and allocated quantities. */
export async function createShipment(ctx: ServiceContext, orderId: string, input: ShipmentCreate): Promise<Shipment> {
  requirePermission(ctx, 'shipments:write');
  const id = await ctx.database.write(async (tx) => {
    const order = await loadOrderRow(tx, ctx, orderId);
    if (!OPEN_ORDER.has(order.status)) throw conflict('ORDER_LOCKED', `Shipments cannot be added to an order that is ${order.status}`);
    const consigneeId = input.consigneeId ?? order.consigneeId;
    const problems = partyProblems({ consigneeId }, await loadParties(tx, ctx, [consigneeId]));
    if (problems.length) throw unprocessable('SHIPMENT_REJECTED', 'The shipment cannot be created', problems);
    const allocs = await checkAllocations(tx, orderId, input.allocations, null);
    const [{ seq } = { seq: 0 }] = await tx.select({ seq: max(shipments.seq) }).from(shipments).where(eq(shipments.orderId, orderId));
    const now = isoNow(ctx);
    const next = (seq ?? 0) + 1;
    const row: ShipmentRow = {
      id: newId('shp'),
      orgId: ctx.orgId,
      orderId,
      seq: next,
      reference: `${order.reference}-S${next}`,
      consigneeId,
      destinationCountry: input.destinationCountry ?? order.destinationCountry,
      portOfLoading: input.portOfLoading ?? order.portOfLoading,
      portOfDischarge: input.portOfDischarge ?? order.portOfDischarge,
      transportMode: input.transportMode ?? order.transportMode,
      plannedShipDate: input.plannedShipDate ?? order.requestedShipDate,
      plannedArrivalDate: input.plannedArrivalDate ?? null,
      shippedAt: null,
      deliveredAt: null,
      status: 'planned',
      notes: input.notes ?? null,
      marks: input.marks ?? null,
      woodPackaging: input.woodPackaging ?? false,
      vessel: input.vessel ?? null,
      voyage: input.voyage ?? null,
      blNumber: input.blNumber ?? null,
      blDate: input.blDate ?? null,
      references: input.references ?? {},
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    assertLegConsistent(row, order.incoterm);
    await tx.insert(shipments).values(row);
    if (allocs.length) await tx.insert(shipmentAllocations).values(allocs.map((a) => ({ ...a, shipmentId: row.id })));
    await recordAudit(tx, ctx, [{ entityType: 'shipment', entityId: row.id, orderId, action: 'shipment.created', after: { ...snapshot(row), allocations: allocs.map(({ orderLineId, quantity }) => ({ orderLineId, quantity })) } }]);
    return row.id;
  });
  return readShipment(ctx.database.db, ctx, id);
}

function assertLegConsistent(row: ShipmentRow, incoterm: string) {
  const problems: ErrorDetail[] = [];
  checkHeader({ incoterm, transportMode: row.transportMode, portOfLoading: row.portOfLoading, portOfDischarge: row.portOfDischarge }, {
    addIssue: (i: { path?: PropertyKey[]; message?: string }) => problems.push({ path: (i.path ?? []).join('.').replace(/^incoterm$/, 'transportMode'), message: i.message ?? 'Invalid' }),
  } as never);
  if (row.plannedShipDate && row.plannedArrivalDate && row.plannedArrivalDate < row.plannedShipDate) problems.push({ path: 'plannedArrivalDate', message: 'Planned arrival is before planned shipment' });
  if (problems.length) throw unprocessable('SHIPMENT_REJECTED', 'The shipment is inconsistent with its order', problems);
}

function snapshot(r: ShipmentRow): Record<string, unknown> {
  const { orgId: _o, createdAt: _c, updatedAt: _u, ...rest } = r;
  return rest;
}

export async function getShipment(ctx: ServiceContext, id: string): Promise<Shipment> {
  requirePermission(ctx, 'shipments:read');
  return readShipment(ctx.database.db, ctx, id);
}

/** Change a planned shipment: its fields and (as a complete set) its allocations. */
export async function updateShipment(ctx: ServiceContext, id: string, expectedVersion: number, patch: ShipmentUpdate): Promise<Shipment> {
  requirePermission(ctx, 'shipments:write');
  await ctx.database.write(async (tx) => {
    const row = await loadShipmentRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Shipment', await readShipment(tx, ctx, id));
    const { allocations, ...fields } = patch;
    const onlyNotes = Object.keys(patch).every((k) => k === 'notes');
    if (row.status !== 'planned' && !onlyNotes) throw conflict('SHIPMENT_LOCKED', `A shipment that is ${row.status} can only have its notes changed`);
    const order = await loadOrderRow(tx, ctx, row.orderId);
    const next: ShipmentRow = { ...row };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    if (patch.consigneeId) {
      const problems = partyProblems({ consigneeId: patch.consigneeId }, await loadParties(tx, ctx, [patch.consigneeId]));
      if (problems.length) throw unprocessable('SHIPMENT_REJECTED', 'The change cannot be applied', problems);
    }
    assertLegConsistent(next, order.incoterm);
    const before: Record<string, unknown> = snapshot(row);
    const after: Record<string, unknown> = snapshot(next);
    if (allocations) {
      const old = await tx.select().from(shipmentAllocations).where(eq(shipmentAllocations.shipmentId, id));
      const rows = await checkAllocations(tx, row.orderId, allocations, id);
      await tx.delete(shipmentAllocations).where(eq(shipmentAllocations.shipmentId, id));
      if (rows.length) await tx.insert(shipmentAllocations).values(rows.map((a) => ({ ...a, shipmentId: id })));
      before.allocations = old.map(({ orderLineId, quantity }) => ({ orderLineId, quantity }));
      after.allocations = rows.map(({ orderLineId, quantity }) => ({ orderLineId, quantity }));
    }
    const changes = diff(before, after);
    if (!changes) return;
    next.version = row.version + 1;
    next.updatedAt = isoNow(ctx);
    await tx.update(shipments).set(next).where(and(eq(shipments.id, id), eq(shipments.version, row.version)));
    await recordAudit(tx, ctx, [{ entityType: 'shipment', entityId: id, orderId: row.orderId, action: 'shipment.updated', ...changes }]);
  });
  return readShipment(ctx.database.db, ctx, id);
}

/** Ship, deliver or cancel a shipment; the order's shipped state follows. */
export async function transitionShipment(ctx: ServiceContext, id: string, expectedVersion: number, input: ShipmentTransition): Promise<Shipment> {
  requirePermission(ctx, 'shipments:write');
  await ctx.database.write(async (tx) => {
    const row = await loadShipmentRow(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Shipment', await readShipment(tx, ctx, id));
    if (!SHIPMENT_TRANSITIONS[input.to].includes(row.status as ShipmentStatus)) {
      throw conflict('INVALID_TRANSITION', `A shipment that is ${row.status} cannot become ${input.to}`);
    }
    const at = input.at ?? isoNow(ctx);
    let allocs: AllocationRow[] = [];
    if (input.to === 'shipped') {
      const order = await loadOrderRow(tx, ctx, row.orderId);
      if (!SHIPPABLE_STATUSES.has(order.status as OrderStatus)) {
        throw conflict('ORDER_NOT_READY', `The order is ${order.status}; it must be ready_to_ship before a shipment leaves`);
      }
      allocs = await tx.select().from(shipmentAllocations).where(eq(shipmentAllocations.shipmentId, id));
      if (!allocs.length) throw unprocessable('SHIPMENT_EMPTY', 'Allocate order lines to this shipment before shipping it', [{ path: 'allocations', message: 'No quantities allocated' }]);
    }
    if (input.to === 'delivered' && row.shippedAt && at < row.shippedAt) {
      throw unprocessable('INVALID_DATE', 'Delivery cannot be before shipment', [{ path: 'at', message: `Shipped at ${row.shippedAt}` }]);
    }
    const set = {
      status: input.to,
      version: row.version + 1,
      updatedAt: isoNow(ctx),
      ...(input.to === 'shipped' ? { shippedAt: at } : input.to === 'delivered' ? { deliveredAt: at } : {}),
    };
    await tx.update(shipments).set(set).where(and(eq(shipments.id, id), eq(shipments.version, row.version)));
    await recordAudit(tx, ctx, [{ entityType: 'shipment', entityId: id, orderId: row.orderId, action: 'shipment.status_changed', before: { status: row.status }, after: { status: input.to, at }, note: input.note ?? null }]);
    if (input.to === 'shipped') await consumeShipmentStock(tx, ctx, row, allocs);
    await syncShippedStatus(tx, ctx, row.orderId);
  });
  return readShipment(ctx.database.db, ctx, id);
}

export async function listShipments(ctx: ServiceContext, q: ShipmentListQuery): Promise<{ items: Shipment[]; nextCursor: string | null }> {
  requirePermission(ctx, 'shipments:read');
  const after = decodeCursor(q.cursor);
  const where = [eq(shipments.orgId, ctx.orgId)];
  const scope = visibleShipments(ctx, shipments.id);
  if (scope) where.push(scope);
  if (after) where.push(lt(shipments.id, after));
  if (q.orderId) where.push(eq(shipments.orderId, q.orderId));
  if (q.status) where.push(eq(shipments.status, q.status));
  if (q.destinationCountry) where.push(eq(shipments.destinationCountry, q.destinationCountry));
  if (q.shipFrom) where.push(gte(shipments.plannedShipDate, q.shipFrom));
  if (q.shipTo) where.push(lte(shipments.plannedShipDate, q.shipTo));
  const rows = await ctx.database.db.select().from(shipments).where(and(...where)).orderBy(desc(shipments.id)).limit(q.limit + 1);
  const page = pageOf(rows, q.limit);
  return { items: await toShipments(ctx.database.db, page.items), nextCursor: page.nextCursor };
}
