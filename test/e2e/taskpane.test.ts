/**
 * The task pane end to end in headless Chromium: `npm start`'s server on a fresh libSQL file (demo organisation
 * and its printed key), the built pane from dist/public/addin, and the fake Excel host bundled for the browser
 * and served in place of office.js. The walk goes through the UI only — clicks and typing in the pane; the
 * workbook is touched only to do what a user does in the grid (type into cells, select cells, add a sheet) and
 * to check what the pane wrote:
 *
 *   connect (keyboard only) → pull → edit and publish → conflict and refresh → rejected row → import a messy
 *   1,000-row order book (mapping, dry run, progress, results beside the rows) and a sheet with an error →
 *   validate the selected order and download one of its documents.
 *
 * Full-page screenshots at 380 px go to test-artifacts/e2e/. No console error or page error may occur.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHEET, col, columnLetter, type ColumnKey } from '../../addin/src/sheet/columns.js';
import { requireAddinBuild } from '../support/addin.js';
import { buildFakeOffice } from './support/fake-office.js';
import { COLUMN_OF, WIDTH, messyOrderBook, type MessySheet } from './support/messy-sheet.js';
import { Grid, assertChromium, horizontalOverflow, launchChromium, nodeApi, waitForText } from './support/pane.js';
import { startServer, type RunningServer } from './support/server.js';

const ARTIFACTS = resolve('test-artifacts/e2e');
const GREEN = '#DFF6DD';
const RED = '#FDE7E9';
const AMBER = '#FFF4CE';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let grid: Grid;
let api: ReturnType<typeof nodeApi>;
const tmp = mkdtempSync(join(tmpdir(), 'exportdesk-e2e-pane-'));
const screenshots: string[] = [];
const problems: string[] = [];

/** Layout problems seen at 380 px, reported after the run (see the end of the file). */
const layout: string[] = [];

async function shot(name: string) {
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  screenshots.push(path);
  const overflow = await horizontalOverflow(page);
  if (overflow.length) layout.push(`${name}: wider than 380 px — ${overflow.slice(0, 3).join('; ')}${overflow.length > 3 ? ` (+${overflow.length - 3} more)` : ''}`);
}

/** 1-based sheet row of an order line in the pulled Orders table. */
async function rowOf(reference: string, lineNo = 1): Promise<number> {
  const values = await grid.values(SHEET.orders);
  const i = values.findIndex((r) => r[col('reference')] === reference && r[col('lineNo')] === lineNo);
  if (i < 1) throw new Error(`${reference} line ${lineNo} is not in the Orders sheet`);
  return i + 1;
}
const cellOf = (row: number, key: ColumnKey) => `${columnLetter(col(key))}${row}`;
const ordersCell = (row: number, key: ColumnKey) => grid.cell(SHEET.orders, cellOf(row, key));

const status = () => page.getByRole('status');
const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });

beforeAll(async () => {
  requireAddinBuild();
  mkdirSync(ARTIFACTS, { recursive: true });
  assertChromium(); // before starting anything
  const [srv, bundle] = await Promise.allSettled([startServer(), buildFakeOffice(join(tmp, 'fake-office'))]);
  if (srv.status === 'fulfilled') server = srv.value; // kept for afterAll even if the bundle failed
  if (srv.status === 'rejected') throw srv.reason;
  if (bundle.status === 'rejected') throw bundle.reason;
  const fakeOffice = bundle.value;
  api = nodeApi(srv.value.base, srv.value.apiKey);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 380, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  grid = new Grid(page);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url}:${m.location().lineNumber})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The fake Excel host instead of Microsoft's office.js: the pane loads ./office/office.js before its module script.
  await page.route('**/addin/office/office.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: fakeOffice }));
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
  if (screenshots.length) console.log(`Task pane screenshots (380 px):\n${screenshots.map((p) => `  ${p}`).join('\n')}`);
  if (layout.length) console.warn(`Task pane layout problems at 380 px:\n${layout.map((l) => `  ${l}`).join('\n')}`);
}, 30_000);

describe('task pane end to end in Chromium (fake Excel host, real server)', () => {
  it('connects with the keyboard only: Tab through the form, Enter submits; the header shows organisation, user and role', async () => {
    await page.goto(`${server!.base}/addin/taskpane.html`);
    await page.getByRole('form', { name: 'Connect to ExportDesk' }).waitFor();
    expect(await page.evaluate(() => typeof window.__fakeExcel?.workbook)).toBe('object'); // the fake host, not office.js

    const focused = () => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? document.activeElement?.tagName);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('baseUrl');
    expect(await page.getByLabel('API URL').inputValue()).toBe(server!.base); // defaults to the pane's own origin
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('apiKey');
    await page.keyboard.type(server!.apiKey);
    await page.keyboard.press('Enter');

    const identity = page.getByTestId('identity');
    await identity.waitFor();
    expect((await identity.innerText()).replace(/\s+/g, ' ').trim()).toBe('Kaveri Knits Exports Pvt Ltd · Meena Raghavan admin');
    await page.getByRole('tab', { name: 'Orders' }).waitFor();
    await shot('connected.png');
  }, 30_000);

  it('pulls the demo orders into the Orders sheet, one row per line, key columns hidden', async () => {
    await button('Pull orders').click();
    await waitForText(status(), 'Pulled 6 orders (9 lines) into the Orders sheet.');
    const values = await grid.values(SHEET.orders);
    expect(values[0]!.slice(0, 5)).toEqual(['Sync status', 'Order ref', 'Order status', 'Buyer', 'Buyer PO']);
    expect(values).toHaveLength(1 + 9);
    expect(new Set(values.slice(1).map((r) => r[col('reference')]))).toEqual(new Set(['KK-2026-0141', 'KK-2026-0147', 'KK-2026-0152', 'KK-2026-0158', 'KK-2026-0133', 'KK-2026-0139']));
    const us = values[(await rowOf('KK-2026-0147', 2)) - 1]!;
    expect(us[col('buyer')]).toBe('Hudson & Pine Home Goods Inc.');
    expect(us[col('sku')]).toBe('KK-BS-300TC-Q');
    expect(us[col('quantity')]).toBe(2400);
    expect(String(us[col('orderId')])).toMatch(/^ord_/);
    for (const key of ['orderId', 'lineId', 'version'] as const) expect(await grid.isColumnHidden(SHEET.orders, col(key)), key).toBe(true);
    expect(await grid.isColumnHidden(SHEET.orders, col('quantity'))).toBe(false);
    expect(await grid.sheetNames()).toContain(SHEET.snapshot);
    await shot('pulled.png');
  }, 30_000);

  it('publishes two edited rows: both "Saved (version N)" in green, and the server has the values', async () => {
    const a = await rowOf('KK-2026-0147', 1); // quantity
    const b = await rowOf('KK-2026-0152', 1); // buyer PO
    await grid.type(SHEET.orders, cellOf(a, 'quantity'), [[21000]]);
    await grid.type(SHEET.orders, cellOf(b, 'buyerPo'), [['CA-7781-REV2']]);
    await button('Publish changes').click();
    await waitForText(status(), 'Saved 2 · rejected 0 · conflicts 0');

    for (const [row, check] of [
      [a, (o: any) => expect(o.lines[0].quantity).toBe('21000')],
      [b, (o: any) => expect(o.buyerPo).toBe('CA-7781-REV2')],
    ] as const) {
      const server = await api.call('GET', `/orders/${await ordersCell(row, 'orderId')}`);
      expect(server.status).toBe(200);
      check(server.json);
      expect(await ordersCell(row, 'sync')).toBe(`Saved (version ${server.json.version})`);
      expect(await ordersCell(row, 'version')).toBe(server.json.version);
      expect((await grid.format(SHEET.orders, cellOf(row, 'sync'))).fill).toBe(GREEN);
    }
    expect(await ordersCell(a, 'amount')).toBe(66150); // 21,000 × 3.15
    const list = page.getByRole('list', { name: 'Publish results' });
    expect(await list.getByRole('button').count()).toBe(2);
    await shot('published.png');
  }, 30_000);

  it('a conflict shows their value; clicking it selects the cell; "Refresh selected rows" loads theirs', async () => {
    const r = await rowOf('KK-2026-0158', 1);
    const orderId = String(await ordersCell(r, 'orderId'));
    const version = Number(await ordersCell(r, 'version'));
    // Someone else changes the quantity through the API meanwhile.
    const current = (await api.call('GET', `/orders/${orderId}`)).json;
    const theirs = await api.call(
      'PATCH',
      `/orders/${orderId}`,
      { lines: current.lines.map((l: any) => ({ id: l.id, productId: l.productId, quantity: '9000', unitPrice: l.unitPrice })) },
      { 'If-Match': `"${version}"` },
    );
    expect(theirs.status, JSON.stringify(theirs.json)).toBe(200);

    await grid.type(SHEET.orders, cellOf(r, 'quantity'), [[8500]]);
    await button('Publish changes').click();
    await waitForText(status(), 'Saved 0 · rejected 0 · conflicts 1');
    const sync = String(await ordersCell(r, 'sync'));
    expect(sync).toMatch(/^Conflict: /);
    expect(sync).toContain('Quantity is now 9000 (yours 8500)');
    expect((await grid.format(SHEET.orders, cellOf(r, 'sync'))).fill).toBe(AMBER);
    expect((await api.call('GET', `/orders/${orderId}`)).json.lines[0].quantity).toBe('9000'); // theirs stands

    await grid.select(SHEET.orders, 'A1');
    const outcome = page.getByRole('list', { name: 'Publish results' }).getByRole('button', { name: /Conflict/ });
    expect(await outcome.innerText()).toContain('KK-2026-0158: Changed by someone else: Quantity is now 9000 (yours 8500)');
    await outcome.click();
    await expect.poll(() => grid.selection(), { timeout: 10_000 }).toEqual({ sheet: SHEET.orders, address: cellOf(r, 'quantity') });
    await shot('conflict.png');

    await grid.select(SHEET.orders, `A${r}:${columnLetter(col('orderTotal'))}${r}`);
    await button('Refresh selected rows').click();
    await waitForText(status(), 'Reloaded 1 row(s) of 1 order(s) from the server.');
    expect(await ordersCell(r, 'quantity')).toBe(9000);
    expect(await ordersCell(r, 'version')).toBe(version + 1);
    expect(await ordersCell(r, 'sync')).toBe(`Refreshed (version ${version + 1})`);
  }, 30_000);

  it('a rejected row is red with the server\'s message; clicking it selects the quantity cell', async () => {
    const r = await rowOf('KK-2026-0133', 1);
    await grid.type(SHEET.orders, cellOf(r, 'quantity'), [[-5]]);
    await button('Publish changes').click();
    await waitForText(status(), 'Saved 0 · rejected 1 · conflicts 0');
    const sync = String(await ordersCell(r, 'sync'));
    expect(sync).toMatch(new RegExp(`^Rejected: ${cellOf(r, 'quantity')} Quantity: `));
    expect((await grid.format(SHEET.orders, cellOf(r, 'sync'))).fill).toBe(RED);
    expect(await ordersCell(r, 'quantity')).toBe(-5); // kept for the user to fix

    await grid.select(SHEET.orders, 'A1');
    await page.getByRole('list', { name: 'Publish results' }).getByRole('button', { name: /Rejected/ }).click();
    await expect.poll(() => grid.selection(), { timeout: 10_000 }).toEqual({ sheet: SHEET.orders, address: cellOf(r, 'quantity') });
    // Put the value back as it was, so nothing is left pending.
    await grid.type(SHEET.orders, cellOf(r, 'quantity'), [[1200]]);
  }, 30_000);

  describe('import', () => {
    const BOOK = 'Order Book';
    let book: MessySheet;

    it('imports a messy 1,000-row order book: mapping auto-filled, dry run, progress, results beside each row, orders on the server', async () => {
      book = messyOrderBook({ orders: 200, prefix: 'IMP-26-' });
      expect(book.values.length).toBeGreaterThanOrEqual(1000);
      await grid.addSheet(BOOK);
      await grid.type(BOOK, 'A1', book.values);
      for (const address of book.dateCells) await grid.setNumberFormat(BOOK, address, 'dd-mmm-yyyy');
      await grid.select(BOOK, 'C42');

      await page.getByRole('tab', { name: 'Import' }).click();
      await button('Use selection').click();
      await waitForText(page.locator('main'), `header on row ${book.headerRow}, ${book.values.length - book.headerRow} data rows`);
      // Mapping and options start folded when every required column was matched: open them to check.
      await page.getByRole('button', { name: /^Column mapping: 14 of 21 fields/ }).click();
      await page.getByRole('button', { name: /^Options:/ }).click();
      const mapped = async (field: string) => (await page.getByRole('combobox', { name: `Column for ${field}`, exact: true }).innerText()).trim();
      expect(await mapped('Order reference')).toBe('A: Order No');
      expect(await mapped('Buyer')).toBe('B: Customer');
      expect(await mapped('SKU')).toBe('D: Item Code');
      expect(await mapped('Quantity')).toBe('G: Qty');
      expect(await mapped('Unit price')).toBe('I: Rate (USD)');
      expect(await mapped('Port of discharge')).toBe('K: Port of Discharge');
      expect(await mapped('Incoterm')).toBe('L: Incoterms');
      expect(await mapped('Ship date')).toBe('N: Delivery Date');
      expect(await mapped('Currency')).toBe('(not mapped)');
      expect(await page.getByRole('textbox', { name: 'Default currency' }).inputValue()).toBe('USD'); // from "Rate (USD)"
      expect(await page.getByText('Map these columns first').count()).toBe(0);
      await shot('import-mapping.png');

      await button('Check (dry run)').click();
      const skipped = book.blankRows + book.subtotalRows;
      await waitForText(status(), `Ready: 200 new, 0 updated, 0 unchanged orders (${book.lineCount} lines; ${skipped} blank or subtotal rows skipped).`);
      expect((await api.listAll('IMP-26')).length).toBe(0); // a dry run writes nothing

      // Hold the commit request until the progress bar has been seen (the server answers too fast to catch it otherwise).
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let commits = 0;
      await page.route('**/imports', async (route) => {
        if ((route.request().postDataJSON() as { mode: string }).mode === 'commit') {
          commits++;
          await held;
        }
        await route.continue();
      });
      await button('Import').click();
      const progress = page.getByRole('progressbar', { name: 'Import progress' });
      await progress.waitFor();
      await waitForText(page.locator('main'), 'Batch 0 of 1');
      release();
      await waitForText(status(), `Imported 200 orders (${book.lineCount} lines). Results are beside each row.`, 30_000);
      await page.unroute('**/imports');
      expect(commits).toBe(1);
      await progress.waitFor({ state: 'detached' });

      // "Import result" beside the rows: the first column right of the sheet.
      const result = columnLetter(WIDTH);
      expect(await grid.cell(BOOK, `${result}${book.headerRow}`)).toBe('Import result');
      const [first, second] = book.linesOf.get('IMP-26-0001')!;
      expect(await grid.cell(BOOK, `${result}${first}`)).toBe('Created IMP-26-0001');
      expect(await grid.cell(BOOK, `${result}${second}`)).toBe('Created IMP-26-0001');
      expect((await grid.format(BOOK, `${result}${first}`)).fill).toBe(GREEN);
      const column = (await grid.values(BOOK, `${result}${book.headerRow + 1}:${result}${book.values.length}`)).map((r) => String(r[0]));
      expect(column.filter((t) => t.startsWith('Created IMP-26-'))).toHaveLength(book.lineCount);
      expect(column.filter((t) => t === 'subtotal row')).toHaveLength(book.subtotalRows);

      // On the server.
      expect((await api.listAll('IMP-26')).length).toBe(200);
      const found = await api.listAll('IMP-26-0042');
      expect(found.map((o) => o.reference)).toEqual(['IMP-26-0042']);
      const order = (await api.call('GET', `/orders/${found[0]!.id}`)).json;
      const lines42 = book.linesOf.get('IMP-26-0042')!;
      expect(order).toMatchObject({ buyerPo: 'PO/26041', requestedShipDate: '2027-01-15', destinationCountry: 'US', portOfDischarge: 'USNYC', portOfLoading: 'INNSA', incoterm: 'CIF', currency: 'USD' });
      expect(order.lines).toHaveLength(lines42.length);
      expect(order.lines[0].quantity).toBe(String(book.values[lines42[0]! - 1]![COLUMN_OF.Qty]).replace(/,/g, ''));
      const nordlicht = (await api.call('GET', `/orders/${(await api.listAll('IMP-26-0001'))[0]!.id}`)).json;
      expect(nordlicht).toMatchObject({ incoterm: 'FOB', incotermPlace: 'Nhava Sheva', destinationCountry: 'DE', requestedShipDate: '2026-12-01' });
      await shot('import-done.png');
    }, 60_000);

    it('a sheet with an unknown SKU: the dry run names the cell, clicking it selects the cell, and nothing is written', async () => {
      const ERR = 'Order Book 2';
      const bad = messyOrderBook({ orders: 6, prefix: 'ERR-26-', badSku: { line: 9, sku: 'KK-XX-999' } });
      const badRow = [...bad.linesOf.values()].flat()[9]!;
      const badCell = `${columnLetter(COLUMN_OF['Item Code'])}${badRow}`;
      await grid.addSheet(ERR);
      await grid.type(ERR, 'A1', bad.values);
      await grid.select(ERR, 'B6');
      const before = (await api.listAll()).length;

      await button('Read selection again').click();
      await waitForText(page.locator('main'), `header on row ${bad.headerRow}, ${bad.values.length - bad.headerRow} data rows`);
      await button('Check (dry run)').click();
      await waitForText(status(), '1 row(s) have errors; nothing can be imported until they are fixed.');
      const problem = page.getByRole('list', { name: 'Import problems' }).getByRole('button', { name: new RegExp(`^${badCell}`) });
      expect(await problem.innerText()).toContain('unknown SKU "KK-XX-999"');
      expect(String(await grid.cell(ERR, `${columnLetter(WIDTH)}${badRow}`))).toMatch(/^Error: .*unknown SKU/);

      await grid.select(ERR, 'A1');
      await problem.click();
      await expect.poll(() => grid.selection(), { timeout: 10_000 }).toEqual({ sheet: ERR, address: badCell });

      // Import anyway: it checks first and sends nothing.
      await button('Import').click();
      await waitForText(status(), '1 row(s) have errors; nothing was imported.');
      expect((await api.listAll('ERR-26')).length).toBe(0);
      expect((await api.listAll()).length).toBe(before);
    }, 30_000);
  });

  it('validates the selected order (findings point at its rows) and downloads one of its generated documents', async () => {
    const rows = [await rowOf('KK-2026-0147', 1), await rowOf('KK-2026-0147', 2)];
    await grid.select(SHEET.orders, cellOf(rows[1]!, 'buyer'));
    await page.getByRole('tab', { name: 'Order actions' }).click();
    await button('Validate order').click();
    await waitForText(status(), 'KK-2026-0147: no blocking problem');
    const findings = page.getByRole('list', { name: 'Findings' }).getByRole('button');
    expect(await findings.count()).toBeGreaterThanOrEqual(2);
    expect(await findings.allInnerTexts()).toContainEqual(expect.stringContaining('Insurance certificate required'));
    await grid.select(SHEET.orders, 'A1');
    await findings.first().click();
    await expect.poll(async () => {
      const s = await grid.selection();
      return s.sheet === SHEET.orders && rows.includes(Number(/\d+$/.exec(s.address)?.[0]));
    }, { timeout: 10_000 }).toBe(true);
    await shot('validate.png');

    await button('Generate documents').click();
    await waitForText(status(), /KK-2026-0147: \d+ draft document\(s\)/);
    const docs = page.getByRole('region', { name: 'Documents' }).getByRole('listitem');
    expect(await docs.count()).toBeGreaterThanOrEqual(1);
    await shot('documents.png');
    const download = page.getByRole('button', { name: /^Download .* docx$/ }).first();
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), download.click()]);
    expect(file.suggestedFilename()).toMatch(/\.docx$/);
    const bytes = readFileSync(await file.path());
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a .docx is a ZIP
  }, 30_000);

  it('the API key is kept in the add-in\'s storage, never in the workbook (cells of every sheet, settings)', async () => {
    const workbook = await page.evaluate(() => {
      const wb = window.__fakeExcel.workbook;
      return JSON.stringify({ sheets: wb.sheetNames().map((n) => wb.getValues(n)), settings: wb.settings() });
    });
    expect(workbook).toContain('Order ref'); // the workbook was read
    expect(workbook).not.toContain(server!.apiKey);
    expect(workbook).not.toContain(server!.apiKey.slice(0, 12));
    expect(await page.evaluate(() => localStorage.getItem('exportdesk.connection'))).toContain(server!.apiKey);
  });

  it('no console error and no page error occurred during the walk', () => {
    expect(problems).toEqual([]);
  });
});
