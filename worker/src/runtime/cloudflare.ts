/**
 * Cloudflare Workers entry. The database is Turso (libSQL over HTTP): LIBSQL_URL and the secret
 * LIBSQL_AUTH_TOKEN. Apply migrations from a machine with `npm run db:migrate` (see README). The cron trigger in
 * wrangler.toml runs the exception sweep (`scheduled`).
 */
import { createClient } from '@libsql/client/web';
import { createApp } from '../app.js';
import { createDatabase } from '../db/client.js';
import { r2Store, type R2BucketLike } from '../services/documents/store.js';
import { sweepAllOrganisations } from '../services/exceptions/index.js';

export interface Env {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Optional R2 bucket for document files; without it they are stored in the database. */
  DOCUMENTS?: R2BucketLike;
}

/** The database of this deployment, from its bindings. */
function database(env: Env) {
  const { LIBSQL_URL, LIBSQL_AUTH_TOKEN } = env;
  if (!LIBSQL_URL) throw new Error('LIBSQL_URL is not configured');
  return createDatabase(createClient({ url: LIBSQL_URL, ...(LIBSQL_AUTH_TOKEN ? { authToken: LIBSQL_AUTH_TOKEN } : {}) }), { serializeWrites: false });
}

const app = createApp({
  database: (env) => database(env as Env),
  documentStore: (env) => ((env as Env).DOCUMENTS ? r2Store((env as Env).DOCUMENTS!) : undefined),
});

export default {
  fetch: app.fetch,
  /** Cron trigger (wrangler.toml `[triggers] crons`): sweep the exception rules of every organisation. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      sweepAllOrganisations(database(env), { log: (m, err) => console.error(m, err) }).then((r) =>
        console.log(`Exception sweep: ${r.organisations} organisation(s), ${r.raised} raised, ${r.resolved} resolved, ${r.active} active, ${r.ms} ms`),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
