/**
 * Import, step 4: write a plan that has no error, inside the caller's write transaction — the new orders
 * through the order service's own insert (same checks, rows and `order.created` audit events as
 * createOrders), the updates through its line replacement and update writer (`order.updated` events), all
 * with the import note. Should the order service still refuse something (it re-checks references, parties
 * and products), its problems are mapped back to sheet cells and the transaction is rolled back.
 */
import type { Executor } from '../../db/client.js';
import type { ServiceContext } from '../context.js';
import { AppError, type ErrorDetail } from '../errors.js';
import { insertOrders, replaceOrderLines, writeOrderUpdates } from '../orders/orders.js';
import type { PlannedOrder } from './plan.js';
import type { ImportLog } from './report.js';

/** Writes the plan; returns the ids of the created orders. Throws `rejected()` (after logging) when the order service refuses a create. */
export async function applyPlan(tx: Executor, ctx: ServiceContext, plan: PlannedOrder[], note: string, log: ImportLog, rejected: () => Error): Promise<Map<PlannedOrder, string>> {
  const ids = new Map<PlannedOrder, string>();
  const creates = plan.filter((p) => p.create);
  if (creates.length) {
    let created: string[];
    try {
      created = await insertOrders(tx, ctx, creates.map((p) => p.create!), { note });
    } catch (e) {
      if (!(e instanceof AppError) || !e.details?.length) throw e;
      logServiceProblems(e.details, creates, log);
      throw rejected();
    }
    created.forEach((id, k) => ids.set(creates[k]!, id));
  }
  const updates = plan.filter((p) => p.update).map((p) => p.update!);
  if (updates.length) {
    await replaceOrderLines(tx, ctx, updates.map((u) => ({ orderId: u.row.id, status: u.row.status, lines: u.lines, oldLines: u.oldLines })));
    await writeOrderUpdates(tx, ctx, updates, { note });
  }
  return ids;
}

/** `orders.3.lines.1.productId` (or `lines.1.productId` for a single order) → the sheet cell. */
function logServiceProblems(details: ErrorDetail[], creates: PlannedOrder[], log: ImportLog): void {
  for (const d of details) {
    const m = /^(?:orders\.(\d+)\.)?(?:lines\.(\d+)\.)?(\w+)?/.exec(d.path);
    const order = creates[Number(m?.[1] ?? 0)];
    if (!order) continue;
    const line = m?.[2] !== undefined ? order.sheet.lines[Number(m[2])] : undefined;
    const field = m?.[3] === 'reference' ? 'reference' : m?.[3] === 'productId' ? 'sku' : m?.[3] === 'buyerId' ? 'buyer' : m?.[3] === 'consigneeId' ? 'consignee' : undefined;
    log.error(line?.index ?? order.sheet.first, field, d.message);
  }
}
