/**
 * `npm run bench` — service-layer benchmarks of the order backbone over an embedded libSQL file.
 *
 *   A. create 10,000 orders × 5 lines via createOrders (batches of 500) vs the best raw batched libSQL insert
 *      of the same rows; createOrder one by one (1,000 orders).
 *   B. listOrders p50/p99 over 100,000 orders for 12 filters (200 timed calls each), all held to p99 < 20 ms;
 *      EXPLAIN QUERY PLAN of what listOrders ran.
 *   C. the full document pack of a 200-line order — five documents, seven files (proforma docx, commercial
 *      invoice docx + xlsx, packing list docx + xlsx, certificate of origin docx, shipping instructions docx):
 *      on Node through packEngine.evaluate + packEngine.render as generateDocuments calls them (median/p90 per
 *      file and per pack, peak RSS and heap; pack median held to < 300 ms), and in workerd (the Worker bundle in
 *      Miniflare over Hrana) as POST /orders/{id}/documents, 100 requests in a row, all held to 201.
 *   D. bulk import of an order sheet: 10,000 lines / 2,000 orders of raw cells through importOrders (commit, one
 *      transaction) vs the raw batched insert of the same rows (held to ≤ 3× and < 5 s); once through POST /imports.
 *   E. the Excel add-in's Pull and Publish at 10, 5,000 and 20,000 rows over the fake Excel host and the API
 *      in-process: context.sync() calls (held to ≤ 4 at 10 and 5,000 rows), largest request, time.
 *   F. the exception sweep: every rule of templates/exceptions/rules.json over 10,000 open shipments (raw-seeded with
 *      bookings, revisions, documents, milestones, production jobs, inspections): first sweep (creates the exceptions,
 *      cold validation cache) and steady state, medians of 3, each held to < 2 s.
 *
 * Every database is opened (and migrated) by the app's openDatabase in a temp folder under os.tmpdir(),
 * removed at the end. Prints compact tables to stdout, writes bench/results/latest.json.
 *   --quick         small smoke run (figures not comparable to the targets) → latest-quick.json
 *   --only=A,C      run only these scenarios (and check only their targets) → latest[-quick]-only-AC.json (--only=D: the import alone)
 *   --profile       add a V8 CPU profile breakdown of createOrders (off by default)
 *   --save-profile  as --profile, and keep the .cpuprofile in bench/results/ (Chrome DevTools → Performance)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioA, type PerOrderStats, type ScenarioAResult } from './scenario-a.js';
import { scenarioB, type ScenarioBResult } from './scenario-b.js';
import { scenarioC, type ScenarioCResult } from './scenario-c.js';
import { scenarioD, type ScenarioDResult } from './scenario-d.js';
import { scenarioE, type ScenarioEResult } from './scenario-e.js';
import { scenarioF, type ScenarioFResult } from './scenario-f.js';
import { log, machineLoad, removeBenchRoot, round, table } from './lib/util.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const saveProfile = args.has('--save-profile');
const profile = saveProfile || args.has('--profile');
const onlyArg = process.argv.slice(2).find((a) => a.startsWith('--only='));
const only = new Set((onlyArg ? onlyArg.slice('--only='.length) : 'A,B,C,D,E,F').toUpperCase().split(','));
const resultsFile = `${quick ? 'latest-quick' : 'latest'}${onlyArg ? `-only-${['A', 'B', 'C', 'D', 'E', 'F'].filter((x) => only.has(x)).join('')}` : ''}.json`;

const TARGET_RATIO = 3;
const TARGET_P99_MS = 20;
const TARGET_PACK_MS = 300;
const TARGET_IMPORT_MS = 5000;
const TARGET_SYNCS = 4;
const TARGET_SWEEP_MS = 2000;

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

function printC(c: ScenarioCResult): string {
  const d = c.data;
  const n = c.node;
  const size = (kind: string, format: string) => d.files.find((f) => f.kind === kind && f.format === format)?.bytes ?? 0;
  let out = table(
    [
      ...n.files.map((f) => ({ file: `${f.kind} .${f.format}`, KiB: round(size(f.kind, f.format) / 1024, 1), 'median ms': f.medianMs, 'p90 ms': f.p90Ms, 'min ms': f.minMs, 'max ms': f.maxMs })),
      { file: 'packEngine.evaluate (once per scope, ×2)', KiB: '', 'median ms': n.evaluate.medianMs, 'p90 ms': n.evaluate.p90Ms, 'min ms': n.evaluate.minMs, 'max ms': n.evaluate.maxMs },
      { file: 'pack: 2 evaluations + 7 files', KiB: round(d.files.reduce((a, f) => a + f.bytes, 0) / 1024, 1), 'median ms': n.pack.medianMs, 'p90 ms': n.pack.p90Ms, 'min ms': n.pack.minMs, 'max ms': n.pack.maxMs },
    ],
    `Scenario C — full pack of a ${d.lines}-line order on Node (${d.products} products, ${d.hsCodes} HS codes, units ${d.units.join('/')}, packages ${d.packageTypes.join('/')}, ${d.linesWithoutPackaging} lines without packaging; ${d.total}): ` +
      `five documents = 7 files, rendered through packEngine.evaluate + packEngine.render as generateDocuments does; ${c.config.warmup} warm-up packs, then ${c.config.runs} timed`,
  );
  out += `pack cpu median ${n.pack.cpuMedianMs} ms; bytes reproducible across runs: ${n.reproducible ? 'yes' : 'NO'}; ` +
    `memory of the Node process (a child with only this loaded): RSS ${n.memory.baselineRssMiB} MiB after warm-up + GC → peak ${n.memory.peakRssMiB} MiB; V8 heap used ${n.memory.baselineHeapUsedMiB} MiB → high-water ${n.memory.peakHeapUsedMiB} MiB (heap committed peak ${n.memory.peakHeapTotalMiB} MiB; ${n.memory.heapSamples} samples)\n`;
  out += `pack median ${n.pack.medianMs} ms (target < ${TARGET_PACK_MS} → ${passFail(n.pack.medianMs < TARGET_PACK_MS)})\n\n`;
  const w = c.workerd;
  if ('error' in w) {
    out += `Scenario C — workerd: FAILED to run: ${w.error.split('\n')[0]}\n`;
    return out;
  }
  out += table(
    [{ figure: `POST /orders/{id}/documents {} — ${w.timed.requests} requests in a row, each timed`, 'median ms': w.timed.medianMs, 'p90 ms': w.timed.p90Ms, 'min ms': w.timed.minMs, 'max ms': w.timed.maxMs }],
    `Scenario C — workerd (Miniflare, wrangler.toml compat; bundle built once in ${w.bundle.buildSeconds} s, ${round(w.bundle.gzipBytes / 1024)} KiB gzipped; libSQL file over Hrana HTTP, files to R2): ` +
      `the whole pack incl. snapshots, rule engine, numbering, storage (7 documents per request); seeded through the services in ${w.seedSeconds} s; warm-up ${w.warmupMs.join(' / ')} ms`,
  );
  out += `median of the first 10 ${w.timed.first10MedianMs} ms, of the last 10 ${w.timed.last10MedianMs} ms; ${w.timed.hranaRequestsPerCall} Hrana requests per call; ` +
    `workerd RSS ${w.memory ? `${w.memory.rssMiB} MiB at the end, peak ${w.memory.peakRssMiB} MiB` : 'n/a'}${w.refusedOutbound.length ? `; REFUSED outbound: ${w.refusedOutbound.join(', ')}` : ''}\n`;
  out += `${w.inARow.requests} in a row: ${w.inARow.ok}/${w.inARow.requests} answered 201 with 7 documents in ${w.inARow.seconds} s${w.inARow.hung ? ' — HUNG' : ''}${w.inARow.failures.length ? ` — failures: ${w.inARow.failures.slice(0, 3).join('; ')}` : ''} → ${passFail(w.inARow.ok === w.inARow.requests && !w.inARow.hung)}\n`;
  return out;
}

function printE(e: ScenarioEResult): string {
  return (
    table(
      e.sizes.map((z) => ({
        rows: z.rows,
        'pull syncs': z.pull.syncs,
        'pull max request KB': round(z.pull.maxRequestBytes / 1024, 0),
        'pull ms': z.pull.ms,
        'publish syncs': z.publish.syncs,
        'publish max request KB': round(z.publish.maxRequestBytes / 1024, 0),
        'publish ms': z.publish.ms,
        'orders saved': z.publish.saved,
      })),
      'E. Excel add-in: context.sync() calls per Pull / Publish (fake Excel host, real API in-process)',
    ) + `\nworst at 10 and 5,000 rows: ${e.worstAtTargetSizes} syncs (target ≤ ${TARGET_SYNCS} → ${passFail(e.worstAtTargetSizes <= TARGET_SYNCS)}); above ~5 MB per request Excel refuses, so larger sheets take one more sync per ~4 MB\n`
  );
}

function printF(f: ScenarioFResult): string {
  const row = (figure: string, t: ScenarioFResult['first']) => ({
    figure,
    'median ms': t.msMedian,
    'runs (ms)': t.ms.join(' / '),
    'load ms': t.result.timings.loadMs,
    'validate ms': `${t.result.timings.validationMs} (${t.result.validations} orders)`,
    'evaluate ms': t.result.timings.evaluateMs,
    'write ms': t.result.timings.writeMs,
    raised: t.result.raised,
    unchanged: t.result.unchanged,
  });
  return (
    table(
      [row('first sweep (creates the exceptions; empty validation cache)', f.first), row('steady sweep (no data changed: lastSeenAt; next orders validated)', f.steady)],
      `Scenario F — exception sweep over ${f.config.shipments} open shipments (seeded raw in ${f.seedSeconds} s; ≤ ${f.config.maxValidationsPerSweep} order validations per sweep); phases of the last run`,
    ) +
    `exceptions after the first sweep: ${Object.entries(f.byRule).map(([r, n]) => `${r} ${n}`).join(', ')}\n` +
    `first ${f.first.msMedian} ms, steady ${f.steady.msMedian} ms (target < ${TARGET_SWEEP_MS} ms → ${passFail(Math.max(f.first.msMedian, f.steady.msMedian) < TARGET_SWEEP_MS)})\n`
  );
}

function printD(d: ScenarioDResult): string {
  const row = (figure: string, wall: number | string, cpu: number | string, runs: string) => ({ figure, 'wall ms': wall, 'cpu ms': cpu, 'runs (wall ms)': runs });
  let out = table(
    [
      row('ImportRequest.parse of the body (the route\'s validation), apart', d.validate.wallMsMedian, '', ''),
      row('importOrders, dry run (parse, lookups, plan; no writes)', d.dryRun.wallMs, '', ''),
      row('importOrders, commit (parse, lookups, plan, one write transaction)', d.service.wallMsMedian, d.service.cpuMsMedian, d.service.wallMs.join(' / ')),
      row('raw: multi-row INSERTs of the same orders, lines, audit rows (one client.batch)', d.raw.wallMsMedian, d.raw.cpuMsMedian, d.raw.wallMs.join(' / ')),
      row('POST /imports through the app (JSON body, validation, report), once', d.http.wallMs, '', `HTTP ${d.http.status}`),
      row('importOrders again, upsert: all unchanged', d.upsertUnchanged.wallMs, '', `${d.upsertUnchanged.unchanged} unchanged`),
    ],
    `Scenario D — import of ${d.data.rows} sheet rows (${d.config.orders} orders × ${d.config.lines} lines, header repeated on every line; request ${round(d.data.requestBytes / 1024 / 1024, 2)} MiB, report ${round(d.data.reportBytes / 1024 / 1024, 2)} MiB), fresh migrated db per run; medians`,
  );
  out += `ratio import / raw: ${d.ratio}× wall (target ≤ ${TARGET_RATIO}× → ${passFail(d.ratio <= TARGET_RATIO)}), ${d.ratioCpu}× cpu; import ${d.service.wallMsMedian} ms (target < ${TARGET_IMPORT_MS} ms → ${passFail(d.service.wallMsMedian < TARGET_IMPORT_MS)})\n`;
  return out;
}

async function main() {
  const started = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  const cfgA = quick
    ? { orders: 1_000, lines: 5, batch: 500, runs: 1, oneByOne: 100, oneByOneExtras: 50, profileOrders: profile ? 500 : 0 }
    : { orders: 10_000, lines: 5, batch: 500, runs: 3, oneByOne: 1_000, oneByOneExtras: 300, profileOrders: profile ? 2_000 : 0 };
  const cfgB = quick ? { orders: 10_000, warmup: 5, iterations: 50 } : { orders: 100_000, warmup: 20, iterations: 200 };
  const cfgD = quick ? { orders: 200, lines: 5, runs: 1 } : { orders: 2_000, lines: 5, runs: 3 };
  const cfgC = quick
    ? { lines: 200, warmup: 1, runs: 5, workerdWarmup: 1, workerdInARow: 10, workerdTimeoutMs: 60_000 }
    : { lines: 200, warmup: 3, runs: 25, workerdWarmup: 2, workerdInARow: 100, workerdTimeoutMs: 60_000 };

  let a: ScenarioAResult | undefined;
  let b: ScenarioBResult | undefined;
  let c: ScenarioCResult | undefined;
  let d: ScenarioDResult | undefined;
  let e: ScenarioEResult | undefined;
  let f: ScenarioFResult | undefined;
  const load: Record<string, ReturnType<typeof machineLoad>> = { start: machineLoad() };
  try {
    if (only.has('A')) {
      log(`scenario A (${cfgA.orders} orders × ${cfgA.lines} lines)… machine load ${JSON.stringify(load.start)}`);
      a = await scenarioA({ ...cfgA, ...(saveProfile ? { profileFile: join(RESULTS, 'scenario-a-service.cpuprofile') } : {}) });
      load.afterA = machineLoad();
    }
    if (only.has('B')) {
      log(`scenario B (${cfgB.orders} orders)… machine load ${JSON.stringify(machineLoad())}`);
      b = await scenarioB(cfgB);
      load.afterB = machineLoad();
    }
    if (only.has('C')) {
      log(`scenario C (${cfgC.lines}-line order, full document pack)… machine load ${JSON.stringify(machineLoad())}`);
      c = await scenarioC(cfgC);
    }
    if (only.has('D')) {
      log(`scenario D (import of ${cfgD.orders} orders × ${cfgD.lines} lines)… machine load ${JSON.stringify(machineLoad())}`);
      d = await scenarioD(cfgD);
    }
    if (only.has('E')) {
      log(`scenario E (add-in sync counts)… machine load ${JSON.stringify(machineLoad())}`);
      e = await scenarioE({ sizes: quick ? [10, 500] : [10, 5_000, 20_000] });
    }
    if (only.has('F')) {
      log(`scenario F (exception sweep over ${quick ? 1_000 : 10_000} open shipments)… machine load ${JSON.stringify(machineLoad())}`);
      f = await scenarioF({ shipments: quick ? 1_000 : 10_000, runs: quick ? 1 : 3 });
    }
    load.end = machineLoad();
  } finally {
    removeBenchRoot();
  }

  const cPackMs = c?.node.pack.medianMs ?? NaN;
  const cWorkerd = c && !('error' in c.workerd) ? c.workerd.inARow : null;
  const targets = [
    ...(a ? [{ id: 'A.ratio', description: `A: createOrders (batches of ${cfgA.batch}) / best raw insert, wall ≤ ${TARGET_RATIO}×`, threshold: TARGET_RATIO, measured: a.ratio, pass: a.ratio <= TARGET_RATIO }] : []),
    ...(b ? b.queries.map((q) => ({ id: `B.p99.${q.name}`, description: `B: p99 ${q.name} < ${TARGET_P99_MS} ms`, threshold: TARGET_P99_MS, measured: q.p99Ms, pass: q.p99Ms < TARGET_P99_MS })) : []),
    ...(b ? [{ id: 'B.p99.overall', description: `B: p99 over all ${b.queries.length} queries < ${TARGET_P99_MS} ms`, threshold: TARGET_P99_MS, measured: b.overall.p99Ms, pass: b.overall.p99Ms < TARGET_P99_MS }] : []),
    ...(c
      ? [
          {
            id: 'C.pack.median',
            description: `C: full pack of a ${cfgC.lines}-line order (5 documents, 7 files) on Node, median < ${TARGET_PACK_MS} ms`,
            threshold: TARGET_PACK_MS,
            measured: cPackMs,
            pass: cPackMs < TARGET_PACK_MS,
          },
          {
            id: 'C.workerd.inARow',
            description: `C: workerd, ${cfgC.workerdInARow} POST /orders/{id}/documents in a row, all 201 with 7 documents, none hung`,
            threshold: cfgC.workerdInARow,
            measured: cWorkerd?.ok ?? 0,
            pass: !!cWorkerd && cWorkerd.ok === cfgC.workerdInARow && !cWorkerd.hung,
          },
        ]
      : []),
    ...(d
      ? [
          { id: 'D.ratio', description: `D: import of ${cfgD.orders * cfgD.lines} lines / raw insert of the same rows, wall ≤ ${TARGET_RATIO}×`, threshold: TARGET_RATIO, measured: d.ratio, pass: d.ratio <= TARGET_RATIO },
          { id: 'D.ms', description: `D: import of ${cfgD.orders * cfgD.lines} lines, wall < ${TARGET_IMPORT_MS} ms`, threshold: TARGET_IMPORT_MS, measured: d.service.wallMsMedian, pass: d.service.wallMsMedian < TARGET_IMPORT_MS },
        ]
      : []),
    ...(f
      ? [
          { id: 'F.sweep.first', description: `F: first exception sweep over ${f.config.shipments} open shipments < ${TARGET_SWEEP_MS} ms`, threshold: TARGET_SWEEP_MS, measured: f.first.msMedian, pass: f.first.msMedian < TARGET_SWEEP_MS },
          { id: 'F.sweep.steady', description: `F: steady exception sweep over ${f.config.shipments} open shipments < ${TARGET_SWEEP_MS} ms`, threshold: TARGET_SWEEP_MS, measured: f.steady.msMedian, pass: f.steady.msMedian < TARGET_SWEEP_MS },
        ]
      : []),
    ...(e ? [{ id: 'E.syncs', description: `E: add-in Pull and Publish at 10 and 5,000 rows, context.sync() calls ≤ ${TARGET_SYNCS}`, threshold: TARGET_SYNCS, measured: e.worstAtTargetSizes, pass: e.worstAtTargetSizes <= TARGET_SYNCS }] : []),
  ];
  const allPass = targets.every((t) => t.pass);
  const ld = (l: ReturnType<typeof machineLoad>) => `${l.loadavg1} / ${l.cpuPressureSomeAvg10 ?? 'n/a'}`;

  const out = [
    `exportdesk bench — ${new Date().toISOString()} — node ${process.version} — ${cpus()[0]?.model ?? 'unknown cpu'} × ${cpus().length} — ${platform()} ${release()}${quick ? ' — QUICK MODE (not comparable to targets)' : ''}`,
    `machine load (1-min load avg / CPU pressure "some" avg10 %): ${Object.entries(load).map(([k, l]) => `${k} ${ld(l)}`).join(', ')}`,
    '',
    ...(a ? [printA(a)] : []),
    ...(b ? [printB(b)] : []),
    ...(c ? [printC(c)] : []),
    ...(d ? [printD(d)] : []),
    ...(e ? [printE(e)] : []),
    ...(f ? [printF(f)] : []),
    table(
      targets.map((t) => ({ target: t.description, measured: t.measured, result: passFail(t.pass) })),
      `Targets — ${targets.filter((t) => t.pass).length}/${targets.length} pass${allPass ? '' : ` (FAIL: ${targets.filter((t) => !t.pass).map((t) => t.id).join(', ')})`}`,
    ),
    `total runtime ${round((Date.now() - started) / 1000, 1)} s; results in bench/results/${resultsFile}`,
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
    scenarioA: a ?? null,
    scenarioB: b ?? null,
    scenarioC: c ?? null,
    scenarioD: d ?? null,
    scenarioE: e ?? null,
    scenarioF: f ?? null,
  };
  writeFileSync(join(RESULTS, resultsFile), JSON.stringify(json, null, 2) + '\n');
}

main().catch((e) => {
  removeBenchRoot();
  console.error(e);
  process.exit(1);
});
