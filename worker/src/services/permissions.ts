import { can, type Permission } from '../../../shared/domain/roles.js';
import { forbidden } from './errors.js';
import type { ServiceContext } from './context.js';

/** Throw 403 unless the acting user's role grants `permission`. Services call this first, so every caller (API, CLI, add-in) gets the same rules. */
export function requirePermission(ctx: ServiceContext, permission: Permission): void {
  if (!can(ctx.actor.role, permission)) {
    throw forbidden(`Your role (${ctx.actor.role}) does not allow ${permission}`);
  }
}
