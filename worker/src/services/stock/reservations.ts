import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { OrderReservations } from '../../../../shared/contracts/stock.js';
import { bulkInsert } from '../../db/bulk.js';
import type { Executor } from '../../db/client.js';
import { orderLines, products, stockLevels, stockLocations, stockReservations } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { isoNow, type ServiceContext } from '../context.js';
import { conflict, unprocessable, type ErrorDetail } from '../errors.js';
import { loadOrderRow } from '../orders/orders.js';
import { requirePermission } from '../permissions.js';
import { writeMovements, type MovementInput } from './levels.js';
import { fromMilli, toMilli } from './quantity.js';

/**
 * Stock promised to order lines.
 *
 * - Confirming an order reserves each line whose product has a stock level somewhere; a product with no stock
 *   level at any location is made to order (nothing reserved, nothing refused). A stocked line is reserved in
 *   full — from the location with the most available (ties: lowest location code), or spread over locations
 *   when no single one holds enough — or the confirmation is refused with 409 STOCK_INSUFFICIENT naming
 *   `lines.{i}.quantity`, with what is needed and what is available.
 * - Every reservation is ONE conditional UPDATE per (product, location):
 *   `reserved += q WHERE on_hand − reserved >= q`, and its rows-affected is checked, so stock can never be
 *   promised twice, whatever the interleaving (embedded file or remote libSQL).
 * - Cancelling and reopening (confirmed → draft) release; shipping consumes; editing a line adjusts.
 * Every change writes stock_movements in the caller's transaction.
 */

/** Order statuses in which an order holds its reservations. */
export const HOLDING_STATUSES: ReadonlySet<string> = new Set(['confirmed', 'in_production', 'ready_to_ship', 'partially_shipped']);

type ReservationRow = typeof stockReservations.$inferSelect;

/** What an order line looks like to the stock service. */
export interface StockLine {
  id: string;
  lineNo: number;
  productId: string;
  quantity: string;
  unit: string;
}

/** A quantity (thousandths) to reserve for a line; `index` is the line's position, for `lines.{index}.quantity`. */
export interface StockNeed {
  line: StockLine;
  index: number;
  milli: number;
}

/** Reserve what `lines` need (their full quantities), for an order being confirmed. */
export async function reserveOrderStock(tx: Executor, ctx: ServiceContext, orderId: string, lines: StockLine[]): Promise<void> {
  await reserveNeeds(
    tx,
    ctx,
    orderId,
    lines.map((line, index) => ({ line, index, milli: toMilli(line.quantity) })),
  );
}

/**
 * Reserve quantities for lines of one order. Lines of products without any stock level are skipped (made to
 * order). Plans from the levels read in this transaction, then applies each (product, location) as one
 * conditional UPDATE; all lines are reserved or none (the caller's transaction rolls back on the error).
 */
export async function reserveNeeds(tx: Executor, ctx: ServiceContext, orderId: string, needs: StockNeed[]): Promise<void> {
  const wanted = needs.filter((n) => n.milli > 0);
  if (!wanted.length) return;
  const productIds = [...new Set(wanted.map((n) => n.line.productId))];
  const levelRows = await tx
    .select({ productId: stockLevels.productId, locationId: stockLevels.locationId, onHand: stockLevels.onHandMilli, reserved: stockLevels.reservedMilli, code: stockLocations.code, sku: products.sku, unit: products.unit })
    .from(stockLevels)
    .innerJoin(stockLocations, eq(stockLocations.id, stockLevels.locationId))
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .where(and(eq(stockLevels.orgId, ctx.orgId), inArray(stockLevels.productId, productIds)));
  const byProduct = new Map<string, { locationId: string; code: string; available: number; sku: string; unit: string }[]>();
  for (const r of levelRows) {
    const list = byProduct.get(r.productId) ?? [];
    list.push({ locationId: r.locationId, code: r.code, available: r.onHand - r.reserved, sku: r.sku, unit: r.unit });
    byProduct.set(r.productId, list);
  }

  const unitProblems: ErrorDetail[] = [];
  const shortProblems: ErrorDetail[] = [];
  /** (line, location, quantity) to reserve. */
  const takes: { need: StockNeed; locationId: string; milli: number }[] = [];
  for (const need of wanted) {
    const levels = byProduct.get(need.line.productId);
    if (!levels?.length) continue; // made to order
    const { sku, unit } = levels[0]!;
    if (need.line.unit !== unit) {
      unitProblems.push({
        path: `lines.${need.index}.unit`,
        message: `Line ${need.line.lineNo} (${sku}) is in ${need.line.unit}, but ${sku} is stocked in ${unit}: order it in ${unit} to reserve stock`,
        code: 'STOCK_UNIT_MISMATCH',
      });
      continue;
    }
    levels.sort((a, b) => b.available - a.available || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.locationId < b.locationId ? -1 : 1));
    const total = levels.reduce((s, l) => s + Math.max(0, l.available), 0);
    if (total < need.milli) {
      shortProblems.push({
        path: `lines.${need.index}.quantity`,
        message: `Line ${need.line.lineNo} (${sku}): ${fromMilli(need.milli)} ${unit} needed, ${fromMilli(total)} available`,
        code: 'STOCK_INSUFFICIENT',
      });
      continue;
    }
    let left = need.milli;
    for (const level of levels) {
      if (!left) break;
      const take = Math.min(left, level.available);
      if (take <= 0) continue;
      takes.push({ need, locationId: level.locationId, milli: take });
      level.available -= take;
      left -= take;
    }
  }
  if (unitProblems.length) throw unprocessable('STOCK_UNIT_MISMATCH', 'Stocked products must be ordered in their stock unit', unitProblems);
  if (shortProblems.length) throw stockInsufficient(shortProblems);

  // One conditional statement per (product, location); never a read-then-write.
  const perLevel = new Map<string, { productId: string; locationId: string; milli: number; needs: StockNeed[] }>();
  for (const t of takes) {
    const key = `${t.need.line.productId}|${t.locationId}`;
    const agg = perLevel.get(key) ?? { productId: t.need.line.productId, locationId: t.locationId, milli: 0, needs: [] };
    agg.milli += t.milli;
    agg.needs.push(t.need);
    perLevel.set(key, agg);
  }
  const now = isoNow(ctx);
  for (const agg of perLevel.values()) {
    const res = await tx.run(sql`
      update stock_levels set reserved_milli = reserved_milli + ${agg.milli}, updated_at = ${now}
      where product_id = ${agg.productId} and location_id = ${agg.locationId} and org_id = ${ctx.orgId}
        and on_hand_milli - reserved_milli >= ${agg.milli}`);
    if (res.rowsAffected !== 1) {
      throw stockInsufficient(
        agg.needs.map((n) => ({ path: `lines.${n.index}.quantity`, message: `Line ${n.line.lineNo}: the stock was taken by another order meanwhile`, code: 'STOCK_INSUFFICIENT' })),
      );
    }
  }
  const rows: ReservationRow[] = takes.map((t) => ({
    id: newId('rsv'),
    orgId: ctx.orgId,
    orderId,
    orderLineId: t.need.line.id,
    productId: t.need.line.productId,
    locationId: t.locationId,
    quantityMilli: t.milli,
    status: 'reserved',
    createdAt: now,
    updatedAt: now,
  }));
  await bulkInsert(tx, stockReservations, rows);
  await writeMovements(
    tx,
    ctx,
    rows.map((r) => ({ kind: 'reserve', productId: r.productId, locationId: r.locationId, quantityMilli: r.quantityMilli, orderId, orderLineId: r.orderLineId })),
  );
}

function stockInsufficient(details: ErrorDetail[]) {
  return conflict('STOCK_INSUFFICIENT', details.length === 1 ? `Not enough stock: ${details[0]!.message}` : `Not enough stock for ${details.length} lines`, details);
}

/** Active reservations of an order (optionally of some lines), oldest first. */
async function activeReservations(tx: Executor, ctx: ServiceContext, orderId: string, lineIds?: string[]): Promise<ReservationRow[]> {
  return tx
    .select()
    .from(stockReservations)
    .where(
      and(
        eq(stockReservations.orgId, ctx.orgId),
        eq(stockReservations.orderId, orderId),
        eq(stockReservations.status, 'reserved'),
        lineIds ? inArray(stockReservations.orderLineId, lineIds) : undefined,
      ),
    )
    .orderBy(asc(stockReservations.id));
}

/** Part (or all) of an active reservation row. */
interface Portion {
  row: ReservationRow;
  milli: number;
}

/** Take `milli` from `rows` in the order given. */
function portions(rows: ReservationRow[], milli: number): Portion[] {
  const out: Portion[] = [];
  let left = milli;
  for (const row of rows) {
    if (left <= 0) break;
    const take = Math.min(left, row.quantityMilli);
    out.push({ row, milli: take });
    left -= take;
  }
  return out;
}

/**
 * Move portions of active reservations to `status` (released or consumed): a whole row changes status; a part
 * is split off into a row of its own. Level counters change with one guarded UPDATE per (product, location).
 */
async function settle(tx: Executor, ctx: ServiceContext, parts: Portion[], status: 'released' | 'consumed', extra: Partial<MovementInput>): Promise<void> {
  if (!parts.length) return;
  const now = isoNow(ctx);
  const perLevel = new Map<string, { productId: string; locationId: string; milli: number }>();
  for (const p of parts) {
    const key = `${p.row.productId}|${p.row.locationId}`;
    const agg = perLevel.get(key) ?? { productId: p.row.productId, locationId: p.row.locationId, milli: 0 };
    agg.milli += p.milli;
    perLevel.set(key, agg);
  }
  for (const agg of perLevel.values()) {
    const res =
      status === 'released'
        ? await tx.run(sql`
            update stock_levels set reserved_milli = reserved_milli - ${agg.milli}, updated_at = ${now}
            where product_id = ${agg.productId} and location_id = ${agg.locationId} and org_id = ${ctx.orgId} and reserved_milli >= ${agg.milli}`)
        : await tx.run(sql`
            update stock_levels set reserved_milli = reserved_milli - ${agg.milli}, on_hand_milli = on_hand_milli - ${agg.milli}, updated_at = ${now}
            where product_id = ${agg.productId} and location_id = ${agg.locationId} and org_id = ${ctx.orgId}
              and reserved_milli >= ${agg.milli} and on_hand_milli >= ${agg.milli}`);
    if (res.rowsAffected !== 1) throw new Error(`Stock level ${agg.productId} at ${agg.locationId} holds less than its reservations`);
  }
  for (const p of parts) {
    if (p.milli === p.row.quantityMilli) {
      await tx.update(stockReservations).set({ status, updatedAt: now }).where(eq(stockReservations.id, p.row.id));
    } else {
      await tx
        .update(stockReservations)
        .set({ quantityMilli: p.row.quantityMilli - p.milli, updatedAt: now })
        .where(eq(stockReservations.id, p.row.id));
      await tx.insert(stockReservations).values({ ...p.row, id: newId('rsv'), quantityMilli: p.milli, status, createdAt: now, updatedAt: now });
    }
  }
  await writeMovements(
    tx,
    ctx,
    parts.map((p) => ({
      kind: status === 'released' ? 'release' : 'consume',
      productId: p.row.productId,
      locationId: p.row.locationId,
      quantityMilli: -p.milli,
      orderId: p.row.orderId,
      orderLineId: p.row.orderLineId,
      ...extra,
    })),
  );
}

/** Release every active reservation of an order (cancelled, or reopened to draft). */
export async function releaseOrderStock(tx: Executor, ctx: ServiceContext, orderId: string, note: string): Promise<void> {
  const rows = await activeReservations(tx, ctx, orderId);
  await settle(tx, ctx, rows.map((row) => ({ row, milli: row.quantityMilli })), 'released', { note });
}

/** Release `milli` of a line's active reservations, newest first (a line's quantity went down). */
export async function releaseLineStock(tx: Executor, ctx: ServiceContext, orderId: string, lineId: string, milli: number, note: string): Promise<void> {
  const rows = (await activeReservations(tx, ctx, orderId, [lineId])).reverse();
  await settle(tx, ctx, portions(rows, milli), 'released', { note });
}

/**
 * A shipment left: each shipped line quantity is taken out of stock from the line's reservations (oldest first),
 * lowering on hand and reserved together. Quantities beyond what the line reserved (made to order) touch no stock.
 */
export async function consumeShipmentStock(tx: Executor, ctx: ServiceContext, shipment: { id: string; orderId: string; reference: string }, allocations: { orderLineId: string; quantity: string }[]): Promise<void> {
  if (!allocations.length) return;
  const rows = await activeReservations(tx, ctx, shipment.orderId, allocations.map((a) => a.orderLineId));
  const parts = allocations.flatMap((a) => portions(rows.filter((r) => r.orderLineId === a.orderLineId), toMilli(a.quantity)));
  await settle(tx, ctx, parts, 'consumed', { shipmentId: shipment.id, note: `Shipped on ${shipment.reference}` });
}

/** All reservation rows of an order (any status), oldest first. */
export async function orderReservationRows(tx: Executor, ctx: ServiceContext, orderId: string): Promise<ReservationRow[]> {
  return tx
    .select()
    .from(stockReservations)
    .where(and(eq(stockReservations.orgId, ctx.orgId), eq(stockReservations.orderId, orderId)))
    .orderBy(asc(stockReservations.id));
}

/** Products of `productIds` that have a stock level at some location. */
export async function stockedProducts(tx: Executor, ctx: ServiceContext, productIds: string[]): Promise<Set<string>> {
  if (!productIds.length) return new Set();
  const rows = await tx
    .selectDistinct({ productId: stockLevels.productId })
    .from(stockLevels)
    .where(and(eq(stockLevels.orgId, ctx.orgId), inArray(stockLevels.productId, [...new Set(productIds)])));
  return new Set(rows.map((r) => r.productId));
}

/** GET /orders/{id}/reservations: per line, what is reserved where, consumed, and any shortfall. */
export async function getOrderReservations(ctx: ServiceContext, orderId: string): Promise<OrderReservations> {
  requirePermission(ctx, 'stock:read');
  const db = ctx.database.db;
  const order = await loadOrderRow(db, ctx, orderId);
  const lines = await db
    .select({ id: orderLines.id, lineNo: orderLines.lineNo, productId: orderLines.productId, quantity: orderLines.quantity, unit: orderLines.unit, sku: products.sku })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.lineNo));
  const rows = await db
    .select({ r: stockReservations, code: stockLocations.code })
    .from(stockReservations)
    .innerJoin(stockLocations, eq(stockLocations.id, stockReservations.locationId))
    .where(and(eq(stockReservations.orgId, ctx.orgId), eq(stockReservations.orderId, orderId)))
    .orderBy(asc(stockReservations.id));
  const holds = HOLDING_STATUSES.has(order.status);
  // An order holding stock tells stock from made-to-order by its reservations; only others ask the levels.
  const stocked = holds ? new Set<string>() : await stockedProducts(db, ctx, lines.map((l) => l.productId));
  return {
    orderId,
    status: order.status,
    holdsStock: holds,
    lines: lines.map((l) => {
      const mine = rows.filter((x) => x.r.orderLineId === l.id);
      const sum = (status: string) => mine.filter((x) => x.r.status === status).reduce((s, x) => s + x.r.quantityMilli, 0);
      const reserved = sum('reserved');
      const consumed = sum('consumed');
      const fromStock = holds ? reserved + consumed > 0 : stocked.has(l.productId);
      const shortfall = holds && fromStock ? Math.max(0, toMilli(l.quantity) - reserved - consumed) : 0;
      return {
        orderLineId: l.id,
        lineNo: l.lineNo,
        productId: l.productId,
        sku: l.sku,
        quantity: l.quantity,
        unit: l.unit,
        mode: fromStock ? ('stock' as const) : ('make_to_order' as const),
        reserved: fromMilli(reserved),
        consumed: fromMilli(consumed),
        shortfall: fromMilli(shortfall),
        reservations: mine.map(({ r, code }) => ({
          id: r.id,
          locationId: r.locationId,
          locationCode: code,
          quantity: fromMilli(r.quantityMilli),
          status: r.status as 'reserved' | 'released' | 'consumed',
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
        })),
      };
    }),
  };
}
