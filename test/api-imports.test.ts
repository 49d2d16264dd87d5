/**
 * POST /imports end to end, through the real Hono app over a real libSQL file, and `npm run cli -- import`
 * as a child process: the messy corpus (test/fixtures/imports, written at test time with exceljs and SheetJS),
 * per-row errors pinned to cells, all-or-nothing commits (orders, lines and audit rows counted before and
 * after every rejected one), create_only vs upsert (twice each), allocations and locked orders, body limits,
 * tenant isolation.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BODY_BYTES } from '../worker/src/app.js';
import { readWorkbook } from '../worker/src/imports/read-workbook.js';
import { requestFromMatrix } from '../worker/src/imports/sheet-request.js';
import { ERROR_SHEET, MESSY_EXPECTED, MESSY_ORDER_BOOK, MISSING_COLUMNS, seedImportMasterData, writeWithExcelJS, writeWithSheetJS } from './fixtures/imports/corpus.js';
import { apiClient, seedMasterData, seedOrg, tempDatabase } from './support/harness.js';

type Cell = string | number | boolean | null;
type Res = Awaited<ReturnType<ReturnType<typeof apiClient>['call']>>;

let t: Awaited<ReturnType<typeof tempDatabase>>;
let org: Awaited<ReturnType<typeof seedOrg>>;
let master: Awaited<ReturnType<typeof seedMasterData>>;
let extra: Awaited<ReturnType<typeof seedImportMasterData>>;
let api: ReturnType<typeof apiClient>;
let other: { org: Awaited<ReturnType<typeof seedOrg>>; master: Awaited<ReturnType<typeof seedMasterData>> };

beforeAll(async () => {
  t = await tempDatabase();
  org = await seedOrg(t.database);
  master = await seedMasterData(org.admin);
  extra = await seedImportMasterData(org.admin);
  api = apiClient(t.database, org.keys.admin);
  const otherOrg = await seedOrg(t.database, 'Other Exports Pvt Ltd');
  other = { org: otherOrg, master: await seedMasterData(otherOrg.admin) };
});
afterAll(() => t?.cleanup());

/** Rows of this organisation: orders, lines, audit events (what a rejected import must leave untouched). */
async function counts() {
  const one = async (q: ReturnType<typeof sql>) => Number(((await t.database.db.all(q)) as { n: number }[])[0]!.n);
  return {
    orders: await one(sql`select count(*) as n from orders where org_id = ${org.organisation.id}`),
    lines: await one(sql`select count(*) as n from order_lines where org_id = ${org.organisation.id}`),
    audits: await one(sql`select count(*) as n from audit_events where org_id = ${org.organisation.id}`),
  };
}

const post = (body: unknown, headers: Record<string, string> = {}, key?: string) => api.call('POST', '/imports', { body, headers, ...(key ? { key } : {}) });

/** The report of a 200, or of a 422 IMPORT_REJECTED. */
const reportOf = (r: Res) => (r.status === 200 ? r.json : r.json?.error?.report);
const rowAt = (r: Res, sheetRow: number) => reportOf(r).rows.find((x: { row: number }) => x.row === sheetRow);
const messagesAt = (r: Res, cell: string) =>
  reportOf(r).rows.flatMap((x: { messages: { cell?: string }[] }) => x.messages.filter((m) => m.cell === cell)) as { severity: string; message: string; field?: string; value?: unknown }[];

// A plain layout for requests built in the tests: one row per line, header fields repeated.
const COLUMNS = {
  reference: 0, buyer: 1, buyerPo: 2, destinationCountry: 3, portOfLoading: 4, portOfDischarge: 5, incoterm: 6, paymentTerms: 7,
  currency: 8, requestedShipDate: 9, sku: 10, hsCode: 11, quantity: 12, unitPrice: 13, discountPercent: 14, description: 15,
} as const;
type Field = keyof typeof COLUMNS;
function line(reference: string, over: Partial<Record<Field, Cell>> = {}): Cell[] {
  const base: Record<Field, Cell> = {
    reference, buyer: 'Nordlicht Textilhandel GmbH', buyerPo: 'PO-1', destinationCountry: 'DE', portOfLoading: 'INNSA', portOfDischarge: 'DEHAM',
    incoterm: 'FOB Nhava Sheva', paymentTerms: 'LC at sight', currency: 'EUR', requestedShipDate: '2026-12-20', sku: 'TS-1', hsCode: null,
    quantity: 1000, unitPrice: 2.85, discountPercent: null, description: null,
  };
  const v = { ...base, ...over };
  return (Object.keys(COLUMNS) as Field[]).map((f) => v[f]);
}
const request = (rows: Cell[][], over: Record<string, unknown> = {}) => ({ mode: 'commit', rows, columns: COLUMNS, ...over });
let seq = 0;
const ref = (prefix: string) => `${prefix}-${++seq}`;

async function orderByReference(reference: string): Promise<any> {
  const list = await api.call('GET', `/orders?q=${encodeURIComponent(reference)}&limit=10`);
  const summary = list.json.items.find((o: { reference: string }) => o.reference.toLowerCase() === reference.toLowerCase());
  if (!summary) return undefined;
  return (await api.call('GET', `/orders/${summary.id}`)).json;
}

describe('the messy order book (exceljs: title rows, subtotals, date cells, ₹ € $ £, Indian grouping, Incoterms with place)', () => {
  let file: string;
  let body: ReturnType<typeof requestFromMatrix>;

  beforeAll(async () => {
    file = join(t.dir, 'messy-order-book.xlsx');
    await writeWithExcelJS(file, { 'Order book': MESSY_ORDER_BOOK });
    const sheet = await readWorkbook(file);
    body = requestFromMatrix(sheet.rows, { mode: 'dry_run', onExisting: 'create_only' });
  });

  it('is read as a matrix with ISO dates, numbers as numbers and "2.5%" for a percentage cell; the header row and columns are found', async () => {
    const sheet = await readWorkbook(file);
    expect(sheet.sheet).toBe('Order book');
    expect(sheet.rows[2]).toEqual(['Printed on', '2026-11-27']);
    expect(sheet.rows[4]!.slice(10, 17)).toEqual(['2026-12-05', 'TS-1', '6109.10.00', '1,20,000', 2.85, '2.5%', 333450]);
    expect(body.headerRow).toBe(4);
    expect(body.request.firstRow).toBe(5);
    expect(body.mapped.map((m) => `${m.field}:${m.column}`)).toEqual([
      'reference:A', 'buyer:B', 'consignee:C', 'buyerPo:D', 'destinationCountry:E', 'portOfLoading:F', 'portOfDischarge:G', 'incoterm:H', 'paymentTerms:I',
      'currency:J', 'requestedShipDate:K', 'sku:L', 'hsCode:M', 'quantity:N', 'unitPrice:O', 'discountPercent:P', 'remarks:R',
    ]);
    expect(body.ignored).toEqual([{ column: 'Q', header: 'Amount' }]);
  });

  it('dry run: 200, one report entry per row in order, subtotal and blank rows skipped, five orders with exact totals, nothing written', async () => {
    const before = await counts();
    const r = await post(body.request);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ mode: 'dry_run', committed: false });
    expect(r.json.summary).toEqual({ rows: 13, lineRows: 10, skippedRows: 3, orders: 5, toCreate: 5, toUpdate: 0, unchanged: 0, errorRows: 0, warningRows: 0 });
    expect(r.json.rows.map((x: { row: number }) => x.row)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect([8, 9, 12].map((n) => rowAt(r, n).status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(rowAt(r, 8).messages[0].message).toBe('subtotal row');
    for (const [reference, e] of Object.entries(MESSY_EXPECTED)) {
      const o = r.json.orders.find((x: { reference: string }) => x.reference === reference);
      expect(o, reference).toMatchObject({ action: 'create', lineCount: e.lines, rows: e.rows, total: { currency: e.currency, amount: e.total } });
      expect(o.orderId).toBeUndefined();
    }
    expect(messagesAt(r, 'N5')).toEqual([expect.objectContaining({ severity: 'note', field: 'quantity', value: '1,20,000', message: 'read 1,20,000 with Indian (lakh/crore) grouping' })]);
    expect(messagesAt(r, 'A7')[0]!.message).toMatch(/continues order KK-2026-0301/);
    expect(messagesAt(r, 'H13')[0]!.message).toMatch(/Incoterm place "New York" taken from the port of discharge/);
    expect(messagesAt(r, 'K15')[0]!.message).toMatch(/serial 46361 as 2026-12-05/);
    expect(await counts()).toEqual(before);
  });

  it('commit: 200, every order written with its normalised header and lines, an order.created audit event each with an import note', async () => {
    const before = await counts();
    const r = await post({ ...body.request, mode: 'commit' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ mode: 'commit', committed: true });
    expect(r.json.orders.every((o: { orderId?: string }) => /^ord_/.test(o.orderId ?? ''))).toBe(true);
    expect(rowAt(r, 5)).toMatchObject({ status: 'ok', reference: 'KK-2026-0301', action: 'create', orderId: r.json.orders[0].orderId });
    expect(await counts()).toEqual({ orders: before.orders + 5, lines: before.lines + 10, audits: before.audits + 5 });

    const o1 = await orderByReference('KK-2026-0301');
    expect(o1).toMatchObject({
      buyerId: master.buyer.id, consigneeId: master.buyer.id, buyerPo: 'NL-PO-1', destinationCountry: 'DE', portOfLoading: 'INNSA', portOfDischarge: 'DEHAM',
      incoterm: 'FOB', incotermPlace: 'Nhava Sheva', transportMode: 'sea', paymentTerms: { type: 'advance', percent: '30', balance: 'against_bl_copy' },
      currency: 'EUR', requestedShipDate: '2026-12-05', remarks: 'Marks as per artwork', status: 'draft', total: { amount: '347850.00' },
    });
    expect(o1.lines.map((l: any) => [l.sku, l.quantity, l.unitPrice, l.discountPercent, l.hsCode])).toEqual([
      ['TS-1', '120000', '2.85', '2.5', '61091000'],
      ['PL-1', '500', '5.4', '0', '610510'],
      ['HD-1', '1200', '9.75', '0', '611020'],
    ]);
    const o2 = await orderByReference('kk-2026-0302');
    expect(o2).toMatchObject({
      reference: 'kk-2026-0302', buyerId: master.buyer.id, consigneeId: master.consignee2.id, destinationCountry: 'NL', portOfDischarge: 'NLRTM',
      incoterm: 'CIF', incotermPlace: 'Rotterdam', paymentTerms: { type: 'lc', tenor: 'usance', usanceDays: 60, usanceFrom: 'bl_date' }, requestedShipDate: '2026-12-20',
    });
    expect(await orderByReference('KK-2026-0303')).toMatchObject({ buyerId: extra.usBuyer.id, currency: 'USD', incotermPlace: 'New York', portOfLoading: 'INMAA', paymentTerms: { type: 'da', days: 60 } });
    expect(await orderByReference('KK-2026-0304')).toMatchObject({ currency: 'INR', requestedShipDate: '2026-12-05', incoterm: 'FCA', incotermPlace: 'Tiruppur', total: { amount: '87050.00' } });
    expect(await orderByReference('KK-2026-0305')).toMatchObject({ currency: 'GBP', requestedShipDate: '2027-01-05', paymentTerms: { type: 'open_account', days: 30, from: 'invoice_date' } });

    const history = await api.call('GET', `/orders/${o1.id}/history`);
    expect(history.json.items).toEqual([expect.objectContaining({ action: 'order.created', note: 'import', actor: expect.objectContaining({ email: 'admin@test-exports-pvt-ltd.example' }) })]);
  });

  it('the same sheet again (create_only): 422 IMPORT_REJECTED, an error on every line\'s reference cell, nothing duplicated', async () => {
    const before = await counts();
    const r = await post({ ...body.request, mode: 'commit' });
    expect(r.status, r.text).toBe(422);
    expect(r.json.error.code).toBe('IMPORT_REJECTED');
    expect(r.json.error.report).toMatchObject({ committed: false, summary: { errorRows: 10, toCreate: 5, toUpdate: 0 } });
    for (const cell of ['A5', 'A6', 'A7', 'A10', 'A11', 'A13', 'A14', 'A15', 'A16', 'A17']) {
      expect(messagesAt(r, cell).some((m) => m.severity === 'error' && /already exists \(ord_/.test(m.message)), cell).toBe(true);
    }
    expect(r.json.error.details[0]).toMatchObject({ path: 'A5', message: expect.stringMatching(/already exists/) });
    expect(await counts()).toEqual(before);
  });

  it('upsert of the same sheet: 200, every order unchanged, no version bump, no history', async () => {
    const before = await counts();
    const o1 = await orderByReference('KK-2026-0301');
    const r = await post({ ...body.request, mode: 'commit', onExisting: 'upsert' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.summary).toMatchObject({ orders: 5, toCreate: 0, toUpdate: 0, unchanged: 5, errorRows: 0 });
    expect(rowAt(r, 5)).toMatchObject({ action: 'unchanged', orderId: o1.id });
    expect(await counts()).toEqual(before);
    expect((await orderByReference('KK-2026-0301')).version).toBe(o1.version);
  });
});

describe('a sheet full of mistakes (SheetJS): each one on its cell, and a commit writes nothing', () => {
  let rows: Cell[][];
  let built: ReturnType<typeof requestFromMatrix>;

  beforeAll(async () => {
    const file = join(t.dir, 'errors.xlsx');
    writeWithSheetJS(file, { Sheet1: ERROR_SHEET });
    rows = (await readWorkbook(file)).rows;
    built = requestFromMatrix(rows, { mode: 'commit', onExisting: 'create_only' });
  });

  it('commit: 422 IMPORT_REJECTED with the full report; orders, lines and audit rows untouched; never a 5xx', async () => {
    const before = await counts();
    const r = await post(built.request);
    expect(r.status, r.text).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'IMPORT_REJECTED', message: '12 of 13 rows have errors; nothing was imported' });
    const report = r.json.error.report;
    expect(report.rows).toHaveLength(13);
    expect(report.summary).toMatchObject({ rows: 13, lineRows: 13, orders: 9, errorRows: 12 });
    expect(rowAt(r, 14)).toMatchObject({ status: 'ok', reference: 'E-9' });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['J2', 'requestedShipDate', /ambiguous date "05\/12\/2026": 2026-12-05 \(DD\/MM\/YYYY\) or 2026-05-12 \(MM\/DD\/YYYY\)/],
    ['C3', 'buyerPo', /differs from row 2 of order E-1: "PO-A" there, "PO-B" here/],
    ['M3', 'quantity', /quantity must be above zero/],
    ['M4', 'quantity', /negative amounts are not accepted/],
    ['M5', 'quantity', /not a number: "abc"/],
    ['N6', 'unitPrice', /expected a number for unit price, got TRUE/],
    ['K7', 'sku', /unknown SKU "ZZ-404"/],
    ['L8', 'hsCode', /HS code "9999.99": unknown chapter 99/],
    ['O9', 'discountPercent', /percentage 150 is above 100/],
    ['B10', 'buyer', /unknown buyer "Unknown Buyer Ltd"/],
    ['N11', 'unitPrice', /price in USD but the order currency is EUR/],
    ['H12', 'paymentTerms', /at sight or usance/],
    ['F13', 'portOfDischarge', /unknown port "Atlantis"/],
  ])('%s (%s)', async (cell, field, message) => {
    const r = await post({ ...built.request, mode: 'dry_run' });
    expect(r.status).toBe(200);
    const errors = messagesAt(r, cell).filter((m) => m.severity === 'error');
    expect(errors, JSON.stringify(messagesAt(r, cell))).toContainEqual(expect.objectContaining({ field, message: expect.stringMatching(message) }));
    const row = rowAt(r, Number(cell.slice(1)));
    expect(row.status).toBe('error');
    expect(row.messages.find((m: { cell?: string }) => m.cell === cell)).toMatchObject({ column: cell[0] });
  });

  it('an HS code that is valid but not the product\'s is a warning, not an error', async () => {
    const r = await post({ ...built.request, mode: 'dry_run' });
    expect(messagesAt(r, 'L9')).toContainEqual(expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/610990 differs from 610510 of product PL-1/) }));
  });

  it('datePreference settles the ambiguous date (with a note)', async () => {
    const r = await post({ ...built.request, mode: 'dry_run', defaults: { datePreference: 'DMY' } });
    expect(messagesAt(r, 'J2')).toEqual([expect.objectContaining({ severity: 'note', message: 'read 05/12/2026 as DD/MM/YYYY' })]);
  });
});

describe('requests built here: types, mapping, defaults, empty sheets', () => {
  it('a cell that is not text, number, boolean or null is a 400 naming its row and column', async () => {
    const r = await post(request([[...line('X-1').slice(0, 12), { qty: 1 } as never, 2.5]]));
    expect(r.status).toBe(400);
    expect(r.json.error.details.map((d: { path: string }) => d.path)).toContain('rows.0.12');
  });

  it('unmapped required columns: 422 IMPORT_MAPPING_INCOMPLETE naming each missing mapping, before any row is read', async () => {
    const { quantity: _q, unitPrice: _p, portOfLoading: _l, ...columns } = COLUMNS;
    const r = await post({ mode: 'dry_run', rows: [line('X-2')], columns });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('IMPORT_MAPPING_INCOMPLETE');
    expect(r.json.error.message).toBe('Required columns are not mapped: quantity, unitPrice, portOfLoading');
    expect(r.json.error.details).toEqual([
      { path: 'columns.quantity', message: 'Map a column to Quantity', code: 'required' },
      { path: 'columns.unitPrice', message: 'Map a column to Unit price', code: 'required' },
      { path: 'columns.portOfLoading', message: 'Map a column to Port of loading, or set defaults.portOfLoading', code: 'required' },
    ]);
    // the same sheet through the CLI's mapper: a sheet without Qty and Rate columns
    const built = requestFromMatrix(MISSING_COLUMNS as Cell[][], { mode: 'dry_run', onExisting: 'create_only' });
    const viaSheet = await post(built.request);
    expect(viaSheet.status).toBe(422);
    expect(viaSheet.json.error.details.map((d: { path: string }) => d.path)).toEqual(['columns.quantity', 'columns.unitPrice']);
  });

  it('defaults stand in for missing columns; an unreadable default is a 422 naming it', async () => {
    const { portOfLoading: _l, incoterm: _i, paymentTerms: _t, currency: _c, ...columns } = COLUMNS;
    const reference = ref('DEF');
    const defaults = { portOfLoading: 'Nhava Sheva', incoterm: 'FOB Nhava Sheva', paymentTerms: '30% adv bal CAD', currency: 'usd', transportMode: 'Ocean' };
    const ok = await post({ mode: 'dry_run', rows: [line(reference)], columns, defaults });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.summary.errorRows).toBe(0);
    expect(ok.json.orders[0].total).toEqual({ currency: 'USD', amount: '2850.00', minor: 285000 });
    const bad = await post({ mode: 'dry_run', rows: [line(reference)], columns, defaults: { ...defaults, paymentTerms: 'LC', currency: 'XYZ' } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('IMPORT_DEFAULTS_INVALID');
    expect(bad.json.error.details.map((d: { path: string }) => d.path)).toEqual(['defaults.currency', 'defaults.paymentTerms']);
  });

  it('no rows, or only blank and subtotal rows: 422 IMPORT_EMPTY (with the report of what was skipped)', async () => {
    const empty = await post(request([]));
    expect(empty.status).toBe(422);
    expect(empty.json.error).toMatchObject({ code: 'IMPORT_EMPTY', message: 'No rows to import' });
    const blank = await post(request([[], [null, '  '], ['Grand Total', null, 1200]]));
    expect(blank.status).toBe(422);
    expect(blank.json.error.code).toBe('IMPORT_EMPTY');
    expect(blank.json.error.report.rows.map((x: { status: string }) => x.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it('amounts: Indian grouping with decimals, ₹ with INR, a symbol that contradicts the currency column, decimals beyond the limit', async () => {
    const a = ref('AMT');
    const r = await post(
      request([
        line(a, { currency: 'INR', unitPrice: '₹ 1,20,000.50', quantity: '2' }),
        line(a, { currency: 'INR', unitPrice: '€ 3', sku: 'PL-1' }),
        line(a, { currency: 'INR', unitPrice: '1.1234567', sku: 'HD-1' }),
        line(a, { currency: 'INR', quantity: '1.2345', sku: 'HD-1' }),
      ], { mode: 'dry_run' }),
    );
    expect(r.status).toBe(200);
    expect(messagesAt(r, 'N2')).toContainEqual(expect.objectContaining({ severity: 'note', message: 'read 1,20,000.50 with Indian (lakh/crore) grouping' }));
    expect(messagesAt(r, 'N3')).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/price in EUR but the order currency is INR/) }));
    expect(messagesAt(r, 'N4')).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/7 decimal places, at most 6/) }));
    expect(messagesAt(r, 'M5')).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/4 decimal places, at most 3/) }));
  });

  it('a UN/LOCODE that is not a seaport is fine for an air order and an error on the port cell for a sea order', async () => {
    const columns = { ...COLUMNS, transportMode: 16 };
    const air = ref('AIR');
    const sea = ref('SEA');
    const r = await post({
      mode: 'dry_run',
      columns,
      rows: [
        [...line(air, { portOfDischarge: 'DEMUC', incoterm: 'FCA New Delhi', portOfLoading: 'INDEL' }), 'By Air'],
        [...line(sea, { portOfDischarge: 'DEMUC' }), 'Sea'],
        [...line(ref('SEA'), { portOfDischarge: 'Atlantis' }), 'Sea'],
      ],
    });
    expect(r.status).toBe(200);
    expect(rowAt(r, 2).messages.filter((m: { severity: string }) => m.severity === 'error')).toEqual([]);
    expect(r.json.orders[0]).toMatchObject({ reference: air, action: 'create' });
    expect(messagesAt(r, 'F3')).toContainEqual(expect.objectContaining({ severity: 'error', message: 'DEMUC is not a seaport in UN/LOCODE (function 1)' }));
    expect(messagesAt(r, 'F4')).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/unknown port "Atlantis"/) }));
  });

  it('firstRow and firstColumn place every message on the real sheet cell', async () => {
    const r = await post(request([[null, ...line(ref('POS'), { quantity: 0 })]], { mode: 'dry_run', firstRow: 40, firstColumn: 2, columns: Object.fromEntries(Object.entries(COLUMNS).map(([f, i]) => [f, i + 1])) }));
    expect(r.status).toBe(200);
    // quantity is index 13 in the row; the row starts at sheet column C (2) → P
    expect(messagesAt(r, 'P40')).toContainEqual(expect.objectContaining({ field: 'quantity', column: 'P', message: 'quantity must be above zero' }));
  });

  it('another organisation\'s buyer id and SKU are unknown here (and never named)', async () => {
    const r = await post(request([line(ref('TEN'), { buyer: other.master.buyer.id }), line(ref('TEN'), { sku: 'TS-1' })], { mode: 'dry_run' }));
    expect(messagesAt(r, 'B2')).toContainEqual(expect.objectContaining({ severity: 'error', message: `no party ${other.master.buyer.id} in this organisation` }));
    // SKUs are per organisation: TS-1 exists in both, and resolves to this organisation's product
    const created = await post(request([line(ref('TEN'))]));
    expect(created.status).toBe(200);
    const order = await api.call('GET', `/orders/${created.json.orders[0].orderId}`);
    expect(order.json.lines[0].productId).toBe(master.tee.id);
    expect(r.text).not.toContain(other.master.tee.id);
  });

  it('a viewer is refused with 403 before anything is read', async () => {
    const r = await post(request([line(ref('VW'))]), {}, org.keys.viewer);
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('FORBIDDEN');
  });
});

describe('lines grouped into orders; upsert replaces header and lines', () => {
  it('header fields may be blank after an order\'s first line, but two different values are an error on the later cell', async () => {
    const a = ref('GRP');
    const r = await post(
      request([
        line(a),
        line(a, { buyer: null, buyerPo: null, destinationCountry: 'Germany', portOfDischarge: 'Hamburg', sku: 'PL-1' }),
        line(a.toLowerCase(), { incoterm: 'CIF Hamburg', sku: 'HD-1' }),
      ], { mode: 'dry_run' }),
    );
    expect(r.json.summary).toMatchObject({ orders: 1, errorRows: 1 });
    expect(messagesAt(r, 'G4')).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/^Incoterm differs from row 2/) }));
    expect(rowAt(r, 3).status).toBe('ok');
  });

  it('upsert twice: the first changes quantities, prices and lines (keeping line ids where the SKU matches), the second is unchanged', async () => {
    const a = ref('UPS');
    const created = await post(request([line(a, { quantity: 1000 }), line(a, { sku: 'PL-1', quantity: 500, unitPrice: 5.4 })]));
    expect(created.status, created.text).toBe(200);
    const id = created.json.orders[0].orderId;
    const before = (await api.call('GET', `/orders/${id}`)).json;
    const audits = (await counts()).audits;

    const sheet = request(
      [
        line(a, { quantity: 1200, buyerPo: 'PO-2', description: 'Cotton T-shirt, navy' }),
        line(a, { sku: 'HD-1', quantity: 300, unitPrice: 9.75, buyerPo: 'PO-2' }),
      ],
      { onExisting: 'upsert' },
    );
    const dry = await post({ ...sheet, mode: 'dry_run' });
    expect(dry.json.orders[0]).toMatchObject({ action: 'update', orderId: id, total: { amount: String((1200 * 2.85 + 300 * 9.75).toFixed(2)) } });
    expect((await api.call('GET', `/orders/${id}`)).json.version).toBe(before.version);

    const first = await post(sheet);
    expect(first.status, first.text).toBe(200);
    expect(first.json.summary).toMatchObject({ toUpdate: 1, unchanged: 0, toCreate: 0 });
    const after = (await api.call('GET', `/orders/${id}`)).json;
    expect(after.version).toBe(before.version + 1);
    expect(after.buyerPo).toBe('PO-2');
    expect(after.lines.map((l: any) => [l.sku, l.quantity, l.description])).toEqual([
      ['TS-1', '1200', 'Cotton T-shirt, navy'],
      ['HD-1', '300', 'Fleece hoodie'],
    ]);
    expect(after.lines[0].id).toBe(before.lines[0].id); // TS-1 kept its line
    expect(after.lines[1].id).not.toBe(before.lines[1].id); // PL-1 removed, HD-1 new
    expect((await counts()).audits).toBe(audits + 1);
    const history = (await api.call('GET', `/orders/${id}/history`)).json.items;
    expect(history.at(-1)).toMatchObject({ action: 'order.updated', note: 'import', before: { buyerPo: 'PO-1', version: 1 }, after: { buyerPo: 'PO-2', version: 2 } });

    const second = await post(sheet);
    expect(second.status).toBe(200);
    expect(second.json.summary).toMatchObject({ toUpdate: 0, unchanged: 1 });
    expect((await api.call('GET', `/orders/${id}`)).json.version).toBe(after.version);
    expect((await counts()).audits).toBe(audits + 1);
  });

  it('upsert respects what shipments carry: below the allocation, or dropping an allocated line, is an error on the cell; nothing is written', async () => {
    const a = ref('ALC');
    const created = await post(request([line(a, { quantity: 1000 }), line(a, { sku: 'PL-1', quantity: 500 })]));
    const id = created.json.orders[0].orderId;
    const order = (await api.call('GET', `/orders/${id}`)).json;
    const shipment = await api.call('POST', `/orders/${id}/shipments`, { body: { allocations: [{ orderLineId: order.lines[0].id, quantity: '600' }] } });
    expect(shipment.status, shipment.text).toBe(201);
    const before = await counts();

    const below = await post(request([line(a, { quantity: 500 }), line(a, { sku: 'PL-1', quantity: 500 })], { onExisting: 'upsert' }));
    expect(below.status).toBe(422);
    expect(messagesAt(below, 'M2')).toContainEqual(expect.objectContaining({ severity: 'error', message: 'Quantity 500 is below the 600 already allocated to shipments' }));

    const dropped = await post(request([line(a, { sku: 'PL-1', quantity: 500 })], { onExisting: 'upsert' }));
    expect(dropped.status).toBe(422);
    expect(rowAt(dropped, 2).messages).toContainEqual(expect.objectContaining({ severity: 'error', message: expect.stringMatching(/is allocated to shipments \(600 PCS\) and cannot be removed/) }));
    expect(await counts()).toEqual(before);
  });

  it('upsert of an order that can no longer be edited is an error on every one of its rows; a commit with another, valid order writes neither', async () => {
    const a = ref('LCK');
    const b = ref('NEW');
    const created = await post(request([line(a)]));
    const id = created.json.orders[0].orderId;
    const cur = await api.call('GET', `/orders/${id}`);
    const cancelled = await api.call('POST', `/orders/${id}/transitions`, { body: { to: 'cancelled' }, headers: { 'If-Match': cur.headers.get('etag')! } });
    expect(cancelled.status, cancelled.text).toBe(200);
    const before = await counts();
    const r = await post(request([line(b), line(a, { quantity: 5 }), line(a, { sku: 'PL-1' })], { onExisting: 'upsert' }));
    expect(r.status).toBe(422);
    for (const cell of ['A3', 'A4']) expect(messagesAt(r, cell)).toContainEqual(expect.objectContaining({ severity: 'error', message: `order ${a} is cancelled and can no longer be edited` }));
    expect(rowAt(r, 2).status).toBe('ok');
    expect(await counts()).toEqual(before);
    expect(await orderByReference(b)).toBeUndefined();
  });

  it('Idempotency-Key: the same commit retried is replayed, not imported twice', async () => {
    const body = request([line(ref('IDEM'))]);
    const headers = { 'Idempotency-Key': `import-${ref('key')}` };
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    const after = await counts();
    const again = await post(body, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect(await counts()).toEqual(after);
  });

  it('a few thousand lines in one commit: 400 orders × 5 lines, all written in one transaction', async () => {
    const rows: Cell[][] = [];
    for (let i = 0; i < 400; i++) {
      const reference = `BULK-${String(i).padStart(4, '0')}`;
      for (const [k, sku] of ['TS-1', 'PL-1', 'HD-1', 'TS-1', 'PL-1'].entries()) rows.push(line(reference, { sku, quantity: 100 + k, unitPrice: '1,250.50', currency: 'INR' }));
    }
    const before = await counts();
    const r = await post(request(rows));
    expect(r.status, r.text.slice(0, 500)).toBe(200);
    expect(r.json.summary).toMatchObject({ rows: 2000, orders: 400, toCreate: 400, errorRows: 0 });
    expect(await counts()).toEqual({ orders: before.orders + 400, lines: before.lines + 2000, audits: before.audits + 400 });
  });
});

describe('body limits', () => {
  it(`a body over the global 1 MiB is accepted on /imports (limit ${MAX_IMPORT_BODY_BYTES} bytes)`, async () => {
    const rows: Cell[][] = [];
    for (let i = 0; i < 6000; i++) rows.push(line(`BIG-${i}`, { description: `A long description to make the body larger than one mebibyte ${'x'.repeat(120)}` }));
    const text = JSON.stringify(request(rows, { mode: 'dry_run' }));
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const r = await post(text);
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.json.summary.rows).toBe(6000);
  });

  it('a 20 MB body: 413 PAYLOAD_TOO_LARGE naming the limit, with or without Content-Length; nothing written', async () => {
    const before = await counts();
    const rows: Cell[][] = [];
    const filler = 'y'.repeat(2000);
    while (rows.length * 2100 < 20_000_000) rows.push(line(`HUGE-${rows.length}`, { description: filler }));
    const body = JSON.stringify(request(rows));
    expect(body.length).toBeGreaterThan(20_000_000);
    const headers = { Authorization: `Bearer ${org.keys.admin}`, 'Content-Type': 'application/json' };
    for (const h of [{ ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, headers]) {
      const res = await api.app.request('/imports', { method: 'POST', headers: h, body });
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status).toBe(413);
      expect(json.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(json.error.message).toMatch(/16777216 bytes \(16 MiB, the limit of POST \/imports\)/);
    }
    expect(await counts()).toEqual(before);
  });
});

describe('npm run cli -- import (child process)', () => {
  const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const cli = (...args: string[]) => spawnSync(TSX, ['worker/src/cli.ts', 'import', ...args], { env: { ...process.env, DATABASE_URL: `file:${t.path}` }, encoding: 'utf8', timeout: 120_000 });

  it('imports a generated .xlsx (header on row 3, a column mapped by mapping.json): a dry run with an error (exit 1), then the import (exit 0)', async () => {
    const file = join(t.dir, 'cli-orders.xlsx');
    await writeWithExcelJS(file, {
      Notes: [['Nothing here']],
      Orders: [
        ['Export order book'],
        [],
        ['Order No', 'Customer', 'POD', 'Stück', 'Rate', 'Item Code', 'ETD'],
        ['CLI-1', 'Nordlicht Textilhandel GmbH', 'Hamburg', 1200, '€2.85', 'TS-1', new Date('2026-12-20T00:00:00Z')],
        ['CLI-1', 'Nordlicht Textilhandel GmbH', 'Hamburg', '1,500', 'EUR 5.40', 'PL-1', new Date('2026-12-20T00:00:00Z')],
        ['CLI-2', 'Hudson & Pine Home Goods Inc.', 'USNYC', 10, '$4.10', 'HD-1', '15-Jan-2027'],
      ],
    });
    const map = join(t.dir, 'mapping.json');
    writeFileSync(map, JSON.stringify({ quantity: 'Stück', defaults: { portOfLoading: 'Nhava Sheva', incoterm: 'FOB Nhava Sheva', paymentTerms: 'LC at sight', currency: 'EUR' } }));
    const before = await counts();
    const dry = cli(file, '--org', org.organisation.id, '--sheet', 'Orders', '--map', map, '--dry-run');
    expect(dry.status, dry.stderr + dry.stdout).toBe(1);
    expect(dry.stdout).toContain('Dry run: nothing was written. Fix the errors above before importing.');
    expect(dry.stdout).toContain('header on row 3');
    expect(dry.stdout).toContain('quantity ← D "Stück"');
    expect(dry.stdout).toMatch(/row 6 +E6 +error +unitPrice: price in USD but the order currency is EUR/);
    expect(await counts()).toEqual(before);

    const fixed = join(t.dir, 'mapping-fixed.json');
    writeFileSync(fixed, JSON.stringify({ quantity: 'D', defaults: { portOfLoading: 'INNSA', incoterm: 'FOB Nhava Sheva', paymentTerms: 'LC at sight' } }));
    const run = cli(file, '--org', org.organisation.id, '--sheet', 'Orders', '--map', fixed, '--user', 'OPS@test-exports-pvt-ltd.example');
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('Imported: 2 orders created, 0 updated, 0 unchanged.');
    expect(await counts()).toEqual({ orders: before.orders + 2, lines: before.lines + 3, audits: before.audits + 2 });
    const o = await orderByReference('CLI-2');
    expect(o).toMatchObject({ currency: 'USD', requestedShipDate: '2027-01-15', portOfDischarge: 'USNYC' });
    const history = (await api.call('GET', `/orders/${o.id}/history`)).json.items;
    expect(history[0]).toMatchObject({ note: 'import: cli-orders.xlsx', actor: { email: 'ops@test-exports-pvt-ltd.example' } });
  });

  it('a sheet with errors: the rows and cells on stdout, exit 1, nothing written', async () => {
    const file = join(t.dir, 'cli-errors.xlsx');
    writeWithSheetJS(file, { Sheet1: ERROR_SHEET });
    const before = await counts();
    const r = cli(file, '--org', org.organisation.id);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/row 3 +M3 +error +quantity: quantity must be above zero/);
    expect(r.stdout).toMatch(/row 2 +J2 +error +requestedShipDate: ambiguous date/);
    expect(r.stdout).toContain('Nothing was imported');
    expect(r.stderr).toContain('IMPORT_REJECTED: 12 of 13 rows have errors; nothing was imported');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    expect(await counts()).toEqual(before);
  });

  it('missing columns, an empty workbook, a viewer, a 20 MB CSV: exit 1 with a clear message, no stack trace', async () => {
    const missing = join(t.dir, 'cli-missing.xlsx');
    await writeWithExcelJS(missing, { Orders: MISSING_COLUMNS });
    const empty = join(t.dir, 'cli-empty.xlsx');
    await writeWithExcelJS(empty, { Sheet1: [] });
    const big = join(t.dir, 'cli-big.csv');
    const head = 'Order No,Buyer,POD,Qty,Rate,Item Code\n';
    const rowText = 'BIG-1,Nordlicht Textilhandel GmbH,DEHAM,100,2.85,TS-1\n';
    writeFileSync(big, head + rowText.repeat(Math.ceil(20_000_000 / rowText.length)));
    const before = await counts();
    const cases: [string[], RegExp][] = [
      [[missing, '--org', org.organisation.id], /IMPORT_MAPPING_INCOMPLETE: Required columns are not mapped: quantity, unitPrice/],
      [[empty, '--org', org.organisation.id], /Cannot import: the sheet is empty/],
      [[join(t.dir, 'cli-orders.xlsx'), '--org', org.organisation.id, '--user', 'viewer@test-exports-pvt-ltd.example', '--sheet', 'Orders'], /FORBIDDEN/],
      [[big, '--org', org.organisation.id], /Cannot import: the sheet has [\d,]+ rows under its header; at most 100,000 per import/],
      [[join(t.dir, 'nope.xlsx'), '--org', org.organisation.id], /Cannot import: cannot read .*nope\.xlsx: ENOENT/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr, args[0]).toMatch(message);
      expect(r.stderr, args[0]).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(await counts()).toEqual(before);
  });
});
