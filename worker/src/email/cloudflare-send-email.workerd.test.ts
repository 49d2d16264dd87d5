/**
 * The Workers side for real: config.ts + cloudflare-send-email.ts + mime.ts run inside workerd (Miniflare) with the
 * genuine `EmailMessage` from `cloudflare:email` and Miniflare's local `send_email` binding, which parses the raw
 * message and checks it as Cloudflare does (a Message-ID, a From header matching the envelope sender) before
 * storing it as an .eml file. The modules are compiled one by one with TypeScript (no bundler, no nodejs_compat
 * flag), so a Node-only API or package in them fails here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { Log, LogLevel, Miniflare } from 'miniflare';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wranglerCompat } from '../../../test/support/workerd.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MODULES = ['config', 'cloudflare-send-email', 'http-api', 'message', 'mime', 'transport'];

const ENTRY = `
import { EmailMessage } from 'cloudflare:email';
import { emailTransportFromEnv, emailSenderFromEnv } from './config.js';

const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export default {
  async fetch(request, env) {
    const m = await request.json();
    const transport = emailTransportFromEnv(env, { name: 'cloudflare', EmailMessage });
    const message = {
      ...m,
      from: m.from ?? emailSenderFromEnv(env),
      attachments: m.attachments.map((a) => ({ ...a, content: bytes(a.content) })),
    };
    try {
      return Response.json({ ok: true, transport: transport.name, result: await transport.send(message), hasBuffer: typeof Buffer !== 'undefined' });
    } catch (e) {
      return Response.json({ ok: false, name: e.name, retryable: e.retryable, code: e.code, message: e.message });
    }
  },
};
`;

/** Miniflare's log, kept: the send_email binding logs the path of each .eml it stores. */
class CapturingLog extends Log {
  readonly lines: string[] = [];
  constructor() {
    super(LogLevel.INFO);
  }
  protected override log(message: string): void {
    this.lines.push(message);
  }
}

let dir: string;
let mf: Miniflare;
let log: CapturingLog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'exd-email-workerd-'));
  for (const name of MODULES) {
    const source = readFileSync(join(HERE, `${name}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(dir, `${name}.js`), outputText);
  }
  writeFileSync(join(dir, 'entry.js'), ENTRY);
  log = new CapturingLog();
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'entry.js'),
    modulesRoot: dir,
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }],
    compatibilityDate: wranglerCompat().compatibilityDate,
    compatibilityFlags: [],
    bindings: { EMAIL_TRANSPORT: 'cloudflare', EMAIL_FROM: 'Kaveri Knits Exports <orders@kaveri-knits.example>' },
    email: { send_email: [{ name: 'SEND_EMAIL', allowed_destination_addresses: ['einkauf@hanse-textil.example', 'docs@hanse-textil.example'] }] },
    log,
  });
  await mf.ready;
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const docx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 2_000 }, (_, i) => (i * 101 + 7) % 256)]);

async function send(message: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await mf.dispatchFetch('http://worker.local/', { method: 'POST', body: JSON.stringify(message) });
  return (await res.json()) as Record<string, unknown>;
}

/** The .eml files the binding stored, in order (its log line comes asynchronously after send()). */
async function storedEmails(count: number): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const paths = log.lines.flatMap((l) => [...l.matchAll(/(\S+\.eml)\b/g)].map((m) => m[1]!));
    if (paths.length >= count || Date.now() > deadline) return paths;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('cloudflare transport in workerd with the real send_email binding', () => {
  it('the binding accepts the raw MIME (From, Message-ID checks) and it parses back exactly', async () => {
    const reply = await send({
      messageId: 'wd-1@kaveri-knits.example',
      to: [{ name: 'Hanse Textil GmbH', address: 'einkauf@hanse-textil.example' }],
      cc: [{ address: 'docs@hanse-textil.example' }],
      subject: 'Zoll – Ümlaut ₹',
      text: 'Ihre Sendung KK-2026-0200 ist unterwegs.',
      html: '<p>Ihre Sendung <b>KK-2026-0200</b> ist unterwegs.</p>',
      attachments: [{ filename: 'Rechnung – KK-2026-0200.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: Buffer.from(docx).toString('base64') }],
    });
    expect(reply).toMatchObject({ ok: true, transport: 'cloudflare', hasBuffer: false });
    expect((reply.result as { providerMessageId: unknown }).providerMessageId).toEqual(expect.any(String));

    const files = await storedEmails(2); // one per recipient (to + cc)
    expect(files).toHaveLength(2);
    const [a, b] = files.map((f) => readFileSync(f));
    expect(a!.equals(b!)).toBe(true);
    const mail = await simpleParser(a!);
    expect(mail.messageId).toBe('<wd-1@kaveri-knits.example>');
    expect(mail.subject).toBe('Zoll – Ümlaut ₹');
    expect(mail.from?.value).toEqual([{ name: 'Kaveri Knits Exports', address: 'orders@kaveri-knits.example' }]);
    expect(mail.text?.trim()).toBe('Ihre Sendung KK-2026-0200 ist unterwegs.');
    expect(mail.attachments.map((x) => x.filename)).toEqual(['Rechnung – KK-2026-0200.docx']);
    expect(new Uint8Array(mail.attachments[0]!.content)).toEqual(docx);
  });

  it("a destination the binding may not send to is Cloudflare's refusal, reported as permanent", async () => {
    const reply = await send({
      messageId: 'wd-2@kaveri-knits.example',
      to: [{ address: 'someone@elsewhere.example' }],
      subject: 'Not allowed',
      text: 'x',
      attachments: [],
    });
    expect(reply).toMatchObject({ ok: false, name: 'EmailDeliveryError', retryable: false });
    expect(reply.message).toContain('not allowed');
  });
});
