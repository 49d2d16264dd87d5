import type { Role } from '../../../shared/domain/roles.js';
import type { Database } from '../db/client.js';
import type { DocumentStore } from './documents/store.js';

/** What every service verb receives: the database, the tenant, who acts, and the clock. */
export interface ServiceContext {
  readonly database: Database;
  readonly orgId: string;
  /** `partyId` is set for forwarder and customs-agent users, who see only their party's shipments (services/scope.ts). */
  readonly actor: { readonly userId: string; readonly role: Role; readonly partyId?: string | null };
  /** Injectable clock, for tests that travel in time. */
  readonly now: () => Date;
  /** Where document bytes go; the database when not set. */
  readonly documentStore?: DocumentStore;
}

export const isoNow = (ctx: Pick<ServiceContext, 'now'>) => ctx.now().toISOString();
