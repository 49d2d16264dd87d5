/**
 * The built task pane in a real browser (Chromium via playwright-core; CI installs `chromium`), served by
 * `npm start`'s entry: its scripts, Fluent UI's run-time styles and office.js all load under the pane's
 * Content-Security-Policy, and the pane renders. Outside Office, office.js reports "no host" and the pane still
 * starts. Two violations are expected and harmless, and nothing else may be blocked:
 * - zod's probe for `Function` (it falls back to its interpreter: `eval` blocked from /addin/bundle/);
 * - office.js's Office 2013 path (used only outside a modern host) framing a Microsoft telemetry page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAddinBuild } from './support/addin.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(existsSync);
const dir = mkdtempSync(join(tmpdir(), 'exportdesk-browser-'));
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = '';

beforeAll(async () => {
  requireAddinBuild();
  if (!CHROMIUM) throw new Error('Chromium not found (Debian: apt-get install chromium)');
  server = spawn(process.execPath, ['--import', 'tsx', 'worker/src/runtime/node.ts'], {
    env: { ...process.env, DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, PORT: '0', HTTPS: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /ExportDesk API on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('task pane in Chromium under its Content-Security-Policy', () => {
  it('loads its scripts, styles and office.js and renders, with nothing unexpected blocked', async () => {
    const page = await browser!.newPage();
    const violations: { directive: string; blocked: string; source: string }[] = [];
    const problems: string[] = [];
    await page.exposeFunction('__cspViolation', (v: { directive: string; blocked: string; source: string }) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __cspViolation: (v: object) => void }).__cspViolation({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile }),
      );
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.url().startsWith(`${base}/addin/`) && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => {
      if (r.url().startsWith(base)) problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
    });

    const loaded: string[] = [];
    page.on('requestfinished', (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(`${base}/addin/taskpane.html`, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, null, { timeout: 15_000 });

    expect(loaded).toContain('/addin/office/office.js');
    expect(loaded.some((p) => /^\/addin\/bundle\/.+\.js$/.test(p))).toBe(true);
    // Fluent UI (griffel) inserts its CSS as <style> elements at run time: allowed by style-src 'unsafe-inline'.
    expect(await page.evaluate(() => [...document.querySelectorAll('style')].reduce((n, s) => n + (s.sheet?.cssRules.length ?? 0), 0))).toBeGreaterThan(0);
    expect((await page.locator('#root').innerText()).length).toBeGreaterThan(0);

    const unexpected = violations.filter(
      (v) =>
        !(v.directive === 'script-src' && v.blocked === 'eval' && v.source.startsWith(`${base}/addin/bundle/`)) &&
        !(v.directive === 'frame-src' && v.blocked.startsWith('https://telemetryservice.firstpartyapps.oaspapps.com') && v.source.endsWith('/o15apptofilemappingtable.js')),
    );
    expect(unexpected).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
