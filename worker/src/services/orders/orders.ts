import { and, asc, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Order, OrderCreate, OrderListQuery, OrderSummary, OrderUpdate } from '../../../../shared/contracts/orders.js';
import { checkHeader } from '../../../../shared/contracts/orders.js';
import { compareDecimal, sumDecimal, sumMinor } from '../../../../shared/domain/money.js';
import { EDITABLE_STATUSES } from '../../../../shared/domain/order-status.js';
import { bulkInsert } from '../../db/bulk.js';
import type { Executor } from '../../db/client.js';
import { orderLines, orders, paymentMilestones, products, receiptAllocations, shipmentAllocations, shipments } from '../../db/schema/index.js';
import { newId } from '../../lib/ids.js';
import { diff, recordAudit } from '../audit.js';
import { isoNow, type ServiceContext } from '../context.js';
import { AppError, conflict, notFound, stale, unprocessable, type ErrorDetail } from '../errors.js';
import { afterLinesReplaced, beforeLinesReplaced, type LineChange } from '../line-changes.js';
import { decodeCursor, pageOf } from '../pagination.js';
import { requirePermission } from '../permissions.js';
import { contains } from '../sql-helpers.js';
import { buildLines, loadProducts, type LineRow } from './lines.js';
import { auditSnapshot, newOrderRow, toOrder, toOrderSummary, type LineProgress, type OrderRow } from './mapping.js';
import { loadParties, partyProblems } from './parties-check.js';
import { syncSchedules } from '../money/schedule.js';
import { visibleOrders } from '../scope.js';

/** Load an order row of this organisation (404 for anyone else's). */
export async function loadOrderRow(db: Executor, ctx: ServiceContext, id: string): Promise<OrderRow> {
  const [row] = await db.select().from(orders).where(and(eq(orders.orgId, ctx.orgId), eq(orders.id, id), visibleOrders(ctx, orders.id)));
  if (!row) throw notFound('Order', id);
  return row;
}

export async function loadLines(db: Executor, orderId: string): Promise<LineRow[]> {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));
}

/** Allocated (non-cancelled shipments) and shipped quantities per line, and the order's shipments with their status. */
export async function loadProgress(db: Executor, orderId: string): Promise<OrderProgress> {
  return (await loadProgressMany(db, [orderId])).get(orderId) ?? { progress: new Map(), shipments: [] };
}

/** Per-line allocated and shipped quantities, and the shipments with their status, of an order. */
export interface OrderProgress {
  progress: Map<string, LineProgress>;
  shipments: { id: string; status: string }[];
}

/** {@link loadProgress} for many orders, one query per 500 orders; orders without shipments are absent. */
export async function loadProgressMany(db: Executor, orderIds: string[]): Promise<Map<string, OrderProgress>> {
  const out = new Map<string, OrderProgress>();
  const unique = [...new Set(orderIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .select({ orderId: shipments.orderId, shipmentId: shipments.id, status: shipments.status, lineId: shipmentAllocations.orderLineId, quantity: shipmentAllocations.quantity })
      .from(shipments)
      .leftJoin(shipmentAllocations, eq(shipmentAllocations.shipmentId, shipments.id))
      .where(inArray(shipments.orderId, unique.slice(i, i + 500)))
      .orderBy(asc(shipments.orderId), asc(shipments.seq));
    const byOrder = new Map<string, typeof rows>();
    for (const r of rows) {
      let list = byOrder.get(r.orderId);
      if (!list) byOrder.set(r.orderId, (list = []));
      list.push(r);
    }
    for (const [orderId, list] of byOrder) out.set(orderId, progressOf(list));
  }
  return out;
}

function progressOf(rows: { shipmentId: string; status: string; lineId: string | null; quantity: string | null }[]): OrderProgress {
  const allocated = new Map<string, string[]>();
  const shipped = new Map<string, string[]>();
  const found = new Map<string, string>();
  for (const r of rows) {
    found.set(r.shipmentId, r.status);
    if (!r.lineId || !r.quantity || r.status === 'cancelled') continue;
    allocated.set(r.lineId, [...(allocated.get(r.lineId) ?? []), r.quantity]);
    if (r.status === 'shipped' || r.status === 'delivered') shipped.set(r.lineId, [...(shipped.get(r.lineId) ?? []), r.quantity]);
  }
  const progress = new Map<string, LineProgress>();
  for (const id of allocated.keys()) progress.set(id, { allocated: sumDecimal(allocated.get(id)!), shipped: sumDecimal(shipped.get(id) ?? []) });
  return { progress, shipments: [...found].map(([id, status]) => ({ id, status })) };
}

/** The full order as the API returns it. */
export async function readOrder(db: Executor, ctx: ServiceContext, id: string): Promise<Order> {
  const row = await loadOrderRow(db, ctx, id);
  const [lines, { progress, shipments: orderShipments }] = await Promise.all([loadLines(db, id), loadProgress(db, id)]);
  const skuRows = lines.length
    ? await db.select({ id: products.id, sku: products.sku }).from(products).where(inArray(products.id, [...new Set(lines.map((l) => l.productId))]))
    : [];
  return toOrder(row, lines, new Map(skuRows.map((p) => [p.id, p.sku])), progress, orderShipments.map((sh) => sh.id));
}

export async function getOrder(ctx: ServiceContext, id: string): Promise<Order> {
  requirePermission(ctx, 'orders:read');
  return readOrder(ctx.database.db, ctx, id);
}

/** Create one order with its lines. */
export async function createOrder(ctx: ServiceContext, input: OrderCreate): Promise<Order> {
  const [id] = await createOrders(ctx, [input]);
  return getOrder(ctx, id!);
}

/**
 * Create many orders in one transaction: all or none. Parties, products and references are checked
 * in bulk; problems carry the index of the order (`orders.3.lines.0.productId`) when there is more than one.
 */
export async function createOrders(ctx: ServiceContext, inputs: OrderCreate[]): Promise<string[]> {
  requirePermission(ctx, 'orders:write');
  return ctx.database.write((tx) => insertOrders(tx, ctx, inputs));
}

/**
 * The work of {@link createOrders} inside the caller's write transaction (the caller checks the permission):
 * checks, inserts and one `order.created` audit event per order, with `options.note` when given.
 */
export async function insertOrders(tx: Executor, ctx: ServiceContext, inputs: OrderCreate[], options: { note?: string } = {}): Promise<string[]> {
  const prefix = (i: number) => (inputs.length > 1 ? `orders.${i}.` : '');
  const problems: ErrorDetail[] = [];
  const refs = new Map<string, number>();
  inputs.forEach((o, i) => {
    const key = o.reference.toLowerCase();
    if (refs.has(key)) problems.push({ path: `${prefix(i)}reference`, message: `Reference ${o.reference} appears twice in this request`, code: 'DUPLICATE_REFERENCE' });
    refs.set(key, i);
  });
  for (let i = 0; i < inputs.length; i += 400) {
    const chunk = inputs.slice(i, i + 400).map((o) => o.reference.toLowerCase());
    const taken = await tx.select({ reference: orders.reference }).from(orders).where(and(eq(orders.orgId, ctx.orgId), inArray(sql`lower(${orders.reference})`, chunk)));
    for (const t of taken) {
      const at = refs.get(t.reference.toLowerCase())!;
      problems.push({ path: `${prefix(at)}reference`, message: `Order reference ${t.reference} already exists`, code: 'DUPLICATE_REFERENCE' });
    }
  }
  const partyMap = await loadParties(tx, ctx, inputs.flatMap((o) => [o.buyerId, o.consigneeId, o.notifyPartyId]));
  const productMap = await loadProducts(tx, ctx, inputs.flatMap((o) => o.lines.map((l) => l.productId)));
  const now = isoNow(ctx);
  const orderRows: OrderRow[] = [];
  const lineRows: LineRow[] = [];
  const linesByOrder = new Map<string, LineRow[]>();
  inputs.forEach((input, i) => {
    problems.push(...partyProblems({ buyerId: input.buyerId, consigneeId: input.consigneeId, notifyPartyId: input.notifyPartyId }, partyMap, prefix(i)));
    const id = newId('ord');
    let lines: LineRow[] = [];
    try {
      lines = buildLines(id, ctx, input.currency, input.lines, productMap, [], `${prefix(i)}lines`);
    } catch (e) {
      if (e instanceof AppError && e.details) problems.push(...e.details);
      else throw e;
    }
    const totals = { totalMinor: totalOrProblem(lines, `${prefix(i)}lines`, problems), lineCount: lines.length };
    orderRows.push(newOrderRow(id, ctx.orgId, input, totals, ctx.actor.userId, now));
    lineRows.push(...lines);
    linesByOrder.set(id, lines);
  });
  if (problems.length) throw unprocessable('ORDER_REJECTED', inputs.length > 1 ? 'Some orders cannot be created; nothing was saved' : 'The order cannot be created', problems);
  await bulkInsert(tx, orders, orderRows, { perStatement: 500 });
  await bulkInsert(tx, orderLines, lineRows, { perStatement: 1000 });
  await recordAudit(
    tx,
    ctx,
    orderRows.map((o) => ({
      entityType: 'order',
      entityId: o.id,
      orderId: o.id,
      action: 'order.created',
      after: auditSnapshot(o, linesByOrder.get(o.id) ?? []),
      ...(options.note ? { note: options.note } : {}),
    })),
  );
  return orderRows.map((o) => o.id);
}

/** Exact order total in minor units; 422 naming `path` when it leaves the exact integer range. */
export function linesTotal(lines: LineRow[], path: string): number {
  try {
    return sumMinor(lines.map((l) => l.amountMinor));
  } catch {
    throw unprocessable('ORDER_REJECTED', 'The order total is too large', [{ path, message: 'The order total exceeds the largest exact amount (2^53 − 1 minor units)' }]);
  }
}

function totalOrProblem(lines: LineRow[], path: string, problems: ErrorDetail[]): number {
  try {
    return linesTotal(lines, path);
  } catch (e) {
    problems.push(...((e as AppError).details ?? []));
    return 0;
  }
}

/** Apply a patch to an order under optimistic concurrency (`expectedVersion` from If-Match). */
export async function updateOrder(ctx: ServiceContext, id: string, expectedVersion: number, patch: OrderUpdate): Promise<Order> {
  requirePermission(ctx, 'orders:write');
  await ctx.database.write((tx) => applyOrderUpdate(tx, ctx, id, expectedVersion, patch));
  return getOrder(ctx, id);
}

/**
 * The work of {@link updateOrder} inside a transaction the caller holds: version check (412 with the current
 * order), editability, header and line checks, line replacement, audit. Writes nothing when nothing changed.
 */
export async function applyOrderUpdate(
  tx: Executor,
  ctx: ServiceContext,
  id: string,
  expectedVersion: number,
  patch: OrderUpdate,
  options: Pick<WriteOptions, 'scheduled'> = {},
): Promise<void> {
  const row = await loadOrderRow(tx, ctx, id);
  if (row.version !== expectedVersion) throw stale('Order', await readOrder(tx, ctx, id));
  assertEditable(row);
  const { lines: linePatch } = patch;
  const next = mergeHeader(row, patch);
  if (patch.reference && patch.reference.toLowerCase() !== row.reference.toLowerCase()) {
    const [taken] = await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.orgId, ctx.orgId), sql`lower(${orders.reference}) = lower(${patch.reference})`));
    if (taken) throw conflict('DUPLICATE_REFERENCE', `Order reference ${patch.reference} already exists`, [{ path: 'reference', message: `Used by order ${taken.id}` }]);
  }
  const partyMap = await loadParties(tx, ctx, [next.buyerId, next.consigneeId, next.notifyPartyId]);
  const headerProblems = orderHeaderProblems(next, partyMap);
  if (headerProblems.length) throw unprocessable('ORDER_REJECTED', 'The change cannot be applied', headerProblems);

  const oldLines = await loadLines(tx, id);
  let lines = oldLines;
  if (linePatch || next.currency !== row.currency) {
    const input = linePatch ?? linesAsInput(oldLines);
    const productMap = await loadProducts(tx, ctx, input.map((l) => l.productId));
    lines = buildLines(id, ctx, next.currency, input, productMap, oldLines);
    await assertLinesCoverAllocations(tx, id, lines, oldLines);
    await replaceOrderLines(tx, ctx, [{ orderId: id, status: row.status, lines, oldLines }]);
  }
  next.totalMinor = linesTotal(lines, 'lines');
  next.lineCount = lines.length;
  const changes = diff(auditSnapshot(row, oldLines), auditSnapshot(next, lines));
  if (!changes) return; // nothing changed: keep the version, write no history
  await writeOrderUpdates(tx, ctx, [{ row, next, changes }], options);
}

/** 409 ORDER_LOCKED unless the order's status still allows edits. */
export function assertEditable(row: OrderRow): void {
  if (!EDITABLE_STATUSES.has(row.status as never)) {
    throw conflict('ORDER_LOCKED', `An order that is ${row.status} can no longer be edited`);
  }
}

/** The order row with a patch's header fields applied (a null consignee falls back to the buyer). */
export function mergeHeader(row: OrderRow, patch: Omit<OrderUpdate, 'lines'> & { lines?: unknown }): OrderRow {
  const { lines: _lines, ...header } = patch;
  const next: OrderRow = { ...row };
  for (const [key, value] of Object.entries(header)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (patch.consigneeId === null) next.consigneeId = next.buyerId;
  return next;
}

/** Cross-field header checks (Incoterm vs mode, seaports) and the parties' existence and roles. */
export function orderHeaderProblems(next: OrderRow, partyMap: Awaited<ReturnType<typeof loadParties>>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  checkHeader(next, { addIssue: (i: { path?: PropertyKey[]; message?: string }) => problems.push({ path: (i.path ?? []).join('.'), message: i.message ?? 'Invalid' }) } as never);
  problems.push(...partyProblems({ buyerId: next.buyerId, consigneeId: next.consigneeId, notifyPartyId: next.notifyPartyId }, partyMap));
  return problems;
}

/** Stored lines in the shape of line input (to rebuild them, e.g. in another currency). */
export function linesAsInput(lines: LineRow[]): OrderUpdate['lines'] & object {
  return lines.map((l) => ({ id: l.id, productId: l.productId, description: l.description, quantity: l.quantity, unit: l.unit as never, unitPrice: l.unitPrice, discountPercent: l.discountPercent }));
}

/**
 * Write new line sets: delete the old lines that are gone, insert or update the rest — for many orders at
 * once, in a fixed number of statements per 500–1,000 lines.
 */
async function replaceLines(tx: Executor, items: { lines: LineRow[]; oldLines: LineRow[] }[]): Promise<void> {
  const removed: string[] = [];
  const upserts: LineRow[] = [];
  for (const { lines, oldLines } of items) {
    const kept = new Set(lines.map((l) => l.id));
    for (const old of oldLines) if (!kept.has(old.id)) removed.push(old.id);
    upserts.push(...lines);
  }
  for (let i = 0; i < removed.length; i += 500) await tx.delete(orderLines).where(inArray(orderLines.id, removed.slice(i, i + 500)));
  await bulkInsert(tx, orderLines, upserts, { perStatement: 1000, upsertOn: 'id' });
}

/** Replace orders' lines with what execution data needs around it (production jobs checked, stock reservations following). */
export async function replaceOrderLines(tx: Executor, ctx: ServiceContext, changes: (LineChange & { lines: LineRow[]; oldLines: LineRow[] })[]): Promise<void> {
  await beforeLinesReplaced(tx, ctx, changes);
  await replaceLines(tx, changes);
  await afterLinesReplaced(tx, ctx, changes);
}

/** One order's computed update: its row before, its next row, and the audit diff. */
export interface OrderUpdateWrite {
  row: OrderRow;
  next: OrderRow;
  changes: { before: Record<string, unknown>; after: Record<string, unknown> };
}

export interface WriteOptions {
  note?: string;
  /**
   * The orders (of these items, at least) that have payment milestones, when the caller looked them up already
   * (the batch update, once for all its items): the others are skipped by the payment checks without a query.
   */
  scheduled?: ReadonlySet<string>;
}

/** Save changed order rows (version + 1, updatedAt now) and one `order.updated` audit event each. */
export async function writeOrderUpdates(tx: Executor, ctx: ServiceContext, items: OrderUpdateWrite[], options: WriteOptions = {}): Promise<void> {
  const now = isoNow(ctx);
  // Only an order with payment milestones can have money received against it or a schedule to follow.
  const { scheduled } = options;
  const payable = scheduled ? items.filter((i) => scheduled.has(i.row.id)) : items;
  await assertPaymentsAllowChange(tx, ctx, payable);
  for (const { row, next } of items) {
    next.version = row.version + 1;
    next.updatedAt = now;
    await tx.update(orders).set(next).where(and(eq(orders.id, row.id), eq(orders.version, row.version)));
  }
  await recordAudit(
    tx,
    ctx,
    items.map(({ row, next, changes }) => ({
      entityType: 'order',
      entityId: row.id,
      orderId: row.id,
      action: 'order.updated',
      before: { ...changes.before, version: row.version },
      after: { ...changes.after, version: next.version },
      ...(options.note ? { note: options.note } : {}),
    })),
  );
  // Payment milestones follow the order in the same transaction (amounts, terms; money applied is refitted).
  await syncSchedules(tx, ctx, payable.map((i) => i.next), { onlyExisting: true });
}

/** Which of these orders have payment milestones (an order update never creates them). */
export async function ordersWithSchedules(db: Executor, ctx: ServiceContext, orderIds: string[]): Promise<Set<string>> {
  if (!orderIds.length) return new Set();
  const rows = await db
    .selectDistinct({ orderId: paymentMilestones.orderId })
    .from(paymentMilestones)
    .where(and(eq(paymentMilestones.orgId, ctx.orgId), inArray(paymentMilestones.orderId, [...new Set(orderIds)])));
  return new Set(rows.map((r) => r.orderId));
}

/** Money received against an order ties it to its buyer and currency: changing either then is 409, naming the field. */
async function assertPaymentsAllowChange(tx: Executor, ctx: ServiceContext, items: OrderUpdateWrite[]): Promise<void> {
  const touched = items.filter(({ row, next }) => row.currency !== next.currency || row.buyerId !== next.buyerId);
  if (!touched.length) return;
  const paid = await tx
    .selectDistinct({ orderId: receiptAllocations.orderId })
    .from(receiptAllocations)
    .where(and(eq(receiptAllocations.orgId, ctx.orgId), inArray(receiptAllocations.orderId, touched.map((t) => t.row.id))));
  for (const { row, next } of touched) {
    if (!paid.some((p) => p.orderId === row.id)) continue;
    const field = row.currency !== next.currency ? 'currency' : 'buyerId';
    throw conflict('ORDER_HAS_PAYMENTS', `Order ${row.reference} has money received against it: its ${field === 'currency' ? 'currency' : 'buyer'} can no longer change (reverse the allocations first)`, [
      { path: field, message: 'Money has been received against this order' },
    ]);
  }
}

/** Lines kept must still cover what shipments carry; lines with allocations cannot be removed. */
async function assertLinesCoverAllocations(tx: Executor, orderId: string, lines: LineRow[], oldLines: LineRow[]) {
  const { progress } = await loadProgress(tx, orderId);
  const problems = allocationProblems(lines, oldLines, progress);
  if (problems.length) throw unprocessable('ALLOCATION_EXCEEDED', 'The new lines do not cover what is already allocated to shipments', problems);
}

/** Why new lines would not cover what shipments already carry (paths `lines`, `lines.{i}.quantity`, `lines.{i}.productId`). */
export function allocationProblems(lines: LineRow[], oldLines: LineRow[], progress: Map<string, LineProgress>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const old of oldLines) {
    const p = progress.get(old.id);
    if (!p || compareDecimal(p.allocated, '0') === 0) continue;
    const idx = lines.findIndex((l) => l.id === old.id);
    if (idx < 0) problems.push({ path: 'lines', message: `Line ${old.lineNo} (${old.id}) is allocated to shipments (${p.allocated} ${old.unit}) and cannot be removed` });
    else if (compareDecimal(lines[idx]!.quantity, p.allocated) < 0)
      problems.push({ path: `lines.${idx}.quantity`, message: `Quantity ${lines[idx]!.quantity} is below the ${p.allocated} already allocated to shipments` });
    else if (lines[idx]!.productId !== old.productId) problems.push({ path: `lines.${idx}.productId`, message: 'The product of an allocated line cannot change' });
  }
  return problems;
}

/** Above this many full-text candidates a plain scan in id order finds a page sooner than sorting them all. */
const SEARCH_CANDIDATE_LIMIT = 2000;

/**
 * List orders, newest first. The page's ids are chosen first (from indexes where the filters allow:
 * status, buyer, destination, date ranges, full-text on reference and buyer PO), then those rows are read.
 */
export async function listOrders(ctx: ServiceContext, q: OrderListQuery): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  requirePermission(ctx, 'orders:read');
  const db = ctx.database.db;
  const after = decodeCursor(q.cursor);
  const where = [eq(orders.orgId, ctx.orgId)];
  if (after) where.push(lt(orders.id, after));
  if (q.status) where.push(inArray(orders.status, q.status));
  if (q.buyerId) where.push(eq(orders.buyerId, q.buyerId));
  if (q.destinationCountry) where.push(eq(orders.destinationCountry, q.destinationCountry));
  if (q.shipFrom) where.push(gte(orders.requestedShipDate, q.shipFrom));
  if (q.shipTo) where.push(lte(orders.requestedShipDate, q.shipTo));
  if (q.createdFrom) where.push(gte(orders.createdAt, q.createdFrom));
  if (q.createdTo) where.push(lt(orders.createdAt, nextDay(q.createdTo)));
  if (q.q) where.push(await textFilter(db, ctx.orgId, q.q));
  const ids = db.select({ id: orders.id }).from(orders).where(and(...where)).orderBy(desc(orders.id)).limit(q.limit + 1);
  const rows = await db.select().from(orders).where(inArray(orders.id, ids)).orderBy(desc(orders.id));
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toOrderSummary), nextCursor: page.nextCursor };
}

/**
 * Case-insensitive "contains" on reference or buyer PO. Three characters or more go through the trigram
 * index (`order_search`) unless the fragment is so common that scanning newest-first stops sooner.
 */
async function textFilter(db: Executor, orgId: string, text: string): Promise<SQL> {
  const like = or(contains(orders.reference, text), contains(orders.buyerPo, text))!;
  if ([...text].length < 3) return like;
  const phrase = `"${text.replace(/"/g, '""')}"`;
  const [hit] = await db.all<{ n: number }>(
    sql`select count(*) as n from (select 1 from order_search where order_search match ${phrase} and org_id = ${orgId} limit ${SEARCH_CANDIDATE_LIMIT + 1})`,
  );
  if ((hit?.n ?? 0) > SEARCH_CANDIDATE_LIMIT) return like;
  return sql`${orders.id} in (select order_id from order_search where order_search match ${phrase} and org_id = ${orgId})`;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}
