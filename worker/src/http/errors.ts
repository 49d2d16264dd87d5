import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import type { ErrorBody } from '../../../shared/contracts/common.js';
import { AppError, invalid, type ErrorDetail } from '../services/errors.js';
import type { AppDeps, AppEnv } from './env.js';

/** Zod issues as error details with dotted field paths; unknown fields are named one by one. */
export function zodDetails(error: ZodError, prefix?: string): ErrorDetail[] {
  const at = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  return error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: at([...issue.path, k]), message: `Unknown field "${k}"`, code: 'unknown_field' }));
    }
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return [{ path: at(issue.path), message: 'Required', code: 'required' }];
    }
    return [{ path: at(issue.path), message: issue.message, code: issue.code }];
  });
}

/** Hook for @hono/zod-openapi: a failed validation becomes our 400 with field paths. */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }) {
  if (!result.success && result.error) {
    const prefix = result.target === 'query' ? 'query' : result.target === 'param' ? 'path' : result.target === 'header' ? 'header' : undefined;
    throw invalid('The request is not valid; see details', zodDetails(result.error, prefix));
  }
}

/** `app.onError`: the one place errors become responses. Clients never see a stack trace. */
export function errorHandler(deps: AppDeps) {
  return (err: Error, c: Context<AppEnv>) => {
    const requestId = c.get('requestId') ?? 'unknown';
    const body = (code: string, message: string, details?: ErrorDetail[], current?: unknown, report?: unknown): ErrorBody => ({
      error: { code, message, ...(details?.length ? { details } : {}), requestId, ...(current !== undefined ? { current } : {}), ...(report !== undefined ? { report } : {}) },
    });
    if (err instanceof AppError) {
      if (err.status === 412 && err.current && typeof err.current === 'object' && 'version' in err.current) {
        c.header('ETag', etag((err.current as { version: number }).version));
      }
      return c.json(body(err.code, err.message, err.details, err.current, err.report), err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = { 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' }[status as number] ?? 'BAD_REQUEST';
      return c.json(body(code, err.message || 'Bad request'), status);
    }
    const constraint = sqliteConstraint(err);
    if (constraint) return c.json(body('CONFLICT', `The change conflicts with existing data (${constraint})`), 409);
    (deps.logError ?? ((e, id) => console.error(`[${id}]`, e)))(err, requestId);
    return c.json(body('INTERNAL_ERROR', 'Something went wrong on our side. Quote the request id when reporting it.'), 500);
  };
}

function sqliteConstraint(err: unknown): string | null {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return code;
  }
  return null;
}

/** Strong ETag of a record version. */
export const etag = (version: number) => `"${version}"`;
