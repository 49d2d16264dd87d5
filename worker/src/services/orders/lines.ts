import { and, eq, inArray } from 'drizzle-orm';
import type { OrderLineInput } from '../../../../shared/contracts/orders.js';
import { lineAmountMinor, normaliseDecimal } from '../../../../shared/domain/money.js';
import type { Executor } from '../../db/client.js';
import { orderLines, products } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import type { ServiceContext } from '../context.js';
import { unprocessable, type ErrorDetail } from '../errors.js';

export type LineRow = typeof orderLines.$inferSelect;
type ProductRow = typeof products.$inferSelect;

/** Load the organisation's products referenced by `ids`, in one query. */
export async function loadProducts(db: Executor, ctx: ServiceContext, ids: string[]): Promise<Map<string, ProductRow>> {
  const unique = [...new Set(ids)];
  const map = new Map<string, ProductRow>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .select()
      .from(products)
      .where(and(eq(products.orgId, ctx.orgId), inArray(products.id, unique.slice(i, i + 500))));
    for (const r of rows) map.set(r.id, r);
  }
  return map;
}

/**
 * Build line rows from input: product snapshot (description, HS code, unit), canonical decimals and the
 * exact line amount. Lines that carry an `id` keep it (and must belong to `existing`).
 */
export function buildLines(
  orderId: string,
  ctx: ServiceContext,
  currency: string,
  input: OrderLineInput[],
  productMap: Map<string, ProductRow>,
  existing: LineRow[] = [],
  pathPrefix = 'lines',
): LineRow[] {
  const problems: ErrorDetail[] = [];
  const existingIds = new Set(existing.map((l) => l.id));
  const seen = new Set<string>();
  const rows = input.map((l, i): LineRow | undefined => {
    const product = productMap.get(l.productId);
    if (!product) {
      problems.push({ path: `${pathPrefix}.${i}.productId`, message: `Product ${l.productId} not found`, code: 'NOT_FOUND' });
      return undefined;
    }
    if (l.id && (!existingIds.has(l.id) || seen.has(l.id))) {
      problems.push({ path: `${pathPrefix}.${i}.id`, message: `Line ${l.id} is not a line of this order (or is listed twice)` });
      return undefined;
    }
    if (l.id) seen.add(l.id);
    let amountMinor: number;
    try {
      amountMinor = lineAmountMinor(l.quantity, l.unitPrice, l.discountPercent ?? '0', currency);
    } catch (e) {
      problems.push({ path: `${pathPrefix}.${i}`, message: (e as Error).message });
      return undefined;
    }
    if (Number(l.quantity) === 0) {
      problems.push({ path: `${pathPrefix}.${i}.quantity`, message: 'Quantity must be above zero' });
      return undefined;
    }
    return {
      id: l.id ?? newId('oln'),
      orgId: ctx.orgId,
      orderId,
      lineNo: i + 1,
      productId: product.id,
      description: l.description ?? product.description,
      hsCode: product.hsCode,
      quantity: normaliseDecimal(l.quantity),
      unit: l.unit ?? product.unit,
      unitPrice: normaliseDecimal(l.unitPrice),
      discountPercent: normaliseDecimal(l.discountPercent ?? '0'),
      amountMinor,
    };
  });
  if (problems.length) throw unprocessable('INVALID_LINES', 'Some order lines cannot be accepted', problems);
  return rows as LineRow[];
}
