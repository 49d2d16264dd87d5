/**
 * Scenario A — create N orders × L lines through the service layer (createOrders in batches), versus a raw
 * batched libSQL insert of the same rows (orders + lines + audit events) prepared in memory up front.
 * Both sides write into a freshly migrated database, so both pay the same schema costs (indexes, and the
 * `order_search` full-text triggers, which fire on every order insert whoever issues it); the row counts of
 * `order_search` are checked after every run.
 */
import { OrderCreate } from '../shared/contracts/orders.js';
import { createOrder, createOrders } from '../worker/src/services/orders/orders.js';
import { loadProducts } from '../worker/src/services/orders/lines.js';
import { createMasterData, orderInputs } from './lib/fixtures.js';
import { cpuProfile, summarise, type ProfileSummary } from './lib/profile.js';
import { groupRows, groupStatements, prepareOrderRows, type InsertStyle } from './lib/raw.js';
import { collectGarbage, freshDatabase, orderRowCounts, type OrderRowCounts, log, median, now, percentile, round, stopwatch } from './lib/util.js';

export interface ScenarioAConfig {
  orders: number;
  lines: number;
  batch: number;
  /** Service and best raw style: this many runs each (fresh db per run); the median is reported. */
  runs: number;
  /** createOrder one by one: this many orders. */
  oneByOne: number;
  /** createOrders([one]) and raw one-transaction-per-order: this many orders (context for batch size 1). */
  oneByOneExtras: number;
  /** CPU profile of a service run (and the best raw style) of this many orders; 0 → no profile (the default). */
  profileOrders: number;
  /** Write the raw .cpuprofile here (open in Chrome DevTools); omitted → not kept. */
  profileFile?: string;
}

export interface Timing {
  wallMs: number[];
  cpuMs: number[];
  wallMsMedian: number;
  cpuMsMedian: number;
  wallUsPerOrder: number;
}
export interface PerOrderStats {
  orders: number;
  totalMs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ScenarioAResult {
  config: Omit<ScenarioAConfig, 'profileFile'>;
  parse: Timing;
  service: Timing;
  raw: Record<string, Timing & { statementsPerTransaction: number }>;
  rawBest: string;
  /** service wall time / best raw wall time (medians) — the target figure. */
  ratio: number;
  /** the same with process CPU time, less sensitive to other processes competing for the cores. */
  ratioCpu: number;
  ratioIncludingParse: number;
  oneByOne: { createOrder: PerOrderStats; createOrdersOfOne: PerOrderStats; rawOneTransactionPerOrder: PerOrderStats };
  profile?: { orders: number; wallMs: number; summary: ProfileSummary; file: string | null };
  /** The same profile of the best raw style, for comparison by category. */
  profileRaw?: { orders: number; wallMs: number; summary: ProfileSummary };
}

const RAW_STYLES: { name: string; style: InsertStyle; runs: 'all' | 1 }[] = [
  // multi-row INSERT … VALUES (…),(…) — 12,000 bound parameters at most per statement (limit 32,766)
  { name: 'multi-row INSERTs in client.batch(…, "write")', style: { kind: 'multi', orders: 500, lines: 1000, audits: 500 }, runs: 'all' },
  // one INSERT per row, all of a group's statements in one client.batch(…, 'write')
  { name: 'single-row INSERTs in client.batch(…, "write")', style: { kind: 'single' }, runs: 1 },
];

function check(label: string, got: OrderRowCounts, orders: number, lines: number) {
  if (got.orders !== orders || got.lines !== orders * lines || got.audits !== orders || got.search !== orders) {
    throw new Error(`${label}: expected ${orders} orders / ${orders * lines} lines / ${orders} audit rows / ${orders} order_search rows, found ${JSON.stringify(got)}`);
  }
}

function timing(samples: { wallMs: number; cpuMs: number }[], orders: number): Timing {
  const wall = samples.map((s) => s.wallMs);
  const cpu = samples.map((s) => s.cpuMs);
  return {
    wallMs: wall.map((x) => round(x)),
    cpuMs: cpu.map((x) => round(x)),
    wallMsMedian: round(median(wall)),
    cpuMsMedian: round(median(cpu)),
    wallUsPerOrder: round((median(wall) * 1000) / orders, 1),
  };
}

const perOrderStats = (ms: number[]): PerOrderStats => {
  const s = [...ms].sort((a, b) => a - b);
  const total = ms.reduce((a, b) => a + b, 0);
  return { orders: ms.length, totalMs: round(total), meanMs: round(total / ms.length, 3), p50Ms: round(percentile(s, 50), 3), p99Ms: round(percentile(s, 99), 3) };
};

export async function scenarioA(cfg: ScenarioAConfig): Promise<ScenarioAResult> {
  const { orders: N, lines: L, batch: B } = cfg;

  // ---- service layer: parse (the route's job, reported apart) + createOrders in batches of B
  const parse: { wallMs: number; cpuMs: number }[] = [];
  const service: { wallMs: number; cpuMs: number }[] = [];
  for (let run = 1; run <= cfg.runs; run++) {
    const db = await freshDatabase('a-service');
    const m = await createMasterData(db.ctx);
    const bodies = orderInputs(m, N, L, { seed: run });
    collectGarbage();
    let stop = stopwatch();
    const parsed = bodies.map((b) => OrderCreate.parse(b));
    parse.push(stop());
    collectGarbage();
    stop = stopwatch();
    for (let i = 0; i < parsed.length; i += B) await createOrders(db.ctx, parsed.slice(i, i + B));
    service.push(stop());
    check('service', await orderRowCounts(db.database), N, L);
    db.close();
    log(`A service run ${run}: parse ${round(parse.at(-1)!.wallMs)} ms, createOrders ${round(service.at(-1)!.wallMs)} ms wall / ${round(service.at(-1)!.cpuMs)} ms cpu`);
  }

  // ---- raw libSQL: the same rows, prepared up front, one write transaction per B orders (as the service)
  const raw: ScenarioAResult['raw'] = {};
  for (const { name, style, runs } of RAW_STYLES) {
    const samples: { wallMs: number; cpuMs: number }[] = [];
    let statements = 0;
    for (let run = 1; run <= (runs === 'all' ? cfg.runs : runs); run++) {
      const db = await freshDatabase('a-raw');
      const m = await createMasterData(db.ctx);
      const parsed = orderInputs(m, N, L, { seed: run }).map((b) => OrderCreate.parse(b));
      const productMap = await loadProducts(db.database.db, db.ctx, m.productIds);
      const groups = groupRows(prepareOrderRows(db.ctx, parsed, productMap), B).map((g) => groupStatements(g, style));
      statements = groups[0]!.length;
      collectGarbage();
      const stop = stopwatch();
      for (const stmts of groups) await db.database.client.batch(stmts, 'write');
      samples.push(stop());
      check(`raw (${name})`, await orderRowCounts(db.database), N, L);
      db.close();
      log(`A raw run ${run} (${name}): ${round(samples.at(-1)!.wallMs)} ms wall / ${round(samples.at(-1)!.cpuMs)} ms cpu`);
    }
    raw[name] = { ...timing(samples, N), statementsPerTransaction: statements };
  }
  const rawBest = Object.entries(raw).sort((a, b) => a[1].wallMsMedian - b[1].wallMsMedian)[0]![0];

  // ---- batch size 1: createOrder one by one (includes its read-back), createOrders([one]), raw one tx per order
  const perOrder = async (label: string, count: number, fn: (db: Awaited<ReturnType<typeof freshDatabase>>, bodies: OrderCreate[]) => Promise<number[]>) => {
    const db = await freshDatabase(label);
    const m = await createMasterData(db.ctx);
    const parsed = orderInputs(m, count, L, { seed: 99 }).map((b) => OrderCreate.parse(b));
    collectGarbage();
    const ms = await fn(db, parsed);
    check(label, await orderRowCounts(db.database), count, L);
    db.close();
    const s = perOrderStats(ms);
    log(`A ${label}: ${s.totalMs} ms for ${count} orders (mean ${s.meanMs} ms)`);
    return s;
  };
  const eachTimed = async (items: OrderCreate[], fn: (p: OrderCreate) => Promise<unknown>) => {
    const ms: number[] = [];
    for (const p of items) {
      const t0 = now();
      await fn(p);
      ms.push(now() - t0);
    }
    return ms;
  };
  const createOrderStats = await perOrder('a-createOrder', cfg.oneByOne, (db, parsed) => eachTimed(parsed, (p) => createOrder(db.ctx, p)));
  const createOrdersOfOneStats = await perOrder('a-createOrders1', cfg.oneByOneExtras, (db, parsed) => eachTimed(parsed, (p) => createOrders(db.ctx, [p])));
  const rawOneStats = await perOrder('a-raw1', cfg.oneByOneExtras, async (db, parsed) => {
    const productMap = await loadProducts(db.database.db, db.ctx, [...new Set(parsed.flatMap((p) => p.lines.map((l) => l.productId)))]);
    const groups = groupRows(prepareOrderRows(db.ctx, parsed, productMap), 1).map((g) => groupStatements(g, { kind: 'multi', orders: 1, lines: 1000, audits: 1 }));
    const ms: number[] = [];
    for (const stmts of groups) {
      const t0 = now();
      await db.database.client.batch(stmts, 'write');
      ms.push(now() - t0);
    }
    return ms;
  });

  const p = timing(parse, N);
  const s = timing(service, N);
  const best = raw[rawBest]!;
  const result: ScenarioAResult = {
    config: { orders: N, lines: L, batch: B, runs: cfg.runs, oneByOne: cfg.oneByOne, oneByOneExtras: cfg.oneByOneExtras, profileOrders: cfg.profileOrders },
    parse: p,
    service: s,
    raw,
    rawBest,
    ratio: round(s.wallMsMedian / best.wallMsMedian),
    ratioCpu: round(s.cpuMsMedian / best.cpuMsMedian),
    ratioIncludingParse: round((s.wallMsMedian + p.wallMsMedian) / best.wallMsMedian),
    oneByOne: { createOrder: createOrderStats, createOrdersOfOne: createOrdersOfOneStats, rawOneTransactionPerOrder: rawOneStats },
  };

  // ---- --profile only: where the time goes, CPU profile of a smaller service run (separate db; not part of the timings)
  if (cfg.profileOrders > 0) {
    const db = await freshDatabase('a-profile');
    const m = await createMasterData(db.ctx);
    const parsed = orderInputs(m, cfg.profileOrders, L, { seed: 7 }).map((b) => OrderCreate.parse(b));
    collectGarbage();
    const file = cfg.profileFile ?? null;
    const t0 = now();
    const { profile } = await cpuProfile(
      async () => {
        for (let i = 0; i < parsed.length; i += B) await createOrders(db.ctx, parsed.slice(i, i + B));
      },
      file ? { saveTo: file } : {},
    );
    const wallMs = round(now() - t0);
    db.close();
    result.profile = { orders: cfg.profileOrders, wallMs, summary: summarise(profile), file };
    log(`A profile: ${cfg.profileOrders} orders in ${wallMs} ms (profiled)`);

    const rdb = await freshDatabase('a-profile-raw');
    const rm = await createMasterData(rdb.ctx);
    const rparsed = orderInputs(rm, cfg.profileOrders, L, { seed: 7 }).map((b) => OrderCreate.parse(b));
    const productMap = await loadProducts(rdb.database.db, rdb.ctx, rm.productIds);
    const style = RAW_STYLES.find((r) => r.name === rawBest)!.style;
    const groups = groupRows(prepareOrderRows(rdb.ctx, rparsed, productMap), B).map((g) => groupStatements(g, style));
    collectGarbage();
    const r0 = now();
    const { profile: rawProfile } = await cpuProfile(async () => {
      for (const stmts of groups) await rdb.database.client.batch(stmts, 'write');
    });
    result.profileRaw = { orders: cfg.profileOrders, wallMs: round(now() - r0), summary: summarise(rawProfile) };
    rdb.close();
  }
  return result;
}
