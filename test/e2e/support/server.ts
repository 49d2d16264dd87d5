/**
 * `npm start`'s entry (worker/src/runtime/node.ts) on a temporary libSQL file, plain HTTP on a free port: the
 * real server, the task pane and the API on one origin. Run as one Node process (`node --import tsx`, what the
 * tsx CLI does without its wrapper process), so stopping it leaves no orphan behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  /** e.g. http://127.0.0.1:40123 */
  base: string;
  /** The demo organisation's admin key, printed on first start. */
  apiKey: string;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; removes the temporary database. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startServer(timeoutMs = 60_000): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'exportdesk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'worker/src/runtime/node.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: `file:${join(dir, 'exportdesk.db')}`, PORT: '0', HTTPS: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => !exited && child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const { base, apiKey } = await new Promise<{ base: string; apiKey: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const onData = (b: Buffer) => {
        out += b.toString();
        const base = /ExportDesk API on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
        if (!base) return;
        clearTimeout(timer);
        const apiKey = /^API key: (exd_\S+)$/m.exec(out)?.[1];
        if (apiKey) resolve({ base, apiKey });
        else reject(new Error(`the server did not print the demo organisation's API key (not an empty database?):\n${out}`));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}) before listening:\n${out}`)));
    });
    return { base, apiKey, output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
