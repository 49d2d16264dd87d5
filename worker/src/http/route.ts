import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { ErrorBody } from '../../../shared/contracts/common.js';
import type { Permission } from '../../../shared/domain/roles.js';
import { AppError, invalid } from '../services/errors.js';
import { permit } from './auth.js';
import type { AppEnv } from './env.js';
import { etag } from './errors.js';
import { idempotency } from './idempotency.js';

const errorContent = { 'application/json': { schema: ErrorBody } };
const ERRORS = {
  400: { description: 'Invalid input: `details` names each field', content: errorContent },
  401: { description: 'Missing or invalid API key', content: errorContent },
  403: { description: 'Your role does not allow this', content: errorContent },
  404: { description: 'Not found in your organisation', content: errorContent },
  409: { description: 'Conflicts with the current state', content: errorContent },
  412: { description: 'Stale If-Match: `current` holds the current record, and the ETag header its version', content: errorContent },
  413: { description: 'Body too large', content: errorContent },
  422: { description: 'Well-formed but breaks a business rule', content: errorContent },
  428: { description: 'If-Match header required', content: errorContent },
} as const;

type Spec = Omit<RouteConfig, 'responses' | 'middleware' | 'security'> & {
  /** Permissions of which the caller needs one. Enforced before the input is read (and before Idempotency-Key replay); shown as `x-permission`. */
  permission: Permission[];
  /** Success responses; error responses are added. */
  responses: RouteConfig['responses'];
  /** Extra error statuses this route can answer besides 400/401/403/404/413. */
  errors?: (409 | 412 | 422 | 428)[];
};

/** An authenticated, permission-checked API route, documented in OpenAPI from its zod contracts. */
export function apiRoute<S extends Spec>(spec: S): Omit<S, 'permission' | 'errors'> & { method: S['method']; path: S['path'] } {
  const { permission, errors = [], ...config } = spec;
  const pick = [400, 401, 403, 404, 413, ...errors] as const;
  return createRoute({
    ...config,
    security: [{ bearerAuth: [] }],
    'x-permission': permission.join(' | '),
    middleware: [permit(...permission), idempotency],
    responses: { ...config.responses, ...Object.fromEntries(pick.map((s) => [s, ERRORS[s]])) },
  } as unknown as RouteConfig) as never;
}

/** A JSON request body that must be present. */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true as const,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } },
});

/** A JSON response, optionally with an ETag header. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string, withEtag = false) => ({
  description,
  ...(withEtag ? { headers: z.object({ ETag: z.string().meta({ description: 'Version of the record; send it back as If-Match' }) }) } : {}),
  content: { 'application/json': { schema } },
});

export const IfMatchHeader = z.object({
  'if-match': z.string().optional().meta({ description: 'ETag of the version you edited (required)', example: '"3"' }),
});

/** The version the client says it edited, from If-Match; 428 when missing. */
export function expectedVersion(c: Context<AppEnv>): number {
  const header = c.req.header('If-Match');
  if (!header) throw new AppError(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the ETag of the record you edited, so no one else\'s change is overwritten');
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!m) throw invalid('If-Match must be an ETag returned by this API, e.g. "3"', [{ path: 'header.If-Match', message: 'Not an ETag of this API' }]);
  return Number(m[1]);
}

/** Set the ETag of a versioned record on the response. */
export function withEtag<T extends { version: number }>(c: Context<AppEnv>, record: T): T {
  c.header('ETag', etag(record.version));
  return record;
}

/** Path parameter `{id}` with a given id prefix. */
export const IdParam = (schema: z.ZodType<string>) => z.object({ id: schema.meta({ param: { name: 'id', in: 'path' } }) });
