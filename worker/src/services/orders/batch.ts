import type { OrderBatchResult, OrderBatchUpdate } from '../../../../shared/contracts/order-batch.js';
import { OrderUpdate } from '../../../../shared/contracts/orders.js';
import type { Executor } from '../../db/client.js';
import { zodDetails } from '../../http/errors.js';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { requirePermission } from '../permissions.js';
import { readOrders } from './expanded.js';
import { applyOrderUpdate, ordersWithSchedules } from './orders.js';

type Outcome = { status: 'applied' } | Omit<OrderBatchResult, 'id'>;

/**
 * Apply many order patches, each under its own If-Match version, so one rejected or conflicting item never
 * blocks or half-applies another (what the add-in's "Publish" needs). The batch runs in one write transaction
 * with a savepoint per item: a failing item rolls back to its savepoint only. Errors other than business or
 * validation errors (e.g. the database going away) fail the whole call and nothing is written.
 */
export async function batchUpdateOrders(ctx: ServiceContext, input: OrderBatchUpdate): Promise<OrderBatchResult[]> {
  requirePermission(ctx, 'orders:write');
  const outcomes: Outcome[] = [];
  await ctx.database.write(async (tx) => {
    // Looked up once for the batch, not once per item: no item adds or removes an order's payment milestones.
    const scheduled = await ordersWithSchedules(tx, ctx, input.items.map((it) => it.id));
    for (const item of input.items) {
      const parsed = OrderUpdate.safeParse(item.patch);
      if (!parsed.success) {
        outcomes.push({ status: 'rejected', error: { code: 'VALIDATION_FAILED', message: 'The change is not valid; see details', details: zodDetails(parsed.error) } });
        continue;
      }
      try {
        await tx.transaction((sp) => applyOrderUpdate(sp as unknown as Executor, ctx, item.id, item.version, parsed.data, { scheduled }));
        outcomes.push({ status: 'applied' });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (e.status === 412) outcomes.push({ status: 'conflict', order: e.current as never, error: { code: e.code, message: e.message } });
        else outcomes.push({ status: 'rejected', error: { code: e.code, message: e.message, ...(e.details?.length ? { details: e.details } : {}) } });
      }
    }
  });
  const applied = input.items.filter((_, i) => outcomes[i]!.status === 'applied').map((it) => it.id);
  const current = new Map((await readOrders(ctx.database.db, [...new Set(applied)])).map((o) => [o.id, o]));
  return input.items.map((item, i) => {
    const outcome = outcomes[i]!;
    if (outcome.status !== 'applied') return { id: item.id, ...outcome };
    const order = current.get(item.id)!;
    return { id: item.id, status: order.version === item.version ? 'unchanged' : 'saved', order };
  });
}
