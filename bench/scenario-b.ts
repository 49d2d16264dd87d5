/**
 * Scenario B — listOrders latency over a database of N orders (inserted raw for speed, realistic values):
 * a mix of filters through the real service, warm-up then ≥ 200 timed calls each; p50/p99 per query and overall.
 */
import type { Client, InStatement } from '@libsql/client';
import { OrderListQuery } from '../shared/contracts/orders.js';
import { createDatabase } from '../worker/src/db/client.js';
import { orders } from '../worker/src/db/schema/index.js';
import { newId } from '../worker/src/lib/ids.js';
import type { ServiceContext } from '../worker/src/services/context.js';
import { listOrders } from '../worker/src/services/orders/orders.js';
import type { OrderRow } from '../worker/src/services/orders/mapping.js';
import { createMasterData, DESTINATIONS, LIST_STATUSES, LOADING_PORTS, pick, reference, rng, type MasterData } from './lib/fixtures.js';
import { multiRowInserts } from './lib/raw.js';
import { collectGarbage, freshDatabase, log, now, percentile, round } from './lib/util.js';

export interface ScenarioBConfig {
  orders: number;
  warmup: number;
  iterations: number;
}

export interface QueryResult {
  name: string;
  required: boolean;
  query: Record<string, unknown>;
  rows: number;
  hasMore: boolean;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  iterations: number;
  plan: string;
}

export interface ScenarioBResult {
  config: ScenarioBConfig;
  seedMs: number;
  data: { orders: number; buyers: number; statuses: number; destinations: number; createdFrom: string; createdTo: string; shipFrom: string; shipTo: string };
  queries: QueryResult[];
  overall: { p50Ms: number; p99Ms: number; samples: number };
  overallInclExtras: { p50Ms: number; p99Ms: number; samples: number };
  whatIf: { name: string; p50Ms: number; p99Ms: number; rows: number; note: string }[];
}

const CREATED_FROM = Date.parse('2025-11-01T00:00:00Z');
const CREATED_TO = Date.parse('2026-10-31T23:59:59Z');
const DAY = 86_400_000;

/** Status by age: recent orders are drafts/confirmed/in production; old ones delivered or closed. */
function statusFor(age: number, r: () => number): (typeof LIST_STATUSES)[number] {
  const x = r();
  if (x < 0.04) return 'cancelled';
  if (age > 0.92) return x < 0.35 ? 'draft' : x < 0.7 ? 'confirmed' : x < 0.9 ? 'in_production' : 'ready_to_ship';
  if (age > 0.8) return x < 0.2 ? 'confirmed' : x < 0.55 ? 'in_production' : x < 0.8 ? 'ready_to_ship' : 'shipped';
  if (age > 0.6) return x < 0.1 ? 'ready_to_ship' : x < 0.5 ? 'shipped' : 'delivered';
  return x < 0.05 ? 'shipped' : x < 0.45 ? 'delivered' : 'closed';
}

/** N order rows spread over a year of creation dates, ids time-ordered like the app's (ULID at created_at). */
function listingRows(ctx: ServiceContext, m: MasterData, n: number): OrderRow[] {
  const r = rng(2026);
  const rows: OrderRow[] = [];
  const seqByYear = new Map<number, number>();
  const step = (CREATED_TO - CREATED_FROM) / n;
  const terms = [
    { type: 'advance', percent: '30', balance: 'against_bl_copy' },
    { type: 'lc', tenor: 'sight' },
    { type: 'da', days: 90, from: 'bl_date' },
    { type: 'open_account', days: 60, from: 'invoice_date' },
  ];
  for (let i = 0; i < n; i++) {
    const created = Math.floor(CREATED_FROM + i * step + r() * step * 0.9);
    const year = new Date(created).getUTCFullYear();
    const seq = (seqByYear.get(year) ?? 0) + 1;
    seqByYear.set(year, seq);
    const buyer = pick(r, m.buyers);
    const dest = r() < 0.75 ? buyer.destination : pick(r, DESTINATIONS);
    const load = pick(r, LOADING_PORTS);
    const lineCount = 1 + Math.floor(r() * 8);
    const at = new Date(created).toISOString();
    rows.push({
      id: newId('ord', created),
      orgId: ctx.orgId,
      reference: reference(year, seq),
      buyerPo: r() < 0.9 ? `${buyer.code}-PO-${10000 + Math.floor(r() * 89999)}` : null,
      buyerId: buyer.id,
      consigneeId: buyer.id,
      notifyPartyId: r() < 0.2 ? m.notifyPartyId : null,
      portOfLoading: load.port,
      portOfDischarge: dest.port,
      destinationCountry: dest.country,
      incoterm: pick(r, ['FOB', 'CIF', 'CFR', 'FCA']),
      incotermPlace: load.city,
      transportMode: 'sea',
      paymentTerms: pick(r, terms),
      currency: dest.currency,
      requestedShipDate: new Date(created + (15 + Math.floor(r() * 105)) * DAY).toISOString().slice(0, 10),
      remarks: r() < 0.2 ? 'Shipping marks as per buyer artwork.' : null,
      status: statusFor(i / n, r),
      totalMinor: lineCount * (50_000 + Math.floor(r() * 2_000_000)),
      lineCount,
      version: 1 + Math.floor(r() * 4),
      createdBy: ctx.actor.userId,
      createdAt: at,
      updatedAt: at,
    });
  }
  return rows;
}

/** A client that remembers the last statement it executed, to EXPLAIN what the service really ran. */
function capturingClient(client: Client): { client: Client; last: () => InStatement | undefined } {
  let last: InStatement | undefined;
  const proxy = new Proxy(client, {
    get(target, prop) {
      if (prop === 'execute') {
        return (stmt: InStatement, args?: unknown) => {
          last = stmt;
          return (target.execute as (s: InStatement, a?: unknown) => unknown)(stmt, args);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { client: proxy, last: () => last };
}

async function explain(client: Client, stmt: InStatement | undefined): Promise<string> {
  if (!stmt || typeof stmt === 'string') return '';
  const rs = await client.execute({ sql: `EXPLAIN QUERY PLAN ${stmt.sql}`, args: stmt.args });
  return rs.rows.map((r) => String(r.detail)).join(' | ');
}

async function measure(ctx: ServiceContext, q: OrderListQuery, warmup: number, iterations: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await listOrders(ctx, q);
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = now();
    await listOrders(ctx, q);
    ms.push(now() - t0);
  }
  return ms;
}

export async function scenarioB(cfg: ScenarioBConfig): Promise<ScenarioBResult> {
  const db = await freshDatabase('b-list');
  try {
    const m = await createMasterData(db.ctx);
    const t0 = now();
    const rows = listingRows(db.ctx, m, cfg.orders);
    for (let i = 0; i < rows.length; i += 10_000) {
      await db.database.client.batch(multiRowInserts(orders, rows.slice(i, i + 10_000) as unknown as Record<string, unknown>[], 500), 'write');
    }
    await db.database.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const seedMs = round(now() - t0);
    log(`B seeded ${cfg.orders} orders in ${seedMs} ms`);

    const ctx = db.ctx;
    const cap = capturingClient(db.database.client);
    const explainCtx: ServiceContext = { ...ctx, database: createDatabase(cap.client, { serializeWrites: true }) };

    // Cursor to page 5: walk pages 1–4 (50 per page) with no filter.
    let cursor: string | undefined;
    for (let p = 1; p <= 4; p++) cursor = (await listOrders(ctx, OrderListQuery.parse({ ...(cursor ? { cursor } : {}) }))).nextCursor ?? undefined;
    const buyer = m.buyers[3]!;

    const specs: { name: string; required: boolean; query: Record<string, string> }[] = [
      { name: 'no filter (page 1)', required: true, query: {} },
      { name: 'status', required: true, query: { status: 'in_production' } },
      { name: 'status + destination', required: true, query: { status: 'shipped', destinationCountry: 'ZA' } },
      { name: 'buyerId', required: true, query: { buyerId: buyer.id } },
      { name: 'ship date range (1 month)', required: true, query: { shipFrom: '2026-06-01', shipTo: '2026-06-30' } },
      { name: "q reference fragment '0123'", required: true, query: { q: '0123' } },
      { name: "q no match 'ZZQX9'", required: true, query: { q: 'ZZQX9' } },
      { name: 'page 5 via cursor', required: true, query: { cursor: cursor! } },
      { name: 'extra: status list draft,confirmed', required: false, query: { status: 'draft,confirmed' } },
      { name: 'extra: created range (Jan 2026)', required: false, query: { createdFrom: '2026-01-01', createdTo: '2026-01-31' } },
      { name: 'extra: buyer + ship range + status', required: false, query: { buyerId: buyer.id, shipFrom: '2026-03-01', shipTo: '2026-05-31', status: 'delivered' } },
    ];

    const queries: QueryResult[] = [];
    for (const s of specs) {
      const q = OrderListQuery.parse(s.query);
      const page = await listOrders(explainCtx, q);
      const plan = await explain(db.database.client, cap.last());
      collectGarbage();
      const ms = await measure(ctx, q, cfg.warmup, cfg.iterations);
      const sorted = [...ms].sort((a, b) => a - b);
      const r: QueryResult = {
        name: s.name,
        required: s.required,
        query: { ...s.query, ...(s.query.cursor ? { cursor: '<page-4 nextCursor>' } : {}), ...(s.query.buyerId ? { buyerId: `${s.query.buyerId} (${buyer.code})` } : {}) },
        rows: page.items.length,
        hasMore: page.nextCursor !== null,
        p50Ms: round(percentile(sorted, 50), 3),
        p99Ms: round(percentile(sorted, 99), 3),
        meanMs: round(ms.reduce((a, b) => a + b, 0) / ms.length, 3),
        maxMs: round(sorted.at(-1)!, 3),
        iterations: ms.length,
        plan,
      };
      (r as QueryResult & { samples?: number[] }).samples = ms;
      queries.push(r);
      log(`B ${s.name}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.rows} rows)`);
    }
    const all = (filter: (q: QueryResult) => boolean) => {
      const xs = queries.filter(filter).flatMap((q) => (q as QueryResult & { samples?: number[] }).samples ?? []).sort((a, b) => a - b);
      return { p50Ms: round(percentile(xs, 50), 3), p99Ms: round(percentile(xs, 99), 3), samples: xs.length };
    };
    const overall = all((q) => q.required);
    const overallInclExtras = all(() => true);
    for (const q of queries) delete (q as QueryResult & { samples?: number[] }).samples;

    const whatIf = await whatIfs(db.database.client, ctx.orgId, cfg);
    return {
      config: cfg,
      seedMs,
      data: {
        orders: cfg.orders,
        buyers: m.buyers.length,
        statuses: new Set(rows.map((r) => r.status)).size,
        destinations: new Set(rows.map((r) => r.destinationCountry)).size,
        createdFrom: rows[0]!.createdAt,
        createdTo: rows.at(-1)!.createdAt,
        shipFrom: rows.reduce((a, r) => (r.requestedShipDate! < a ? r.requestedShipDate! : a), '9999'),
        shipTo: rows.reduce((a, r) => (r.requestedShipDate! > a ? r.requestedShipDate! : a), '0000'),
      },
      queries,
      overall,
      overallInclExtras,
      whatIf,
    };
  } finally {
    db.close();
  }
}

/**
 * Candidate fixes tried on this temp database only (no app code touched): the text search through an
 * FTS5 trigram index instead of LIKE '%…%' over every row. Raw SQL, same shape of result (page of order rows).
 */
async function whatIfs(client: Client, orgId: string, cfg: ScenarioBConfig): Promise<ScenarioBResult['whatIf']> {
  const out: ScenarioBResult['whatIf'] = [];
  try {
    await client.execute(`CREATE VIRTUAL TABLE bench_orders_text USING fts5(reference, buyer_po, content='orders', content_rowid='rowid', tokenize='trigram')`);
    await client.execute(`INSERT INTO bench_orders_text(bench_orders_text) VALUES ('rebuild')`);
  } catch (e) {
    return [{ name: 'FTS5 trigram index', p50Ms: NaN, p99Ms: NaN, rows: 0, note: `not available in this libSQL build: ${(e as Error).message}` }];
  }
  const run = async (name: string, text: string, note: string) => {
    const stmt = {
      sql: `SELECT * FROM orders WHERE org_id = ? AND rowid IN (SELECT rowid FROM bench_orders_text WHERE bench_orders_text MATCH ?) ORDER BY id DESC LIMIT 51`,
      args: [orgId, `"${text.replace(/"/g, '""')}"`],
    };
    const rows = (await client.execute(stmt)).rows.length;
    for (let i = 0; i < cfg.warmup; i++) await client.execute(stmt);
    const ms: number[] = [];
    for (let i = 0; i < cfg.iterations; i++) {
      const t0 = now();
      await client.execute(stmt);
      ms.push(now() - t0);
    }
    ms.sort((a, b) => a - b);
    out.push({ name, p50Ms: round(percentile(ms, 50), 3), p99Ms: round(percentile(ms, 99), 3), rows, note });
  };
  await run("FTS5 trigram: q '0123'", '0123', 'raw SQL, no row mapping; ≥3-character fragments only');
  await run("FTS5 trigram: q 'ZZQX9' (no match)", 'ZZQX9', 'raw SQL, no row mapping');
  return out;
}
