import { sql } from 'drizzle-orm';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Database } from '../../worker/src/db/client.js';
import { openDatabase } from '../../worker/src/db/open.js';
import type { ServiceContext } from '../../worker/src/services/context.js';
import { seedOrg } from '../../test/support/harness.js';

/** One temp folder for the whole run; every database lives in it and it is removed at the end. */
let root: string | undefined;
let counter = 0;
export function benchRoot(): string {
  root ??= mkdtempSync(join(tmpdir(), 'exportdesk-bench-'));
  return root;
}
export function removeBenchRoot(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

/** A fresh, migrated embedded database file with an organisation (admin context) — what the app opens. */
export async function freshDatabase(label: string): Promise<{ database: Database; ctx: ServiceContext; path: string; close: () => void }> {
  const path = join(benchRoot(), `${label}-${++counter}.db`);
  const database = await openDatabase(`file:${path}`);
  const { admin } = await seedOrg(database, `Bench ${label} ${counter} Exports Pvt Ltd`);
  return {
    database,
    ctx: admin,
    path,
    close: () => {
      database.client.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
}

export interface OrderRowCounts {
  orders: number;
  lines: number;
  /** 'order.created' audit events */
  audits: number;
  /** order_search rows */
  search: number;
}

/** What order creation writes, counted: to check that a scenario stored every order it claims. */
export async function orderRowCounts(database: Database): Promise<OrderRowCounts> {
  const one = async (q: ReturnType<typeof sql>) => Number(((await database.db.all(q)) as { n: number }[])[0]!.n);
  return {
    orders: await one(sql`select count(*) as n from orders`),
    lines: await one(sql`select count(*) as n from order_lines`),
    audits: await one(sql`select count(*) as n from audit_events where action = 'order.created'`),
    search: await one(sql`select count(*) as n from order_search`),
  };
}

export const now = () => performance.now();

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = now();
  const value = await fn();
  return { ms: now() - t0, value };
}

/** Full GC between phases so one phase's garbage is not collected on the next phase's clock. */
let gcFn: (() => void) | undefined;
export function collectGarbage(): void {
  if (!gcFn) {
    try {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = () => undefined;
    }
  }
  gcFn();
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Aligned text table (console.table shows quotes and an index column, which reads worse in a report). */
export function table(rows: Record<string, string | number>[], title?: string): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]!);
  const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const numeric = cols.map((c) => rows.every((r) => typeof r[c] === 'number' || r[c] === undefined || r[c] === ''));
  const fmt = (vals: string[]) => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = [fmt(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => fmt(cols.map((c) => cell(r[c]))))];
  return (title ? `${title}\n` : '') + lines.join('\n') + '\n';
}

/** Wall-clock and process CPU time (user + system, all threads) of a section. */
export function stopwatch(): () => { wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { wallMs, cpuMs: (c.user + c.system) / 1000 };
  };
}

/** How busy the machine is (other processes compete for the same cores): load average and Linux CPU pressure. */
export function machineLoad(): { loadavg1: number; cpuPressureSomeAvg10: number | null } {
  let pressure: number | null = null;
  try {
    const m = /some avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    if (m) pressure = Number(m[1]);
  } catch {
    /* not Linux, or PSI disabled */
  }
  return { loadavg1: round(loadavg()[0] ?? 0), cpuPressureSomeAvg10: pressure };
}

export interface Stats {
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

/** Median, p90 (nearest rank), min and max of timings, rounded to 0.1 ms. */
export function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  return { medianMs: round(percentile(s, 50), 1), p90Ms: round(percentile(s, 90), 1), minMs: round(s[0]!, 1), maxMs: round(s.at(-1)!, 1) };
}
