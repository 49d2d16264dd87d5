import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../../../test/support/smtp-server.js';
import { EmailConfigError, emailSenderFromEnv, emailTransportFromEnv, parseMailbox, type EmailEnv, type EmailRuntime } from './config.js';
import { emailTransportFromNodeEnv } from './config-node.js';
import type { SmtpOptions } from './smtp.js';
import type { EmailTransport } from './transport.js';

const FROM = 'Kaveri Knits <orders@kaveri-knits.example>';

/** A runtime whose smtp factory records the options it was given. */
function nodeRuntime() {
  const calls: SmtpOptions[] = [];
  const runtime: EmailRuntime = {
    name: 'node',
    smtp: (options) => {
      calls.push(options);
      return { name: 'smtp', send: async () => ({ providerMessageId: null }) } satisfies EmailTransport;
    },
  };
  return { runtime, calls };
}

class FakeEmailMessage {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly raw: string,
  ) {}
}
const cloudflareRuntime: EmailRuntime = { name: 'cloudflare', EmailMessage: FakeEmailMessage };

/** The problems of the EmailConfigError that `fn` throws. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof EmailConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected an EmailConfigError');
}

describe('emailTransportFromEnv', () => {
  it('none or unset: no transport, nothing else required', () => {
    expect(emailTransportFromEnv({}, nodeRuntime().runtime)).toBeNull();
    expect(emailTransportFromEnv({ EMAIL_TRANSPORT: 'none' }, cloudflareRuntime)).toBeNull();
    expect(emailTransportFromEnv({ EMAIL_TRANSPORT: ' ' }, cloudflareRuntime)).toBeNull();
  });

  it('refuses an unknown EMAIL_TRANSPORT, listing the choices', () => {
    expect(problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'sendgrid' }, nodeRuntime().runtime))).toEqual([
      'EMAIL_TRANSPORT is "sendgrid": use one of none, smtp, http, cloudflare',
    ]);
  });

  it('smtp: host, port, secure and auth from SMTP_*; defaults 587 / STARTTLS, 465 / implicit TLS', () => {
    const { runtime, calls } = nodeRuntime();
    const t = emailTransportFromEnv({ EMAIL_TRANSPORT: 'SMTP', EMAIL_FROM: FROM, SMTP_HOST: 'smtp.example.com', SMTP_USER: 'u', SMTP_PASSWORD: 'p w' }, runtime);
    expect(t?.name).toBe('smtp');
    emailTransportFromEnv({ EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: FROM, SMTP_HOST: 'smtp.example.com', SMTP_PORT: '465' }, runtime);
    emailTransportFromEnv({ EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: FROM, SMTP_HOST: 'smtp.example.com', SMTP_SECURE: 'true' }, runtime);
    emailTransportFromEnv({ EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: FROM, SMTP_HOST: 'mx', SMTP_PORT: '2525', SMTP_SECURE: 'no' }, runtime);
    expect(calls).toEqual([
      { host: 'smtp.example.com', port: 587, secure: false, auth: { user: 'u', pass: 'p w' } },
      { host: 'smtp.example.com', port: 465, secure: true },
      { host: 'smtp.example.com', port: 465, secure: true },
      { host: 'mx', port: 2525, secure: false },
    ]);
  });

  it('smtp: names every missing or invalid variable', () => {
    const { runtime, calls } = nodeRuntime();
    expect(problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'smtp', SMTP_PORT: 'x', SMTP_SECURE: 'maybe', SMTP_USER: 'u' }, runtime))).toEqual([
      'EMAIL_FROM is not set (the sender, e.g. "Kaveri Knits <orders@kaveri-knits.example>")',
      'SMTP_HOST is not set (the SMTP server, e.g. smtp.example.com)',
      'SMTP_SECURE is "maybe": use true or false',
      'SMTP_PORT is "x": expected a port number (587, 465, 25)',
      'SMTP_PASSWORD is not set (SMTP_USER is)',
    ]);
    expect(problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: 'not-an-address', SMTP_HOST: 'h', SMTP_PASSWORD: 'p' }, runtime))).toEqual([
      'EMAIL_FROM "not-an-address" is not an e-mail address (expected address or Name <address>)',
      'SMTP_USER is not set (SMTP_PASSWORD is)',
    ]);
    expect(calls).toEqual([]);
  });

  it('smtp is refused on Workers (no SMTP factory there)', () => {
    const [p] = problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: FROM, SMTP_HOST: 'h' }, cloudflareRuntime));
    expect(p).toMatch(/^EMAIL_TRANSPORT=smtp is not available on Cloudflare Workers/);
  });

  it('http: needs EMAIL_API_URL and EMAIL_API_TOKEN; works on both runtimes', () => {
    const env: EmailEnv = { EMAIL_TRANSPORT: 'http', EMAIL_FROM: FROM, EMAIL_API_URL: 'https://mail.example/send', EMAIL_API_TOKEN: 't' };
    expect(emailTransportFromEnv(env, nodeRuntime().runtime)?.name).toBe('http');
    expect(emailTransportFromEnv(env, cloudflareRuntime)?.name).toBe('http');
    expect(problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'http', EMAIL_FROM: FROM }, cloudflareRuntime))).toEqual([
      'EMAIL_API_URL is not set (the HTTP e-mail API endpoint)',
      'EMAIL_API_TOKEN is not set (the bearer token of the e-mail API)',
    ]);
    expect(problems(() => emailTransportFromEnv({ ...env, EMAIL_API_URL: 'ftp://mail.example' }, cloudflareRuntime))).toEqual([
      'EMAIL_API_URL "ftp://mail.example" is not an http(s) URL',
    ]);
  });

  it('http: the configured transport posts to EMAIL_API_URL with the token (through runtime.fetch)', async () => {
    const requests: Request[] = [];
    const runtime: EmailRuntime = {
      name: 'cloudflare',
      fetch: async (input, init) => {
        requests.push(new Request(input, init));
        return Response.json({ id: 'p-1' });
      },
    };
    const t = emailTransportFromEnv({ EMAIL_TRANSPORT: 'http', EMAIL_FROM: FROM, EMAIL_API_URL: 'https://mail.example/send', EMAIL_API_TOKEN: 'tok' }, runtime)!;
    const from = emailSenderFromEnv({ EMAIL_FROM: FROM });
    await expect(t.send({ messageId: 'm1@kaveri-knits.example', from, to: [{ address: 'b@hanse-textil.example' }], subject: 's', text: 't', attachments: [] })).resolves.toEqual({ providerMessageId: 'p-1' });
    expect(requests.map((r) => [r.url, r.headers.get('authorization')])).toEqual([['https://mail.example/send', 'Bearer tok']]);
  });

  it('cloudflare: needs the SEND_EMAIL binding and the Workers runtime', async () => {
    const sent: FakeEmailMessage[] = [];
    const SEND_EMAIL = { send: async (m: unknown) => void sent.push(m as FakeEmailMessage) };
    const t = emailTransportFromEnv({ EMAIL_TRANSPORT: 'cloudflare', EMAIL_FROM: FROM, SEND_EMAIL }, cloudflareRuntime);
    expect(t?.name).toBe('cloudflare');
    await t!.send({ messageId: 'm2@kaveri-knits.example', from: emailSenderFromEnv({ EMAIL_FROM: FROM }), to: [{ address: 'b@hanse-textil.example' }], subject: 's', text: 't', attachments: [] });
    expect(sent.map((m) => [m.from, m.to])).toEqual([['orders@kaveri-knits.example', 'b@hanse-textil.example']]);

    expect(problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'cloudflare', EMAIL_FROM: FROM }, cloudflareRuntime))).toEqual([
      'SEND_EMAIL binding is missing (add [[send_email]] name = "SEND_EMAIL" to wrangler.toml)',
    ]);
    const [p] = problems(() => emailTransportFromEnv({ EMAIL_TRANSPORT: 'cloudflare', EMAIL_FROM: FROM, SEND_EMAIL }, nodeRuntime().runtime));
    expect(p).toMatch(/^EMAIL_TRANSPORT=cloudflare works only on Cloudflare Workers/);
  });
});

describe('EMAIL_FROM', () => {
  it('parses an address, Name <address> and "Quoted, Name" <address>', () => {
    expect(parseMailbox('orders@kaveri-knits.example')).toEqual({ address: 'orders@kaveri-knits.example' });
    expect(parseMailbox('Kaveri Knits <orders@kaveri-knits.example>')).toEqual({ name: 'Kaveri Knits', address: 'orders@kaveri-knits.example' });
    expect(parseMailbox('"Kaveri Knits, Tiruppur" <orders@kaveri-knits.example>')).toEqual({ name: 'Kaveri Knits, Tiruppur', address: 'orders@kaveri-knits.example' });
    expect(parseMailbox('<orders@kaveri-knits.example>')).toEqual({ address: 'orders@kaveri-knits.example' });
    expect(parseMailbox('Kaveri Knits')).toBeNull();
    expect(parseMailbox('Kaveri <not an address>')).toBeNull();
  });
});

describe('emailTransportFromNodeEnv', () => {
  let server: TestSmtpServer;
  beforeAll(async () => {
    server = await startSmtpServer();
  });
  afterAll(() => server?.stop());

  it('EMAIL_TRANSPORT=smtp delivers through the configured server', async () => {
    const t = emailTransportFromNodeEnv({ EMAIL_TRANSPORT: 'smtp', EMAIL_FROM: FROM, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(server.port) });
    expect(t?.name).toBe('smtp');
    const from = emailSenderFromEnv({ EMAIL_FROM: FROM });
    await t!.send({ messageId: 'cfg-1@kaveri-knits.example', from, to: [{ address: 'b@hanse-textil.example' }], subject: 'Configured', text: 'x', attachments: [] });
    const [mail] = await server.waitFor(1);
    expect([mail!.subject, mail!.messageId, mail!.from?.text]).toEqual(['Configured', '<cfg-1@kaveri-knits.example>', '"Kaveri Knits" <orders@kaveri-knits.example>']);
  });
});

describe('Workers bundle hygiene', () => {
  const dir = dirname(fileURLToPath(import.meta.url));
  /** Modules reachable from `entry` through value imports (type-only imports are erased by every bundler). */
  function valueImports(entry: string): { files: string[]; packages: string[] } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/^(?:import|export)\s+(?!type\s)([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
        const spec = m[2]!;
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else packages.add(spec);
      }
    };
    visit(join(dir, entry));
    return { files: [...files].map((f) => f.slice(dir.length + 1)).sort(), packages: [...packages].sort() };
  }

  it('config.ts and the Workers transports import no package and never smtp.ts (so no nodemailer)', () => {
    const graph = valueImports('config.ts');
    expect(graph.files).toEqual(['cloudflare-send-email.ts', 'config.ts', 'http-api.ts', 'message.ts', 'mime.ts', 'transport.ts']);
    expect(graph.packages).toEqual([]);
  });

  it('the check sees nodemailer where it is (config-node.ts → smtp.ts)', () => {
    const graph = valueImports('config-node.ts');
    expect(graph.files).toContain('smtp.ts');
    expect(graph.packages).toEqual(['nodemailer']);
  });
});
