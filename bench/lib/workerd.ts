/**
 * The Worker in workerd for the benchmark, set up as test/workerd.test.ts does: the bundle built by
 * `wrangler deploy --dry-run` (what `npm run build:worker` builds), run by Miniflare with wrangler.toml's
 * compatibility settings and an R2 bucket for document files, its only network a forward to the Hrana HTTP
 * server (test/support/hrana-server.ts) that serves a libSQL file prepared from Node.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Miniflare, Response as MfResponse, fetch as mfFetch, type Request as MfRequest } from 'miniflare';
import { startHranaServer, type HranaServer } from '../../test/support/hrana-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DB_HOST = 'db.internal';

/** compatibility_date / compatibility_flags from wrangler.toml, so the bench runs what deploys. */
function wranglerCompat(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error('wrangler.toml has no compatibility_date');
  const flags = /^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  return { compatibilityDate: date, compatibilityFlags: flags ? [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [] };
}

/** Build the Worker bundle into `outdir` as `npm run build:worker` does; returns its path and sizes. */
export async function buildWorkerBundle(outdir: string): Promise<{ path: string; bytes: number; gzipBytes: number }> {
  await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: ROOT,
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' },
  });
  const built = readdirSync(outdir).filter((f) => f.endsWith('.js'));
  if (built.length !== 1) throw new Error(`expected one .js file from wrangler in ${outdir}, found ${built.join(', ') || 'none'}`);
  const path = join(outdir, built[0]!);
  const code = readFileSync(path);
  return { path, bytes: code.length, gzipBytes: gzipSync(code).length };
}

export interface WorkerUnderTest {
  mf: Miniflare;
  hrana: HranaServer;
  /** Outbound requests the Worker made to anything but the database (refused). */
  refused: string[];
  close(): Promise<void>;
}

/** Serve `dbPath` over Hrana and start the bundle in workerd against it. */
export async function startWorker(bundlePath: string, dbPath: string): Promise<WorkerUnderTest> {
  const token = `hrana-${Math.random().toString(36).slice(2)}`;
  const hrana = await startHranaServer({ dbPath, authToken: token });
  const refused: string[] = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundlePath,
    modulesRoot: dirname(bundlePath),
    ...wranglerCompat(),
    bindings: { LIBSQL_URL: `http://${DB_HOST}`, LIBSQL_AUTH_TOKEN: token },
    r2Buckets: ['DOCUMENTS'],
    outboundService: async (request: MfRequest) => {
      const url = new URL(request.url);
      if (url.hostname !== DB_HOST) {
        refused.push(request.url);
        return new MfResponse(`Outbound request to ${url.host} refused by the bench`, { status: 403 });
      }
      const target = new URL(url.pathname + url.search, hrana.url);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        if (name !== 'host' && name !== 'content-length') headers[name] = value;
      });
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      return mfFetch(target, { method: request.method, headers, body: hasBody ? await request.arrayBuffer() : undefined });
    },
  });
  await mf.ready;
  return {
    mf,
    hrana,
    refused,
    close: async () => {
      try {
        await mf.dispose();
      } finally {
        await hrana.close();
      }
    },
  };
}

/**
 * Peak and current resident memory of the workerd processes started by this process (Linux /proc: VmHWM, VmRSS),
 * in bytes; null where /proc is not available.
 */
export function workerdMemory(): { peakRssBytes: number; rssBytes: number; processes: number } | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  const children = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      names.set(Number(e), name);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const descendants: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      descendants.push(c);
      walk(c);
    }
  };
  walk(process.pid);
  let peak = 0;
  let rss = 0;
  let count = 0;
  for (const pid of descendants.filter((p) => names.get(p)?.startsWith('workerd'))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak += Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      rss += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      count++;
    } catch {
      /* gone meanwhile */
    }
  }
  return count ? { peakRssBytes: peak, rssBytes: rss, processes: count } : null;
}
