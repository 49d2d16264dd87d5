import type { Database } from '../db/client.js';
import type { Principal } from '../services/auth.js';
import type { ServiceContext } from '../services/context.js';
import type { DocumentStore } from '../services/documents/store.js';
import type { EmailDelivery } from '../services/notifications/deliver.js';

/** Hono environment shared by both runtimes: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    database: Database;
    principal: Principal;
    ctx: ServiceContext;
  };
}

/** What a runtime entry gives the app. */
export interface AppDeps {
  /** The database for this request (Workers: built from bindings; Node: one for the process). */
  database: (env: unknown) => Database;
  /** Where document files go (default: the database). */
  documentStore?: (env: unknown) => DocumentStore | undefined;
  /**
   * Buyer e-mails: the transport and sender (Node: from process.env at start; Workers: from the bindings). Asked
   * only by POST /outbox/deliver; null or absent: no e-mail is sent and messages wait in the outbox.
   */
  email?: (env: unknown) => EmailDelivery | null;
  /** Clock; tests inject one. */
  now?: () => Date;
  /** Version string shown by /health. */
  version?: string;
  /** Where errors are logged (default console.error). */
  logError?: (err: unknown, requestId: string) => void;
}
