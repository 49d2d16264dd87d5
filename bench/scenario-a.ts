/**
 * Scenario A — create N orders × L lines through the service layer (createOrders in batches), versus a raw
 * batched libSQL insert of the same rows (orders + lines + audit events) prepared in memory up front.
 */
import { sql } from 'drizzle-orm';
import { OrderCreate } from '../shared/contracts/orders.js';
import { createOrder, createOrders } from '../worker/src/services/orders/orders.js';
import { loadProducts } from '../worker/src/services/orders/lines.js';
import type { Database } from '../worker/src/db/client.js';
import { createMasterData, orderInputs } from './lib/fixtures.js';
import { cpuProfile, summarise, type ProfileSummary } from './lib/profile.js';
import { groupRows, groupStatements, prepareOrderRows, type InsertStyle } from './lib/raw.js';
import { collectGarbage, freshDatabase, log, median, now, percentile, round } from './lib/util.js';

export interface ScenarioAConfig {
  orders: number;
  lines: number;
  batch: number;
  oneByOne: number;
  runs: number;
  profileOrders: number;
  /** Write the raw .cpuprofile here (open in Chrome DevTools); omitted → not kept. */
  profileFile?: string;
}

export interface ScenarioAResult {
  config: Omit<ScenarioAConfig, 'profileFile'>;
  service: { parseMs: number[]; createMs: number[]; parseMsMedian: number; createMsMedian: number; perOrderUs: number };
  raw: Record<string, { ms: number[]; msMedian: number; perOrderUs: number }>;
  rawBest: { style: string; msMedian: number };
  ratio: number;
  ratioIncludingParse: number;
  oneByOne: {
    createOrder: { orders: number; totalMs: number; meanMs: number; p50Ms: number; p99Ms: number };
    createOrdersOfOne: { orders: number; totalMs: number; meanMs: number; p50Ms: number; p99Ms: number };
    rawOneTransactionPerOrder: { orders: number; totalMs: number; meanMs: number; p50Ms: number; p99Ms: number };
  };
  profile?: { orders: number; wallMs: number; summary: ProfileSummary; file: string | null };
}

const RAW_STYLES: Record<string, InsertStyle> = {
  // one INSERT per row, all statements of a group in one client.batch(…, 'write')
  'batch of single-row INSERTs': { kind: 'single' },
  // multi-row INSERT … VALUES (…),(…) — ≤ 32,766 bound parameters per statement
  'batch of multi-row INSERTs': { kind: 'multi', orders: 500, lines: 1000, audits: 500 },
};

async function counts(database: Database) {
  const one = async (q: ReturnType<typeof sql>) => Number(((await database.db.all(q)) as { n: number }[])[0]!.n);
  return {
    orders: await one(sql`select count(*) as n from orders`),
    lines: await one(sql`select count(*) as n from order_lines`),
    audits: await one(sql`select count(*) as n from audit_events where action = 'order.created'`),
  };
}

function check(label: string, got: { orders: number; lines: number; audits: number }, orders: number, lines: number) {
  if (got.orders !== orders || got.lines !== orders * lines || got.audits !== orders) {
    throw new Error(`${label}: expected ${orders} orders / ${orders * lines} lines / ${orders} audit rows, found ${JSON.stringify(got)}`);
  }
}

const statsOf = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  const total = ms.reduce((a, b) => a + b, 0);
  return { orders: ms.length, totalMs: round(total), meanMs: round(total / ms.length, 3), p50Ms: round(percentile(s, 50), 3), p99Ms: round(percentile(s, 99), 3) };
};

export async function scenarioA(cfg: ScenarioAConfig): Promise<ScenarioAResult> {
  const { orders: N, lines: L, batch: B } = cfg;

  // ---- service layer: parse (route's job, reported apart) + createOrders in batches of B
  const parseMs: number[] = [];
  const createMs: number[] = [];
  for (let run = 1; run <= cfg.runs; run++) {
    const db = await freshDatabase('a-service');
    const m = await createMasterData(db.ctx);
    const bodies = orderInputs(m, N, L, { seed: run });
    collectGarbage();
    let t0 = now();
    const parsed = bodies.map((b) => OrderCreate.parse(b));
    parseMs.push(now() - t0);
    collectGarbage();
    t0 = now();
    for (let i = 0; i < parsed.length; i += B) await createOrders(db.ctx, parsed.slice(i, i + B));
    createMs.push(now() - t0);
    check('service', await counts(db.database), N, L);
    db.close();
    log(`A service run ${run}: parse ${round(parseMs.at(-1)!)} ms, createOrders ${round(createMs.at(-1)!)} ms`);
  }

  // ---- raw libSQL: the same rows, prepared up front, inserted in one write transaction per B orders
  const raw: ScenarioAResult['raw'] = {};
  for (const [style, spec] of Object.entries(RAW_STYLES)) {
    const ms: number[] = [];
    for (let run = 1; run <= cfg.runs; run++) {
      const db = await freshDatabase('a-raw');
      const m = await createMasterData(db.ctx);
      const parsed = orderInputs(m, N, L, { seed: run }).map((b) => OrderCreate.parse(b));
      const productMap = await loadProducts(db.database.db, db.ctx, m.productIds);
      const groups = groupRows(prepareOrderRows(db.ctx, parsed, productMap), B).map((g) => groupStatements(g, spec));
      collectGarbage();
      const t0 = now();
      for (const stmts of groups) await db.database.client.batch(stmts, 'write');
      ms.push(now() - t0);
      check(`raw (${style})`, await counts(db.database), N, L);
      db.close();
      log(`A raw run ${run} (${style}): ${round(ms.at(-1)!)} ms`);
    }
    raw[style] = { ms: ms.map((x) => round(x)), msMedian: round(median(ms)), perOrderUs: round((median(ms) * 1000) / N, 1) };
  }
  const [bestStyle, best] = Object.entries(raw).sort((a, b) => a[1].msMedian - b[1].msMedian)[0]!;

  // ---- batch size 1: createOrder one by one (includes its read-back), createOrders([one]), raw one tx per order
  const perOrder = async (label: string, fn: (db: Awaited<ReturnType<typeof freshDatabase>>, bodies: OrderCreate[]) => Promise<number[]>) => {
    const db = await freshDatabase(label);
    const m = await createMasterData(db.ctx);
    const parsed = orderInputs(m, cfg.oneByOne, L, { seed: 99 }).map((b) => OrderCreate.parse(b));
    collectGarbage();
    const ms = await fn(db, parsed);
    check(label, await counts(db.database), cfg.oneByOne, L);
    db.close();
    const s = statsOf(ms);
    log(`A ${label}: ${s.totalMs} ms for ${cfg.oneByOne} orders (mean ${s.meanMs} ms)`);
    return s;
  };
  const createOrderStats = await perOrder('a-createOrder', async (db, parsed) => {
    const ms: number[] = [];
    for (const p of parsed) {
      const t0 = now();
      await createOrder(db.ctx, p);
      ms.push(now() - t0);
    }
    return ms;
  });
  const createOrdersOfOneStats = await perOrder('a-createOrders1', async (db, parsed) => {
    const ms: number[] = [];
    for (const p of parsed) {
      const t0 = now();
      await createOrders(db.ctx, [p]);
      ms.push(now() - t0);
    }
    return ms;
  });
  const rawOneStats = await perOrder('a-raw1', async (db, parsed) => {
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

  const createMsMedian = median(createMs);
  const parseMsMedian = median(parseMs);
  const result: ScenarioAResult = {
    config: { orders: N, lines: L, batch: B, oneByOne: cfg.oneByOne, runs: cfg.runs, profileOrders: cfg.profileOrders },
    service: {
      parseMs: parseMs.map((x) => round(x)),
      createMs: createMs.map((x) => round(x)),
      parseMsMedian: round(parseMsMedian),
      createMsMedian: round(createMsMedian),
      perOrderUs: round((createMsMedian * 1000) / N, 1),
    },
    raw,
    rawBest: { style: bestStyle, msMedian: best.msMedian },
    ratio: round(createMsMedian / best.msMedian),
    ratioIncludingParse: round((createMsMedian + parseMsMedian) / best.msMedian),
    oneByOne: { createOrder: createOrderStats, createOrdersOfOne: createOrdersOfOneStats, rawOneTransactionPerOrder: rawOneStats },
  };

  // ---- where the time goes: CPU profile of a smaller service run (separate db; not part of the timings)
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
  }
  return result;
}
