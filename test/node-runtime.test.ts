import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireAddinBuild } from './support/addin.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'exportdesk-node-'));
// HTTPS=0: plain HTTP even if this checkout has development certificates in .certs/ (the HTTPS suite sets its own).
const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${join(dir, 'exportdesk.db')}`, PORT: '0', HTTPS: '0' };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Start `npm start`'s entry and wait until it listens; returns its output and base URL. */
async function start(extraEnv: NodeJS.ProcessEnv = {}): Promise<{ out: string; base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/src/runtime/node.ts'], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /ExportDesk API on (https?:\/\/[\w.-]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ out, base: m[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM')));

describe('npm start on an empty database', () => {
  let key = '';

  it('creates the demo organisation, prints its key, and serves it', async () => {
    const { out, base, child } = await start();
    key = /^API key: (exd_\S+)$/m.exec(out)?.[1] ?? '';
    expect(key).toMatch(/^exd_/);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const res = await fetch(`${base}/orders?limit=50`, { headers: { Authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { items: { status: string; destinationCountry: string }[] };
    expect(res.status).toBe(200);
    expect(body.items.length).toBeGreaterThanOrEqual(4);
    expect(new Set(body.items.map((o) => o.status)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(body.items.map((o) => o.destinationCountry))).toEqual(new Set(['DE', 'US', 'AU', 'AE']));
    const shipments = (await (await fetch(`${base}/shipments?limit=50`, { headers: { Authorization: `Bearer ${key}` } })).json()) as { items: { destinationCountry: string; orderId: string }[] };
    const byOrder = new Map<string, Set<string>>();
    for (const s of shipments.items) byOrder.set(s.orderId, (byOrder.get(s.orderId) ?? new Set()).add(s.destinationCountry));
    expect([...byOrder.values()].some((d) => d.size === 2)).toBe(true); // one order split across two destinations
    await stop(child);
  });

  it('keeps the data on restart and does not create a second demo', async () => {
    const { out, base, child } = await start();
    expect(out).not.toMatch(/API key:/);
    const res = await fetch(`${base}/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    await stop(child);
  });

  it('the CLI creates organisations, users and keys that work against the API', async () => {
    const cli = (...args: string[]) => spawnSync(TSX, ['worker/src/cli.ts', ...args], { env, encoding: 'utf8' });
    const org = cli('org', 'create', '--name', 'Acme Exports', '--city', 'Pune', '--country', 'IN', '--admin-email', 'a@acme.example', '--admin-name', 'Asha');
    expect(org.status, org.stderr).toBe(0);
    const orgId = /Organisation: (org_\S+)/.exec(org.stdout)?.[1];
    expect(orgId).toBeTruthy();
    expect(cli('user', 'create', '--org', orgId!, '--email', 'viewer@acme.example', '--name', 'Vik', '--role', 'viewer').status).toBe(0);
    const keyRun = cli('key', 'create', '--email', 'VIEWER@acme.example');
    expect(keyRun.status, keyRun.stderr).toBe(0);
    const viewerKey = /^API key: (exd_\S+)$/m.exec(keyRun.stdout)?.[1];
    const bad = cli('user', 'create', '--org', orgId!, '--email', 'nope', '--name', 'X', '--role', 'boss');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/email: Invalid email/);
    expect(bad.stderr).toMatch(/role: /);

    // a second key for the same user, revoked before the server starts (the CLI blocks; keep no idle HTTP connection across it)
    const second = cli('key', 'create', '--email', 'viewer@acme.example', '--org', orgId!);
    const revokedKey = /^API key: (exd_\S+)$/m.exec(second.stdout)?.[1];
    const revokedId = /Key (key_\S+)/.exec(second.stdout)?.[1];
    expect(cli('key', 'revoke', revokedId!, '--org', orgId!).status).toBe(0);

    const { base, child } = await start();
    const me = await fetch(`${base}/me`, { headers: { Authorization: `Bearer ${viewerKey}` } });
    expect(((await me.json()) as { user: { role: string }; organisation: { legalName: string } }).organisation.legalName).toBe('Acme Exports');
    const denied = await fetch(`${base}/parties`, { method: 'POST', headers: { Authorization: `Bearer ${viewerKey}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(403);
    expect((await fetch(`${base}/me`, { headers: { Authorization: `Bearer ${revokedKey}` } })).status).toBe(401);
    await stop(child);
  });
});

describe('npm start over HTTPS with the development certificates of npm run certs', () => {
  const certs = join(dir, 'certs');

  /** GET over node:https to 127.0.0.1 as "localhost", trusting only `ca` (or the default roots when undefined). */
  function get(port: number, path: string, ca: Buffer | undefined, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', servername: 'localhost', port, path, ca, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('HTTPS=1 without certificates refuses to start and says how to make them', () => {
    const run = spawnSync(TSX, ['worker/src/runtime/node.ts'], { env: { ...env, HTTPS: '1', EXPORTDESK_CERTS_DIR: join(dir, 'no-certs') }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/npm run certs/);
  });

  it('serves the task pane, office.js and the API on https://localhost with the generated CA; the API still needs a key', async () => {
    requireAddinBuild();
    const gen = spawnSync(TSX, ['scripts/certs.ts', '--days', '30'], { env: { ...env, EXPORTDESK_CERTS_DIR: certs }, encoding: 'utf8', timeout: 60_000 });
    expect(gen.status, gen.stderr).toBe(0);
    expect(gen.stdout).toMatch(/certutil -user -addstore Root/); // prints how to trust the CA instead of installing it
    const ca = readFileSync(join(certs, 'ca.crt'));

    // Certificates present and HTTPS unset: HTTPS by default.
    const { out, base, child } = await start({ HTTPS: undefined, EXPORTDESK_CERTS_DIR: certs });
    expect(base).toMatch(/^https:\/\/localhost:\d+$/);
    expect(out).toContain(`${base}/addin/taskpane.html`);
    const port = Number(new URL(base).port);

    const page = await get(port, '/addin/taskpane.html', ca);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(String(page.headers['content-security-policy'])).toMatch(/frame-ancestors [^;]*https:\/\/\*\.officeapps\.live\.com/);
    const html = page.body.toString('utf8');
    expect(html).toContain('<div id="root">');
    expect(html).toContain('src="./office/office.js"');

    const office = await get(port, '/addin/office/office.js', ca);
    expect(office.status).toBe(200);
    expect(office.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(office.body.equals(readFileSync(join(process.cwd(), 'node_modules/@microsoft/office-js/dist/office.js')))).toBe(true);
    const again = await get(port, '/addin/office/office.js', ca, { 'If-None-Match': String(office.headers.etag) });
    expect(again.status).toBe(304);
    for (const f of ['excel-web-16.00.js', 'excel-win32-16.01.js', 'excel-mac-16.00.js', 'en-us/office_strings.js', 'de-de/office_strings.js']) {
      expect((await get(port, `/addin/office/${f}`, ca)).status, f).toBe(200);
    }

    const orders = await get(port, '/orders', ca);
    expect(orders.status).toBe(401);
    expect(orders.headers['strict-transport-security']).toBeUndefined(); // no host-wide HSTS on localhost
    expect((await get(port, '/health', ca)).status).toBe(200);
    const escape = await get(port, '/addin/..%2f..%2fpackage.json', ca); // no way out of dist/public
    expect(escape.status).toBe(404);
    expect(escape.body.toString()).not.toContain('"scripts"');

    // The default roots do not know the development CA.
    await expect(get(port, '/health', undefined)).rejects.toThrow(/certificate|self.signed|issuer/i);
    await stop(child);

    // HTTPS=0 forces plain HTTP with the same certificates present.
    const plain = await start({ HTTPS: '0', EXPORTDESK_CERTS_DIR: certs });
    expect(plain.base).toMatch(/^http:\/\//);
    expect(plain.out).toMatch(/HTTPS=0/);
    expect((await fetch(`${plain.base}/addin/taskpane.html`)).status).toBe(200);
    await stop(plain.child);
  });
});
