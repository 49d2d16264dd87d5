import type { MiddlewareHandler } from 'hono';
import { can, type Permission } from '../../../shared/domain/roles.js';
import { authenticate } from '../services/auth.js';
import { AppError, forbidden } from '../services/errors.js';
import type { AppDeps, AppEnv } from './env.js';

/** Require `Authorization: Bearer <key>`; scope the request to the key's organisation and user. */
export function requireAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      c.header('WWW-Authenticate', 'Bearer');
      throw new AppError(401, 'UNAUTHENTICATED', 'Send your API key as "Authorization: Bearer <key>"');
    }
    const now = deps.now ?? (() => new Date());
    const database = c.get('database');
    const principal = await authenticate(database, m[1]!, now());
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new AppError(401, 'UNAUTHENTICATED', 'The API key is unknown or revoked');
    }
    c.set('principal', principal);
    const documentStore = deps.documentStore?.(c.env);
    c.set('ctx', { database, orgId: principal.orgId, actor: { userId: principal.userId, role: principal.role, partyId: principal.partyId }, now, ...(documentStore ? { documentStore } : {}) });
    await next();
  };
}

/** Route-level permission check, before any input is read. Any one of `permissions` suffices. */
export function permit(...permissions: Permission[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const role = c.get('principal').role;
    if (!permissions.some((p) => can(role, p))) {
      throw forbidden(`Your role (${role}) does not allow ${permissions.join(' or ')}`);
    }
    await next();
  };
}
