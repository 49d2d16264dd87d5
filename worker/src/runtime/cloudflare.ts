/**
 * Cloudflare Workers entry. The database is Turso (libSQL over HTTP): LIBSQL_URL and the secret
 * LIBSQL_AUTH_TOKEN. Apply migrations from a machine with `npm run db:migrate` (see README). The cron trigger in
 * wrangler.toml runs the exception sweep and delivers the buyer e-mails waiting in the outbox (`scheduled`), through
 * the transport EMAIL_TRANSPORT names: `cloudflare` (the send_email binding SEND_EMAIL) or `http` (EMAIL_API_URL +
 * the secret EMAIL_API_TOKEN); SMTP is Node only.
 */
import { EmailMessage } from 'cloudflare:email';
import { createClient } from '@libsql/client/web';
import { createApp } from '../app.js';
import { createDatabase } from '../db/client.js';
import { emailSenderFromEnv, emailTransportFromEnv, parseMailbox, type EmailEnv } from '../email/config.js';
import { r2Store, type R2BucketLike } from '../services/documents/store.js';
import { sweepAllOrganisations } from '../services/exceptions/index.js';
import { deliverDue, type EmailDelivery } from '../services/notifications/deliver.js';

export interface Env extends EmailEnv {
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Optional R2 bucket for document files; without it they are stored in the database. */
  DOCUMENTS?: R2BucketLike;
  /** Optional Reply-To of buyer e-mails. */
  EMAIL_REPLY_TO?: string;
}

/** Buyer e-mail delivery from the bindings (null: EMAIL_TRANSPORT unset or none). Throws EmailConfigError naming what to fix. */
function emailDelivery(env: Env): EmailDelivery | null {
  const transport = emailTransportFromEnv(env, { name: 'cloudflare', EmailMessage });
  if (!transport) return null;
  const replyTo = env.EMAIL_REPLY_TO?.trim() ? parseMailbox(env.EMAIL_REPLY_TO) : null;
  return { transport, sender: emailSenderFromEnv(env), replyTo };
}

const documentStore = (env: Env) => (env.DOCUMENTS ? r2Store(env.DOCUMENTS) : undefined);

/** The database of this deployment, from its bindings. */
function database(env: Env) {
  const { LIBSQL_URL, LIBSQL_AUTH_TOKEN } = env;
  if (!LIBSQL_URL) throw new Error('LIBSQL_URL is not configured');
  return createDatabase(createClient({ url: LIBSQL_URL, ...(LIBSQL_AUTH_TOKEN ? { authToken: LIBSQL_AUTH_TOKEN } : {}) }), { serializeWrites: false });
}

const app = createApp({
  database: (env) => database(env as Env),
  documentStore: (env) => documentStore(env as Env),
  email: (env) => emailDelivery(env as Env),
});

/** Send the due buyer e-mails of every organisation (nothing when no transport is configured). */
async function deliverEmails(env: Env): Promise<void> {
  const delivery = emailDelivery(env);
  if (!delivery) return;
  const store = documentStore(env);
  const r = await deliverDue({ ...delivery, database: database(env), ...(store ? { documentStore: store } : {}), log: (m, err) => console.error(m, err ?? '') });
  if (r.claimed) console.log(`Buyer e-mails (${r.transport}): ${r.sent} sent, ${r.retrying} to retry, ${r.failed} failed, ${r.ms} ms`);
}

export default {
  fetch: app.fetch,
  /** Cron trigger (wrangler.toml `[triggers] crons`): sweep the exception rules of every organisation, and deliver due buyer e-mails. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      sweepAllOrganisations(database(env), { log: (m, err) => console.error(m, err) }).then((r) =>
        console.log(`Exception sweep: ${r.organisations} organisation(s), ${r.raised} raised, ${r.resolved} resolved, ${r.active} active, ${r.ms} ms`),
      ),
    );
    ctx.waitUntil(deliverEmails(env).catch((err) => console.error('Buyer e-mail delivery failed', err)));
  },
} satisfies ExportedHandler<Env>;
