import { describe, expect, it } from 'vitest';
import {
  assertValidEmail,
  bareMessageId,
  InvalidEmailError,
  isValidAddress,
  MAX_ATTACHMENT_BYTES,
  messageIdHeader,
  newMessageId,
  validateEmail,
  type OutgoingEmail,
} from './message.js';
import { EmailDeliveryError, ensureSendable, isRetryableHttpStatus, isRetryableSmtpReply } from './transport.js';

const valid = (): OutgoingEmail => ({
  messageId: 'abc-123@kaveri-knits.example',
  from: { address: 'orders@kaveri-knits.example' },
  to: [{ name: 'Hanse Textil', address: 'einkauf@hanse-textil.example' }],
  subject: 'Order shipped',
  text: 'Hello',
  attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: new Uint8Array([0x25, 0x50, 0x44, 0x46]) }],
});

describe('addresses', () => {
  it('accepts ordinary mailboxes', () => {
    for (const a of ['a@b.de', 'first.last+tag@sub.example.co.uk', "o'neil@example.com", 'x_y-z@a-b.example']) expect(isValidAddress(a), a).toBe(true);
  });
  it('refuses what cannot go into an envelope or a header unchanged', () => {
    for (const a of ['', 'plain', '@example.com', 'a@', 'a@localhost', 'a b@example.com', 'a@exa mple.com', 'a..b@example.com', '.a@example.com',
      'a@-example.com', 'a@example.123', 'Name <a@example.com>', 'a@example.com\r\nBcc: x@evil.example', 'jürgen@example.de', `${'x'.repeat(65)}@example.com`])
      expect(isValidAddress(a), JSON.stringify(a)).toBe(false);
  });
});

describe('message ids', () => {
  it('are unique, bare, and become <id> in the header', () => {
    const a = newMessageId('kaveri-knits.example');
    expect(a).toMatch(/^[0-9a-f-]{36}@kaveri-knits\.example$/);
    expect(newMessageId('kaveri-knits.example')).not.toBe(a);
    expect(messageIdHeader(a)).toBe(`<${a}>`);
    expect(messageIdHeader(`<${a}>`)).toBe(`<${a}>`);
    expect(bareMessageId(`<${a}>`)).toBe(a);
    expect(validateEmail({ ...valid(), messageId: `<${a}>` })).toEqual([]);
  });
  it('refuses ids without a domain or with spaces/brackets', () => {
    for (const id of ['', 'no-at-sign', 'a b@c.d', 'a@b>', '<a@b', 'a@b\r\nX: y'])
      expect(validateEmail({ ...valid(), messageId: id }).join(), id).toMatch(/^messageId:/);
  });
});

describe('validateEmail', () => {
  it('accepts a complete message', () => {
    expect(validateEmail(valid())).toEqual([]);
    expect(() => assertValidEmail(valid())).not.toThrow();
  });

  it('lists every problem, naming the field', () => {
    const problems = validateEmail({
      ...valid(),
      from: { address: 'nobody' },
      to: [],
      cc: [{ address: 'cc@example.com', name: 'Evil\r\nBcc: x@evil.example' }],
      subject: '  ',
      attachments: [{ filename: '../etc/passwd', contentType: 'pdf', content: 'text' as unknown as Uint8Array }],
      headers: { 'Message-ID': '<x@y>', 'Bad Name': 'v', 'X-Ok': 'line\nbreak' },
    });
    expect(problems).toEqual([
      'from: "nobody" is not a valid e-mail address (expected local@domain.tld, ASCII)',
      'to: at least one recipient is required',
      'cc[0]: the display name may not contain line breaks or control characters',
      'subject: required',
      'attachments[0].filename: "../etc/passwd" may not contain slashes, line breaks or control characters',
      'attachments[0].contentType: "pdf" is not a MIME type like application/pdf',
      'attachments[0].content: must be a Uint8Array',
      'headers: "Message-ID" is set by the transport and may not be given',
      'headers: "Bad Name" is not a valid header name',
      'headers: the value of "X-Ok" may not contain line breaks or control characters',
    ]);
  });

  it('refuses a subject with a line break (header injection)', () => {
    expect(validateEmail({ ...valid(), subject: 'Hi\r\nBcc: x@evil.example' })).toEqual(['subject: may not contain line breaks or control characters']);
  });

  it('limits the total attachment size (20 MB by default) with a clear message', () => {
    const half = new Uint8Array(MAX_ATTACHMENT_BYTES / 2);
    const at = (n: number) => ({ filename: `part${n}.bin`, contentType: 'application/octet-stream', content: half });
    expect(validateEmail({ ...valid(), attachments: [at(1), at(2)] })).toEqual([]);
    const over = validateEmail({ ...valid(), attachments: [at(1), at(2), { ...at(3), content: new Uint8Array(1) }] });
    expect(over).toEqual(['attachments: 20 MB in total (20971521 bytes), over the limit of 20 MB (20971520 bytes)']);
    expect(validateEmail(valid(), { maxAttachmentBytes: 3 })).toEqual(['attachments: 4 bytes in total (4 bytes), over the limit of 3 bytes (3 bytes)']);
    const err = (() => {
      try {
        assertValidEmail({ ...valid(), attachments: [at(1), at(2), at(3)] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidEmailError);
    expect((err as InvalidEmailError).problems).toEqual(['attachments: 30 MB in total (31457280 bytes), over the limit of 20 MB (20971520 bytes)']);
  });

  it('limits recipients to 50', () => {
    const to = Array.from({ length: 40 }, (_, i) => ({ address: `r${i}@example.com` }));
    const cc = Array.from({ length: 11 }, (_, i) => ({ address: `c${i}@example.com` }));
    expect(validateEmail({ ...valid(), to, cc })).toEqual(['to + cc: 51 recipients, at most 50 are allowed']);
  });
});

describe('retry classification', () => {
  it('SMTP: 4xx and 503 retry, other 5xx are permanent', () => {
    expect([421, 450, 451, 452, 503].map(isRetryableSmtpReply)).toEqual([true, true, true, true, true]);
    expect([500, 501, 535, 550, 552, 553, 554].map(isRetryableSmtpReply)).toEqual([false, false, false, false, false, false, false]);
  });
  it('HTTP: 408, 429 and 5xx retry, other 4xx are permanent', () => {
    expect([408, 429, 500, 502, 503, 504].map(isRetryableHttpStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 413, 422].map(isRetryableHttpStatus)).toEqual([false, false, false, false, false, false]);
  });
  it('an invalid message is a permanent EINVALID delivery error', () => {
    let caught: unknown;
    try {
      ensureSendable({ ...valid(), to: [] }, 'test');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EmailDeliveryError);
    expect(caught).toMatchObject({ retryable: false, code: 'EINVALID', status: null, transport: 'test' });
    expect((caught as Error).cause).toBeInstanceOf(InvalidEmailError);
    expect(() => ensureSendable(valid(), 'test')).not.toThrow();
  });
});
