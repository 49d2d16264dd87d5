import { and, desc, eq, like, lt, or, sql } from 'drizzle-orm';
import type { Product, ProductCreate, ProductListQuery, ProductUpdate } from '../../../shared/contracts/products.js';
import { compareDecimal, normaliseDecimal } from '../../../shared/domain/money.js';
import { hsSubheading } from '../../../shared/reference/hs.js';
import type { Executor } from '../db/client.js';
import { products } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { isoNow, type ServiceContext } from './context.js';
import { conflict, notFound, stale, unprocessable } from './errors.js';
import { decodeCursor, pageOf } from './pagination.js';
import { requirePermission } from './permissions.js';
import { contains } from './sql-helpers.js';

type ProductRow = typeof products.$inferSelect;

export function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    sku: r.sku,
    description: r.description,
    hsCode: r.hsCode,
    hsDescription: hsSubheading(r.hsCode)?.description ?? null,
    unit: r.unit as Product['unit'],
    netWeightKg: r.netWeightKg,
    grossWeightKg: r.grossWeightKg,
    originCountry: r.originCountry,
    packageType: r.packageType as Product['packageType'],
    unitsPerPackage: r.unitsPerPackage,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export async function loadProduct(db: Executor, ctx: ServiceContext, id: string): Promise<ProductRow> {
  const [row] = await db.select().from(products).where(and(eq(products.orgId, ctx.orgId), eq(products.id, id)));
  if (!row) throw notFound('Product', id);
  return row;
}

async function assertSkuFree(db: Executor, ctx: ServiceContext, sku: string, exceptId?: string) {
  const [hit] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.orgId, ctx.orgId), sql`lower(${products.sku}) = lower(${sku})`));
  if (hit && hit.id !== exceptId) throw conflict('DUPLICATE_SKU', `SKU ${sku} already exists`, [{ path: 'sku', message: `Used by product ${hit.id}` }]);
}

export async function createProduct(ctx: ServiceContext, input: ProductCreate): Promise<Product> {
  requirePermission(ctx, 'products:write');
  const now = isoNow(ctx);
  const row: ProductRow = {
    id: newId('prd'),
    orgId: ctx.orgId,
    sku: input.sku,
    description: input.description,
    hsCode: input.hsCode,
    unit: input.unit,
    netWeightKg: normaliseDecimal(input.netWeightKg),
    grossWeightKg: normaliseDecimal(input.grossWeightKg),
    originCountry: input.originCountry,
    packageType: input.packageType,
    unitsPerPackage: input.unitsPerPackage ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.database.write(async (tx) => {
    await assertSkuFree(tx, ctx, input.sku);
    await tx.insert(products).values(row);
  });
  return toProduct(row);
}

export async function getProduct(ctx: ServiceContext, id: string): Promise<Product> {
  requirePermission(ctx, 'products:read');
  return toProduct(await loadProduct(ctx.database.db, ctx, id));
}

export async function updateProduct(ctx: ServiceContext, id: string, expectedVersion: number, input: ProductUpdate): Promise<Product> {
  requirePermission(ctx, 'products:write');
  return ctx.database.write(async (tx) => {
    const row = await loadProduct(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Product', toProduct(row));
    if (input.sku && input.sku.toLowerCase() !== row.sku.toLowerCase()) await assertSkuFree(tx, ctx, input.sku, id);
    const next: ProductRow = {
      ...row,
      sku: input.sku ?? row.sku,
      description: input.description ?? row.description,
      hsCode: input.hsCode ?? row.hsCode,
      unit: input.unit ?? row.unit,
      netWeightKg: input.netWeightKg ? normaliseDecimal(input.netWeightKg) : row.netWeightKg,
      grossWeightKg: input.grossWeightKg ? normaliseDecimal(input.grossWeightKg) : row.grossWeightKg,
      originCountry: input.originCountry ?? row.originCountry,
      packageType: input.packageType ?? row.packageType,
      unitsPerPackage: input.unitsPerPackage === undefined ? row.unitsPerPackage : input.unitsPerPackage,
      version: row.version + 1,
      updatedAt: isoNow(ctx),
    };
    if (compareDecimal(next.grossWeightKg, next.netWeightKg) < 0) {
      throw unprocessable('WEIGHTS_INCONSISTENT', 'Gross weight must be at least the net weight', [{ path: 'grossWeightKg', message: `Gross ${next.grossWeightKg} kg is below net ${next.netWeightKg} kg` }]);
    }
    await tx.update(products).set(next).where(eq(products.id, id));
    return toProduct(next);
  });
}

export async function listProducts(ctx: ServiceContext, q: ProductListQuery): Promise<{ items: Product[]; nextCursor: string | null }> {
  requirePermission(ctx, 'products:read');
  const after = decodeCursor(q.cursor);
  const where = [eq(products.orgId, ctx.orgId)];
  if (after) where.push(lt(products.id, after));
  if (q.hsChapter) where.push(like(products.hsCode, `${q.hsChapter}%`));
  if (q.q) where.push(or(contains(products.sku, q.q), contains(products.description, q.q))!);
  const rows = await ctx.database.db.select().from(products).where(and(...where)).orderBy(desc(products.id)).limit(q.limit + 1);
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toProduct), nextCursor: page.nextCursor };
}
