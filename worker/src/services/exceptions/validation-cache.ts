/**
 * Validation results for the `validation_errors` rule, kept per process.
 *
 * Validating an order builds a document snapshot per scope (a dozen queries and the template engine): fine on
 * change, far too slow to repeat for every order on every sweep. So:
 *  - on change (`evaluateSubjects`), the order is always validated afresh;
 *  - a sweep reuses the last result while the order's STAMP is unchanged and the result is younger than the rule's
 *    `revalidateHours` (findings depend on time too: deadlines, an LUT running out). The stamp is computed in bulk
 *    from what validation reads: the order's version, its shipments' versions and statuses, the newest party and
 *    product change of the organisation, and the organisation's profile;
 *  - at most `maxValidationsPerSweep` orders are validated per sweep (those never validated first, then the oldest);
 *    the others keep their exception as it is until a later sweep gets to them.
 * The cache is in memory: a restarted Node server (or a fresh Workers isolate) starts empty and catches up over
 * a few sweeps, while the exceptions already raised stay as they were.
 */
import type { Executor } from '../../db/client.js';
import type { ServiceContext } from '../context.js';
import { orderValidation } from '../validation.js';
import { rawAll } from '../../db/raw.js';
import type { OrderFacts } from './types.js';

interface Entry {
  stamp: string;
  checkedAtMs: number;
  value: NonNullable<OrderFacts['validation']>;
}

const cache = new Map<string, Map<string, Entry>>();
const orgCache = (orgId: string) => {
  let m = cache.get(orgId);
  if (!m) cache.set(orgId, (m = new Map()));
  return m;
};

/** Forget every cached validation (of one organisation, or all). */
export function clearValidationCache(orgId?: string): void {
  if (orgId) cache.delete(orgId);
  else cache.clear();
}

type Row = Record<string, unknown>;

/** The organisation-wide part of the stamps: profile (LUT…), newest party and product change. One query. */
async function commonStamp(db: Executor, orgId: string): Promise<string> {
  const [org] = await rawAll<Row>(
    db,
    `SELECT (SELECT legal_name || '|' || coalesce(iec, '') || '|' || coalesce(gstin, '') || '|' || coalesce(ad_code, '') || '|' || coalesce(lut, '') || '|' || claims_rodtep || '|' || coalesce(address, '')
               FROM organisations WHERE id = ?) AS profile,
            (SELECT max(updated_at) FROM parties WHERE org_id = ?) AS parties,
            (SELECT max(updated_at) FROM products WHERE org_id = ?) AS products`,
    [orgId, orgId, orgId],
  );
  return `${org?.profile}|${org?.parties}|${org?.products}`;
}

async function validate(ctx: ServiceContext, orderId: string): Promise<NonNullable<OrderFacts['validation']>> {
  const result = await orderValidation(ctx.database.db, ctx, orderId);
  return {
    checkedAt: result.checkedAt,
    errors: result.findings
      .filter((f) => f.severity === 'error')
      .map((f) => ({ rule: f.rule, path: f.path, message: f.message, due: f.due ?? null, shipmentId: f.shipmentId ?? null })),
  };
}

/**
 * Attach validation results to `orders` (those in `statuses`). `force`: validate every one now (on change);
 * otherwise reuse cached results as described above. Returns how many validations ran.
 */
export async function attachValidation(
  ctx: ServiceContext,
  orders: OrderFacts[],
  opts: { statuses: string[]; force: boolean; revalidateHours: number; maxValidations: number },
): Promise<number> {
  const wanted = orders.filter((o) => opts.statuses.includes(o.status));
  if (!wanted.length) return 0;
  const db = ctx.database.db;
  const common = await commonStamp(db, ctx.orgId);
  const entries = orgCache(ctx.orgId);
  const now = ctx.now().getTime();
  const todo: { order: OrderFacts; stamp: string; age: number }[] = [];
  for (const o of wanted) {
    const stamp = `${o.stamp ?? ''}|${common}`;
    const e = entries.get(o.id);
    if (!opts.force && e && e.stamp === stamp && now - e.checkedAtMs < opts.revalidateHours * 3_600_000) o.validation = e.value;
    // never validated first, then changed since, then the oldest results
    else todo.push({ order: o, stamp, age: !e ? Number.POSITIVE_INFINITY : e.stamp !== stamp ? 1e15 + now - e.checkedAtMs : now - e.checkedAtMs });
  }
  todo.sort((a, b) => b.age - a.age);
  const run = opts.force ? todo : todo.slice(0, opts.maxValidations);
  for (const t of run) {
    const value = await validate(ctx, t.order.id);
    entries.set(t.order.id, { stamp: t.stamp, checkedAtMs: now, value });
    t.order.validation = value;
  }
  return run.length;
}
