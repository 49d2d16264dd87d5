/**
 * Which e-mail transport a deployment uses, from its environment (Node: process.env; Workers: vars, secrets and
 * the send_email binding):
 *
 * | EMAIL_TRANSPORT | needs | runs on |
 * |---|---|---|
 * | `none` (or unset) | — | both: no e-mail is sent (`emailTransportFromEnv` returns null) |
 * | `smtp` | SMTP_HOST, SMTP_PORT (default 587, or 465 when secure), SMTP_SECURE (default: port 465), SMTP_USER + SMTP_PASSWORD (optional, together) | Node only |
 * | `http` | EMAIL_API_URL, EMAIL_API_TOKEN | both |
 * | `cloudflare` | the `SEND_EMAIL` send_email binding | Workers only |
 *
 * Every transport but `none` also needs EMAIL_FROM (`orders@example.com` or `Kaveri Knits <orders@example.com>`).
 *
 * This module imports no SMTP code: the SMTP factory is a parameter (`runtime.smtp`), passed by config-node.ts,
 * so the Workers bundle never contains nodemailer.
 */
import type { EmailMessageConstructor, SendEmailBinding } from './cloudflare-send-email.js';
import { cloudflareSendEmailTransport } from './cloudflare-send-email.js';
import { httpApiTransport } from './http-api.js';
import { isValidAddress, type EmailAddress } from './message.js';
import type { SmtpOptions } from './smtp.js';
import type { EmailTransport } from './transport.js';

/** The variables (and the binding) read here. */
export interface EmailEnv {
  EMAIL_TRANSPORT?: string;
  EMAIL_FROM?: string;
  SMTP_HOST?: string;
  SMTP_PORT?: string;
  SMTP_SECURE?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  EMAIL_API_URL?: string;
  EMAIL_API_TOKEN?: string;
  /** Workers: the send_email binding (wrangler.toml `[[send_email]] name = "SEND_EMAIL"`). */
  SEND_EMAIL?: SendEmailBinding;
}

/** What the running platform can offer the transports. */
export interface EmailRuntime {
  name: 'node' | 'cloudflare';
  /** Makes an SMTP transport (Node: `smtpTransport` from smtp.ts; absent on Workers). */
  smtp?: (options: SmtpOptions) => EmailTransport;
  /** `EmailMessage` from `cloudflare:email` (Workers only). */
  EmailMessage?: EmailMessageConstructor;
  /** fetch for the HTTP API transport (default: the global one). */
  fetch?: typeof fetch;
}

export const EMAIL_TRANSPORTS = ['none', 'smtp', 'http', 'cloudflare'] as const;
export type EmailTransportKind = (typeof EMAIL_TRANSPORTS)[number];

/** A configuration that cannot work; `problems` name the variables to set or fix. */
export class EmailConfigError extends Error {
  override readonly name = 'EmailConfigError';
  constructor(readonly problems: string[]) {
    super(`E-mail configuration: ${problems.join('; ')}`);
  }
}

const value = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** `orders@example.com`, `Name <orders@example.com>` or `"Name, Inc." <orders@example.com>` → a mailbox, or null. */
export function parseMailbox(text: string): EmailAddress | null {
  const s = text.trim();
  const m = /^(.*?)\s*<([^<>\s]+)>$/.exec(s);
  if (!m) return isValidAddress(s) ? { address: s } : null;
  const address = m[2]!;
  if (!isValidAddress(address)) return null;
  let name = m[1]!.trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return name ? { name, address } : { address };
}

/** The configured transport kind (EMAIL_TRANSPORT; unset means `none`). */
export function emailTransportKind(env: EmailEnv): EmailTransportKind {
  const kind = (value(env.EMAIL_TRANSPORT) ?? 'none').toLowerCase();
  if (!(EMAIL_TRANSPORTS as readonly string[]).includes(kind))
    throw new EmailConfigError([`EMAIL_TRANSPORT is "${env.EMAIL_TRANSPORT}": use one of ${EMAIL_TRANSPORTS.join(', ')}`]);
  return kind as EmailTransportKind;
}

/** The sender from EMAIL_FROM. Throws `EmailConfigError` when it is missing or not an address. */
export function emailSenderFromEnv(env: EmailEnv): EmailAddress {
  const from = value(env.EMAIL_FROM);
  if (!from) throw new EmailConfigError(['EMAIL_FROM is not set (the sender, e.g. "Kaveri Knits <orders@kaveri-knits.example>")']);
  const mailbox = parseMailbox(from);
  if (!mailbox) throw new EmailConfigError([`EMAIL_FROM "${from}" is not an e-mail address (expected address or Name <address>)`]);
  return mailbox;
}

function flag(name: string, v: string | undefined, problems: string[]): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  problems.push(`${name} is "${v}": use true or false`);
  return undefined;
}

/** SMTP settings from SMTP_* (pushing a problem per missing or invalid variable). */
function smtpOptionsFromEnv(env: EmailEnv, problems: string[]): SmtpOptions {
  const host = value(env.SMTP_HOST);
  if (!host) problems.push('SMTP_HOST is not set (the SMTP server, e.g. smtp.example.com)');
  let secure = flag('SMTP_SECURE', value(env.SMTP_SECURE), problems);
  const portText = value(env.SMTP_PORT);
  let port = secure ? 465 : 587;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) problems.push(`SMTP_PORT is "${portText}": expected a port number (587, 465, 25)`);
  }
  secure ??= port === 465;
  const user = value(env.SMTP_USER);
  const pass = typeof env.SMTP_PASSWORD === 'string' && env.SMTP_PASSWORD !== '' ? env.SMTP_PASSWORD : undefined;
  if (user && !pass) problems.push('SMTP_PASSWORD is not set (SMTP_USER is)');
  if (pass && !user) problems.push('SMTP_USER is not set (SMTP_PASSWORD is)');
  return { host: host ?? '', port, secure, ...(user && pass ? { auth: { user, pass } } : {}) };
}

/**
 * The transport the environment asks for, or null for EMAIL_TRANSPORT=none / unset. Throws `EmailConfigError`
 * naming every missing or invalid variable, or when the transport cannot run on this runtime.
 */
export function emailTransportFromEnv(env: EmailEnv, runtime: EmailRuntime): EmailTransport | null {
  const kind = emailTransportKind(env);
  if (kind === 'none') return null;
  const problems: string[] = [];
  try {
    emailSenderFromEnv(env);
  } catch (e) {
    if (!(e instanceof EmailConfigError)) throw e;
    problems.push(...e.problems);
  }

  switch (kind) {
    case 'smtp': {
      if (!runtime.smtp) {
        throw new EmailConfigError([
          `EMAIL_TRANSPORT=smtp is not available on ${runtime.name === 'cloudflare' ? 'Cloudflare Workers' : 'this runtime'}: use http (EMAIL_API_URL, EMAIL_API_TOKEN) or cloudflare (send_email binding)`,
        ]);
      }
      const options = smtpOptionsFromEnv(env, problems);
      if (problems.length) throw new EmailConfigError(problems);
      return runtime.smtp(options);
    }
    case 'http': {
      const url = value(env.EMAIL_API_URL);
      const token = value(env.EMAIL_API_TOKEN);
      if (!url) problems.push('EMAIL_API_URL is not set (the HTTP e-mail API endpoint)');
      else if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) problems.push(`EMAIL_API_URL "${url}" is not an http(s) URL`);
      if (!token) problems.push('EMAIL_API_TOKEN is not set (the bearer token of the e-mail API)');
      if (problems.length) throw new EmailConfigError(problems);
      return httpApiTransport({ url: url!, token: token!, ...(runtime.fetch ? { fetch: runtime.fetch } : {}) });
    }
    case 'cloudflare': {
      if (!runtime.EmailMessage) {
        throw new EmailConfigError(['EMAIL_TRANSPORT=cloudflare works only on Cloudflare Workers (the send_email binding): use smtp or http on Node']);
      }
      const binding = env.SEND_EMAIL;
      if (!binding || typeof binding.send !== 'function') {
        problems.push('SEND_EMAIL binding is missing (add [[send_email]] name = "SEND_EMAIL" to wrangler.toml)');
      }
      if (problems.length) throw new EmailConfigError(problems);
      return cloudflareSendEmailTransport(binding!, runtime.EmailMessage);
    }
  }
}
