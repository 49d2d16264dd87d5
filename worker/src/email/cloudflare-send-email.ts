/**
 * Transport for the Cloudflare Workers `send_email` binding: `env.SEND_EMAIL.send(new EmailMessage(from, to, raw))`,
 * with the raw message built by mime.ts.
 *
 * `EmailMessage` comes from `cloudflare:email`, a module that exists only inside workerd, so this file does not
 * import it: the Workers entry passes the constructor in (`import { EmailMessage } from 'cloudflare:email'`), and
 * tests pass a stand-in that captures the raw message.
 *
 * Limits of send_email, and why the HTTP API transport (http-api.ts) exists too:
 * - With Email Routing, and on accounts not (yet) allowed to send to anyone, send_email delivers ONLY to
 *   destination addresses verified in the Cloudflare account (or those a binding's `destination_address` /
 *   `allowed_destination_addresses` name). A buyer's address is normally not verified, so buyer mail on such an
 *   account has to go through an HTTP e-mail API (EMAIL_TRANSPORT=http) instead.
 * - Cloudflare Email Service (Workers Paid) can send to any recipient, but caps a message at 5 MiB including
 *   attachments (25 MiB only to verified addresses) and 50 recipients; larger document sets need the HTTP API.
 * - The sender must be an address on a domain onboarded to Cloudflare e-mail.
 *
 * One EmailMessage has one envelope recipient, so a message with several To/Cc recipients is sent once per
 * recipient with the same raw message (same Message-ID). If a later recipient fails, the error is retryable only
 * when Cloudflare's is, and a retry re-sends to all: receivers deduplicate by Message-ID.
 */
import type { OutgoingEmail } from './message.js';
import { buildMime } from './mime.js';
import { EmailDeliveryError, ensureSendable, type EmailTransport, type SendResult } from './transport.js';

/** The `EmailMessage` constructor of `cloudflare:email` (or a stand-in with the same shape). */
export type EmailMessageConstructor<M = unknown> = new (from: string, to: string, raw: string) => M;

/** The `send_email` binding, structurally (so Node code needs no Workers types). */
export interface SendEmailBinding<M = unknown> {
  send(message: M): Promise<{ messageId?: string } | void | undefined | unknown>;
}

export interface CloudflareSendEmailOptions {
  /** Attachment limit in bytes (default 5 MiB minus room for base64: Email Service's cap on the whole message). */
  maxAttachmentBytes?: number;
}

/**
 * Email Service's 5 MiB limit is on the encoded message: base64 turns 3 bytes into 4 characters and adds CRLF
 * after every 76, so with 64 KiB kept for headers and text the attachments may have about 3.6 MiB.
 */
export const CLOUDFLARE_MAX_ATTACHMENT_BYTES = Math.floor((5 * 1024 * 1024 - 64 * 1024) * (3 / 4) * (76 / 78));

/** Error codes/messages from send_email that mean "later", not "never". */
const TRANSIENT = /rate.?limit|too many|timeout|timed out|temporar|unavailable|internal|try again|overloaded|network|connection/i;

/** Classify an error thrown by the binding: transient-looking errors (and unknown ones without a code) retry. */
export function cloudflareDeliveryError(err: unknown, recipient: string): EmailDeliveryError {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? ((err as { code: string }).code) : null;
  const text = err instanceof Error ? err.message : String(err);
  // Refusals Cloudflare names (unverified sender or destination, not allowed, invalid message) are permanent.
  const permanent = /not (verified|allowed)|unverified|invalid|could not parse|does not match|not permitted|forbidden/i.test(`${code ?? ''} ${text}`);
  const retryable = !permanent && (TRANSIENT.test(`${code ?? ''} ${text}`) || code === null);
  return new EmailDeliveryError(`send_email to ${recipient} failed (${retryable ? 'will retry' : 'permanent'}): ${text}`, {
    retryable,
    code: code ?? 'ESENDEMAIL',
    transport: 'cloudflare',
    cause: err,
  });
}

/** A transport over the `send_email` binding; `EmailMessage` is the constructor from `cloudflare:email`. */
export function cloudflareSendEmailTransport<M>(
  binding: SendEmailBinding<M>,
  EmailMessage: EmailMessageConstructor<M>,
  options: CloudflareSendEmailOptions = {},
): EmailTransport {
  const maxAttachmentBytes = options.maxAttachmentBytes ?? CLOUDFLARE_MAX_ATTACHMENT_BYTES;
  return {
    name: 'cloudflare',
    async send(message: OutgoingEmail): Promise<SendResult> {
      ensureSendable(message, 'cloudflare', { maxAttachmentBytes });
      const raw = buildMime(message);
      const recipients = [...new Set([...message.to, ...(message.cc ?? [])].map((a) => a.address))];
      let providerMessageId: string | null = null;
      for (const to of recipients) {
        let result: unknown;
        try {
          result = await binding.send(new EmailMessage(message.from.address, to, raw));
        } catch (err) {
          throw cloudflareDeliveryError(err, to);
        }
        const id = (result as { messageId?: unknown } | undefined)?.messageId;
        if (providerMessageId === null && typeof id === 'string') providerMessageId = id;
      }
      return { providerMessageId };
    },
  };
}
