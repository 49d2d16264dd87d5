import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { CLOUDFLARE_MAX_ATTACHMENT_BYTES, cloudflareDeliveryError, cloudflareSendEmailTransport } from './cloudflare-send-email.js';
import type { OutgoingEmail } from './message.js';
import { EmailDeliveryError } from './transport.js';

/** Stand-in for `EmailMessage` from `cloudflare:email`: keeps what the real one keeps. */
class FakeEmailMessage {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly raw: string,
  ) {}
}

/** Stand-in binding: records every message; `fail` makes the next sends throw. */
function binding(fail: unknown[] = []) {
  const sent: FakeEmailMessage[] = [];
  return {
    sent,
    async send(m: FakeEmailMessage) {
      const err = fail.shift();
      if (err) throw err;
      sent.push(m);
      return { messageId: `cf-${sent.length}` };
    },
  };
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const docx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 300 }, (_, i) => (i * 37) % 256)]);

const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  messageId: '7a1c@kaveri-knits.example',
  from: { name: 'Kaveri Knits Exports', address: 'orders@kaveri-knits.example' },
  to: [{ name: 'Jürgen Müller', address: 'j.mueller@hanse-textil.example' }],
  subject: 'Zoll – Ümlaut ₹',
  text: 'Ihre Sendung ist unterwegs.',
  attachments: [{ filename: 'Rechnung – KK-2026-0200.docx', contentType: DOCX, content: docx }],
  ...overrides,
});

describe('cloudflareSendEmailTransport', () => {
  it('hands the binding an EmailMessage with the envelope and a raw MIME message that parses back exactly', async () => {
    const b = binding();
    const result = await cloudflareSendEmailTransport(b, FakeEmailMessage).send(email());
    expect(result).toEqual({ providerMessageId: 'cf-1' });
    expect(b.sent).toHaveLength(1);
    const [m] = b.sent;
    expect(m).toBeInstanceOf(FakeEmailMessage);
    expect([m!.from, m!.to]).toEqual(['orders@kaveri-knits.example', 'j.mueller@hanse-textil.example']);

    const mail = await simpleParser(m!.raw);
    expect(mail.messageId).toBe('<7a1c@kaveri-knits.example>');
    expect(mail.subject).toBe('Zoll – Ümlaut ₹');
    expect(mail.from?.value).toEqual([{ name: 'Kaveri Knits Exports', address: 'orders@kaveri-knits.example' }]);
    expect(mail.text?.trim()).toBe('Ihre Sendung ist unterwegs.');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.filename).toBe('Rechnung – KK-2026-0200.docx');
    expect(mail.attachments[0]!.contentType).toBe(DOCX);
    expect(new Uint8Array(mail.attachments[0]!.content)).toEqual(docx);
  });

  it('sends once per To/Cc recipient with the same raw message (same Message-ID)', async () => {
    const b = binding();
    await cloudflareSendEmailTransport(b, FakeEmailMessage).send(
      email({ to: [{ address: 'a@hanse-textil.example' }, { address: 'b@hanse-textil.example' }], cc: [{ address: 'a@hanse-textil.example' }, { address: 'c@hanse-textil.example' }] }),
    );
    expect(b.sent.map((m) => m.to)).toEqual(['a@hanse-textil.example', 'b@hanse-textil.example', 'c@hanse-textil.example']);
    expect(new Set(b.sent.map((m) => m.raw)).size).toBe(1);
  });

  it('classifies binding errors: unverified destination permanent, rate limits and unknown failures retryable', async () => {
    const notVerified = Object.assign(new Error('destination address not verified'), { code: 'E_RECIPIENT_NOT_VERIFIED' });
    let err = await cloudflareSendEmailTransport(binding([notVerified]), FakeEmailMessage).send(email()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect(err).toMatchObject({ retryable: false, code: 'E_RECIPIENT_NOT_VERIFIED', transport: 'cloudflare' });

    const limited = Object.assign(new Error('Too many emails'), { code: 'E_RATE_LIMIT_EXCEEDED' });
    err = await cloudflareSendEmailTransport(binding([limited]), FakeEmailMessage).send(email()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, code: 'E_RATE_LIMIT_EXCEEDED' });

    expect(cloudflareDeliveryError(new Error('email to x@y.example not allowed'), 'x@y.example')).toMatchObject({ retryable: false });
    expect(cloudflareDeliveryError(new Error('From: header does not match mail from'), 'x@y.example')).toMatchObject({ retryable: false });
    expect(cloudflareDeliveryError(new Error('Network connection lost.'), 'x@y.example')).toMatchObject({ retryable: true, code: 'ESENDEMAIL' });
    expect(cloudflareDeliveryError(Object.assign(new Error('odd'), { code: 'E_SOMETHING' }), 'x@y.example')).toMatchObject({ retryable: false });
  });

  it('refuses attachments over what Cloudflare accepts before calling the binding', async () => {
    const b = binding();
    const big = new Uint8Array(CLOUDFLARE_MAX_ATTACHMENT_BYTES + 1);
    const err = await cloudflareSendEmailTransport(b, FakeEmailMessage)
      .send(email({ attachments: [{ filename: 'scan.pdf', contentType: 'application/pdf', content: big }] }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, code: 'EINVALID' });
    expect(b.sent).toHaveLength(0);
    // the limit is configurable (accounts that only send to verified addresses may send up to 25 MiB)
    await cloudflareSendEmailTransport(b, FakeEmailMessage, { maxAttachmentBytes: 10 * 1024 * 1024 }).send(
      email({ attachments: [{ filename: 'scan.pdf', contentType: 'application/pdf', content: big }] }),
    );
    expect(b.sent).toHaveLength(1);
    expect(b.sent[0]!.raw.length).toBeLessThan(5 * 1024 * 1024);
  });
});
