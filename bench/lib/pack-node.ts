/**
 * Scenario C on Node, run in a child process by bench/scenario-c.ts (argv[2]: the ScenarioCConfig as JSON; the
 * result goes back over IPC).
 *
 * The pack is rendered exactly as generateDocuments (worker/src/services/documents/documents.ts) renders it,
 * without the database: per scope — the order's (proforma) and the shipping pack's (the unsplit order) — a fresh
 * copy of the scope's snapshot (bench/lib/pack-fixtures.ts), packEngine.evaluate once, then packEngine.render for
 * each kind and format in order, with the numbers, date, declarations, required documents, status and related
 * documents the service passes. Warm-up packs, then timed packs; memory sampled throughout (lib/memory.ts).
 */
import { createHash } from 'node:crypto';
import { KIND_FORMATS, type DocumentFormat, type DocumentKind, type DocumentSnapshot } from '../../shared/documents/snapshot.js';
import type { RenderRequest } from '../../worker/src/services/documents/engine.js';
import { packEngine } from '../../worker/src/services/documents/pack-engine.js';
import type { ScenarioCConfig, ScenarioCResult } from '../scenario-c.js';
import { memorySampler } from './memory.js';
import { packSnapshots } from './pack-fixtures.js';
import { collectGarbage, log, median, now, round, stats } from './util.js';

const MiB = 2 ** 20;
const mib = (bytes: number) => round(bytes / MiB, 1);

const DOCUMENT_DATE = '2026-11-27';
const EVALUATED_AT = new Date('2026-11-27T09:30:00Z');
/** The numbers generateDocuments gives: one PI number for the order, one INV number for the shipping pack. */
const NUMBERS = { PI: 'KK/PI/2026-27/0200', INV: 'KK/INV/2026-27/0200' } as const;

/** The scopes of an unsplit order's pack, in the order generateDocuments renders them. */
const SCOPES: { scope: 'order' | 'shipment'; kinds: DocumentKind[] }[] = [
  { scope: 'order', kinds: ['proforma_invoice'] },
  { scope: 'shipment', kinds: ['commercial_invoice', 'packing_list', 'certificate_of_origin', 'shipping_instructions'] },
];

/** What generateDocuments passes to engine.render (see documents.ts). */
function request(kind: DocumentKind, format: DocumentFormat, snapshot: DocumentSnapshot, evaluation: ReturnType<typeof packEngine.evaluate>): RenderRequest {
  return {
    kind,
    format,
    snapshot,
    documentNumber: kind === 'proforma_invoice' ? NUMBERS.PI : NUMBERS.INV,
    documentDate: DOCUMENT_DATE,
    declarations: evaluation.wording[kind] ?? [],
    requiredDocuments: evaluation.requiredDocuments,
    status: 'draft',
    ...(kind === 'proforma_invoice' || kind === 'commercial_invoice' ? {} : { relatedDocuments: [{ kind: 'commercial_invoice', number: NUMBERS.INV, date: DOCUMENT_DATE }] }),
  };
}

interface PackTiming {
  packMs: number;
  cpuMs: number;
  evaluateMs: number[];
  fileMs: Map<string, number>;
  hashes: Map<string, string>;
  sizes: Map<string, number>;
}

async function renderPack(snapshots: Record<'order' | 'shipment', DocumentSnapshot>, afterFile: () => void): Promise<PackTiming> {
  // a fresh snapshot per scope, as the service builds one per scope and request (never the same object twice)
  const fresh = { order: structuredClone(snapshots.order), shipment: structuredClone(snapshots.shipment) };
  const out: PackTiming = { packMs: 0, cpuMs: 0, evaluateMs: [], fileMs: new Map(), hashes: new Map(), sizes: new Map() };
  const bytesOf = new Map<string, Uint8Array>();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (const { scope, kinds } of SCOPES) {
    const snapshot = fresh[scope];
    const e0 = now();
    const evaluation = packEngine.evaluate(snapshot, EVALUATED_AT);
    out.evaluateMs.push(now() - e0);
    for (const kind of kinds) {
      for (const format of KIND_FORMATS[kind]) {
        const r0 = now();
        const bytes = await packEngine.render(request(kind, format, snapshot, evaluation));
        out.fileMs.set(`${kind}.${format}`, now() - r0);
        bytesOf.set(`${kind}.${format}`, bytes);
        afterFile();
      }
    }
  }
  out.packMs = now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  for (const [file, bytes] of bytesOf) {
    out.hashes.set(file, createHash('sha256').update(bytes).digest('hex'));
    out.sizes.set(file, bytes.byteLength);
  }
  return out;
}

async function nodePack(cfg: ScenarioCConfig, snapshots: Record<'order' | 'shipment', DocumentSnapshot>): Promise<ScenarioCResult['node'] & { sizes: Record<string, number> }> {
  const sampler = await memorySampler();
  try {
    for (let i = 0; i < cfg.warmup; i++) await renderPack(snapshots, () => undefined);
    collectGarbage();
    const baseline = process.memoryUsage();
    await sampler.reset();
    const runs: PackTiming[] = [];
    for (let i = 0; i < cfg.runs; i++) {
      runs.push(await renderPack(snapshots, sampler.sample));
      if ((i + 1) % 5 === 0) log(`C node: ${i + 1}/${cfg.runs} packs, last ${round(runs.at(-1)!.packMs, 1)} ms`);
    }
    const peaks = await sampler.read();
    const first = runs[0]!;
    const reproducible = runs.every((r) => [...r.hashes].every(([file, hash]) => first.hashes.get(file) === hash));
    const wall = runs.map((r) => r.packMs);
    return {
      files: [...first.fileMs.keys()].map((file) => {
        const [kind, format] = file.split('.') as [DocumentKind, DocumentFormat];
        return { kind, format, ...stats(runs.map((r) => r.fileMs.get(file)!)) };
      }),
      evaluate: stats(runs.flatMap((r) => r.evaluateMs)),
      pack: { ...stats(wall), cpuMedianMs: round(median(runs.map((r) => r.cpuMs)), 1), wallMs: wall.map((x) => round(x, 1)) },
      reproducible,
      memory: {
        baselineRssMiB: mib(baseline.rss),
        peakRssMiB: mib(peaks.rssBytes),
        baselineHeapUsedMiB: mib(baseline.heapUsed),
        peakHeapUsedMiB: mib(peaks.heapUsedBytes),
        peakHeapTotalMiB: mib(peaks.heapTotalBytes),
        heapSamples: peaks.samples,
      },
      sizes: Object.fromEntries(first.sizes),
    };
  } finally {
    await sampler.stop();
  }
}

async function main() {
  const cfg = JSON.parse(process.argv[2] ?? '') as ScenarioCConfig;
  const result = await nodePack(cfg, packSnapshots(cfg.lines));
  await new Promise<void>((resolve, reject) => process.send!(result, (e: Error | null) => (e ? reject(e) : resolve())));
}

if (!process.send) {
  console.error('bench/lib/pack-node.ts is run by bench/scenario-c.ts (npm run bench), not on its own');
  process.exit(2);
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
