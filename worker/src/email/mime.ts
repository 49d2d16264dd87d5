/**
 * A small MIME builder (RFC 5322 message format, RFC 2045/2046 MIME, RFC 2047 encoded-words, RFC 2231 parameter
 * values) for the transports that need the raw message, such as Cloudflare's send_email. Web standards only
 * (TextEncoder/TextDecoder, crypto.getRandomValues; no Node Buffer), so it runs in workerd as it does on Node.
 *
 * The output is 7-bit ASCII with CRLF line endings:
 * - text/plain, optionally with text/html as a multipart/alternative, and attachments in multipart/mixed;
 * - every body part base64 encoded in lines of 76 characters;
 * - non-ASCII subjects, header values and display names as UTF-8 "B" encoded-words, non-ASCII file names as
 *   RFC 2231 `filename*=utf-8''…` (split into numbered sections when long);
 * - header lines folded to 78 characters where the value allows it (never longer than 998).
 */
import { bareMessageId, type EmailAddress, type EmailAttachment, type OutgoingEmail } from './message.js';

const CRLF = '\r\n';
const LINE = 78;
const utf8 = new TextEncoder();

const B64 = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
const ascii = new TextDecoder();

/**
 * Standard base64 of `bytes`, with CRLF after every `lineLength` characters when given (a multiple of 4).
 * A table encoder writing ASCII codes into one buffer: building a binary string for btoa with
 * String.fromCharCode takes over a second for a few MB, this a few milliseconds.
 */
function base64(bytes: Uint8Array, lineLength = 0): string {
  const n = bytes.length;
  const chars = Math.ceil(n / 3) * 4;
  const breaks = lineLength > 0 && chars > 0 ? Math.ceil(chars / lineLength) - 1 : 0;
  const out = new Uint8Array(chars + 2 * breaks);
  let o = 0;
  let column = 0;
  for (let i = 0; i < n; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < n ? bytes[i + 1]! : 0;
    const b2 = i + 2 < n ? bytes[i + 2]! : 0;
    out[o++] = B64[b0 >> 2]!;
    out[o++] = B64[((b0 & 0x03) << 4) | (b1 >> 4)]!;
    out[o++] = i + 1 < n ? B64[((b1 & 0x0f) << 2) | (b2 >> 6)]! : 0x3d; // '='
    out[o++] = i + 2 < n ? B64[b2 & 0x3f]! : 0x3d;
    column += 4;
    if (column === lineLength && o < out.length) {
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      column = 0;
    }
  }
  return ascii.decode(out);
}

/** Standard base64 of `bytes` in one line (no line breaks). */
export function base64Encode(bytes: Uint8Array): string {
  return base64(bytes);
}

/** Base64 of `bytes` in lines of 76 characters joined by CRLF (RFC 2045 §6.8), without a final line break. */
export function base64Lines(bytes: Uint8Array): string {
  return base64(bytes, 76);
}

const isPrintableAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/**
 * `text` as UTF-8 "B" encoded-words (RFC 2047), each holding at most `maxBytes` bytes of UTF-8 and never
 * splitting a character, joined by folding whitespace (CRLF SP), which decoders drop between adjacent
 * encoded-words. The default 39 bytes make 52 base64 characters, 64 with the `=?UTF-8?B?…?=` wrapper, so
 * `Subject: ` and a word fit in 78 characters (RFC 2047 allows up to 75 per word).
 */
export function encodeWords(text: string, maxBytes = 39): string {
  const words: string[] = [];
  let current: number[] = [];
  const flush = () => {
    if (current.length) words.push(`=?UTF-8?B?${base64Encode(Uint8Array.from(current))}?=`);
    current = [];
  };
  for (const ch of text) {
    const bytes = utf8.encode(ch);
    if (current.length + bytes.length > maxBytes) flush();
    current.push(...bytes);
  }
  flush();
  return words.join(`${CRLF} `);
}

/** Fold an ASCII header value at spaces so lines stay within 78 characters where possible (`used` = chars before it). */
function foldAscii(value: string, used: number): string {
  const words = value.split(' ');
  let out = words[0] ?? '';
  let lineLength = used + out.length;
  for (const word of words.slice(1)) {
    if (lineLength + 1 + word.length > LINE && lineLength > 1) {
      out += `${CRLF} ${word}`;
      lineLength = 1 + word.length;
    } else {
      out += ` ${word}`;
      lineLength += 1 + word.length;
    }
  }
  return out;
}

/** An unstructured header value (Subject, custom headers): folded ASCII, or encoded-words when not plain ASCII. */
export function encodeUnstructured(value: string, used = 0): string {
  // "=?" would be read as the start of an encoded-word by a decoder, so such values are encoded too.
  if (isPrintableAscii(value) && !value.includes('=?')) return foldAscii(value, used);
  return encodeWords(value);
}

/** A display name as an RFC 5322 phrase: a quoted string when ASCII, else encoded-words. */
function encodePhrase(name: string): string {
  if (isPrintableAscii(name) && !name.includes('=?')) return `"${name.replace(/[\\"]/g, '\\$&')}"`;
  return encodeWords(name);
}

/** Length of the last line of a (possibly folded) header value, counting `used` characters before it. */
const lastLineLength = (text: string, used: number) => {
  const i = text.lastIndexOf(CRLF);
  return i < 0 ? used + text.length : text.length - i - CRLF.length;
};

/**
 * `"Name" <address>` (or the bare address without a name) for an address header, with the address on a folded
 * line when it would not fit on the name's last line; `used` = characters already on the line.
 */
export function formatMailbox(mailbox: EmailAddress, used = 0): string {
  if (!mailbox.name) return mailbox.address;
  const phrase = encodePhrase(mailbox.name);
  const angle = `<${mailbox.address}>`;
  const fits = lastLineLength(phrase, used) + 1 + angle.length + 1 <= LINE; // + 1 for a following comma
  return `${phrase}${fits ? ' ' : `${CRLF} `}${angle}`;
}

/** An address list, one mailbox per folded line. */
function formatAddressList(list: EmailAddress[], used: number): string {
  return list.map((m, i) => formatMailbox(m, i === 0 ? used : 1)).join(`,${CRLF} `);
}

/** RFC 2231 attr-char: what may stand unescaped in an extended parameter value. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

/**
 * A MIME parameter (`filename`, `name`): a quoted string when ASCII, else RFC 2231 `name*=utf-8''…`, split into
 * numbered sections (`name*0*=…; name*1*=…`) so each line stays short. Returned with its leading `;`.
 */
export function encodeParameter(name: string, value: string): string {
  if (isPrintableAscii(value)) return `;${CRLF} ${name}="${value.replace(/[\\"]/g, '\\$&')}"`;
  const escaped: string[] = [];
  for (const byte of utf8.encode(value)) {
    const ch = String.fromCharCode(byte);
    escaped.push(byte < 0x80 && ATTR_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  const full = `utf-8''${escaped.join('')}`;
  if (full.length + name.length + 3 <= LINE - 1) return `;${CRLF} ${name}*=${full}`;
  // Sections of at most ~60 characters, never splitting a %XX escape.
  const sections: string[] = [];
  let current = "utf-8''";
  for (const token of escaped) {
    if (current.length + token.length > 60) {
      sections.push(current);
      current = '';
    }
    current += token;
  }
  sections.push(current);
  return sections.map((s, i) => `;${CRLF} ${name}*${i}*=${s}`).join('');
}

/** RFC 5322 date-time in UTC: `Tue, 01 Sep 2026 10:00:00 +0000`. */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Lines of text in canonical form: every line break CRLF (RFC 2046 §4.1.1). */
function canonicalText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, CRLF);
}

type Header = [name: string, value: string];
interface Entity {
  headers: Header[];
  body: string;
}

const renderHeaders = (headers: Header[]) => headers.map(([n, v]) => `${n}: ${v}`).join(CRLF);
const renderEntity = (e: Entity) => `${renderHeaders(e.headers)}${CRLF}${CRLF}${e.body}`;

function textPart(subtype: 'plain' | 'html', text: string): Entity {
  return {
    headers: [
      ['Content-Type', `text/${subtype}; charset=utf-8`],
      ['Content-Transfer-Encoding', 'base64'],
    ],
    body: base64Lines(utf8.encode(canonicalText(text))),
  };
}

function attachmentPart(a: EmailAttachment): Entity {
  return {
    headers: [
      ['Content-Type', `${a.contentType}${encodeParameter('name', a.filename)}`],
      ['Content-Transfer-Encoding', 'base64'],
      ['Content-Disposition', `attachment${encodeParameter('filename', a.filename)}`],
    ],
    body: base64Lines(a.content),
  };
}

/**
 * A random boundary. "=_" cannot occur in base64 (nor in quoted-printable), so no body line can ever look like
 * a boundary; it has to be quoted in the Content-Type parameter, which `multipart` does.
 */
function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `=_exd_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function multipart(subtype: 'mixed' | 'alternative', parts: Entity[], boundary: string): Entity {
  const body = parts.map((p) => `--${boundary}${CRLF}${renderEntity(p)}${CRLF}`).join('') + `--${boundary}--`;
  return { headers: [['Content-Type', `multipart/${subtype};${CRLF} boundary="${boundary}"`]], body };
}

export interface BuildMimeOptions {
  /** The Date header (default: now). */
  date?: Date;
  /** Boundary generator (default: random); the test of the builder pins it. */
  boundary?: () => string;
}

/**
 * The raw RFC 5322 message for `message` (headers, a blank line, the body), CRLF line endings, ASCII only.
 * Expects a message that passed `validateEmail` (no line breaks in header values, valid addresses). There is
 * no Bcc header: the transports put Bcc recipients (none today) only in the envelope.
 */
export function buildMime(message: OutgoingEmail, opts: BuildMimeOptions = {}): string {
  const boundary = opts.boundary ?? randomBoundary;
  const headers: Header[] = [
    ['From', formatMailbox(message.from, 'From: '.length)],
    ['To', formatAddressList(message.to, 'To: '.length)],
  ];
  if (message.cc?.length) headers.push(['Cc', formatAddressList(message.cc, 'Cc: '.length)]);
  if (message.replyTo) headers.push(['Reply-To', formatMailbox(message.replyTo, 'Reply-To: '.length)]);
  headers.push(['Subject', encodeUnstructured(message.subject, 'Subject: '.length)]);
  headers.push(['Date', formatDate(opts.date ?? new Date())]);
  headers.push(['Message-ID', `<${bareMessageId(message.messageId)}>`]);
  for (const [name, value] of Object.entries(message.headers ?? {})) headers.push([name, encodeUnstructured(value, name.length + 2)]);
  headers.push(['MIME-Version', '1.0']);

  let body = textPart('plain', message.text);
  if (message.html !== undefined) body = multipart('alternative', [body, textPart('html', message.html)], boundary());
  if (message.attachments.length > 0) body = multipart('mixed', [body, ...message.attachments.map(attachmentPart)], boundary());

  return `${renderEntity({ headers: [...headers, ...body.headers], body: body.body })}${CRLF}`;
}
