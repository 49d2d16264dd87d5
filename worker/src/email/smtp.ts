/**
 * SMTP transport (Node only: nodemailer opens TCP/TLS sockets with node:net and node:tls). Never import this
 * from code that goes into the Workers bundle; config.ts takes it as a parameter and config-node.ts passes it.
 *
 * One connection per message (no pooling), so a failure affects only the message being sent and nothing is
 * left open between sends. The Message-ID header is `message.messageId`, so a retried message can be deduplicated.
 */
import nodemailer from 'nodemailer';
import { messageIdHeader, type OutgoingEmail } from './message.js';
import { EmailDeliveryError, ensureSendable, isRetryableSmtpReply, type EmailTransport, type SendResult } from './transport.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  /** Fail unless the connection can be upgraded with STARTTLS (no plain-text fallback). */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  /** Time to open the TCP connection (default 10 s). */
  connectionTimeoutMs?: number;
  /** Time to wait for the server's greeting (default 10 s). */
  greetingTimeoutMs?: number;
  /** Inactivity allowed on an open connection (default 60 s: attachments take a while to upload). */
  socketTimeoutMs?: number;
  /** Host name announced in EHLO (default: nodemailer's, the machine's name). */
  clientName?: string;
}

/** An `EmailTransport` over SMTP, plus `close()` to release the transporter. */
export interface SmtpTransport extends EmailTransport {
  close(): void;
}

/** Error codes without an SMTP reply that mean "we could not talk to the server": worth retrying. */
const CONNECTION_CODES = new Set([
  'ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);
/** Error codes without an SMTP reply that mean the message or the configuration is wrong: retrying won't help. */
const PERMANENT_CODES = new Set([
  'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'ENOAUTH', 'EAUTH', 'EMAXRECIPIENTS', 'EREQUIRETLS', 'EFILEACCESS', 'EURLACCESS',
]);

interface NodemailerErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/**
 * Classify a nodemailer error. An SMTP reply decides when there is one (4xx and 503 retryable, other 5xx
 * permanent); otherwise connection-level failures are retryable, message/configuration problems permanent, and
 * anything unrecognised retryable (the outbox bounds the attempts).
 */
export function smtpDeliveryError(err: unknown, transport = 'smtp'): EmailDeliveryError {
  if (err instanceof EmailDeliveryError) return err;
  const e = (err ?? {}) as NodemailerErrorLike;
  const reply = typeof e.responseCode === 'number' && e.responseCode >= 400 ? e.responseCode : null;
  const code = e.code ?? (reply ? `SMTP_${reply}` : 'EUNKNOWN');
  const retryable = reply !== null ? isRetryableSmtpReply(reply) : CONNECTION_CODES.has(code) || !PERMANENT_CODES.has(code);
  const what = reply ? `the server replied ${e.response ?? reply}${e.command ? ` to ${e.command}` : ''}` : (e.message ?? String(err));
  return new EmailDeliveryError(`SMTP delivery failed (${retryable ? 'will retry' : 'permanent'}): ${what}`, {
    retryable,
    code,
    status: reply,
    transport,
    cause: err,
  });
}

/** The provider's id from the final reply, e.g. `250 2.0.0 Ok: queued as 4C5D31A2B` → `4C5D31A2B`. */
export function queueIdFromResponse(response: string | undefined): string | null {
  const m = /queued as\s+<?([A-Za-z0-9._@-]+)>?/i.exec(response ?? '');
  return m?.[1] ?? null;
}

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const mailbox = (a: { name?: string; address: string }) => ({ name: a.name ?? '', address: a.address });

/** An SMTP transport for `options`. */
export function smtpTransport(options: SmtpOptions): SmtpTransport {
  const transporter = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTls ?? false,
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    ...(options.clientName ? { name: options.clientName } : {}),
    pool: false,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    logger: false,
  });

  return {
    name: 'smtp',
    async send(message: OutgoingEmail): Promise<SendResult> {
      ensureSendable(message, 'smtp');
      let info: { response?: string; rejected?: unknown[] };
      try {
        info = await transporter.sendMail({
          messageId: messageIdHeader(message.messageId),
          from: mailbox(message.from),
          to: message.to.map(mailbox),
          ...(message.cc?.length ? { cc: message.cc.map(mailbox) } : {}),
          ...(message.replyTo ? { replyTo: mailbox(message.replyTo) } : {}),
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: toBuffer(a.content) })),
          ...(message.headers ? { headers: { ...message.headers } } : {}),
          // Attachments are always bytes: never let a message make nodemailer read a file or fetch a URL.
          disableFileAccess: true,
          disableUrlAccess: true,
        });
      } catch (err) {
        throw smtpDeliveryError(err);
      }
      const rejected = (info.rejected ?? []).map((r) => (typeof r === 'string' ? r : (r as { address?: string }).address ?? String(r)));
      return { providerMessageId: queueIdFromResponse(info.response), ...(rejected.length ? { rejectedRecipients: rejected } : {}) };
    },
    close() {
      transporter.close();
    },
  };
}
