/**
 * The add-in's workflows (pull, publish, refresh, import, validate, documents) end to end in Node: the real
 * excel/ layer against the fake Excel host (real load/sync semantics), and the real API over a real libSQL file.
 * Also the sync budget: pull and publish use at most 4 context.sync() calls at 10 and at 5,000 rows.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../../shared/contracts/orders.js';
import { createApi } from '../../addin/src/api/client.js';
import { installFakeExcel } from '../../addin/src/excel/fake/index.js';
import type { FakeExcelHost } from '../../addin/src/excel/fake/index.js';
import { runExcel } from '../../addin/src/excel/run.js';
import { COLUMNS, SHEET, SNAPSHOT_HEADERS, col, columnLetter } from '../../addin/src/sheet/columns.js';
import { readOrdersSheet } from '../../addin/src/excel/orders-sheet.js';
import type { Deps } from '../../addin/src/workflows/deps.js';
import { pullOrders } from '../../addin/src/workflows/pull.js';
import { publishChanges } from '../../addin/src/workflows/publish.js';
import { refreshSelectedRows } from '../../addin/src/workflows/refresh.js';
import { generateForSelected, validateSelected } from '../../addin/src/workflows/actions.js';
import { createOrders } from '../../worker/src/services/orders/orders.js';
import { orderInput, useApiFixture } from '../support/harness.js';

const fx = useApiFixture();
let host: FakeExcelHost;
let deps: Deps;

function connect() {
  host = installFakeExcel(globalThis);
  const api = createApi({ baseUrl: 'https://exportdesk.test', apiKey: fx.org.keys.admin }, async (input, init) => fx.api.app.fetch(new Request(input as string, init)));
  deps = { api, run: runExcel };
}

/** Create `n` orders of `lines` lines each straight through the service (fast seeding). */
async function seedOrders(n: number, lines: number, tag: string) {
  const inputs = Array.from({ length: n }, (_, i) =>
    OrderCreate.parse(
      orderInput(fx.master, {
        reference: `${tag}-${String(i).padStart(5, '0')}`,
        buyerPo: `PO-${tag}-${i}`,
        lines: Array.from({ length: lines }, (_, l) => ({ productId: l % 2 ? fx.master.polo.id : fx.master.tee.id, quantity: String(100 + l), unitPrice: '2.85' })),
      }),
    ),
  );
  await createOrders(fx.org.admin, inputs);
}

const sheetRows = () => host.workbook.getValues(SHEET.orders).slice(1);
const rowOf = (ref: string, lineNo = 1) => sheetRows().findIndex((r) => r[col('reference')] === ref && r[col('lineNo')] === lineNo);
const cell = (bodyRow: number, key: Parameters<typeof col>[0]) => `${columnLetter(col(key))}${bodyRow + 2}`;
const edit = (bodyRow: number, key: Parameters<typeof col>[0], value: unknown) => host.workbook.setValues(SHEET.orders, cell(bodyRow, key), [[value]]);
const read = (bodyRow: number, key: Parameters<typeof col>[0]) => host.workbook.getValues(SHEET.orders, cell(bodyRow, key))[0]![0];

beforeAll(async () => {
  await seedOrders(5, 2, 'SMALL');
});
afterEach(() => {
  delete (globalThis as any).Excel;
  delete (globalThis as any).Office;
});

describe('pull', () => {
  it('writes one row per line with hidden keys, text formats and a very hidden snapshot, in 2 syncs (3 over an existing table)', async () => {
    connect();
    const r = await pullOrders(deps, { q: 'SMALL-' });
    expect(r).toEqual({ status: 'pulled', orders: 5, rows: 10 });
    expect(host.syncCount).toBe(2);
    host.resetCounters();
    await pullOrders(deps, { q: 'SMALL-' });
    expect(host.syncCount).toBe(3);
    const values = host.workbook.getValues(SHEET.orders);
    expect(values[0]).toEqual(COLUMNS.map((c) => c.header));
    const row = values[1 + rowOf('SMALL-00003', 2)]!;
    expect(row[col('reference')]).toBe('SMALL-00003');
    expect(row[col('buyer')]).toBe('Nordlicht Textilhandel GmbH');
    expect(row[col('sku')]).toBe('PL-1');
    expect(row[col('hsCode')]).toBe('610510'); // kept as text, not the number 610510
    expect(row[col('quantity')]).toBe(101);
    expect(row[col('version')]).toBe(1);
    expect(String(row[col('orderId')])).toMatch(/^ord_/);
    const table = host.workbook.tables().find((t) => t.name === SHEET.table)!;
    expect(table.sheet).toBe(SHEET.orders);
    expect(table.rowCount).toBe(10);
    expect(host.workbook.isColumnHidden(SHEET.orders, col('orderId'))).toBe(true);
    expect(host.workbook.isColumnHidden(SHEET.orders, col('version'))).toBe(true);
    expect(host.workbook.isColumnHidden(SHEET.orders, col('quantity'))).toBe(false);
    expect(host.workbook.getNumberFormat(SHEET.orders, cell(0, 'hsCode'))[0]![0]).toBe('@');
    expect(host.workbook.sheetVisibility(SHEET.snapshot)).toBe('VeryHidden');
    expect(host.workbook.getValues(SHEET.snapshot)).toHaveLength(11);
  });

  it('refuses to overwrite unpublished edits unless forced', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    edit(rowOf('SMALL-00001'), 'quantity', 999);
    expect(await pullOrders(deps, { q: 'SMALL-' })).toEqual({ status: 'unpublished', rows: 1 });
    expect(read(rowOf('SMALL-00001'), 'quantity')).toBe(999);
    expect((await pullOrders(deps, { q: 'SMALL-' }, { force: true })).status).toBe('pulled');
    expect(read(rowOf('SMALL-00001'), 'quantity')).toBe(100);
  });
});

describe('publish', () => {
  it('sends only edited rows; saved rows turn green with their new version and server values', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const a = rowOf('SMALL-00000', 1);
    const b = rowOf('SMALL-00002', 2);
    edit(a, 'quantity', 1500);
    edit(b, 'buyerPo', 'PO-NEW-2');
    host.resetCounters();
    const report = await publishChanges(deps);
    expect(host.syncCount).toBe(3);
    expect(report).toMatchObject({ saved: 2, rejected: 0, conflicts: 0 });
    expect(read(a, 'sync')).toBe('Saved (version 2)');
    expect(read(a, 'amount')).toBe(4275); // 1500 × 2.85
    expect(read(a, 'version')).toBe(2);
    expect(host.workbook.getFormat(SHEET.orders, cell(a, 'sync')).fill).toBe('#DFF6DD');
    // The other line of the order B row belongs to now shows the new PO and version too.
    const b1 = rowOf('SMALL-00002', 1);
    expect(read(b1, 'buyerPo')).toBe('PO-NEW-2');
    expect(read(b1, 'version')).toBe(2);
    expect(read(rowOf('SMALL-00004'), 'sync')).toBe('');

    const server = (await fx.api.call('GET', `/orders/${read(a, 'orderId')}`)).json;
    expect(server.lines[0].quantity).toBe('1500');
    expect(server.version).toBe(2);
    // Publishing again sends nothing.
    const again = await publishChanges(deps);
    expect(again.saved + again.rejected + again.conflicts).toBe(0);
  });

  it('a rejected row gets the server\'s message naming its cell; it never blocks the other rows', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const bad = rowOf('SMALL-00001', 2);
    const good = rowOf('SMALL-00003', 1);
    edit(bad, 'quantity', -5);
    edit(good, 'unitPrice', 3.1);
    const report = await publishChanges(deps);
    expect(report).toMatchObject({ saved: 1, rejected: 1 });
    expect(String(read(bad, 'sync'))).toMatch(new RegExp(`^Rejected: ${cell(bad, 'quantity')} Quantity: `));
    expect(host.workbook.getFormat(SHEET.orders, cell(bad, 'sync')).fill).toBe('#FDE7E9');
    const outcome = report.outcomes.find((o) => o.tone === 'rejected')!;
    expect(outcome).toMatchObject({ row: bad, column: 'quantity' });
    expect(read(good, 'sync')).toBe('Saved (version 2)');
    expect(read(bad, 'quantity')).toBe(-5); // the user's value is kept to fix
  });

  it('a conflict shows their value; "Refresh selected rows" loads theirs; then nothing is pending', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const r = rowOf('SMALL-00004', 1);
    const orderId = String(read(r, 'orderId'));
    const version = Number(read(r, 'version'));
    const current = (await fx.api.call('GET', `/orders/${orderId}`)).json;
    const theirs = await fx.api.call('PATCH', `/orders/${orderId}`, {
      body: { lines: current.lines.map((l: any, i: number) => ({ id: l.id, productId: l.productId, quantity: i === 0 ? '5000' : l.quantity, unitPrice: l.unitPrice })) },
      headers: { 'If-Match': `"${version}"` },
    });
    expect(theirs.status, theirs.text).toBe(200);
    edit(r, 'quantity', 4800);
    const report = await publishChanges(deps);
    expect(report.conflicts).toBe(1);
    expect(String(read(r, 'sync'))).toContain('Quantity is now 5000 (yours 4800)');
    expect(host.workbook.getFormat(SHEET.orders, cell(r, 'sync')).fill).toBe('#FFF4CE');
    expect((await fx.api.call('GET', `/orders/${orderId}`)).json.lines[0].quantity).toBe('5000');

    host.workbook.select(SHEET.orders, `A${r + 2}`);
    host.resetCounters();
    const refreshed = await refreshSelectedRows(deps);
    expect(host.syncCount).toBeLessThanOrEqual(4);
    expect(refreshed).toMatchObject({ rows: 1, orders: 1, gone: 0 });
    expect(read(r, 'quantity')).toBe(5000);
    expect(read(r, 'version')).toBe(version + 1);
    const after = await publishChanges(deps);
    expect(after.saved + after.rejected + after.conflicts).toBe(0);
  });

  it('rows the user sorted still match their lines (keys, not positions)', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const values = host.workbook.getValues(SHEET.orders);
    const reversed = [values[0]!, ...values.slice(1).reverse()];
    host.workbook.setValues(SHEET.orders, 'A1', reversed);
    const report = await publishChanges(deps);
    expect(report.saved + report.rejected + report.conflicts).toBe(0);
  });
});

describe('order actions on the selected row', () => {
  it('validates the selected order and points findings at cells; generates its documents', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const r = rowOf('SMALL-00001', 1);
    host.workbook.select(SHEET.orders, `${columnLetter(col('quantity'))}${r + 2}`);
    const v = await validateSelected(deps);
    expect(v.order.reference).toBe('SMALL-00001');
    expect(v.result.templateIds).toContain('de');
    for (const f of v.findings) expect(v.order.rows).toContain(f.row);
    const docs = await generateForSelected(deps);
    expect(docs.documents.map((d) => d.kind)).toContain('proforma_invoice');
    const blob = await deps.api.downloadDocument(docs.documents[0]!);
    expect(blob.size).toBeGreaterThan(1000);
  });
});

describe('reading past the response limit', () => {
  it('a table too big for one response is read in bands, with the same result', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    edit(rowOf('SMALL-00002', 1), 'quantity', 777);
    const whole = await runExcel((ctx) => readOrdersSheet(ctx));
    host = installFakeExcel(globalThis, { maxResponseBytes: 1500 });
    // Same workbook content in a host that refuses responses over 1.5 KB.
    host.workbook.addSheet(SHEET.orders);
    const values = whole.body;
    host.workbook.setValues(SHEET.orders, 'A1', [COLUMNS.map((c) => c.header), ...values]);
    host.workbook.addTable(SHEET.orders, `A1:${columnLetter(COLUMNS.length - 1)}${values.length + 1}`, { name: SHEET.table });
    host.workbook.addSheet(SHEET.snapshot);
    host.workbook.setValues(SHEET.snapshot, 'A1', [SNAPSHOT_HEADERS as string[], ...whole.snapshot]);
    host.resetCounters();
    const banded = await runExcel((ctx) => readOrdersSheet(ctx, 600));
    expect(host.requests.some((q) => q.outcome !== 'ok')).toBe(true); // the whole read was refused first
    expect(host.syncCount).toBeGreaterThan(3);
    expect(banded.body).toEqual(whole.body);
    expect(banded.snapshot).toEqual(whole.snapshot);
  });
});

describe('sync budget at 5,000 rows', () => {
  it('pull and publish stay within 4 syncs and under the 5 MB request limit', async () => {
    await seedOrders(1000, 5, 'BIG');
    connect();
    host.resetCounters();
    const pulled = await pullOrders(deps, { q: 'BIG-' });
    expect(pulled).toMatchObject({ status: 'pulled', orders: 1000, rows: 5000 });
    const pullSyncs = host.syncCount;
    console.log(`5,000 rows: pull ${pullSyncs} syncs, largest request ${Math.max(...host.requests.map((q) => q.bytes))} bytes`);
    expect(pullSyncs).toBeLessThanOrEqual(4);
    expect(Math.max(...host.requests.map((q) => q.bytes))).toBeLessThan(5 * 1024 * 1024);

    // Edit 300 rows across 300 orders (three publish batches of 100).
    for (let i = 0; i < 300; i++) edit(i * 5, 'quantity', 2000 + i);
    host.resetCounters();
    const report = await publishChanges(deps);
    expect(report.saved).toBe(300);
    console.log(`5,000 rows: publish ${host.syncCount} syncs`);
    expect(host.syncCount).toBeLessThanOrEqual(4);
    expect(read(0, 'sync')).toBe('Saved (version 2)');
  }, 120_000);
});

describe('import: reading the source', () => {
  it('an empty sheet, or one without a header row, is a clear message, not an Excel error', async () => {
    connect();
    const { readSource } = await import('../../addin/src/workflows/import.js');
    host.workbook.addSheet('Empty');
    host.workbook.select('Empty', 'B2');
    await expect(readSource(deps)).rejects.toThrow(/Sheet "Empty" is empty/);
    host.workbook.addSheet('Notes');
    host.workbook.setValues('Notes', 'A1', [['Shopping list'], ['milk'], ['bread']]);
    host.workbook.select('Notes', 'A1');
    await expect(readSource(deps)).rejects.toThrow(/No header row found in Notes!A1:A3/);
    // Whole columns selected: only the used part is read.
    host.workbook.setValues('Notes', 'A5', [['Order No', 'SKU', 'Qty'], ['R1', 'TS-1', 5]]);
    host.workbook.select('Notes', 'A:C');
    const source = await readSource(deps);
    expect(source.range.address).toBe('Notes!A1:C6');
    expect(source.headerRow).toBe(4);
  });
});

describe('what users do to the sheet', () => {
  it('refreshing one row of an order never undoes someone else\'s change to its other rows on the next publish', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const r1 = rowOf('SMALL-00000', 1);
    const r2 = rowOf('SMALL-00000', 2);
    const orderId = String(read(r1, 'orderId'));
    const current = (await fx.api.call('GET', `/orders/${orderId}`)).json;
    // Someone else changes the port and line 2's quantity.
    const theirs = await fx.api.call('PATCH', `/orders/${orderId}`, {
      body: { portOfDischarge: 'NLRTM', destinationCountry: 'NL', lines: current.lines.map((l: any, i: number) => ({ id: l.id, productId: l.productId, quantity: i === 1 ? '777' : l.quantity, unitPrice: l.unitPrice })) },
      headers: { 'If-Match': `"${current.version}"` },
    });
    expect(theirs.status, theirs.text).toBe(200);
    edit(r1, 'quantity', 4321); // my edit, which will conflict
    expect((await publishChanges(deps)).conflicts).toBe(1);
    host.workbook.select(SHEET.orders, `A${r1 + 2}`);
    await refreshSelectedRows(deps);
    // The unselected row took their values (it had no edit of mine).
    expect(read(r2, 'quantity')).toBe(777);
    expect(read(r2, 'portOfDischarge')).toBe('NLRTM');
    const again = await publishChanges(deps);
    expect(again.saved + again.rejected + again.conflicts).toBe(0);
    const server = (await fx.api.call('GET', `/orders/${orderId}`)).json;
    expect(server.portOfDischarge).toBe('NLRTM');
    expect(server.lines[1].quantity).toBe('777');
  });

  it('a discount typed as "10%" (stored by Excel as 0.1 in a percent format) is sent as 10', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    const r = rowOf('SMALL-00003', 1);
    edit(r, 'discountPercent', 0.1);
    host.workbook.setNumberFormat(SHEET.orders, cell(r, 'discountPercent'), [['0%']]);
    const report = await publishChanges(deps);
    expect(report.saved).toBe(1);
    const server = (await fx.api.call('GET', `/orders/${read(r, 'orderId')}`)).json;
    expect(server.lines[0].discountPercent).toBe('10');
  });

  it('a column the user inserted into the table keeps its values when rows are saved; a renamed sheet still works', async () => {
    connect();
    await pullOrders(deps, { q: 'SMALL-' });
    // Insert a "Notes" column after Description by rewriting the table one column wider.
    const values = host.workbook.getValues(SHEET.orders);
    const at = col('description') + 1;
    const widened = values.map((r, i) => [...r.slice(0, at), i === 0 ? 'Notes' : `note ${i}`, ...r.slice(at)]);
    const snapshot = host.workbook.getValues(SHEET.snapshot);
    host.workbook.deleteSheet(SHEET.orders);
    host.workbook.addSheet('My orders');
    host.workbook.setValues('My orders', 'A1', widened);
    host.workbook.addTable('My orders', `A1:${columnLetter(widened[0]!.length - 1)}${widened.length}`, { name: SHEET.table });
    expect(host.workbook.getValues(SHEET.snapshot)).toEqual(snapshot);
    const r = widened.findIndex((row) => row[col('reference')] === 'SMALL-00001' && row[col('lineNo')] === 1) - 1;
    const qty = columnLetter(col('quantity') + 1);
    host.workbook.setValues('My orders', `${qty}${r + 2}`, [[1234]]);
    const report = await publishChanges(deps);
    expect(report.saved).toBe(1);
    const row = host.workbook.getValues('My orders', `A${r + 2}:${columnLetter(widened[0]!.length - 1)}${r + 2}`)[0]!;
    expect(row[0]).toMatch(/^Saved \(version \d+\)$/);
    expect(row[at]).toBe(`note ${r + 1}`);
    expect(row[col('quantity') + 1]).toBe(1234);
  });
});

describe('import results beside the rows', () => {
  it('never overwrite a user column right of a partial selection; reading again reuses the result column', async () => {
    connect();
    const { readSource, writeResults } = await import('../../addin/src/workflows/import.js');
    host.workbook.addSheet('Book');
    host.workbook.setValues('Book', 'A1', [
      ['Order No', 'Customer', 'Item Code', 'Qty', 'Rate', 'POD', 'My notes'],
      ['R-1', 'Nordlicht Textilhandel GmbH', 'TS-1', 5, 2, 'DEHAM', 'keep me'],
    ]);
    host.workbook.select('Book', 'A1:F2');
    const source = await readSource(deps);
    await writeResults(deps, source, [{ row: 2, status: 'ok', reference: 'R-1', action: 'create', messages: [] }], 'check');
    expect(host.workbook.getValues('Book', 'G1:H2')).toEqual([
      ['My notes', 'Import result'],
      ['keep me', 'Would create R-1'],
    ]);
    host.workbook.select('Book', 'A1');
    const again = await readSource(deps);
    expect(again.headers).toEqual(['Order No', 'Customer', 'Item Code', 'Qty', 'Rate', 'POD', 'My notes']);
    await writeResults(deps, again, [{ row: 2, status: 'error', reference: 'R-1', messages: [{ severity: 'error', message: 'bad', cell: 'C2' }] }], 'check');
    expect(host.workbook.getValues('Book', 'H1:I2')).toEqual([
      ['Import result', ''],
      ['Error: C2: bad', ''],
    ]);
  });
});
