import { and, asc, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type {
  StockAdjustment,
  StockChange,
  StockLevel,
  StockLevelQuery,
  StockLocation,
  StockLocationCreate,
  StockMovement,
  StockMovementQuery,
  StockReceipt,
} from '../../../../shared/contracts/stock.js';
import { bulkInsert } from '../../db/bulk.js';
import type { Executor } from '../../db/client.js';
import { products, stockLevels, stockLocations, stockMovements } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { isoNow, type ServiceContext } from '../context.js';
import { conflict, unprocessable, type ErrorDetail } from '../errors.js';
import { decodeCursor, pageOf } from '../pagination.js';
import { requirePermission } from '../permissions.js';
import { fromMilli, toMilli } from './quantity.js';

type MovementRow = typeof stockMovements.$inferSelect;
export type MovementInput = Omit<MovementRow, 'id' | 'orgId' | 'at' | 'by' | 'orderId' | 'orderLineId' | 'shipmentId' | 'note'> &
  Partial<Pick<MovementRow, 'orderId' | 'orderLineId' | 'shipmentId' | 'note'>>;

/** Append stock movements in the caller's transaction (so they commit with the change they record, or not at all). */
export async function writeMovements(tx: Executor, ctx: ServiceContext, items: MovementInput[]): Promise<MovementRow[]> {
  if (!items.length) return [];
  const at = isoNow(ctx);
  const rows: MovementRow[] = items.map((m) => ({
    id: newId('stm'),
    orgId: ctx.orgId,
    orderId: null,
    orderLineId: null,
    shipmentId: null,
    note: null,
    ...m,
    at,
    by: ctx.actor.userId,
  }));
  await bulkInsert(tx, stockMovements, rows);
  return rows;
}

export function toMovement(r: MovementRow): StockMovement {
  return {
    id: r.id,
    kind: r.kind as StockMovement['kind'],
    productId: r.productId,
    locationId: r.locationId,
    quantity: fromMilli(r.quantityMilli),
    orderId: r.orderId,
    orderLineId: r.orderLineId,
    shipmentId: r.shipmentId,
    note: r.note,
    at: r.at,
    by: r.by,
  };
}

const toLocation = (r: typeof stockLocations.$inferSelect): StockLocation => ({ id: r.id, code: r.code, name: r.name, createdAt: r.createdAt });

export async function createStockLocation(ctx: ServiceContext, input: StockLocationCreate): Promise<StockLocation> {
  requirePermission(ctx, 'stock:write');
  return ctx.database.write(async (tx) => {
    const [taken] = await tx
      .select({ id: stockLocations.id })
      .from(stockLocations)
      .where(and(eq(stockLocations.orgId, ctx.orgId), sql`lower(${stockLocations.code}) = lower(${input.code})`));
    if (taken) throw conflict('DUPLICATE_CODE', `Stock location ${input.code} already exists`, [{ path: 'code', message: `Used by location ${taken.id}` }]);
    const row = { id: newId('stl'), orgId: ctx.orgId, code: input.code, name: input.name, createdAt: isoNow(ctx) };
    await tx.insert(stockLocations).values(row);
    return toLocation(row);
  });
}

export async function listStockLocations(ctx: ServiceContext): Promise<StockLocation[]> {
  requirePermission(ctx, 'stock:read');
  const rows = await ctx.database.db.select().from(stockLocations).where(eq(stockLocations.orgId, ctx.orgId)).orderBy(asc(stockLocations.code));
  return rows.map(toLocation);
}

/** Stock levels with the product's SKU and unit and the location's code. */
export async function readLevels(db: Executor, ctx: ServiceContext, filter: StockLevelQuery): Promise<StockLevel[]> {
  const where: SQL[] = [eq(stockLevels.orgId, ctx.orgId)];
  if (filter.productId) where.push(eq(stockLevels.productId, filter.productId));
  if (filter.locationId) where.push(eq(stockLevels.locationId, filter.locationId));
  const rows = await db
    .select({ l: stockLevels, sku: products.sku, unit: products.unit, code: stockLocations.code })
    .from(stockLevels)
    .innerJoin(products, eq(products.id, stockLevels.productId))
    .innerJoin(stockLocations, eq(stockLocations.id, stockLevels.locationId))
    .where(and(...where))
    .orderBy(asc(products.sku), asc(stockLocations.code));
  return rows.map(({ l, sku, unit, code }) => ({
    productId: l.productId,
    sku,
    unit,
    locationId: l.locationId,
    locationCode: code,
    onHand: fromMilli(l.onHandMilli),
    reserved: fromMilli(l.reservedMilli),
    available: fromMilli(l.onHandMilli - l.reservedMilli),
    updatedAt: l.updatedAt,
  }));
}

export async function listStockLevels(ctx: ServiceContext, q: StockLevelQuery): Promise<StockLevel[]> {
  requirePermission(ctx, 'stock:read');
  return readLevels(ctx.database.db, ctx, q);
}

export async function listStockMovements(ctx: ServiceContext, q: StockMovementQuery): Promise<{ items: StockMovement[]; nextCursor: string | null }> {
  requirePermission(ctx, 'stock:read');
  const after = decodeCursor(q.cursor);
  const where: SQL[] = [eq(stockMovements.orgId, ctx.orgId)];
  if (after) where.push(lt(stockMovements.id, after));
  if (q.productId) where.push(eq(stockMovements.productId, q.productId));
  if (q.locationId) where.push(eq(stockMovements.locationId, q.locationId));
  if (q.orderId) where.push(eq(stockMovements.orderId, q.orderId));
  if (q.kind) where.push(eq(stockMovements.kind, q.kind));
  const rows = await ctx.database.db.select().from(stockMovements).where(and(...where)).orderBy(desc(stockMovements.id)).limit(q.limit + 1);
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toMovement), nextCursor: page.nextCursor };
}

/** The product and the location must both be the organisation's (anyone else's is "not found", on its field). */
async function assertTargets(tx: Executor, ctx: ServiceContext, productId: string, locationId: string) {
  const problems: ErrorDetail[] = [];
  const [p] = await tx.select({ id: products.id }).from(products).where(and(eq(products.orgId, ctx.orgId), eq(products.id, productId)));
  if (!p) problems.push({ path: 'productId', message: `Product ${productId} not found`, code: 'NOT_FOUND' });
  const [l] = await tx.select({ id: stockLocations.id }).from(stockLocations).where(and(eq(stockLocations.orgId, ctx.orgId), eq(stockLocations.id, locationId)));
  if (!l) problems.push({ path: 'locationId', message: `Stock location ${locationId} not found`, code: 'NOT_FOUND' });
  if (problems.length) throw unprocessable('STOCK_REJECTED', 'The stock change cannot be applied', problems);
}

/** Add to on hand, creating the level on first receipt; refused (422, no row changed) when the result would leave the exact integer range. */
async function addOnHand(tx: Executor, ctx: ServiceContext, productId: string, locationId: string, milli: number): Promise<void> {
  const now = isoNow(ctx);
  const res = await tx.run(sql`
    insert into stock_levels (org_id, product_id, location_id, on_hand_milli, reserved_milli, updated_at)
    values (${ctx.orgId}, ${productId}, ${locationId}, ${milli}, 0, ${now})
    on conflict (product_id, location_id) do update
      set on_hand_milli = on_hand_milli + excluded.on_hand_milli, updated_at = excluded.updated_at
      where on_hand_milli + excluded.on_hand_milli <= ${Number.MAX_SAFE_INTEGER}`);
  if (res.rowsAffected !== 1) {
    throw unprocessable('STOCK_REJECTED', 'The stock level would be too large', [{ path: 'quantity', message: 'On hand would exceed the largest exact quantity' }]);
  }
}

async function levelAfter(tx: Executor, ctx: ServiceContext, productId: string, locationId: string): Promise<StockLevel> {
  return (await readLevels(tx, ctx, { productId, locationId }))[0]!;
}

/** Goods received: on hand goes up; one `receipt` movement. */
export async function receiveStock(ctx: ServiceContext, input: StockReceipt): Promise<StockChange> {
  requirePermission(ctx, 'stock:write');
  const milli = toMilli(input.quantity);
  return ctx.database.write(async (tx) => {
    await assertTargets(tx, ctx, input.productId, input.locationId);
    await addOnHand(tx, ctx, input.productId, input.locationId, milli);
    const [movement] = await writeMovements(tx, ctx, [{ kind: 'receipt', productId: input.productId, locationId: input.locationId, quantityMilli: milli, note: input.note ?? null }]);
    return { movement: toMovement(movement!), level: await levelAfter(tx, ctx, input.productId, input.locationId) };
  });
}

/**
 * Correct on hand by a signed quantity. A decrease is ONE conditional UPDATE that keeps on hand at or above
 * what is reserved (409 STOCK_BELOW_RESERVED otherwise, and nothing changes).
 */
export async function adjustStock(ctx: ServiceContext, input: StockAdjustment): Promise<StockChange> {
  requirePermission(ctx, 'stock:write');
  const delta = toMilli(input.quantity);
  return ctx.database.write(async (tx) => {
    await assertTargets(tx, ctx, input.productId, input.locationId);
    if (delta > 0) {
      await addOnHand(tx, ctx, input.productId, input.locationId, delta);
    } else {
      const res = await tx.run(sql`
        update stock_levels set on_hand_milli = on_hand_milli + ${delta}, updated_at = ${isoNow(ctx)}
        where org_id = ${ctx.orgId} and product_id = ${input.productId} and location_id = ${input.locationId}
          and on_hand_milli + ${delta} >= reserved_milli`);
      if (res.rowsAffected !== 1) {
        const [level] = await tx
          .select()
          .from(stockLevels)
          .where(and(eq(stockLevels.orgId, ctx.orgId), eq(stockLevels.productId, input.productId), eq(stockLevels.locationId, input.locationId)));
        const onHand = level?.onHandMilli ?? 0;
        const reserved = level?.reservedMilli ?? 0;
        throw conflict('STOCK_BELOW_RESERVED', 'Stock cannot go below what is reserved for confirmed orders', [
          {
            path: 'quantity',
            message: `On hand ${fromMilli(onHand)}, reserved ${fromMilli(reserved)}: at most ${fromMilli(Math.max(0, onHand - reserved))} can be removed`,
            code: 'STOCK_BELOW_RESERVED',
          },
        ]);
      }
    }
    const [movement] = await writeMovements(tx, ctx, [{ kind: 'adjustment', productId: input.productId, locationId: input.locationId, quantityMilli: delta, note: input.reason }]);
    return { movement: toMovement(movement!), level: await levelAfter(tx, ctx, input.productId, input.locationId) };
  });
}
