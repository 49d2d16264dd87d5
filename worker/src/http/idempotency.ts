import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { idempotencyKeys } from '../db/schema/index.js';
import { sha256Hex } from '../lib/ids.js';
import { AppError, invalid } from '../services/errors.js';
import type { AppEnv } from './env.js';

const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];
/** A key whose first request died without an answer is released after this long. */
const PENDING_TTL_MS = 60_000;

/**
 * `Idempotency-Key` on POST: the same key with the same body gets the original response (no duplicate);
 * the same key with another body gets 422; a retry while the first is still running gets 409.
 * Keys are scoped to the organisation and bound to the user who first sent them: another user's request
 * with the same key is a different request (422), so a stored answer is never replayed to someone else.
 * Runs after the route's permission check. 5xx answers are not stored, so the client may retry them.
 */
export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header('Idempotency-Key');
  if (c.req.method !== 'POST' || key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw invalid('Idempotency-Key must be 1–255 visible ASCII characters', [{ path: 'header.Idempotency-Key', message: 'Invalid key' }]);
  }
  const ctx = c.get('ctx');
  const requestHash = await sha256Hex(`${c.get('principal').userId}\n${c.req.method} ${new URL(c.req.url).pathname}\n${await c.req.text()}`);
  const where = and(eq(idempotencyKeys.orgId, ctx.orgId), eq(idempotencyKeys.key, key));
  const now = ctx.now();

  const existing = await ctx.database.write(async (tx) => {
    const [row] = await tx.select().from(idempotencyKeys).where(where);
    if (row && row.status === null && now.getTime() - Date.parse(row.createdAt) > PENDING_TTL_MS) {
      await tx.delete(idempotencyKeys).where(where);
    } else if (row) {
      return row;
    }
    await tx.insert(idempotencyKeys).values({ orgId: ctx.orgId, key, requestHash, status: null, headers: null, body: null, createdAt: now.toISOString() });
    return null;
  });
  if (existing) {
    if (existing.requestHash !== requestHash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body', [{ path: 'header.Idempotency-Key', message: 'Use a new key for a new request' }]);
    }
    if (existing.status === null) throw new AppError(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly');
    const headers = new Headers(existing.headers as Record<string, string>);
    headers.set('Idempotent-Replayed', 'true');
    return new Response(existing.body, { status: existing.status, headers });
  }

  await next();
  const res = c.res;
  if (res.status >= 500) {
    await ctx.database.write((tx) => tx.delete(idempotencyKeys).where(where));
    return;
  }
  const headers: Record<string, string> = {};
  for (const h of REPLAYED_HEADERS) {
    const v = res.headers.get(h);
    if (v) headers[h] = v;
  }
  const body = await res.clone().text();
  await ctx.database.write((tx) => tx.update(idempotencyKeys).set({ status: res.status, headers, body }).where(where));
};
