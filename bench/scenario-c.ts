/**
 * Scenario C — the full document pack of a 200-line order.
 *
 * The pack is what `POST /orders/{id}/documents` with body `{}` makes for an order that is not split into
 * shipments: five documents in seven files — proforma invoice (docx), commercial invoice (docx + xlsx), packing
 * list (docx + xlsx), certificate of origin (docx), shipping instructions (docx).
 *
 *   Node:    the pack rendered exactly as generateDocuments renders it (services/documents/documents.ts), but
 *            without the database: per scope — the order's (proforma) and the shipping pack's — a fresh copy
 *            of the scope's snapshot (bench/lib/pack-fixtures.ts), packEngine.evaluate once, then
 *            packEngine.render for each kind and format in order, with the same numbers, date, declarations,
 *            required documents, status and related documents the service passes. Warm-up packs, then timed
 *            packs: median/p90 per file and for the pack (evaluate + 7 renders), peak RSS and V8 heap — in a
 *            child process (bench/lib/pack-node.ts), so its memory is the pack's, not the other scenarios'.
 *   workerd: the Worker bundle (built once, as test/workerd.test.ts builds it) in Miniflare over Hrana HTTP to a
 *            libSQL file seeded through the services with the same 200-line order; `POST /orders/{id}/documents`
 *            with `{}` (snapshots, rule engine, numbering, 7 renders, R2 writes, document rows) — warm-up, then
 *            N requests in a row, each timed and each required to answer 201 with 7 documents within a limit
 *            (a request past the limit counts as hung and ends the run).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderCreate } from '../shared/contracts/orders.js';
import { OrganisationUpdate } from '../shared/contracts/organisations.js';
import { ProductCreate } from '../shared/contracts/products.js';
import type { DocumentFormat, DocumentKind } from '../shared/documents/snapshot.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { updateOrganisation } from '../worker/src/services/organisations.js';
import { createProduct } from '../worker/src/services/products.js';
import { seedMasterData, seedOrg, tempDatabase } from '../test/support/harness.js';
import { packOrderBody, packProductInputs, packSnapshots } from './lib/pack-fixtures.js';
import { log, median, now, round, stats, type Stats } from './lib/util.js';

export interface ScenarioCConfig {
  lines: number;
  /** Node: untimed packs first, then timed packs. */
  warmup: number;
  runs: number;
  /** workerd: untimed requests first, then this many requests in a row, each timed. */
  workerdWarmup: number;
  workerdInARow: number;
  /** A workerd request not answered within this is counted as hung. */
  workerdTimeoutMs: number;
}

export interface ScenarioCResult {
  config: ScenarioCConfig;
  data: {
    lines: number;
    products: number;
    hsCodes: number;
    units: string[];
    packageTypes: string[];
    linesWithoutPackaging: number;
    total: string;
    files: { kind: DocumentKind; format: DocumentFormat; bytes: number }[];
  };
  node: {
    files: ({ kind: DocumentKind; format: DocumentFormat } & Stats)[];
    evaluate: Stats;
    pack: Stats & { cpuMedianMs: number; wallMs: number[] };
    /** Every timed run produced the same bytes per file as the first. */
    reproducible: boolean;
    memory: { baselineRssMiB: number; peakRssMiB: number; baselineHeapUsedMiB: number; peakHeapUsedMiB: number; peakHeapTotalMiB: number; heapSamples: number };
  };
  workerd:
    | {
        bundle: { buildSeconds: number; bytes: number; gzipBytes: number };
        seedSeconds: number;
        warmupMs: number[];
        timed: Stats & { requests: number; first10MedianMs: number; last10MedianMs: number; hranaRequestsPerCall: number };
        inARow: { requests: number; ok: number; failures: string[]; hung: boolean; seconds: number };
        memory: { peakRssMiB: number; rssMiB: number } | null;
        refusedOutbound: string[];
      }
    | { error: string };
}

const MiB = 2 ** 20;
const mib = (bytes: number) => round(bytes / MiB, 1);

/**
 * The Node figures come from a child process (bench/lib/pack-node.ts): a fresh process that has loaded what a
 * server holds for this (services, renderers, templates) and nothing of the other scenarios, whose databases
 * and caches would otherwise be in its RSS.
 */
async function nodePackInChild(cfg: ScenarioCConfig): Promise<ScenarioCResult['node'] & { sizes: Record<string, number> }> {
  const child = fork(new URL('./lib/pack-node.ts', import.meta.url), [JSON.stringify(cfg)], { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: (ScenarioCResult['node'] & { sizes: Record<string, number> }) | undefined;
    child.on('message', (m) => (result = m as typeof result));
    child.on('error', reject);
    child.on('exit', (code, signal) => (result ? resolve(result) : reject(new Error(`pack-node child exited with ${signal ?? code} and no result`))));
  });
}

/** A request that may hang: resolves with its outcome, or with 'timeout' after `ms`. */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function workerdPack(cfg: ScenarioCConfig): Promise<ScenarioCResult['workerd']> {
  const tmp = mkdtempSync(join(tmpdir(), 'exportdesk-bench-workerd-'));
  let cleanupDb: (() => void) | undefined;
  // loaded only for this part (Miniflare is a large module graph)
  const { buildWorkerBundle, startWorker, workerdMemory } = await import('./lib/workerd.js');
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  try {
    // 1. the bundle, once
    const b0 = now();
    const bundle = await buildWorkerBundle(join(tmp, 'bundle'));
    const buildSeconds = round((now() - b0) / 1000, 1);
    log(`C workerd: bundle built in ${buildSeconds} s (${mib(bundle.gzipBytes)} MiB gzipped)`);

    // 2. a migrated libSQL file: an exporter with bank details, LUT and signatory, a verified buyer, 24 products and the 200-line order
    const s0 = now();
    const temp = await tempDatabase();
    cleanupDb = () => rmSync(temp.dir, { recursive: true, force: true });
    const org = await seedOrg(temp.database, 'Kaveri Knits Exports Pvt Ltd');
    await updateOrganisation(
      org.admin,
      OrganisationUpdate.parse({
        iec: '0412345678',
        gstin: '33AABCK1234M1Z5',
        adCode: '6390005',
        logo: null,
        lut: { arn: 'AD330426001234X', financialYear: '2026-27', validUntil: '2027-03-31' },
        signatory: { name: 'Meena Raghavan', designation: 'Director' },
        bankDetails: { bankName: 'State Bank of India', branch: 'Tiruppur Main', accountName: 'Kaveri Knits Exports Pvt Ltd', accountNumber: '38765432109', swift: 'SBININBB474', ifsc: 'SBIN0000917' },
      }),
    );
    const { buyer } = await seedMasterData(org.admin);
    const productIds: string[] = [];
    for (const p of packProductInputs()) productIds.push((await createProduct(org.admin, ProductCreate.parse(p))).id);
    const order = await createOrder(org.admin, OrderCreate.parse(packOrderBody(productIds, buyer.id, cfg.lines)));
    temp.database.client.close();
    const seedSeconds = round((now() - s0) / 1000, 1);

    // 3. the Worker over Hrana
    worker = await startWorker(bundle.path, temp.path);
    const w = worker;
    const call = async (): Promise<{ ok: true } | { ok: false; why: string } | 'timeout'> =>
      withTimeout(
        (async () => {
          const res = await w.mf.dispatchFetch(`http://localhost/orders/${order.id}/documents`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${org.keys.admin}`, 'Content-Type': 'application/json' },
            body: '{}',
          });
          const text = await res.text();
          if (res.status !== 201) return { ok: false as const, why: `${res.status} ${text.slice(0, 200)}` };
          const items = (JSON.parse(text) as { items: unknown[] }).items;
          return items.length === 7 ? { ok: true as const } : { ok: false as const, why: `201 with ${items.length} documents, not 7` };
        })(),
        cfg.workerdTimeoutMs,
      );

    const warmupMs: number[] = [];
    for (let i = 0; i < cfg.workerdWarmup; i++) {
      const t = now();
      const r = await call();
      warmupMs.push(round(now() - t, 1));
      if (r === 'timeout' || !r.ok) throw new Error(`warm-up request ${i + 1}: ${r === 'timeout' ? `no answer in ${cfg.workerdTimeoutMs} ms` : r.why}`);
    }
    log(`C workerd: seeded in ${seedSeconds} s; warm-up ${warmupMs.join(' / ')} ms; now ${cfg.workerdInARow} in a row`);

    const ms: number[] = [];
    const failures: string[] = [];
    let ok = 0;
    let hung = false;
    const hranaBefore = w.hrana.requests;
    const r0 = now();
    for (let i = 0; i < cfg.workerdInARow; i++) {
      const t = now();
      const r = await call();
      if (r === 'timeout') {
        hung = true;
        failures.push(`request ${i + 1}: no answer in ${cfg.workerdTimeoutMs} ms`);
        break;
      }
      ms.push(now() - t);
      if (r.ok) ok++;
      else failures.push(`request ${i + 1}: ${r.why}`);
      if ((i + 1) % 25 === 0) log(`C workerd: ${i + 1}/${cfg.workerdInARow} in a row, last ${round(ms.at(-1)!, 1)} ms`);
    }
    const seconds = round((now() - r0) / 1000, 1);
    const mem = workerdMemory();
    return {
      bundle: { buildSeconds, bytes: bundle.bytes, gzipBytes: bundle.gzipBytes },
      seedSeconds,
      warmupMs,
      timed: {
        requests: ms.length,
        ...stats(ms),
        first10MedianMs: round(median(ms.slice(0, 10)), 1),
        last10MedianMs: round(median(ms.slice(-10)), 1),
        hranaRequestsPerCall: round((w.hrana.requests - hranaBefore) / Math.max(1, ms.length), 1),
      },
      inARow: { requests: cfg.workerdInARow, ok, failures, hung, seconds },
      memory: mem ? { peakRssMiB: mib(mem.peakRssBytes), rssMiB: mib(mem.rssBytes) } : null,
      refusedOutbound: [...w.refused],
    };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  } finally {
    await worker?.close().catch(() => undefined);
    cleanupDb?.();
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function scenarioC(cfg: ScenarioCConfig): Promise<ScenarioCResult> {
  const s = packSnapshots(cfg.lines).shipment;
  log(`C node: ${cfg.warmup} warm-up packs, then ${cfg.runs} timed (${cfg.lines} lines, 7 files each), in a child process`);
  const node = await nodePackInChild(cfg);
  const { sizes, ...nodeResult } = node;
  log(`C node: pack median ${node.pack.medianMs} ms, p90 ${node.pack.p90Ms} ms`);
  const workerd = await workerdPack(cfg);
  return {
    config: cfg,
    data: {
      lines: s.lines.length,
      products: new Set(s.lines.map((l) => l.sku)).size,
      hsCodes: new Set(s.lines.map((l) => l.hsCode)).size,
      units: [...new Set(s.lines.map((l) => l.unit))],
      packageTypes: [...new Set(s.lines.flatMap((l) => (l.packages ? [l.packages.type] : [])))],
      linesWithoutPackaging: s.totals.linesWithoutPackaging.length,
      total: `${s.totals.amount.currency} ${s.totals.amount.amount}`,
      files: node.files.map((f) => ({ kind: f.kind, format: f.format, bytes: sizes[`${f.kind}.${f.format}`]! })),
    },
    node: nodeResult,
    workerd,
  };
}

