/**
 * What every e-mail transport implements, and the one error they all throw. The outbox that calls `send` decides
 * from `EmailDeliveryError.retryable` whether to try again later (with backoff) or give up on the message:
 *
 * - retryable: the receiving side said "not now" (SMTP 4xx, HTTP 408/429/5xx) or we never got an answer
 *   (connection refused or dropped, timeout). The message may or may not have been delivered; the retry carries
 *   the same Message-ID, so the receiver can drop a duplicate.
 * - permanent: the receiving side refused this message for good (SMTP 5xx such as 550 unknown mailbox, HTTP
 *   400/401/403/422), or the message itself is invalid. Sending it again would fail again.
 */
import { assertValidEmail, InvalidEmailError, type OutgoingEmail } from './message.js';

/** What a successful send reports. */
export interface SendResult {
  /** The id the provider gave the message (SMTP queue id, API message id), when it gave one. */
  providerMessageId: string | null;
  /** Recipients the server refused while accepting the message for the others (SMTP only; absent when none). */
  rejectedRecipients?: string[];
}

/** Sends an `OutgoingEmail`; throws `EmailDeliveryError` on failure. */
export interface EmailTransport {
  /** Which transport this is (`smtp`, `http`, `cloudflare`), for logs and the outbox's records. */
  readonly name: string;
  send(message: OutgoingEmail): Promise<SendResult>;
}

export interface EmailDeliveryErrorDetails {
  /** Whether sending the same message again later may succeed. */
  retryable: boolean;
  /** Machine-readable reason: a Node/nodemailer error code (`ECONNECTION`, `EENVELOPE`), `HTTP_503`, `EINVALID`… */
  code: string;
  /** The SMTP reply code or HTTP status that caused the failure, when there was one. */
  status?: number | null;
  /** The transport that failed. */
  transport: string;
  /** Seconds the provider asked us to wait (HTTP Retry-After), when it said. */
  retryAfterSeconds?: number | null;
  cause?: unknown;
}

/** A failed delivery, classified for the outbox: retry later (`retryable`) or give up. */
export class EmailDeliveryError extends Error {
  override readonly name = 'EmailDeliveryError';
  readonly retryable: boolean;
  readonly code: string;
  readonly status: number | null;
  readonly transport: string;
  readonly retryAfterSeconds: number | null;

  constructor(message: string, details: EmailDeliveryErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.retryable = details.retryable;
    this.code = details.code;
    this.status = details.status ?? null;
    this.transport = details.transport;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }
}

/**
 * SMTP reply codes: 4yz is a transient failure (retry), 5yz a permanent one (RFC 5321 §4.2.1), except 503 "bad
 * sequence of commands", which is about the session, not the message, so a new connection may well succeed.
 */
export function isRetryableSmtpReply(code: number): boolean {
  return (code >= 400 && code < 500) || code === 503;
}

/** HTTP statuses worth retrying: timeouts, rate limits and server errors. Other 4xx are the request's fault. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Validate `message` before handing it to `transport`: an invalid message is a permanent failure
 * (code `EINVALID`, the `InvalidEmailError` as cause), so the outbox does not retry it.
 */
export function ensureSendable(message: OutgoingEmail, transport: string, opts: { maxAttachmentBytes?: number } = {}): void {
  try {
    assertValidEmail(message, opts);
  } catch (e) {
    if (e instanceof InvalidEmailError) throw new EmailDeliveryError(e.message, { retryable: false, code: 'EINVALID', transport, cause: e });
    throw e;
  }
}
