/**
 * In-process V8 CPU profile (node:inspector) of one async section, summarised by where the time goes:
 * self time per category (SQLite/libSQL, drizzle, big.js, service code, GC…), top functions by self time,
 * and inclusive time of the project's own functions. The embedded libSQL driver runs SQLite synchronously
 * on the main thread, so SQLite work shows up under the libSQL frames that call it.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export async function cpuProfile<T>(fn: () => Promise<T>, opts: { saveTo?: string; intervalUs?: number } = {}): Promise<{ value: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: opts.intervalUs ?? 200 });
  await session.post('Profiler.start');
  let value: T;
  let profile: CpuProfile;
  try {
    value = await fn();
  } finally {
    profile = ((await session.post('Profiler.stop')) as unknown as { profile: CpuProfile }).profile;
    await session.post('Profiler.disable');
    session.disconnect();
  }
  if (opts.saveTo) writeFileSync(opts.saveTo, JSON.stringify(profile));
  return { value, profile };
}

const ROOT = process.cwd();
function shortUrl(url: string): string {
  if (!url) return '';
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(ROOT)) u = u.slice(ROOT.length + 1);
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) u = u.slice(nm + 'node_modules/'.length);
  return u;
}

/** Original TS line of a frame (tsx emits source maps; the generated code is one long line). */
function sourceLine(f: CallFrame): number {
  if (!f.url.startsWith('file://') || f.url.includes('/node_modules/')) return f.lineNumber + 1;
  try {
    const entry = findSourceMap(f.url)?.findEntry(f.lineNumber, f.columnNumber) as { originalLine?: number } | undefined;
    if (entry && typeof entry.originalLine === 'number') return entry.originalLine + 1;
  } catch {
    /* no source map */
  }
  return f.lineNumber + 1;
}

/** Category of a frame with a script URL; native frames (no URL) take their caller's category. */
export function category(frame: CallFrame): string | undefined {
  const u = frame.url;
  const name = frame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)' || name === '(idle)' || name === '(root)') return 'idle/program';
  if (!u) return undefined;
  if (u.includes('node_modules/@libsql/')) return 'libSQL client JS (args in, row objects out)';
  if (/node_modules\/(libsql|@neon-rs)\//.test(u)) return 'SQLite engine (libsql native binding)';
  if (u.includes('node_modules/drizzle-orm/')) return 'drizzle-orm (query building, mapping)';
  if (u.includes('node_modules/big.js/')) return 'big.js (decimal maths)';
  if (u.includes('node_modules/zod/')) return 'zod';
  if (u.includes('/worker/src/')) return 'service code (worker/src)';
  if (u.includes('/shared/')) return 'shared domain code';
  if (u.includes('/bench/')) return 'bench harness';
  if (u.startsWith('node:')) return 'Node internals (promises, crypto…)';
  return 'other JS';
}

export interface ProfileSummary {
  totalMs: number;
  byCategory: { category: string; ms: number; pct: number }[];
  topSelf: { fn: string; where: string; category: string; ms: number; pct: number }[];
  projectInclusive: { fn: string; where: string; ms: number; pct: number }[];
}

export function summarise(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Samples inside node:inspector are the profiler itself (starting, serialising the profile): left out.
  const overhead = new Map<number, boolean>();
  const isOverhead = (id: number): boolean => {
    let v = overhead.get(id);
    if (v === undefined) {
      const p = parent.get(id);
      v = byId.get(id)!.callFrame.url === 'node:inspector' || (p !== undefined && isOverhead(p));
      overhead.set(id, v);
    }
    return v;
  };
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    if (isOverhead(id)) continue;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  for (const v of self.values()) total += v;
  const keys = new Map<number, string>();
  const key = (id: number) => {
    let k = keys.get(id);
    if (k === undefined) {
      const f = byId.get(id)!.callFrame;
      k = `${f.functionName || '(anonymous)'}|${f.url ? `${shortUrl(f.url)}:${sourceLine(f)}` : '(native)'}`;
      keys.set(id, k);
    }
    return k;
  };
  const cats = new Map<number, string>();
  const catOf = (id: number): string => {
    let c = cats.get(id);
    if (c === undefined) {
      const p = parent.get(id);
      c = category(byId.get(id)!.callFrame) ?? (p === undefined ? 'V8 builtins / native' : catOf(p));
      cats.set(id, c);
    }
    return c;
  };

  const cat = new Map<string, number>();
  const selfByFn = new Map<string, { ms: number; category: string }>();
  const incl = new Map<string, number>();
  for (const [id, us] of self) {
    const c = catOf(id);
    cat.set(c, (cat.get(c) ?? 0) + us);
    const k = key(id);
    const e = selfByFn.get(k) ?? { ms: 0, category: c };
    e.ms += us;
    selfByFn.set(k, e);
    // inclusive time of project functions: count each function once per stack
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/(worker\/src|shared)\//.test(f.url) || f.url.includes('node_modules')) continue;
      const fk = key(cur);
      if (seen.has(fk)) continue;
      seen.add(fk);
      incl.set(fk, (incl.get(fk) ?? 0) + us);
    }
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const pct = (us: number) => Math.round((1000 * us) / total) / 10;
  const split = (k: string) => {
    const [fn, where] = k.split('|');
    return { fn: fn!, where: where! };
  };
  return {
    totalMs: ms(total),
    byCategory: [...cat].sort((a, b) => b[1] - a[1]).map(([category, us]) => ({ category, ms: ms(us), pct: pct(us) })),
    topSelf: [...selfByFn]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, top)
      .map(([k, v]) => ({ ...split(k), category: v.category, ms: ms(v.ms), pct: pct(v.ms) })),
    projectInclusive: [...incl]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ ...split(k), ms: ms(us), pct: pct(us) })),
  };
}
