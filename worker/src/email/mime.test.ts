import { simpleParser, type AddressObject } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { validateEmail, type OutgoingEmail } from './message.js';
import { base64Encode, base64Lines, buildMime, encodeParameter, encodeUnstructured, encodeWords, formatDate } from './mime.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Every byte value, twice, plus a tail that is not a multiple of 3: catches any text/binary mangling. */
const allBytes = new Uint8Array(515).map((_, i) => (i * 7 + 3) % 256);
const docxLike = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...allBytes]);

/** Decode RFC 2047 "B" words, dropping the folding between adjacent ones (mailparser leaves custom headers as they are). */
const decodeWords = (v: string) =>
  v
    .replace(/\?=\r\n =\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value);

function sample(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    messageId: '0f9d7c1e-3b7e-4b8e-9d0a-7f1c2b3a4d5e@kaveri-knits.example',
    from: { name: 'Kaveri Knits Exports – Tiruppur', address: 'orders@kaveri-knits.example' },
    replyTo: { name: 'Desk, "Exports"', address: 'desk@kaveri-knits.example' },
    to: [
      { name: 'Jürgen Müller', address: 'j.mueller@hanse-textil.example' },
      { address: 'einkauf@hanse-textil.example' },
    ],
    cc: [{ name: 'Ünal & Søn', address: 'docs@hanse-textil.example' }],
    subject: 'Zoll – Ümlaut ₹',
    text: 'Guten Tag,\nIhre Bestellung über 28.500,00 € ist verschifft.\r\nZeile 3 — ₹ 👍\n',
    html: '<p>Guten Tag, <b>Ihre Bestellung</b> über 28.500,00 € ist verschifft. 👍</p>',
    attachments: [
      { filename: 'Rechnung KK-2026-0200 – Zoll.docx', contentType: DOCX, content: docxLike },
      { filename: 'packing-list.pdf', contentType: 'application/pdf', content: new Uint8Array(0) },
    ],
    headers: { 'X-ExportDesk-Order': 'ord_01J9 – Hamburg' },
    ...overrides,
  };
}

describe('buildMime, parsed back with mailparser', () => {
  it('round-trips subject, addresses, text, html, custom headers and attachment bytes exactly', async () => {
    const message = sample();
    expect(validateEmail(message)).toEqual([]);
    const raw = buildMime(message, { date: new Date('2026-09-01T10:00:00Z') });
    const mail = await simpleParser(raw);

    expect(mail.subject).toBe('Zoll – Ümlaut ₹');
    expect(mail.messageId).toBe('<0f9d7c1e-3b7e-4b8e-9d0a-7f1c2b3a4d5e@kaveri-knits.example>');
    expect(mail.date?.toISOString()).toBe('2026-09-01T10:00:00.000Z');
    expect(addresses(mail.from)).toEqual([{ name: 'Kaveri Knits Exports – Tiruppur', address: 'orders@kaveri-knits.example' }]);
    expect(addresses(mail.to)).toEqual([
      { name: 'Jürgen Müller', address: 'j.mueller@hanse-textil.example' },
      { name: '', address: 'einkauf@hanse-textil.example' },
    ]);
    expect(addresses(mail.cc)).toEqual([{ name: 'Ünal & Søn', address: 'docs@hanse-textil.example' }]);
    expect(addresses(mail.replyTo)).toEqual([{ name: 'Desk, "Exports"', address: 'desk@kaveri-knits.example' }]);
    const custom = mail.headerLines.find((h) => h.key === 'x-exportdesk-order')!.line.replace(/^X-ExportDesk-Order:\s*/, '');
    expect(decodeWords(custom)).toBe('ord_01J9 – Hamburg');
    expect(mail.headers.get('mime-version')).toBe('1.0');

    // Line breaks come back as \n whatever they were; the characters are untouched.
    expect(mail.text).toBe('Guten Tag,\nIhre Bestellung über 28.500,00 € ist verschifft.\nZeile 3 — ₹ 👍\n');
    expect(mail.html).toBe(message.html);

    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.contentDisposition])).toEqual([
      ['Rechnung KK-2026-0200 – Zoll.docx', DOCX, 'attachment'],
      ['packing-list.pdf', 'application/pdf', 'attachment'],
    ]);
    expect(new Uint8Array(mail.attachments[0]!.content)).toEqual(docxLike);
    expect(mail.attachments[1]!.content.length).toBe(0);
  });

  it('builds a single text/plain entity when there is no html and no attachment', async () => {
    const raw = buildMime(sample({ html: undefined, attachments: [], cc: undefined, replyTo: undefined, headers: undefined }));
    expect(raw).not.toContain('multipart/');
    expect(raw).toMatch(/\r\nContent-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n/);
    const mail = await simpleParser(raw);
    expect(mail.text).toContain('Zeile 3 — ₹ 👍');
    expect(mail.html).toBe(false);
    expect(mail.attachments).toEqual([]);
    expect(mail.cc).toBeUndefined();
  });

  it('nests text and html in multipart/alternative inside multipart/mixed', () => {
    let n = 0;
    const raw = buildMime(sample(), { boundary: () => `=_b${++n}` });
    const structure = raw.split('\r\n').filter((l) => l.startsWith('Content-Type:') || l.startsWith(' boundary=') || l.startsWith('--=_b'));
    expect(structure).toEqual([
      'Content-Type: multipart/mixed;',
      ' boundary="=_b2"',
      '--=_b2',
      'Content-Type: multipart/alternative;',
      ' boundary="=_b1"',
      '--=_b1',
      'Content-Type: text/plain; charset=utf-8',
      '--=_b1',
      'Content-Type: text/html; charset=utf-8',
      '--=_b1--',
      '--=_b2',
      `Content-Type: ${DOCX};`,
      '--=_b2',
      'Content-Type: application/pdf;',
      '--=_b2--',
    ]);
  });

  it('is 7-bit ASCII with CRLF line endings only, base64 lines of 76 characters, headers folded', () => {
    const big = new Uint8Array(10_000).map((_, i) => (i * 31) % 256);
    const raw = buildMime(sample({ subject: 'Zoll – Ümlaut ₹ '.repeat(8), attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', content: big }] }));
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(raw.endsWith('\r\n')).toBe(true);
    const lines = raw.split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
    const [head] = raw.split('\r\n\r\n');
    // Every top-level header line fits in 78 characters (encoded names, folded address lists and subject).
    expect(head!.split('\r\n').filter((l) => l.length > 78)).toEqual([]);
    const b64 = /^[A-Za-z0-9+/]+={0,2}$/;
    const bodyLines = lines.filter((l) => b64.test(l) && l.length > 40);
    expect(bodyLines.length).toBeGreaterThan(100);
    // Full lines are exactly 76 characters; only the last line of each part may be shorter.
    expect(bodyLines.filter((l) => l.length !== 76).length).toBeLessThanOrEqual(4);
    expect(Math.max(...bodyLines.map((l) => l.length))).toBe(76);
  });

  it('uses only Web APIs: builds the same message with Buffer removed from the global scope', async () => {
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    let raw: string;
    try {
      delete g.Buffer;
      expect(typeof (globalThis as { Buffer?: unknown }).Buffer).toBe('undefined');
      raw = buildMime(sample(), { date: new Date('2026-09-01T10:00:00Z'), boundary: () => '=_fixed' });
    } finally {
      g.Buffer = saved;
    }
    const mail = await simpleParser(raw);
    expect(new Uint8Array(mail.attachments[0]!.content)).toEqual(docxLike);
  });
});

describe('MIME encoders', () => {
  it('base64 matches Node for every length around the chunk size', () => {
    for (const n of [0, 1, 2, 3, 4, 57, 58, 24_569, 24_570, 24_571, 50_000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 13 + n) % 256);
      expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    expect(base64Lines(new Uint8Array(57 * 2 + 1)).split('\r\n').map((l) => l.length)).toEqual([76, 76, 4]);
  });

  it('encoded-words never split a character and stay within 75 characters', async () => {
    const subject = '₹'.repeat(40) + ' 👍 '.repeat(20) + 'Ü';
    const encoded = encodeWords(subject);
    const words = encoded.split('\r\n ');
    expect(words.length).toBeGreaterThan(3);
    for (const w of words) {
      expect(w).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(w.length).toBeLessThanOrEqual(75);
      // each word decodes on its own to valid UTF-8
      const bytes = Uint8Array.from(atob(w.slice(10, -2)), (c) => c.charCodeAt(0));
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    }
    const mail = await simpleParser(`Subject: ${encoded}\r\n\r\nx`);
    expect(mail.subject).toBe(subject);
  });

  it('leaves plain ASCII readable (folded), but encodes values that look like encoded-words', async () => {
    const long = 'Order KK-2026-0200 shipped from Nhava Sheva to Hamburg on the MSC Aurora, voyage 042E, container MSCU1234567';
    const folded = encodeUnstructured(long, 'Subject: '.length);
    expect(folded).not.toContain('=?');
    expect(`Subject: ${folded}`.split('\r\n').every((l) => l.length <= 78)).toBe(true);
    expect((await simpleParser(`Subject: ${folded}\r\n\r\nx`)).subject).toBe(long);

    const tricky = 'Price =?UTF-8?B?w7w=?= literal';
    const encoded = encodeUnstructured(tricky);
    expect(encoded.startsWith('=?UTF-8?B?')).toBe(true);
    expect((await simpleParser(`Subject: ${encoded}\r\n\r\nx`)).subject).toBe(tricky);
  });

  it('encodes long non-ASCII file names as RFC 2231 sections that decoders join', async () => {
    const filename = 'Ursprungszeugnis – Präferenznachweis für Sendung KK-2026-0200 nach Hamburg (₹ Rechnung).pdf';
    const param = encodeParameter('filename', filename);
    expect(param).toMatch(/^;\r\n filename\*0\*=utf-8''/);
    expect(param).toContain('filename*1*=');
    const raw = `Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment${param}\r\n\r\nJVBERg==\r\n--b--\r\n`;
    const mail = await simpleParser(raw);
    expect(mail.attachments[0]?.filename).toBe(filename);
  });

  it('formats dates as RFC 5322 with a numeric zone', () => {
    expect(formatDate(new Date('2026-02-03T04:05:06Z'))).toBe('Tue, 03 Feb 2026 04:05:06 +0000');
  });
});
