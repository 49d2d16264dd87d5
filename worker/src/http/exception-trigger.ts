import type { MiddlewareHandler } from 'hono';
import { rawAll } from '../db/raw.js';
import { evaluateSubjects } from '../services/exceptions/index.js';
import type { ServiceContext } from '../services/context.js';
import type { AppDeps, AppEnv } from './env.js';

const ID = /^[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * What a request path concerns, for the exception engine: `/orders/{id}…` → the order, `/shipments/{id}…` → the
 * shipment's order, `/organisation` → the organisation-wide rules; any other `/{collection}/{id}…` (documents,
 * bookings, milestones, production jobs, inspections) → the order or shipment that record belongs to.
 */
export async function changeTarget(ctx: ServiceContext, path: string): Promise<{ orderId?: string; shipmentId?: string; organisation?: boolean } | null> {
  const [, collection, id] = path.split('/');
  if (collection === 'organisation') return { organisation: true };
  if (!id || !ID.test(id) || collection === 'exceptions' || path.endsWith('/validate')) return null;
  if (collection === 'orders') return { orderId: id };
  if (collection === 'shipments') return { shipmentId: id };
  const [row] = await rawAll<{ o: string | null; s: string | null }>(
    ctx.database.db,
    `SELECT order_id AS o, NULL AS s FROM documents WHERE org_id = ?1 AND id = ?2
     UNION ALL SELECT NULL, shipment_id FROM bookings WHERE org_id = ?1 AND id = ?2
     UNION ALL SELECT NULL, shipment_id FROM milestones WHERE org_id = ?1 AND id = ?2
     UNION ALL SELECT order_id, NULL FROM production_jobs WHERE org_id = ?1 AND id = ?2
     UNION ALL SELECT order_id, shipment_id FROM inspections WHERE org_id = ?1 AND id = ?2
     LIMIT 1`,
    [ctx.orgId, id],
  );
  if (!row) return null;
  return row.o ? { orderId: row.o } : row.s ? { shipmentId: row.s } : null;
}

/**
 * After a successful (2xx) change to an order, shipment or something hanging off them, evaluate the exception
 * rules for it. Never fails the request: errors are logged. On Workers the evaluation runs after the response
 * (`waitUntil`); elsewhere the response waits for it, so a client reading exceptions next sees the result.
 */
export function exceptionTrigger(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const log = deps.logError ?? ((err: unknown, requestId: string) => console.error(`[${requestId}] exception evaluation failed`, err));
  return async (c, next) => {
    await next();
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || c.res.status < 200 || c.res.status >= 300) return;
    const ctx = c.get('ctx');
    if (!ctx) return;
    const work = (async () => {
      const target = await changeTarget(ctx, c.req.path);
      if (target) await evaluateSubjects(ctx, target);
    })().catch((err) => log(err, c.get('requestId') ?? ''));
    let executionCtx: { waitUntil(p: Promise<unknown>): void } | undefined;
    try {
      executionCtx = c.executionCtx;
    } catch {
      executionCtx = undefined;
    }
    if (executionCtx?.waitUntil) executionCtx.waitUntil(work);
    else await work;
  };
}
