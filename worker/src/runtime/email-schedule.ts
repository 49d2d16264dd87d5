/**
 * The Node server's buyer e-mail delivery: every EMAIL_DELIVERY_SECONDS (default 30; 0 turns it off) send the due
 * messages of every organisation through the configured transport (EMAIL_TRANSPORT, see worker/src/email/config.ts).
 * Runs never overlap; the timer does not keep the process alive. (On Cloudflare Workers the cron trigger delivers:
 * see cloudflare.ts.)
 */
import type { Database } from '../db/client.js';
import { emailSenderFromEnv, parseMailbox } from '../email/config.js';
import { emailTransportFromNodeEnv } from '../email/config-node.js';
import { deliverDue, type EmailDelivery } from '../services/notifications/deliver.js';
import { intervalSetting, repeat } from './repeat.js';

export const deliverySeconds = (env: Record<string, string | undefined> = process.env): number => intervalSetting(env, 'EMAIL_DELIVERY_SECONDS', 'seconds', 30);

/**
 * The transport and sender from the environment (EMAIL_TRANSPORT, EMAIL_FROM, SMTP_* or EMAIL_API_*, and the
 * optional EMAIL_REPLY_TO), or null for EMAIL_TRANSPORT=none/unset. Throws EmailConfigError naming what to fix.
 */
export function emailDeliveryFromNodeEnv(env: Record<string, string | undefined> = process.env): EmailDelivery | null {
  const transport = emailTransportFromNodeEnv(env);
  if (!transport) return null;
  const replyTo = env.EMAIL_REPLY_TO?.trim() ? parseMailbox(env.EMAIL_REPLY_TO) : null;
  if (env.EMAIL_REPLY_TO?.trim() && !replyTo) throw new Error(`EMAIL_REPLY_TO "${env.EMAIL_REPLY_TO}" is not an e-mail address`);
  return { transport, sender: emailSenderFromEnv(env), replyTo };
}

export function startEmailDelivery(
  database: Database,
  delivery: EmailDelivery | null,
  opts: { seconds?: number; firstAfterMs?: number; log?: (line: string) => void; now?: () => Date } = {},
): () => void {
  const seconds = opts.seconds ?? deliverySeconds();
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!delivery || !seconds) return () => undefined;
  return repeat(
    async () => {
      const r = await deliverDue({ ...delivery, database, ...(opts.now ? { now: opts.now } : {}), log: (m, err) => console.error(m, err ?? '') });
      if (r.claimed) log(`Buyer e-mails (${r.transport}): ${r.sent} sent, ${r.retrying} to retry, ${r.failed} failed, ${r.ms} ms`);
    },
    { everyMs: seconds * 1000, firstAfterMs: opts.firstAfterMs ?? 3_000, failure: 'Buyer e-mail delivery failed' },
  );
}
