/**
 * Node side of config.ts: the transport from process.env, with SMTP available (nodemailer). Import this only from
 * Node entries (worker/src/runtime/node.ts, the CLI); the Workers entry uses config.ts with the `cloudflare:email`
 * EmailMessage instead, so nodemailer stays out of its bundle.
 */
import { emailTransportFromEnv, type EmailEnv } from './config.js';
import { smtpTransport } from './smtp.js';
import type { EmailTransport } from './transport.js';

/** The e-mail transport configured in `env` (default process.env), or null when EMAIL_TRANSPORT is none/unset. */
export function emailTransportFromNodeEnv(env: Record<string, string | undefined> = process.env): EmailTransport | null {
  return emailTransportFromEnv(env as EmailEnv, { name: 'node', smtp: smtpTransport });
}
