/**
 * Scenario F — the exception sweep (issue 5): every rule of templates/exceptions/rules.json over 10,000 open
 * shipments of one organisation, on Node over an embedded libSQL file. Seeded with raw multi-row INSERTs: 10,000
 * confirmed orders of one line, each with one planned shipment, a confirmed booking (documents cut-off spread over
 * the next 10 days), its first confirmed booking revision, a commercial invoice (half draft, half final), stuffing and
 * — for US shipments — ISF milestones, production jobs for a third, inspections for a tenth.
 *
 * Timed: sweepExceptions three times from a cold start and three times more (fresh database each time for the cold
 * one): the first sweep creates the exceptions and validates the first `maxValidationsPerSweep` orders (the
 * validation cache is empty); the second is the steady state: no data changed, so existing exceptions only get
 * lastSeenAt, while the validation cache catches up by another `maxValidationsPerSweep` orders. Medians.
 */
import { OrderCreate } from '../shared/contracts/orders.js';
import { loadExceptionRules } from '../shared/exceptions/rules.js';
import { bulkInsert } from '../worker/src/db/bulk.js';
import { eq } from 'drizzle-orm';
import { bookingRevisions, bookings, documents, inspections, milestones, orderLines, orders, organisations, productionJobs, shipmentAllocations, shipments } from '../worker/src/db/schema/index.js';
import { newId } from '../worker/src/lib/ids.js';
import type { ServiceContext } from '../worker/src/services/context.js';
import { clearValidationCache, sweepExceptions, type SweepResult } from '../worker/src/services/exceptions/index.js';
import { createMasterData } from './lib/fixtures.js';
import { freshDatabase, log, median, round } from './lib/util.js';

export interface ScenarioFResult {
  config: { shipments: number; runs: number; maxValidationsPerSweep: number };
  seedSeconds: number;
  /** First sweep on a fresh database and an empty validation cache (creates the exceptions). */
  first: { msMedian: number; ms: number[]; result: SweepResult };
  /** The next sweep, no data changed (validation catching up by maxValidationsPerSweep orders). */
  steady: { msMedian: number; ms: number[]; result: SweepResult };
  /** Exceptions by rule after the first sweep. */
  byRule: Record<string, number>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function seed(ctx: ServiceContext, n: number, now: Date) {
  const master = await createMasterData(ctx);
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const created = now.toISOString();
  const rows = {
    orders: [] as (typeof orders.$inferInsert)[],
    lines: [] as (typeof orderLines.$inferInsert)[],
    shipments: [] as (typeof shipments.$inferInsert)[],
    allocations: [] as (typeof shipmentAllocations.$inferInsert)[],
    bookings: [] as (typeof bookings.$inferInsert)[],
    revisions: [] as (typeof bookingRevisions.$inferInsert)[],
    documents: [] as (typeof documents.$inferInsert)[],
    milestones: [] as (typeof milestones.$inferInsert)[],
    jobs: [] as (typeof productionJobs.$inferInsert)[],
    inspections: [] as (typeof inspections.$inferInsert)[],
  };
  const statuses = ['confirmed', 'in_production', 'ready_to_ship'];
  for (let i = 0; i < n; i++) {
    const buyer = master.buyers[i % master.buyers.length]!;
    const us = buyer.country === 'US';
    const orderId = newId('ord');
    const lineId = newId('oln');
    const shipmentId = newId('shp');
    const bookingId = newId('bkg');
    const reference = `EXF-${String(i + 1).padStart(6, '0')}`;
    const input = OrderCreate.parse({
      reference,
      buyerId: buyer.id,
      portOfLoading: 'INNSA',
      portOfDischarge: buyer.destination.port,
      destinationCountry: buyer.country,
      incoterm: 'FOB',
      incotermPlace: 'Nhava Sheva',
      paymentTerms: { type: 'advance', percent: '100' },
      currency: 'USD',
      requestedShipDate: at((5 + (i % 20)) * DAY).slice(0, 10),
      lines: [{ productId: master.productIds[i % master.productIds.length]!, quantity: '1000', unitPrice: '2.50' }],
    });
    rows.orders.push({
      id: orderId,
      orgId: ctx.orgId,
      reference,
      buyerPo: `PO-${i}`,
      buyerId: buyer.id,
      consigneeId: buyer.id,
      notifyPartyId: null,
      portOfLoading: input.portOfLoading,
      portOfDischarge: input.portOfDischarge,
      destinationCountry: input.destinationCountry,
      incoterm: input.incoterm,
      incotermPlace: input.incotermPlace,
      transportMode: 'sea',
      paymentTerms: input.paymentTerms,
      currency: 'USD',
      requestedShipDate: input.requestedShipDate,
      status: statuses[i % 3]!,
      totalMinor: 250_000,
      lineCount: 1,
      version: 2,
      createdAt: created,
      updatedAt: created,
    });
    rows.lines.push({ id: lineId, orgId: ctx.orgId, orderId, lineNo: 1, productId: master.productIds[i % master.productIds.length]!, description: 'Cotton T-shirt', hsCode: '610910', quantity: '1000', unit: 'PCS', unitPrice: '2.50', discountPercent: '0', amountMinor: 250_000 });
    const spread = Math.floor(i / 10); // not i: buyers cycle with i % 10
    const cutoffDocs = (spread % 10) * DAY + 6 * HOUR; // spread over the next 10 days
    const etd = cutoffDocs + (spread % 2 ? 3 * DAY : 1.5 * DAY);
    rows.shipments.push({ id: shipmentId, orgId: ctx.orgId, orderId, seq: 1, reference: `${reference}-S1`, consigneeId: buyer.id, destinationCountry: buyer.country, portOfLoading: 'INNSA', portOfDischarge: input.portOfDischarge, transportMode: 'sea', plannedShipDate: at(etd).slice(0, 10), status: 'planned', references: {}, version: 1, createdAt: created, updatedAt: created });
    rows.allocations.push({ shipmentId, orderLineId: lineId, quantity: '1000' });
    const eta = etd + 25 * DAY + (i % 7 === 0 ? 5 * DAY : 0); // one in seven has slipped 5 days
    rows.bookings.push({ id: bookingId, orgId: ctx.orgId, shipmentId, status: 'confirmed', bookingNumber: `BK${i}`, equipment: [{ type: '20GP', count: 1 }], cutoffDocumentsAt: at(cutoffDocs), cutoffCargoAt: at(cutoffDocs + DAY), etd: at(etd), eta: at(eta), timeZone: 'Asia/Kolkata', version: 1, createdAt: created, updatedAt: created });
    rows.revisions.push({ id: newId('bkr'), orgId: ctx.orgId, bookingId, shipmentId, version: 1, change: 'created', snapshot: { status: 'confirmed', eta: at(etd + 25 * DAY) }, changedAt: created });
    rows.documents.push({
      id: newId('doc'),
      orgId: ctx.orgId,
      orderId,
      shipmentId,
      kind: 'commercial_invoice',
      format: 'docx',
      version: 1,
      status: i % 2 ? 'final' : 'draft',
      number: `INV/26-27/${String(i + 1).padStart(5, '0')}`,
      documentDate: created.slice(0, 10),
      snapshot: {},
      factsHash: 'x',
      contentHash: 'x',
      storageKey: 'x',
      size: 0,
      findings: [],
      createdAt: created,
      createdBy: ctx.actor.userId,
    });
    rows.milestones.push({ id: newId('mst'), orgId: ctx.orgId, shipmentId, code: 'stuffing', name: 'Container stuffed', seq: 50, source: 'sea', plannedAt: at(cutoffDocs + 12 * HOUR) });
    if (us) rows.milestones.push({ id: newId('mst'), orgId: ctx.orgId, shipmentId, code: 'isf_filed', name: 'ISF 10+2 filed', seq: 45, source: 'us', actualAt: i % 4 === 0 ? created : null });
    if (i % 3 === 0) {
      rows.jobs.push({ id: newId('prj'), orgId: ctx.orgId, orderId, orderLineId: lineId, quantity: '1000', status: 'planned', plannedCompletionAt: at(cutoffDocs + (i % 9 === 0 ? 2 * DAY : 0)), version: 1, createdAt: created, updatedAt: created });
    }
    if (i % 10 === 0) {
      rows.inspections.push({ id: newId('ins'), orgId: ctx.orgId, orderId, shipmentId, kind: 'pre_shipment', result: i % 20 === 0 ? 'failed' : 'pending', inspectedAt: i % 20 === 0 ? created : null, version: 1, createdAt: created, updatedAt: created });
    }
  }
  await ctx.database.write(async (tx) => {
    // an LUT that runs out within the fortnight, so the organisation-wide rule has shipments to count
    await tx.update(organisations).set({ lut: { arn: 'AD2703260012345', financialYear: '2026-27', validUntil: '2026-12-06' } }).where(eq(organisations.id, ctx.orgId));
    await bulkInsert(tx, orders, rows.orders);
    await bulkInsert(tx, orderLines, rows.lines);
    await bulkInsert(tx, shipments, rows.shipments);
    await bulkInsert(tx, shipmentAllocations, rows.allocations);
    await bulkInsert(tx, bookings, rows.bookings);
    await bulkInsert(tx, bookingRevisions, rows.revisions);
    await bulkInsert(tx, documents, rows.documents);
    await bulkInsert(tx, milestones, rows.milestones);
    await bulkInsert(tx, productionJobs, rows.jobs);
    await bulkInsert(tx, inspections, rows.inspections);
  });
}

export async function scenarioF(opts: { shipments?: number; runs?: number } = {}): Promise<ScenarioFResult> {
  const n = opts.shipments ?? 10_000;
  const runs = opts.runs ?? 3;
  const now = new Date('2026-12-01T00:00:00.000Z');
  const firstMs: number[] = [];
  const steadyMs: number[] = [];
  let first: SweepResult | undefined;
  let steady: SweepResult | undefined;
  let seedSeconds = 0;
  let byRule: Record<string, number> = {};
  for (let r = 0; r < runs; r++) {
    const db = await freshDatabase(`exceptions-${n}`);
    try {
      const ctx: ServiceContext = { ...db.ctx, now: () => now };
      const t0 = performance.now();
      await seed(ctx, n, now);
      seedSeconds = round((performance.now() - t0) / 1000, 1);
      clearValidationCache();
      log(`  run ${r + 1}: seeded ${n} shipments in ${seedSeconds} s; sweeping…`);
      let t = performance.now();
      first = await sweepExceptions(ctx);
      firstMs.push(round(performance.now() - t, 1));
      if (r === 0) {
        const rows = await db.database.client.execute({ sql: 'SELECT rule_id, count(*) AS n FROM exceptions WHERE org_id = ? GROUP BY rule_id ORDER BY rule_id', args: [ctx.orgId] });
        byRule = Object.fromEntries(rows.rows.map((x) => [String(x.rule_id), Number(x.n)]));
      }
      t = performance.now();
      steady = await sweepExceptions(ctx);
      steadyMs.push(round(performance.now() - t, 1));
    } finally {
      db.close();
    }
  }
  const rule = loadExceptionRules().find((x) => x.check.kind === 'validation_errors');
  return {
    config: { shipments: n, runs, maxValidationsPerSweep: rule?.check.kind === 'validation_errors' ? rule.check.maxValidationsPerSweep : 0 },
    seedSeconds,
    first: { msMedian: median(firstMs), ms: firstMs, result: first! },
    steady: { msMedian: median(steadyMs), ms: steadyMs, result: steady! },
    byRule,
  };
}
