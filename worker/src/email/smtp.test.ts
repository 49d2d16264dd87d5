import { Document, Packer, Paragraph } from 'docx';
import type { AddressObject } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp-server.js';
import { newMessageId, type OutgoingEmail } from './message.js';
import { queueIdFromResponse, smtpDeliveryError, smtpTransport, type SmtpTransport } from './smtp.js';
import { EmailDeliveryError } from './transport.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let server: TestSmtpServer;
let transport: SmtpTransport;
let docx: Uint8Array;

beforeAll(async () => {
  server = await startSmtpServer();
  transport = smtpTransport({ host: '127.0.0.1', port: server.port, connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 });
  const doc = new Document({ sections: [{ children: [new Paragraph('Commercial invoice KK-2026-0200')] }] });
  docx = new Uint8Array(await Packer.toBuffer(doc));
});
afterAll(async () => {
  transport?.close();
  await server?.stop();
});
beforeEach(async () => {
  if (!server.running) await server.restart();
});

const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value);

function email(overrides: Partial<OutgoingEmail> = {}): OutgoingEmail {
  return {
    messageId: newMessageId('kaveri-knits.example'),
    from: { name: 'Kaveri Knits Exports', address: 'orders@kaveri-knits.example' },
    to: [{ name: 'Hanse Textil GmbH', address: 'einkauf@hanse-textil.example' }],
    subject: 'Order KK-2026-0200: shipped',
    text: 'Your order KK-2026-0200 left Nhava Sheva today.\nInvoice attached.',
    attachments: [],
    ...overrides,
  };
}

describe('smtpTransport against a real SMTP server', () => {
  it('delivers a message with a .docx attachment: headers, Message-ID, envelope and bytes arrive intact', async () => {
    expect(docx.subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b])); // "PK": a real zip/docx
    const before = server.messages.length;
    const message = email({
      cc: [{ address: 'docs@hanse-textil.example' }],
      replyTo: { name: 'Export desk', address: 'desk@kaveri-knits.example' },
      subject: 'Zoll – Ümlaut ₹ KK-2026-0200',
      html: '<p>Your order <b>KK-2026-0200</b> left Nhava Sheva today.</p>',
      headers: { 'X-ExportDesk-Order': 'ord_123' },
      attachments: [{ filename: 'Rechnung KK-2026-0200 – Zoll.docx', contentType: DOCX, content: docx }],
    });
    const result = await transport.send(message);

    expect(server.messages).toHaveLength(before + 1);
    const got = server.messages.at(-1)!;
    expect(got.messageId).toBe(`<${message.messageId}>`);
    expect(got.subject).toBe('Zoll – Ümlaut ₹ KK-2026-0200');
    expect(addresses(got.from)).toEqual([{ name: 'Kaveri Knits Exports', address: 'orders@kaveri-knits.example' }]);
    expect(addresses(got.to)).toEqual([{ name: 'Hanse Textil GmbH', address: 'einkauf@hanse-textil.example' }]);
    expect(addresses(got.cc).map((a) => a.address)).toEqual(['docs@hanse-textil.example']);
    expect(addresses(got.replyTo).map((a) => a.address)).toEqual(['desk@kaveri-knits.example']);
    expect(got.text?.trim()).toBe('Your order KK-2026-0200 left Nhava Sheva today.\nInvoice attached.');
    expect(got.html).toContain('<b>KK-2026-0200</b>');
    expect(got.headers.get('x-exportdesk-order')).toBe('ord_123');
    expect(server.envelopes.at(-1)).toEqual({
      mailFrom: 'orders@kaveri-knits.example',
      rcptTo: ['einkauf@hanse-textil.example', 'docs@hanse-textil.example'],
    });

    expect(got.attachments).toHaveLength(1);
    const [att] = got.attachments;
    expect(att!.filename).toBe('Rechnung KK-2026-0200 – Zoll.docx');
    expect(att!.contentType).toBe(DOCX);
    expect(new Uint8Array(att!.content)).toEqual(docx);

    expect(result.providerMessageId).toBe(server.queueIds.at(-1));
    expect(result.rejectedRecipients).toBeUndefined();
  });

  it('sends the same Message-ID again when the same message is retried, so the receiver can deduplicate', async () => {
    const message = email();
    await transport.send(message);
    await transport.send(message);
    const ids = server.messages.slice(-2).map((m) => m.messageId);
    expect(ids).toEqual([`<${message.messageId}>`, `<${message.messageId}>`]);
  });

  it('a 450 reply to RCPT TO is retryable, with the reply code', async () => {
    server.rejectNext(450, 'Mailbox busy, try again later');
    const err = await transport.send(email()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect(err).toMatchObject({ retryable: true, status: 450, transport: 'smtp' });
  });

  it('a 451 reply at the end of DATA is retryable', async () => {
    const before = server.messages.length;
    server.rejectNext(451, 'Local error in processing', 'data');
    const err = await transport.send(email()).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'EmailDeliveryError', retryable: true, status: 451 });
    expect(server.messages).toHaveLength(before);
  });

  it('550 unknown mailbox is permanent', async () => {
    server.rejectNext(550, 'No such user here');
    const err = await transport.send(email()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect(err).toMatchObject({ retryable: false, status: 550 });
    expect((err as Error).message).toContain('No such user here');
  });

  it('554 after DATA is permanent', async () => {
    server.rejectNext(554, 'Message rejected as spam', 'data');
    const err = await transport.send(email()).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false, status: 554 });
  });

  it('reports the recipients the server refused while delivering to the others', async () => {
    server.rejectNext(550, 'No such user here');
    const result = await transport.send(email({ to: [{ address: 'gone@hanse-textil.example' }, { address: 'einkauf@hanse-textil.example' }] }));
    expect(result.rejectedRecipients).toEqual(['gone@hanse-textil.example']);
    expect(server.envelopes.at(-1)!.rcptTo).toEqual(['einkauf@hanse-textil.example']);
  });

  it('server down → retryable connection error; restarted on the same port → delivery works again', async () => {
    const port = server.port;
    await server.stop();
    const err = await transport.send(email()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect(err).toMatchObject({ retryable: true, status: null, transport: 'smtp' });
    expect((err as EmailDeliveryError).code).toMatch(/^E[A-Z]+$/);

    await server.restart();
    expect(server.port).toBe(port);
    const before = server.messages.length;
    const message = email({ subject: 'After the restart' });
    await transport.send(message);
    const [got] = (await server.waitFor(before + 1)).slice(-1);
    expect(got!.subject).toBe('After the restart');
    expect(got!.messageId).toBe(`<${message.messageId}>`);
  });

  it('refuses an invalid message before connecting, as a permanent EINVALID error', async () => {
    const before = server.messages.length;
    const err = await transport.send(email({ to: [{ address: 'not an address' }] })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'EmailDeliveryError', retryable: false, code: 'EINVALID' });
    expect((err as Error).message).toContain('not an address');
    expect(server.messages).toHaveLength(before);
  });
});

describe('smtpDeliveryError', () => {
  it('classifies by the SMTP reply first, then by the error code', () => {
    expect(smtpDeliveryError({ code: 'EENVELOPE', responseCode: 452 })).toMatchObject({ retryable: true, status: 452, code: 'EENVELOPE' });
    expect(smtpDeliveryError({ code: 'EAUTH', responseCode: 535 })).toMatchObject({ retryable: false, status: 535 });
    expect(smtpDeliveryError({ code: 'EPROTOCOL', responseCode: 503 })).toMatchObject({ retryable: true });
    expect(smtpDeliveryError({ code: 'ETIMEDOUT' })).toMatchObject({ retryable: true, status: null });
    expect(smtpDeliveryError({ code: 'ECONFIG' })).toMatchObject({ retryable: false });
    expect(smtpDeliveryError(new Error('something odd'))).toMatchObject({ retryable: true, code: 'EUNKNOWN' });
  });

  it('reads the queue id from the final reply', () => {
    expect(queueIdFromResponse('250 2.0.0 Ok: queued as 4C5D31A2B')).toBe('4C5D31A2B');
    expect(queueIdFromResponse('250 Message queued as ABC123')).toBe('ABC123');
    expect(queueIdFromResponse('250 OK')).toBeNull();
  });
});
