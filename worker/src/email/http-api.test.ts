import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutgoingEmail } from './message.js';
import { httpApiTransport, retryAfterSeconds, type HttpApiMessage } from './http-api.js';
import { EmailDeliveryError } from './transport.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: HttpApiMessage;
}

/** What the fake API answers next: a status, a body, headers, or a delay / a dropped socket. */
type Reply = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | 'drop';

let server: http.Server;
let url: string;
const received: Received[] = [];
let replies: Reply[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const reply = replies.shift() ?? { status: 202, body: JSON.stringify({ id: `prov-${received.length}` }), headers: { 'content-type': 'application/json' } };
      if (reply === 'drop') return req.socket.destroy();
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(reply.status, reply.headers ?? {});
        res.end(reply.body ?? '');
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/send`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  replies = [];
});

const bytes = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80, 0x7f, 0x0d, 0x0a]);
const email = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  messageId: 'msg-42@kaveri-knits.example',
  from: { name: 'Kaveri Knits', address: 'orders@kaveri-knits.example' },
  to: [{ name: 'Hanse Textil', address: 'einkauf@hanse-textil.example' }],
  subject: 'Zoll – Ümlaut ₹',
  text: 'Shipped.',
  html: '<p>Shipped.</p>',
  attachments: [{ filename: 'Rechnung.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: bytes }],
  headers: { 'X-ExportDesk-Order': 'ord_1' },
  ...overrides,
});

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('send should have failed'), (e: unknown) => e as EmailDeliveryError);

describe('httpApiTransport against a real HTTP server', () => {
  it('POSTs the JSON message with the bearer token, Message-ID and Idempotency-Key; returns the provider id', async () => {
    const t = httpApiTransport({ url, token: 'tok-secret' });
    const result = await t.send(email({ cc: [{ address: 'docs@hanse-textil.example' }], replyTo: { address: 'desk@kaveri-knits.example' } }));
    expect(result).toEqual({ providerMessageId: 'prov-1' });
    expect(received).toHaveLength(1);
    const [r] = received;
    expect(r!.method).toBe('POST');
    expect(r!.url).toBe('/v1/send');
    expect(r!.headers.authorization).toBe('Bearer tok-secret');
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.headers['idempotency-key']).toBe('msg-42@kaveri-knits.example');
    expect(r!.body).toEqual({
      from: { name: 'Kaveri Knits', address: 'orders@kaveri-knits.example' },
      to: [{ name: 'Hanse Textil', address: 'einkauf@hanse-textil.example' }],
      cc: [{ address: 'docs@hanse-textil.example' }],
      replyTo: { address: 'desk@kaveri-knits.example' },
      subject: 'Zoll – Ümlaut ₹',
      text: 'Shipped.',
      html: '<p>Shipped.</p>',
      attachments: [{ filename: 'Rechnung.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: 'UEsDBAD/gH8NCg==' }],
      headers: { 'X-ExportDesk-Order': 'ord_1', 'Message-ID': '<msg-42@kaveri-knits.example>' },
    });
    expect(new Uint8Array(Buffer.from(r!.body.attachments[0]!.content, 'base64'))).toEqual(bytes);
  });

  it('accepts a 2xx without a JSON id (providerMessageId null)', async () => {
    replies.push({ status: 204 });
    await expect(httpApiTransport({ url, token: 't' }).send(email())).resolves.toEqual({ providerMessageId: null });
  });

  it.each([500, 502, 503, 504, 408])('%i is retryable', async (status) => {
    replies.push({ status, body: 'upstream trouble' });
    const err = await failure(httpApiTransport({ url, token: 't' }).send(email()));
    expect(err).toBeInstanceOf(EmailDeliveryError);
    expect(err).toMatchObject({ retryable: true, status, code: `HTTP_${status}`, transport: 'http' });
    expect(err.message).toContain('upstream trouble');
  });

  it('429 is retryable and passes Retry-After on', async () => {
    replies.push({ status: 429, body: '{"error":"slow down"}', headers: { 'retry-after': '17' } });
    const err = await failure(httpApiTransport({ url, token: 't' }).send(email()));
    expect(err).toMatchObject({ retryable: true, status: 429, retryAfterSeconds: 17 });
  });

  it.each([400, 401, 403, 404, 413, 422])('%i is permanent', async (status) => {
    replies.push({ status, body: '{"error":"no"}', headers: { 'retry-after': '5' } });
    const err = await failure(httpApiTransport({ url, token: 't' }).send(email()));
    expect(err).toMatchObject({ retryable: false, status, code: `HTTP_${status}`, retryAfterSeconds: null });
  });

  it('a dropped connection is retryable (ENETWORK)', async () => {
    replies.push('drop');
    const err = await failure(httpApiTransport({ url, token: 't' }).send(email()));
    expect(err).toMatchObject({ retryable: true, status: null, code: 'ENETWORK' });
  });

  it('a refused connection is retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure(httpApiTransport({ url: `http://127.0.0.1:${port}/send`, token: 't' }).send(email()));
    expect(err).toMatchObject({ retryable: true, code: 'ENETWORK' });
  });

  it('a server slower than the timeout is retryable (ETIMEDOUT)', async () => {
    replies.push({ status: 200, body: '{}', delayMs: 2_000 });
    const err = await failure(httpApiTransport({ url, token: 't', timeoutMs: 150 }).send(email()));
    expect(err).toMatchObject({ retryable: true, code: 'ETIMEDOUT' });
  });

  it('does not call the API for an invalid message', async () => {
    const err = await failure(httpApiTransport({ url, token: 't' }).send(email({ subject: '' })));
    expect(err).toMatchObject({ retryable: false, code: 'EINVALID' });
    expect(received).toHaveLength(0);
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Sep 2026 10:00:30 GMT', Date.parse('2026-09-01T10:00:00Z'))).toBe(30);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
  });
});
