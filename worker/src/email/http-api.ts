/**
 * Transport for a generic HTTP e-mail API (a provider's "send" endpoint, or a small relay in front of one):
 * `POST <url>` with `Authorization: Bearer <token>` and a JSON body
 *
 * ```json
 * { "from": {"name": "…", "address": "…"}, "to": [{…}], "cc": [{…}], "replyTo": {…},
 *   "subject": "…", "text": "…", "html": "…",
 *   "attachments": [{ "filename": "…", "contentType": "…", "content": "<base64>" }],
 *   "headers": { "Message-ID": "<id@domain>", …custom headers } }
 * ```
 *
 * The message id also goes as the `Idempotency-Key` request header, which many providers honour, so a retried
 * request does not send twice. A 2xx answer is success; its JSON `id` / `messageId` (when present) becomes the
 * provider message id. 408, 429 and 5xx answers, network errors and timeouts are retryable (a 429's Retry-After
 * is passed on); any other status is permanent.
 *
 * Web standards only (fetch, AbortSignal): works on Node and on Workers.
 */
import { messageIdHeader, type EmailAddress, type OutgoingEmail } from './message.js';
import { base64Encode } from './mime.js';
import { EmailDeliveryError, ensureSendable, isRetryableHttpStatus, type EmailTransport, type SendResult } from './transport.js';

export interface HttpApiOptions {
  /** The endpoint that accepts the JSON message, e.g. `https://mail-relay.example/send`. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Time allowed for the whole request (default 30 s). */
  timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The JSON body the transport posts. */
export interface HttpApiMessage {
  from: EmailAddress;
  to: EmailAddress[];
  cc?: EmailAddress[];
  replyTo?: EmailAddress;
  subject: string;
  text: string;
  html?: string;
  attachments: { filename: string; contentType: string; content: string }[];
  headers: Record<string, string>;
}

/** The request body for `message`. */
export function httpApiBody(message: OutgoingEmail): HttpApiMessage {
  return {
    from: message.from,
    to: message.to,
    ...(message.cc?.length ? { cc: message.cc } : {}),
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: base64Encode(a.content) })),
    headers: { ...message.headers, 'Message-ID': messageIdHeader(message.messageId) },
  };
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The provider's message id from a success body: `id`, `messageId`, `message_id` or `MessageID`. */
function providerId(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  const id = b.id ?? b.messageId ?? b.message_id ?? b.MessageID;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/** An HTTP API transport for `options`. */
export function httpApiTransport(options: HttpApiOptions): EmailTransport {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const endpoint = new URL(options.url); // throws early on a malformed URL
  const where = `${endpoint.origin}${endpoint.pathname}`;

  return {
    name: 'http',
    async send(message: OutgoingEmail): Promise<SendResult> {
      ensureSendable(message, 'http');
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${options.token}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'Idempotency-Key': message.messageId,
          },
          body: JSON.stringify(httpApiBody(message)),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
        throw new EmailDeliveryError(
          timedOut ? `E-mail API ${where} did not answer within ${timeoutMs} ms` : `E-mail API ${where} could not be reached: ${err instanceof Error ? err.message : String(err)}`,
          { retryable: true, code: timedOut ? 'ETIMEDOUT' : 'ENETWORK', transport: 'http', cause: err },
        );
      }
      const text = await response.text().catch(() => '');
      if (!response.ok) {
        const retryable = isRetryableHttpStatus(response.status);
        const snippet = text.length > 300 ? `${text.slice(0, 300)}…` : text;
        throw new EmailDeliveryError(`E-mail API ${where} answered ${response.status}${snippet ? `: ${snippet}` : ''}`, {
          retryable,
          code: `HTTP_${response.status}`,
          status: response.status,
          transport: 'http',
          retryAfterSeconds: retryable ? retryAfterSeconds(response.headers.get('retry-after')) : null,
        });
      }
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // A 2xx with a body that is not JSON still means the message was accepted.
      }
      return { providerMessageId: providerId(body) };
    },
  };
}
