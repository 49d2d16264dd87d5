import type { Role } from '../../../shared/domain/roles.js';
import type { Database } from '../db/client.js';
import type { DocumentStore } from './documents/store.js';

/** What every service verb receives: the database, the tenant, who acts, and the clock. */
export interface ServiceContext {
  readonly database: Database;
  readonly orgId: string;
  readonly actor: { readonly userId: string; readonly role: Role };
  /** Injectable clock, for tests that travel in time. */
  readonly now: () => Date;
  /** Where document bytes go; the database when not set. */
  readonly documentStore?: DocumentStore;
}

export const isoNow = (ctx: Pick<ServiceContext, 'now'>) => ctx.now().toISOString();
