import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'exportdesk-node-'));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'exportdesk.db')}`, PORT: '0' };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Start `npm start`'s entry and wait until it listens; returns its output and base URL. */
async function start(): Promise<{ out: string; base: string; child: ChildProcess }> {
  const child = spawn(TSX, ['worker/src/runtime/node.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /ExportDesk API on (http:\/\/[\d.]+:\d+)/.exec(out);
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
