import { asc, inArray } from 'drizzle-orm';
import type { Order, OrderListQuery } from '../../../../shared/contracts/orders.js';
import type { Executor } from '../../db/client.js';
import { orderLines, orders, products } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { requirePermission } from '../permissions.js';
import { toOrder } from './mapping.js';
import { listOrders, loadProgressMany } from './orders.js';

/**
 * A page of orders with their lines (what the add-in's "Pull orders" writes into a sheet): the same filters
 * and cursor as GET /orders, read with a fixed number of queries per page whatever its size.
 */
export async function listOrdersExpanded(ctx: ServiceContext, q: OrderListQuery): Promise<{ items: Order[]; nextCursor: string | null }> {
  requirePermission(ctx, 'orders:read');
  const page = await listOrders(ctx, q);
  return { items: await readOrders(ctx.database.db, page.items.map((o) => o.id)), nextCursor: page.nextCursor };
}

/** Full orders for ids already scoped to the caller's organisation, in the order given. */
export async function readOrders(db: Executor, ids: string[]): Promise<Order[]> {
  if (!ids.length) return [];
  const [rows, lines, progressByOrder] = await Promise.all([
    db.select().from(orders).where(inArray(orders.id, ids)),
    db.select().from(orderLines).where(inArray(orderLines.orderId, ids)).orderBy(asc(orderLines.orderId), asc(orderLines.lineNo)),
    loadProgressMany(db, ids),
  ]);
  const productIds = [...new Set(lines.map((l) => l.productId))];
  const skuRows = productIds.length ? await db.select({ id: products.id, sku: products.sku }).from(products).where(inArray(products.id, productIds)) : [];
  const skus = new Map(skuRows.map((p) => [p.id, p.sku]));

  const linesByOrder = group(lines, (l) => l.orderId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    const p = progressByOrder.get(id);
    return row ? [toOrder(row, linesByOrder.get(id) ?? [], skus, p?.progress ?? new Map(), p?.shipments.map((sh) => sh.id) ?? [])] : [];
  });
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
