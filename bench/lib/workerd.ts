/**
 * The Worker in workerd for the benchmark, set up as test/workerd.test.ts does (test/support/workerd.ts): the
 * bundle built by `wrangler deploy --dry-run` (what `npm run build:worker` builds), run by Miniflare with
 * wrangler.toml's compatibility settings and an R2 bucket for document files, its only network a forward to the
 * Hrana HTTP server (test/support/hrana-server.ts) that serves a libSQL file prepared from Node.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Miniflare } from 'miniflare';
import { startHranaServer, type HranaServer } from '../../test/support/hrana-server.js';
import { buildWorkerBundle as buildBundle, startWorker as startWorkerd } from '../../test/support/workerd.js';

/** Build the Worker bundle into `outdir` as `npm run build:worker` does; returns its path and sizes. */
export async function buildWorkerBundle(outdir: string): Promise<{ path: string; bytes: number; gzipBytes: number }> {
  const path = await buildBundle(outdir);
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
  const { mf, refused } = await startWorkerd({ bundlePath, hranaUrl: hrana.url, token, r2Buckets: ['DOCUMENTS'], refusedBy: 'bench' });
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
