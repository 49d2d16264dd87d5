/**
 * Scenario B — listOrders latency over a database of N orders. The rows are inserted raw (fast, realistic
 * values) into a database opened and migrated like the app's, so the `order_search` triggers index them
 * exactly as they would index orders created through the service. Every query goes through the real
 * listOrders; its first page is checked against the same filter applied in memory; warm-up, then ≥ 200
 * interleaved timed calls each; p50/p99 per query and overall.
 */
import type { Client, InStatement } from '@libsql/client';
import { OrderListQuery } from '../shared/contracts/orders.js';
import { createDatabase } from '../worker/src/db/client.js';
import { orders } from '../worker/src/db/schema/index.js';
import type { ServiceContext } from '../worker/src/services/context.js';
import { listOrders } from '../worker/src/services/orders/orders.js';
import type { OrderRow } from '../worker/src/services/orders/mapping.js';
import { decodeCursor } from '../worker/src/services/pagination.js';
import { createMasterData, DESTINATIONS, LIST_STATUSES, LOADING_PORTS, pick, reference, rng, type MasterData } from './lib/fixtures.js';
import { multiRowInserts } from './lib/raw.js';
import { collectGarbage, freshDatabase, log, now, percentile, round, stopwatch } from './lib/util.js';

export interface ScenarioBConfig {
  orders: number;
  warmup: number;
  iterations: number;
}

export interface QueryResult {
  name: string;
  query: Record<string, unknown>;
  rows: number;
  hasMore: boolean;
  /** For q: which way listOrders went — the trigram index (`fts`) or the LIKE scan (`like`). */
  path: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Process CPU time per call: what the call costs when it does not have to wait for a core. */
  cpuP50Ms: number;
  cpuP99Ms: number;
  iterations: number;
  /** EXPLAIN QUERY PLAN of each statement the call ran, in order. */
  plan: string[];
}

export interface Overall {
  p50Ms: number;
  p99Ms: number;
  cpuP50Ms: number;
  cpuP99Ms: number;
  samples: number;
}

export interface ScenarioBResult {
  config: ScenarioBConfig;
  seedMs: number;
  data: { orders: number; searchRows: number; buyers: number; statuses: number; destinations: number; createdFrom: string; createdTo: string; shipFrom: string; shipTo: string };
  queries: QueryResult[];
  overall: Overall;
}

const CREATED_FROM = Date.parse('2025-11-01T00:00:00Z');
const CREATED_TO = Date.parse('2026-10-31T23:59:59Z');
const DAY = 86_400_000;
const PAGE = 50;

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
export function listingRows(ctx: ServiceContext, m: MasterData, n: number): OrderRow[] {
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
      id: ulidAt('ord', created, r),
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

/** A client that records the statements it executes, to EXPLAIN what the service really ran. */
function capturingClient(client: Client): { client: Client; take: () => InStatement[] } {
  let seen: InStatement[] = [];
  const proxy = new Proxy(client, {
    get(target, prop) {
      if (prop === 'execute') {
        return (stmt: InStatement, args?: unknown) => {
          seen.push(stmt);
          return (target.execute as (s: InStatement, a?: unknown) => unknown)(stmt, args);
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return {
    client: proxy,
    take: () => {
      const out = seen;
      seen = [];
      return out;
    },
  };
}

async function explain(client: Client, stmt: InStatement): Promise<string> {
  if (typeof stmt === 'string') return '';
  const rs = await client.execute({ sql: `EXPLAIN QUERY PLAN ${stmt.sql}`, args: stmt.args });
  return rs.rows.map((r) => String(r.detail)).join(' | ');
}

/** The migrated schema the listing relies on must be there (else the bench would time something else). */
async function checkSchema(client: Client): Promise<void> {
  const rs = await client.execute(`select name from sqlite_master where type in ('table', 'index', 'trigger')`);
  const names = new Set(rs.rows.map((r) => String(r.name)));
  const missing = ['order_search', 'orders_search_insert', 'orders_search_update', 'orders_search_delete', 'orders_org_ship_date', 'orders_org_created'].filter((n) => !names.has(n));
  if (missing.length) throw new Error(`bench database is missing ${missing.join(', ')}: migrations not applied?`);
}

/** The query's filter, applied in memory to the seeded rows: the first page listOrders must return. */
function expectedPage(rows: OrderRow[], q: OrderListQuery): string[] {
  const after = decodeCursor(q.cursor);
  const text = q.q?.toLowerCase();
  const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY).toISOString();
  return rows
    .filter(
      (r) =>
        (!after || r.id < after) &&
        (!q.status || q.status.includes(r.status as never)) &&
        (!q.buyerId || r.buyerId === q.buyerId) &&
        (!q.destinationCountry || r.destinationCountry === q.destinationCountry) &&
        (!q.shipFrom || (r.requestedShipDate ?? '') >= q.shipFrom) &&
        (!q.shipTo || (r.requestedShipDate !== null && r.requestedShipDate <= q.shipTo)) &&
        (!q.createdFrom || r.createdAt >= q.createdFrom) &&
        (!q.createdTo || r.createdAt < nextDay(q.createdTo)) &&
        (!text || r.reference.toLowerCase().includes(text) || (r.buyerPo ?? '').toLowerCase().includes(text)),
    )
    .map((r) => r.id)
    .sort()
    .reverse()
    .slice(0, q.limit);
}

export async function scenarioB(cfg: ScenarioBConfig): Promise<ScenarioBResult> {
  const db = await freshDatabase('b-list'); // openDatabase: migrated schema, FTS table and triggers included
  try {
    const client = db.database.client;
    await checkSchema(client);
    const m = await createMasterData(db.ctx);
    const t0 = now();
    const rows = listingRows(db.ctx, m, cfg.orders);
    for (let i = 0; i < rows.length; i += 10_000) {
      await client.batch(multiRowInserts(orders, rows.slice(i, i + 10_000) as unknown as Record<string, unknown>[], 500), 'write');
    }
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const seedMs = round(now() - t0);
    const searchRows = Number((await client.execute('select count(*) as n from order_search')).rows[0]!.n);
    if (searchRows !== cfg.orders) throw new Error(`order_search holds ${searchRows} rows for ${cfg.orders} orders: the insert trigger did not fire`);
    log(`B seeded ${cfg.orders} orders (order_search filled by the trigger) in ${seedMs} ms`);

    const ctx = db.ctx;
    const cap = capturingClient(client);
    const explainCtx: ServiceContext = { ...ctx, database: createDatabase(cap.client, { serializeWrites: true }) };

    // Cursor to page 5: walk pages 1–4 (50 per page) with no filter.
    let cursor: string | undefined;
    for (let p = 1; p <= 4; p++) cursor = (await listOrders(ctx, OrderListQuery.parse({ ...(cursor ? { cursor } : {}) }))).nextCursor ?? undefined;
    const buyer = m.buyers[3]!;

    const specs: { name: string; query: Record<string, string> }[] = [
      { name: 'no filter (page 1)', query: {} },
      { name: 'status', query: { status: 'in_production' } },
      { name: 'status + destination', query: { status: 'shipped', destinationCountry: 'ZA' } },
      { name: 'buyerId', query: { buyerId: buyer.id } },
      { name: 'ship date range (1 month)', query: { shipFrom: '2026-06-01', shipTo: '2026-06-30' } },
      { name: "q reference fragment '0123'", query: { q: '0123' } },
      { name: "q no match 'ZZQX9'", query: { q: 'ZZQX9' } },
      { name: 'page 5 via cursor', query: { cursor: cursor! } },
      { name: "q common fragment '2026'", query: { q: '2026' } },
      { name: 'status list draft,confirmed', query: { status: 'draft,confirmed' } },
      { name: 'created range (Jan 2026)', query: { createdFrom: '2026-01-01', createdTo: '2026-01-31' } },
      { name: 'buyer + ship range + status', query: { buyerId: buyer.id, shipFrom: '2026-03-01', shipTo: '2026-05-31', status: 'delivered' } },
    ];
    const parsed = specs.map((s) => OrderListQuery.parse(s.query));
    if (parsed.some((q) => q.limit !== PAGE)) throw new Error(`default page size is not ${PAGE}`);

    // Once per query: the statements listOrders ran (EXPLAINed), and its first page checked against the rows.
    const plans: string[][] = [];
    const paths: string[] = [];
    const firstPages: { rows: number; hasMore: boolean }[] = [];
    for (const [j, q] of parsed.entries()) {
      cap.take();
      const page = await listOrders(explainCtx, q);
      const stmts = cap.take();
      plans.push(await Promise.all(stmts.map((s) => explain(client, s))));
      const main = stmts.at(-1);
      paths.push(!q.q ? '' : typeof main !== 'string' && main?.sql.includes('order_search') ? 'fts' : 'like');
      firstPages.push({ rows: page.items.length, hasMore: page.nextCursor !== null });
      const want = expectedPage(rows, q);
      const got = page.items.map((o) => o.id);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        throw new Error(`listOrders "${specs[j]!.name}" returned ${got.length} rows that differ from the in-memory filter (${want.length} rows)`);
      }
    }

    // Warm up, then interleave: each round calls every query once (rotating the start), so bursts of load
    // from other processes spread over all queries instead of landing on one.
    for (let w = 0; w < cfg.warmup; w++) for (const q of parsed) await listOrders(ctx, q);
    collectGarbage();
    const wall: number[][] = parsed.map(() => []);
    const cpu: number[][] = parsed.map(() => []);
    for (let i = 0; i < cfg.iterations; i++) {
      for (let k = 0; k < parsed.length; k++) {
        const j = (i + k) % parsed.length;
        const stop = stopwatch();
        await listOrders(ctx, parsed[j]!);
        const t = stop();
        wall[j]!.push(t.wallMs);
        cpu[j]!.push(t.cpuMs);
      }
    }

    const queries: QueryResult[] = specs.map((s, j) => {
      const w = [...wall[j]!].sort((a, b) => a - b);
      const c = [...cpu[j]!].sort((a, b) => a - b);
      const r: QueryResult = {
        name: s.name,
        query: { ...s.query, ...(s.query.cursor ? { cursor: '<page-4 nextCursor>' } : {}), ...(s.query.buyerId ? { buyerId: `${s.query.buyerId} (${buyer.code})` } : {}) },
        rows: firstPages[j]!.rows,
        hasMore: firstPages[j]!.hasMore,
        path: paths[j]!,
        p50Ms: round(percentile(w, 50), 3),
        p99Ms: round(percentile(w, 99), 3),
        maxMs: round(w.at(-1)!, 3),
        cpuP50Ms: round(percentile(c, 50), 3),
        cpuP99Ms: round(percentile(c, 99), 3),
        iterations: w.length,
        plan: plans[j]!,
      };
      log(`B ${s.name}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, cpu p50 ${r.cpuP50Ms} ms (${r.rows} rows)`);
      return r;
    });
    const w = wall.flat().sort((a, b) => a - b);
    const c = cpu.flat().sort((a, b) => a - b);
    const overall = { p50Ms: round(percentile(w, 50), 3), p99Ms: round(percentile(w, 99), 3), cpuP50Ms: round(percentile(c, 50), 3), cpuP99Ms: round(percentile(c, 99), 3), samples: w.length };

    return {
      config: cfg,
      seedMs,
      data: {
        orders: cfg.orders,
        searchRows,
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
    };
  } finally {
    db.close();
  }
}

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * An id in newId()'s format for a past creation time. (newId itself is monotonic: asked for a time before the
 * last id it issued, it reuses that later time — fine for the app, wrong for back-dated seed rows.)
 */
function ulidAt(prefix: string, ms: number, r: () => number): string {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = ULID_ALPHABET[t % 32] + time;
  let random = '';
  for (let i = 0; i < 16; i++) random += ULID_ALPHABET[Math.floor(r() * 32)];
  return `${prefix}_${time}${random}`;
}
