/**
 * `npm run bench` — service-layer benchmarks of the order backbone over an embedded libSQL file.
 *
 *   A. create 10,000 orders × 5 lines via createOrders (batches of 500) vs the best raw batched libSQL insert
 *      of the same rows; createOrder one by one (1,000 orders).
 *   B. listOrders p50/p99 over 100,000 orders for 12 filters (200 timed calls each), all held to p99 < 20 ms;
 *      EXPLAIN QUERY PLAN of what listOrders ran.
 *
 * Every database is opened (and migrated) by the app's openDatabase in a temp folder under os.tmpdir(),
 * removed at the end. Prints compact tables to stdout, writes bench/results/latest.json.
 *   --quick         small smoke run (figures not comparable to the targets) → latest-quick.json
 *   --profile       add a V8 CPU profile breakdown of createOrders (off by default)
 *   --save-profile  as --profile, and keep the .cpuprofile in bench/results/ (Chrome DevTools → Performance)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioA, type PerOrderStats, type ScenarioAResult } from './scenario-a.js';
import { scenarioB, type ScenarioBResult } from './scenario-b.js';
import { log, machineLoad, removeBenchRoot, round, table } from './lib/util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const saveProfile = args.has('--save-profile');
const profile = saveProfile || args.has('--profile');

const TARGET_RATIO = 3;
const TARGET_P99_MS = 20;

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(HERE, '..', 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const passFail = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

function printA(a: ScenarioAResult): string {
  const N = a.config.orders;
  const row = (figure: string, t: { wallMsMedian: number; cpuMsMedian: number; wallUsPerOrder: number; wallMs: number[] }) => ({
    figure,
    'wall ms': t.wallMsMedian,
    'cpu ms': t.cpuMsMedian,
    'µs/order': t.wallUsPerOrder,
    'runs (wall ms)': t.wallMs.join(' / '),
  });
  let out = table(
    [
      row('parse: OrderCreate.parse (route’s job, apart)', a.parse),
      row(`service: createOrders, ${N / a.config.batch} calls × ${a.config.batch}`, a.service),
      ...Object.entries(a.raw).map(([name, t]) => row(`raw: ${name}${name === a.rawBest ? ' ← best' : ''}`, t)),
    ],
    `Scenario A — ${N} orders × ${a.config.lines} lines (+ 1 audit row each), one write tx per ${a.config.batch} orders, fresh migrated db per run (order_search triggers fire on both sides); medians`,
  );
  out += `ratio service / best raw: ${a.ratio}× wall (target ≤ ${TARGET_RATIO}× → ${passFail(a.ratio <= TARGET_RATIO)}), ${a.ratioCpu}× cpu, ${a.ratioIncludingParse}× wall incl. parse\n\n`;
  const one = (figure: string, s: PerOrderStats) => ({ figure, orders: s.orders, 'mean ms': s.meanMs, 'p50 ms': s.p50Ms, 'p99 ms': s.p99Ms });
  out += table(
    [
      one('createOrder (own tx + getOrder read-back)', a.oneByOne.createOrder),
      one('createOrders([one]) (no read-back)', a.oneByOne.createOrdersOfOne),
      one('raw: one client.batch write tx per order', a.oneByOne.rawOneTransactionPerOrder),
    ],
    'Scenario A — one order per call (per-order figures)',
  );
  if (a.profile) {
    const p = a.profile;
    const raw = a.profileRaw;
    out += `\n--profile: V8 CPU profile, ${p.orders} orders in batches of ${a.config.batch} — service ${p.wallMs} ms wall / ${p.summary.totalMs} ms sampled${raw ? `; raw ${raw.wallMs} ms wall / ${raw.summary.totalMs} ms sampled` : ''}\n`;
    const cats = [...new Set([...p.summary.byCategory.map((c) => c.category), ...(raw?.summary.byCategory.map((c) => c.category) ?? [])])];
    out += table(
      cats.map((c) => {
        const s = p.summary.byCategory.find((x) => x.category === c);
        const r = raw?.summary.byCategory.find((x) => x.category === c);
        return { 'self time by category': c, 'service ms': s?.ms ?? 0, 'service %': s?.pct ?? 0, 'raw ms': r?.ms ?? 0, 'raw %': r?.pct ?? 0 };
      }),
    );
    out += '\n' + table(p.summary.projectInclusive.slice(0, 10).map((f) => ({ 'service: project function (inclusive)': f.fn, where: f.where, ms: f.ms, '%': f.pct })));
    out += '\n' + table(p.summary.topSelf.slice(0, 10).map((f) => ({ 'service: top self time': f.fn, where: f.where, category: f.category, ms: f.ms, '%': f.pct })));
  }
  return out;
}

function printB(b: ScenarioBResult): string {
  const d = b.data;
  let out = table(
    b.queries.map((q) => ({
      query: q.name,
      rows: q.rows,
      more: q.hasMore ? 'yes' : 'no',
      path: q.path,
      'p50 ms': q.p50Ms,
      'p99 ms': q.p99Ms,
      'max ms': q.maxMs,
      'cpu p50': q.cpuP50Ms,
      'cpu p99': q.cpuP99Ms,
      [`p99<${TARGET_P99_MS}`]: passFail(q.p99Ms < TARGET_P99_MS),
    })),
    `Scenario B — listOrders over ${d.orders} orders (seeded raw in ${round(b.seedMs / 1000, 1)} s through the migrated schema; order_search ${d.searchRows} rows), page ${50}; ${b.config.warmup} warm-up rounds, then ${b.config.iterations} interleaved calls per query; ms (cpu = process CPU per call)\n` +
      `data: ${d.buyers} buyers, ${d.statuses} statuses, ${d.destinations} destinations, created ${d.createdFrom.slice(0, 10)}…${d.createdTo.slice(0, 10)}, ship dates ${d.shipFrom}…${d.shipTo}; every first page checked against the same filter in memory`,
  );
  const o = b.overall;
  out += `overall (all ${b.queries.length} queries, ${o.samples} calls): p50 ${o.p50Ms} ms, p99 ${o.p99Ms} ms (target < ${TARGET_P99_MS} → ${passFail(o.p99Ms < TARGET_P99_MS)}); cpu p50 ${o.cpuP50Ms} ms, cpu p99 ${o.cpuP99Ms} ms\n\n`;
  out += table(
    b.queries.map((q) => ({
      query: q.name,
      'EXPLAIN QUERY PLAN of each statement listOrders ran': q.plan.length > 1 ? q.plan.map((p, i) => `[${i + 1}] ${p}`).join('  ') : (q.plan[0] ?? ''),
    })),
  );
  return out;
}

async function main() {
  const started = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  const cfgA = quick
    ? { orders: 1_000, lines: 5, batch: 500, runs: 1, oneByOne: 100, oneByOneExtras: 50, profileOrders: profile ? 500 : 0 }
    : { orders: 10_000, lines: 5, batch: 500, runs: 3, oneByOne: 1_000, oneByOneExtras: 300, profileOrders: profile ? 2_000 : 0 };
  const cfgB = quick ? { orders: 10_000, warmup: 5, iterations: 50 } : { orders: 100_000, warmup: 20, iterations: 200 };

  let a: ScenarioAResult;
  let b: ScenarioBResult;
  const load: Record<string, ReturnType<typeof machineLoad>> = { start: machineLoad() };
  try {
    log(`scenario A (${cfgA.orders} orders × ${cfgA.lines} lines)… machine load ${JSON.stringify(load.start)}`);
    a = await scenarioA({ ...cfgA, ...(saveProfile ? { profileFile: join(RESULTS, 'scenario-a-service.cpuprofile') } : {}) });
    load.afterA = machineLoad();
    log(`scenario B (${cfgB.orders} orders)… machine load ${JSON.stringify(load.afterA)}`);
    b = await scenarioB(cfgB);
    load.end = machineLoad();
  } finally {
    removeBenchRoot();
  }

  const targets = [
    { id: 'A.ratio', description: `A: createOrders (batches of ${cfgA.batch}) / best raw insert, wall ≤ ${TARGET_RATIO}×`, threshold: TARGET_RATIO, measured: a.ratio, pass: a.ratio <= TARGET_RATIO },
    ...b.queries.map((q) => ({ id: `B.p99.${q.name}`, description: `B: p99 ${q.name} < ${TARGET_P99_MS} ms`, threshold: TARGET_P99_MS, measured: q.p99Ms, pass: q.p99Ms < TARGET_P99_MS })),
    { id: 'B.p99.overall', description: `B: p99 over all ${b.queries.length} queries < ${TARGET_P99_MS} ms`, threshold: TARGET_P99_MS, measured: b.overall.p99Ms, pass: b.overall.p99Ms < TARGET_P99_MS },
  ];
  const allPass = targets.every((t) => t.pass);
  const ld = (l: ReturnType<typeof machineLoad>) => `${l.loadavg1} / ${l.cpuPressureSomeAvg10 ?? 'n/a'}`;

  const out = [
    `exportdesk bench — ${new Date().toISOString()} — node ${process.version} — ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length} — ${platform()} ${release()}${quick ? ' — QUICK MODE (not comparable to targets)' : ''}`,
    `machine load (1-min load avg / CPU pressure "some" avg10 %): start ${ld(load.start!)}, after A ${ld(load.afterA!)}, end ${ld(load.end!)}`,
    '',
    printA(a),
    printB(b),
    table(
      targets.map((t) => ({ target: t.description, measured: t.measured, result: passFail(t.pass) })),
      `Targets — ${targets.filter((t) => t.pass).length}/${targets.length} pass${allPass ? '' : ` (FAIL: ${targets.filter((t) => !t.pass).map((t) => t.id).join(', ')})`}`,
    ),
    `total runtime ${round((Date.now() - started) / 1000, 1)} s; results in bench/results/${quick ? 'latest-quick.json' : 'latest.json'}`,
  ].join('\n');
  process.stdout.write(out + '\n');

  const json = {
    generatedAt: new Date().toISOString(),
    quick,
    environment: {
      node: process.version,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cpuCount: cpus().length,
      totalMemGiB: round(totalmem() / 2 ** 30, 1),
      platform: `${platform()} ${release()}`,
      libsqlClient: pkgVersion('@libsql/client'),
      libsql: pkgVersion('libsql'),
      drizzleOrm: pkgVersion('drizzle-orm'),
      zod: pkgVersion('zod'),
    },
    machineLoad: load,
    runtimeSeconds: round((Date.now() - started) / 1000, 1),
    targets,
    allPass,
    scenarioA: a,
    scenarioB: b,
  };
  writeFileSync(join(RESULTS, quick ? 'latest-quick.json' : 'latest.json'), JSON.stringify(json, null, 2) + '\n');
}

main().catch((e) => {
  removeBenchRoot();
  console.error(e);
  process.exit(1);
});
