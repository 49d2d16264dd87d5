import type { OrderBatchResult, OrderBatchUpdate } from '../../../../shared/contracts/order-batch.js';
import { OrderUpdate } from '../../../../shared/contracts/orders.js';
import { zodDetails } from '../../http/errors.js';
import type { ServiceContext } from '../context.js';
import { AppError } from '../errors.js';
import { requirePermission } from '../permissions.js';
import { updateOrder } from './orders.js';

/**
 * Apply many order patches, each under its own If-Match version and in its own transaction, so one
 * rejected or conflicting item never blocks or half-applies another (what the add-in's "Publish" needs).
 * Errors other than business/validation errors (e.g. the database going away) still fail the whole call.
 */
export async function batchUpdateOrders(ctx: ServiceContext, input: OrderBatchUpdate): Promise<OrderBatchResult[]> {
  requirePermission(ctx, 'orders:write');
  const results: OrderBatchResult[] = [];
  for (const item of input.items) {
    const parsed = OrderUpdate.safeParse(item.patch);
    if (!parsed.success) {
      results.push({ id: item.id, status: 'rejected', error: { code: 'VALIDATION_FAILED', message: 'The change is not valid; see details', details: zodDetails(parsed.error) } });
      continue;
    }
    try {
      const order = await updateOrder(ctx, item.id, item.version, parsed.data);
      results.push({ id: item.id, status: order.version === item.version ? 'unchanged' : 'saved', order });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (e.status === 412) {
        results.push({ id: item.id, status: 'conflict', order: e.current as never, error: { code: e.code, message: e.message } });
      } else {
        results.push({ id: item.id, status: 'rejected', error: { code: e.code, message: e.message, ...(e.details?.length ? { details: e.details } : {}) } });
      }
    }
  }
  return results;
}
