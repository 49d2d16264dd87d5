/**
 * An e-mail as the application hands it to a transport (SMTP, an HTTP e-mail API, Cloudflare's send_email),
 * and the checks every transport runs before sending it. Web-standard code only: used on Node and on Workers.
 *
 * `messageId` is the idempotency key of a delivery: every transport sends it as the Message-ID header (and the
 * HTTP API transport also as Idempotency-Key), so when a send is retried after an ambiguous failure (a timeout
 * after the message was handed over) the receiver or the provider can drop the duplicate.
 */

/** A mailbox: `address` is a plain `local@domain`; `name` is the display name (any Unicode). */
export interface EmailAddress {
  name?: string;
  address: string;
}

/** A file attached to the message. `content` is the exact bytes the recipient gets. */
export interface EmailAttachment {
  filename: string;
  /** A MIME type such as `application/vnd.openxmlformats-officedocument.wordprocessingml.document`. */
  contentType: string;
  content: Uint8Array;
}

/** A transport-neutral outgoing e-mail. */
export interface OutgoingEmail {
  /**
   * Globally unique id of this message, `local@domain` (angle brackets optional; see `newMessageId`). Sent as the
   * Message-ID header, so a retried send of the same message carries the same id and can be deduplicated.
   */
  messageId: string;
  from: EmailAddress;
  replyTo?: EmailAddress;
  to: EmailAddress[];
  cc?: EmailAddress[];
  subject: string;
  text: string;
  html?: string;
  attachments: EmailAttachment[];
  /** Extra headers (e.g. `X-ExportDesk-Order`). May not repeat the headers the transports set themselves. */
  headers?: Record<string, string>;
}

/** Default limit on the attachments' combined size (raw bytes; base64 makes the message about a third larger). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Recipients (to + cc) per message; 50 is also Cloudflare's and most HTTP APIs' limit. */
export const MAX_RECIPIENTS = 50;
/** RFC 5322 allows 998 characters per header line; Cloudflare caps subjects at that too. */
export const MAX_SUBJECT_LENGTH = 998;

/** Headers the transports write themselves, refused in `OutgoingEmail.headers`. */
const RESERVED_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'reply-to', 'sender', 'subject', 'date', 'message-id', 'mime-version',
  'content-type', 'content-transfer-encoding', 'content-disposition', 'received', 'return-path',
]);

/** A message that failed `validateEmail`: `problems` lists every problem found, one sentence each. */
export class InvalidEmailError extends Error {
  override readonly name = 'InvalidEmailError';
  constructor(readonly problems: string[]) {
    super(`Invalid e-mail: ${problems.join('; ')}`);
  }
}

// dot-atom local part (RFC 5322 atext) and an ASCII host name with at least one dot (no IP literals, no IDN:
// punycode them first). Quoted local parts are not accepted: no buyer address needs them.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*$`);
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Whether `address` is a plain `local@domain.tld` mailbox we can put in an envelope and a header as is. */
export function isValidAddress(address: string): boolean {
  if (typeof address !== 'string' || address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return local.length <= 64 && LOCAL.test(local) && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && !/^[0-9]+$/.test(labels.at(-1)!);
}

/** RFC 5322 msg-id without brackets: dot-atom-text "@" dot-atom-text (no spaces, quotes, brackets or comments). */
const MESSAGE_ID = new RegExp(`^${ATEXT}(?:\\.${ATEXT})*@${ATEXT}(?:\\.${ATEXT})*$`);

/** The message id without angle brackets (`<a@b>` → `a@b`). */
export function bareMessageId(messageId: string): string {
  return messageId.startsWith('<') && messageId.endsWith('>') ? messageId.slice(1, -1) : messageId;
}

/** The Message-ID header value: the id in angle brackets. */
export function messageIdHeader(messageId: string): string {
  return `<${bareMessageId(messageId)}>`;
}

/** A new globally unique message id `<uuid>@<domain>` (bare, without angle brackets); `domain` is the sender's. */
export function newMessageId(domain: string): string {
  return `${crypto.randomUUID()}@${domain}`;
}

const CONTROL = /[\x00-\x1f\x7f]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MIME_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Combined size of the attachments in bytes. */
export function attachmentBytes(message: Pick<OutgoingEmail, 'attachments'>): number {
  return message.attachments.reduce((sum, a) => sum + (a.content?.byteLength ?? 0), 0);
}

/** 20 MB, 1.5 MB, 300 KB, 12 bytes. */
const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;

/** Every problem of `message` (empty when it can be sent). */
export function validateEmail(message: OutgoingEmail, opts: { maxAttachmentBytes?: number } = {}): string[] {
  const problems: string[] = [];
  const maxBytes = opts.maxAttachmentBytes ?? MAX_ATTACHMENT_BYTES;
  const mailbox = (field: string, a: EmailAddress | undefined) => {
    if (!a || typeof a.address !== 'string') return problems.push(`${field}: an address is required`);
    if (!isValidAddress(a.address)) problems.push(`${field}: "${a.address}" is not a valid e-mail address (expected local@domain.tld, ASCII)`);
    if (a.name !== undefined && (typeof a.name !== 'string' || CONTROL.test(a.name))) problems.push(`${field}: the display name may not contain line breaks or control characters`);
  };

  if (typeof message.messageId !== 'string' || !MESSAGE_ID.test(bareMessageId(message.messageId)))
    problems.push(`messageId: "${message.messageId}" is not a valid message id (expected local@domain without spaces, e.g. from newMessageId())`);
  mailbox('from', message.from);
  if (message.replyTo) mailbox('replyTo', message.replyTo);
  if (!Array.isArray(message.to) || message.to.length === 0) problems.push('to: at least one recipient is required');
  else message.to.forEach((a, i) => mailbox(`to[${i}]`, a));
  (message.cc ?? []).forEach((a, i) => mailbox(`cc[${i}]`, a));
  const recipients = (message.to?.length ?? 0) + (message.cc?.length ?? 0);
  if (recipients > MAX_RECIPIENTS) problems.push(`to + cc: ${recipients} recipients, at most ${MAX_RECIPIENTS} are allowed`);

  if (typeof message.subject !== 'string' || message.subject.trim() === '') problems.push('subject: required');
  else {
    if (CONTROL.test(message.subject)) problems.push('subject: may not contain line breaks or control characters');
    if (message.subject.length > MAX_SUBJECT_LENGTH) problems.push(`subject: ${message.subject.length} characters, at most ${MAX_SUBJECT_LENGTH}`);
  }
  if (typeof message.text !== 'string') problems.push('text: a plain-text body is required');
  if (message.html !== undefined && typeof message.html !== 'string') problems.push('html: must be a string');

  if (!Array.isArray(message.attachments)) problems.push('attachments: must be an array (empty for none)');
  else {
    message.attachments.forEach((a, i) => {
      const f = `attachments[${i}]`;
      if (typeof a.filename !== 'string' || a.filename.trim() === '') problems.push(`${f}.filename: required`);
      else if (CONTROL.test(a.filename) || /[\\/]/.test(a.filename)) problems.push(`${f}.filename: "${a.filename}" may not contain slashes, line breaks or control characters`);
      if (typeof a.contentType !== 'string' || !MIME_TYPE.test(a.contentType)) problems.push(`${f}.contentType: "${a.contentType}" is not a MIME type like application/pdf`);
      if (!(a.content instanceof Uint8Array)) problems.push(`${f}.content: must be a Uint8Array`);
    });
    const total = attachmentBytes({ attachments: message.attachments.filter((a) => a.content instanceof Uint8Array) });
    if (total > maxBytes) problems.push(`attachments: ${size(total)} in total (${total} bytes), over the limit of ${size(maxBytes)} (${maxBytes} bytes)`);
  }

  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name)) problems.push(`headers: "${name}" is not a valid header name`);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) problems.push(`headers: "${name}" is set by the transport and may not be given`);
    if (typeof value !== 'string' || CONTROL.test(value)) problems.push(`headers: the value of "${name}" may not contain line breaks or control characters`);
  }
  return problems;
}

/** Throws an `InvalidEmailError` listing every problem of `message`. */
export function assertValidEmail(message: OutgoingEmail, opts: { maxAttachmentBytes?: number } = {}): void {
  const problems = validateEmail(message, opts);
  if (problems.length > 0) throw new InvalidEmailError(problems);
}
