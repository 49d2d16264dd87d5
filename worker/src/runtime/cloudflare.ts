/**
 * Cloudflare Workers entry. The database is Turso (libSQL over HTTP): LIBSQL_URL and the secret
 * LIBSQL_AUTH_TOKEN. Apply migrations from a machine with `npm run db:migrate` (see README).
 */
import { createClient } from '@libsql/client/web';
import { createApp } from '../app.js';
import { createDatabase } from '../db/client.js';
import { r2Store, type R2BucketLike } from '../services/documents/store.js';

export interface Env {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Optional R2 bucket for document files; without it they are stored in the database. */
  DOCUMENTS?: R2BucketLike;
}

const app = createApp({
  database: (env) => {
    const { LIBSQL_URL, LIBSQL_AUTH_TOKEN } = env as Env;
    if (!LIBSQL_URL) throw new Error('LIBSQL_URL is not configured');
    return createDatabase(createClient({ url: LIBSQL_URL, ...(LIBSQL_AUTH_TOKEN ? { authToken: LIBSQL_AUTH_TOKEN } : {}) }), { serializeWrites: false });
  },
  documentStore: (env) => ((env as Env).DOCUMENTS ? r2Store((env as Env).DOCUMENTS!) : undefined),
});

export default app satisfies ExportedHandler<Env>;
