/**
 * Scenario D — bulk import of an exporter's order sheet: N orders × L lines as raw sheet cells (one row per
 * line, header fields repeated on every line, as people keep them: buyer names, country names, port names,
 * "FOB Nhava Sheva", "30% advance, 70% against B/L copy", "05-Dec-2026", "1,200", "2.5%") through the import
 * service in commit mode (parse, normalise, batched lookups, plan, ONE write transaction), against the raw
 * batched insert floor: the same number of orders, lines and audit rows, prepared in memory up front and
 * written as multi-row INSERTs in one client.batch transaction. Once more through HTTP (POST /imports, JSON
 * body, the app's validation and body limit), a dry run, and a second upsert of the same sheet (all unchanged).
 */
import { sql } from 'drizzle-orm';
import { ImportRequest, type ImportRequestInput } from '../shared/contracts/imports.js';
import { OrderCreate } from '../shared/contracts/orders.js';
import type { PaymentTerms } from '../shared/contracts/payment-terms.js';
import { countryName } from '../shared/domain/countries.js';
import { seaport } from '../shared/reference/ports.js';
import { createApp } from '../worker/src/app.js';
import type { Database } from '../worker/src/db/client.js';
import { parties, products } from '../worker/src/db/schema/index.js';
import { importOrders } from '../worker/src/services/imports/index.js';
import { loadProducts } from '../worker/src/services/orders/lines.js';
import { createApiKey } from '../worker/src/services/organisations.js';
import { createMasterData, orderInputs, type MasterData, type OrderInput } from './lib/fixtures.js';
import { groupRows, groupStatements, prepareOrderRows } from './lib/raw.js';
import { collectGarbage, freshDatabase, orderRowCounts, type OrderRowCounts, log, median, round, stopwatch } from './lib/util.js';

export interface ScenarioDConfig {
  orders: number;
  lines: number;
  runs: number;
}

export interface ScenarioDResult {
  config: ScenarioDConfig;
  data: { rows: number; requestBytes: number; reportBytes: number };
  /** ImportRequest.parse of the body (the route's validation), apart. */
  validate: { wallMsMedian: number };
  /** importOrders, mode commit, fresh database per run. */
  service: { wallMs: number[]; cpuMs: number[]; wallMsMedian: number; cpuMsMedian: number };
  /** Raw floor: multi-row INSERTs of the same orders, lines and audit rows in one client.batch write transaction. */
  raw: { wallMs: number[]; cpuMs: number[]; wallMsMedian: number; cpuMsMedian: number };
  ratio: number;
  ratioCpu: number;
  /** POST /imports through the app (JSON serialisation, body limit, validation, idempotency-free), once. */
  http: { wallMs: number; status: number };
  dryRun: { wallMs: number };
  upsertUnchanged: { wallMs: number; unchanged: number };
}

const COLUMNS = [
  'Order No', 'Buyer', 'PO No', 'Destination', 'POL', 'POD', 'Terms of Delivery', 'Payment Terms', 'Currency', 'Ship Date',
  'Item Code', 'HSN', 'Qty', 'Rate', 'Disc %', 'Remarks',
] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function termsText(t: PaymentTerms): string {
  switch (t.type) {
    case 'advance':
      return t.percent === '100' ? '100% advance' : `${t.percent}% advance, ${100 - Number(t.percent)}% against B/L copy`;
    case 'lc':
      return t.tenor === 'sight' ? 'LC at sight' : `LC ${t.usanceDays} days from BL`;
    case 'dp':
      return 'D/P';
    case 'da':
      return `D/A ${t.days} days`;
    case 'open_account':
      return t.from === 'invoice_date' ? `Net ${t.days}` : `Open account ${t.days} days`;
  }
}

const grouped = (q: string) => (Number(q) >= 1000 ? Number(q).toLocaleString('en-IN') : Number(q));

/** The order inputs written as a messy-but-valid sheet: one row per line, the header repeated. */
export async function sheetFor(database: Database, orgId: string, inputs: OrderInput[]): Promise<ImportRequestInput> {
  const names = new Map((await database.db.select({ id: parties.id, name: parties.name }).from(parties).where(sql`${parties.orgId} = ${orgId}`)).map((p) => [p.id, p.name]));
  const prods = new Map((await database.db.select().from(products).where(sql`${products.orgId} = ${orgId}`)).map((p) => [p.id, p]));
  const rows: (string | number | null)[][] = [];
  inputs.forEach((o, n) => {
    const [y, m, d] = o.requestedShipDate!.split('-');
    const pol = seaport(o.portOfLoading)!;
    for (const l of o.lines ?? []) {
      const p = prods.get(l.productId)!;
      rows.push([
        o.reference,
        names.get(o.buyerId)!,
        o.buyerPo ?? null,
        n % 2 ? countryName(o.destinationCountry)! : o.destinationCountry,
        { INNSA: 'Nhava Sheva', INMAA: 'Chennai', INTUT: 'Tuticorin', INCOK: 'Cochin' }[pol.locode] ?? pol.locode,
        o.portOfDischarge,
        `${o.incoterm} ${o.incotermPlace}${n % 3 ? '' : ' Incoterms 2020'}`,
        termsText(o.paymentTerms as PaymentTerms),
        o.currency,
        `${d}-${MONTHS[Number(m) - 1]}-${y}`,
        p.sku,
        p.hsCode.length === 8 ? `${p.hsCode.slice(0, 4)}.${p.hsCode.slice(4, 6)}.${p.hsCode.slice(6)}` : p.hsCode,
        grouped(l.quantity),
        Number(l.unitPrice),
        l.discountPercent ? `${l.discountPercent}%` : null,
        o.remarks ?? null,
      ]);
    }
  });
  return {
    mode: 'commit',
    rows,
    firstRow: 2,
    columns: Object.fromEntries(
      (['reference', 'buyer', 'buyerPo', 'destinationCountry', 'portOfLoading', 'portOfDischarge', 'incoterm', 'paymentTerms', 'currency', 'requestedShipDate', 'sku', 'hsCode', 'quantity', 'unitPrice', 'discountPercent', 'remarks'] as const).map((f, i) => [f, i]),
    ),
  };
}

function check(label: string, got: OrderRowCounts, orders: number, lines: number) {
  if (got.orders !== orders || got.lines !== orders * lines || got.audits !== orders) {
    throw new Error(`${label}: expected ${orders} orders / ${orders * lines} lines / ${orders} audit rows, found ${JSON.stringify(got)}`);
  }
}

async function prepared(label: string, cfg: ScenarioDConfig, seed: number) {
  const db = await freshDatabase(label);
  const m: MasterData = await createMasterData(db.ctx);
  const inputs = orderInputs(m, cfg.orders, cfg.lines, { seed });
  return { db, m, inputs };
}

export async function scenarioD(cfg: ScenarioDConfig): Promise<ScenarioDResult> {
  const N = cfg.orders;
  const L = cfg.lines;
  const validate: number[] = [];
  const service: { wallMs: number; cpuMs: number }[] = [];
  let requestBytes = 0;
  let reportBytes = 0;
  let dryRunMs = 0;
  let upsert = { wallMs: 0, unchanged: 0 };
  for (let run = 1; run <= cfg.runs; run++) {
    const { db, inputs } = await prepared('d-import', cfg, run);
    const body = await sheetFor(db.database, db.ctx.orgId, inputs);
    requestBytes = JSON.stringify(body).length;
    collectGarbage();
    let stop = stopwatch();
    const request = ImportRequest.parse(body);
    validate.push(stop().wallMs);
    if (run === 1) {
      collectGarbage();
      stop = stopwatch();
      const dry = await importOrders(db.ctx, { ...request, mode: 'dry_run' });
      dryRunMs = stop().wallMs;
      if (dry.summary.errorRows) throw new Error(`D dry run: ${dry.summary.errorRows} error rows, e.g. ${JSON.stringify(dry.rows.find((r) => r.status === 'error'))}`);
    }
    collectGarbage();
    stop = stopwatch();
    const report = await importOrders(db.ctx, request);
    service.push(stop());
    reportBytes = JSON.stringify(report).length;
    if (!report.committed || report.summary.toCreate !== N) throw new Error(`D: import did not create ${N} orders: ${JSON.stringify(report.summary)}`);
    check('import', await orderRowCounts(db.database), N, L);
    if (run === 1) {
      collectGarbage();
      stop = stopwatch();
      const again = await importOrders(db.ctx, { ...request, onExisting: 'upsert' });
      upsert = { wallMs: round(stop().wallMs), unchanged: again.summary.unchanged };
      if (again.summary.unchanged !== N) throw new Error(`D: second upsert was not all unchanged: ${JSON.stringify(again.summary)}`);
    }
    db.close();
    log(`D import run ${run}: validate ${round(validate.at(-1)!)} ms, importOrders ${round(service.at(-1)!.wallMs)} ms wall / ${round(service.at(-1)!.cpuMs)} ms cpu`);
  }

  // Raw floor: the same orders (as createOrders would store them), one write transaction.
  const raw: { wallMs: number; cpuMs: number }[] = [];
  for (let run = 1; run <= cfg.runs; run++) {
    const { db, m, inputs } = await prepared('d-raw', cfg, run);
    const parsed = inputs.map((b) => OrderCreate.parse(b));
    const productMap = await loadProducts(db.database.db, db.ctx, m.productIds);
    const [group] = groupRows(prepareOrderRows(db.ctx, parsed, productMap), N);
    const statements = groupStatements(group!, { kind: 'multi', orders: 500, lines: 1000, audits: 500 });
    collectGarbage();
    const stop = stopwatch();
    await db.database.client.batch(statements, 'write');
    raw.push(stop());
    check('raw', await orderRowCounts(db.database), N, L);
    db.close();
    log(`D raw run ${run}: ${round(raw.at(-1)!.wallMs)} ms wall / ${round(raw.at(-1)!.cpuMs)} ms cpu`);
  }

  // Once through HTTP.
  const { db, inputs } = await prepared('d-http', cfg, 1);
  const key = (await createApiKey(db.ctx, { userId: db.ctx.actor.userId, name: 'bench' })).key;
  const app = createApp({ database: () => db.database, logError: (e) => console.error(e) });
  const text = JSON.stringify(await sheetFor(db.database, db.ctx.orgId, inputs));
  collectGarbage();
  const stop = stopwatch();
  const res = await app.request('/imports', { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: text });
  await res.text();
  const http = { wallMs: round(stop().wallMs), status: res.status };
  if (res.status !== 200) throw new Error(`D: POST /imports answered ${res.status}`);
  check('http', await orderRowCounts(db.database), N, L);
  db.close();
  log(`D HTTP: ${http.wallMs} ms (${http.status})`);

  const summary = (xs: { wallMs: number; cpuMs: number }[]) => ({
    wallMs: xs.map((x) => round(x.wallMs)),
    cpuMs: xs.map((x) => round(x.cpuMs)),
    wallMsMedian: round(median(xs.map((x) => x.wallMs))),
    cpuMsMedian: round(median(xs.map((x) => x.cpuMs))),
  });
  const s = summary(service);
  const r = summary(raw);
  return {
    config: cfg,
    data: { rows: N * L, requestBytes, reportBytes },
    validate: { wallMsMedian: round(median(validate)) },
    service: s,
    raw: r,
    ratio: round(s.wallMsMedian / r.wallMsMedian),
    ratioCpu: round(s.cpuMsMedian / r.cpuMsMedian),
    http,
    dryRun: { wallMs: round(dryRunMs) },
    upsertUnchanged: upsert,
  };
}
