import { z } from 'zod';
import { ErrorBody } from './common.js';
import { Order, OrderId } from './orders.js';

import { MAX_BATCH_ITEMS } from '../domain/limits.js';

export { MAX_BATCH_ITEMS };

export const OrderBatchItem = z
  .strictObject({
    id: OrderId,
    version: z.number().int().min(1).meta({ description: 'The version (ETag) the client edited, as If-Match would carry it' }),
    patch: z.record(z.string(), z.unknown()).meta({ description: 'An OrderUpdate; validated per item so one bad item does not reject the others' }),
  })
  .meta({ id: 'OrderBatchItem' });

export const OrderBatchUpdate = z
  .strictObject({ items: z.array(OrderBatchItem).min(1).max(MAX_BATCH_ITEMS) })
  .meta({ id: 'OrderBatchUpdate' });
export type OrderBatchUpdate = z.infer<typeof OrderBatchUpdate>;

export const OrderBatchResult = z
  .object({
    id: z.string(),
    status: z.enum(['saved', 'unchanged', 'rejected', 'conflict']).meta({
      description: 'saved: applied, new version in `order`; unchanged: nothing differed; rejected: `error` says why (field paths in details); conflict: someone else changed it, `order` is the current version',
    }),
    order: Order.optional(),
    error: ErrorBody.shape.error.optional(),
  })
  .meta({ id: 'OrderBatchResult' });
export type OrderBatchResult = z.infer<typeof OrderBatchResult>;

export const OrderBatchResponse = z.object({ results: z.array(OrderBatchResult) }).meta({ id: 'OrderBatchResponse' });
export type OrderBatchResponse = z.infer<typeof OrderBatchResponse>;
