/**
 * The pulled orders table and its snapshot in the workbook. Reads take two syncs (probe, then load);
 * writes take one (more only when the payload passes the per-request budget). Never a sync per row.
 */
import { COLUMNS, HEADERS, SHEET, SNAPSHOT_HEADERS, col, type Cell, type ColumnKey } from '../sheet/columns.js';
import type { RowWrite } from '../sheet/results.js';
import { REQUEST_BUDGET_BYTES, WriteQueue, payloadBytes } from './batching.js';
import { paintTones, runs } from './tones.js';

export interface OrdersSheet {
  sheetExists: boolean;
  tableExists: boolean;
  snapshotExists: boolean;
  /** The worksheet holding the table (users may rename it); "Orders" before the first pull. */
  sheetName: string;
  /** 0-based sheet row of the first body row, and the table's first column. */
  bodyTop: number;
  left: number;
  /** Sheet column offset (from `left`) of each of COLUMNS, as the table currently has them (users may move columns). */
  positions: number[];
  /** Columns the user removed from the table (Publish refuses until the next pull). */
  missing: string[];
  /** Body rows in COLUMNS order. */
  body: Cell[][];
  /** Snapshot rows without their header. */
  snapshot: Cell[][];
}

const blank = (r: Cell[]) => r.every((v) => v === '' || v === null);

/** Read the table and the snapshot: 2 syncs whatever the number of rows. */
export async function readOrdersSheet(context: Excel.RequestContext, budget = REQUEST_BUDGET_BYTES): Promise<OrdersSheet> {
  const sheet = context.workbook.worksheets.getItemOrNullObject(SHEET.orders);
  const table = context.workbook.tables.getItemOrNullObject(SHEET.table);
  const snap = context.workbook.worksheets.getItemOrNullObject(SHEET.snapshot);
  sheet.load('name');
  table.load('name');
  snap.load('name');
  await context.sync();
  const state: OrdersSheet = {
    sheetExists: !sheet.isNullObject,
    tableExists: !table.isNullObject,
    snapshotExists: !snap.isNullObject,
    sheetName: SHEET.orders,
    bodyTop: 1,
    left: 0,
    positions: COLUMNS.map((_, i) => i),
    missing: [],
    body: [],
    snapshot: [],
  };
  if (!state.tableExists) return state;

  let header = table.getHeaderRowRange().load('values, rowIndex, columnIndex');
  const body = table.getDataBodyRange().load('values, rowIndex');
  const used = state.snapshotExists ? snap.getUsedRangeOrNullObject(true).load('values') : null;
  const tableSheet = table.worksheet.load('name');
  let bodyValues: Cell[][];
  let snapshotValues: Cell[][];
  try {
    await context.sync();
    bodyValues = body.values as Cell[][];
    state.sheetName = tableSheet.name;
    snapshotValues = used && !used.isNullObject ? (used.values as Cell[][]) : [];
  } catch (e) {
    // Past ~5 MB of cells Excel refuses the response: read the same ranges in row bands instead.
    if ((e as { code?: string }).code !== 'ResponsePayloadSizeLimitExceeded') throw e;
    const banded = await readInBands(context, table, state.snapshotExists ? snap : null, budget);
    ({ header, bodyValues, snapshotValues } = banded);
    state.sheetName = banded.sheetName;
  }

  const headers = (header.values[0] ?? []).map((h) => String(h).trim());
  state.bodyTop = header.rowIndex + 1;
  state.left = header.columnIndex;
  state.positions = COLUMNS.map((c) => headers.indexOf(c.header));
  state.missing = COLUMNS.filter((_, i) => state.positions[i]! < 0).map((c) => c.header);
  state.body = bodyValues.map((r) => state.positions.map((p) => (p < 0 ? '' : (r[p] ?? ''))));
  if (state.body.length === 1 && blank(state.body[0]!)) state.body = [];
  state.snapshot = snapshotValues.slice(1);
  return state;
}

/** Approximate response bytes per cell when sizing read bands. */
const BYTES_PER_CELL = 20;

/** Read a large table and snapshot in row bands, each request under the budget: one sync per ~4 MB. */
async function readInBands(context: Excel.RequestContext, table: Excel.Table, snap: Excel.Worksheet | null, budget: number) {
  const header = table.getHeaderRowRange().load('values, rowIndex, columnIndex');
  const body = table.getDataBodyRange().load('rowIndex, columnIndex, rowCount, columnCount');
  const used = snap ? snap.getUsedRangeOrNullObject(true).load('rowIndex, columnIndex, rowCount, columnCount') : null;
  const sheet = table.worksheet.load('name');
  await context.sync();
  const plan: { target: 'body' | 'snapshot'; range: Excel.Range; cells: number }[] = [];
  const band = (target: 'body' | 'snapshot', ws: Excel.Worksheet, r: { rowIndex: number; columnIndex: number; rowCount: number; columnCount: number }) => {
    const rows = Math.max(1, Math.floor(budget / (BYTES_PER_CELL * r.columnCount)));
    for (let i = 0; i < r.rowCount; i += rows) {
      const n = Math.min(rows, r.rowCount - i);
      plan.push({ target, range: ws.getRangeByIndexes(r.rowIndex + i, r.columnIndex, n, r.columnCount), cells: n * r.columnCount });
    }
  };
  band('body', sheet, body);
  if (used && !used.isNullObject && snap) band('snapshot', snap, used);
  const out = { body: [] as Cell[][], snapshot: [] as Cell[][] };
  let pending: typeof plan = [];
  let bytes = 0;
  const flush = async () => {
    await context.sync();
    for (const p of pending) out[p.target].push(...(p.range.values as Cell[][]));
    pending = [];
    bytes = 0;
  };
  for (const p of plan) {
    if (bytes > 0 && bytes + p.cells * BYTES_PER_CELL > budget) await flush();
    p.range.load('values');
    pending.push(p);
    bytes += p.cells * BYTES_PER_CELL;
  }
  if (pending.length) await flush();
  return { header, bodyValues: out.body, snapshotValues: out.snapshot, sheetName: sheet.name };
}

export interface OrdersSheetPlan {
  rows: Cell[][];
  formats: string[][];
  snapshot: Cell[][];
}

/**
 * Replace the orders table and snapshot with freshly pulled rows, in one request (or one per ~4 MB):
 * old table removed, header and rows written with their number formats, key columns hidden, snapshot sheet
 * rewritten and very hidden.
 */
export async function writeOrdersSheet(context: Excel.RequestContext, state: OrdersSheet, plan: OrdersSheetPlan): Promise<void> {
  const queue = new WriteQueue(context);
  const wb = context.workbook;
  // Over the sheet the table is on (even renamed), else "Orders".
  const existing = state.tableExists || state.sheetExists;
  const sheet = existing ? wb.worksheets.getItem(state.sheetName) : wb.worksheets.add(SHEET.orders);
  await queue.add(0, () => {
    if (state.tableExists) wb.tables.getItem(SHEET.table).delete();
    if (existing) sheet.getRange().clear();
    const head = sheet.getRangeByIndexes(0, 0, 1, HEADERS.length);
    head.values = [HEADERS as string[]];
    head.format.font.bold = true;
  });
  await queue.writeMatrix(sheet, 1, 0, plan.rows, plan.formats);
  await queue.add(payloadBytes(SHEET.table), () => {
    if (plan.rows.length) {
      const table = sheet.tables.add(sheet.getRangeByIndexes(0, 0, plan.rows.length + 1, HEADERS.length), true);
      table.name = SHEET.table;
    }
    // Autofit first: Excel's autofit would show hidden columns again.
    sheet.getRangeByIndexes(0, 0, plan.rows.length + 1, HEADERS.length).format.autofitColumns();
    sheet.getRangeByIndexes(0, col('orderId'), 1, 3).getEntireColumn().columnHidden = true;
    sheet.activate();
  });
  await writeSnapshot(queue, context, state.snapshotExists, plan.snapshot);
  await queue.flush();
}

async function writeSnapshot(queue: WriteQueue, context: Excel.RequestContext, exists: boolean, rows: Cell[][]): Promise<void> {
  const wb = context.workbook;
  const snap = exists ? wb.worksheets.getItem(SHEET.snapshot) : wb.worksheets.add(SHEET.snapshot);
  await queue.add(0, () => {
    if (exists) snap.getRange().clear();
    snap.getRangeByIndexes(0, 0, 1, SNAPSHOT_HEADERS.length).values = [SNAPSHOT_HEADERS as string[]];
  });
  const width = SNAPSHOT_HEADERS.length;
  await queue.writeMatrix(snap, 1, 0, rows, rows.map(() => Array<string>(width).fill('@')));
  await queue.add(0, () => {
    snap.visibility = 'VeryHidden';
  });
}

/**
 * Write Publish / Refresh results: the status cell of each row with its colour, whole rows where the server
 * sent new values, and (when given) the new snapshot. One request for any number of rows (or one per ~4 MB).
 */
export async function writeRowResults(context: Excel.RequestContext, state: OrdersSheet, writes: RowWrite[], snapshot?: Cell[][]): Promise<void> {
  const queue = new WriteQueue(context);
  const sheet = context.workbook.worksheets.getItem(state.sheetName);
  const at = (key: ColumnKey) => state.left + state.positions[col(key)]!;

  // Whole rows with server values: per run of consecutive rows, one matrix per run of adjacent add-in columns,
  // so columns the user inserted into the table (notes, formulas) are never written over.
  const full = writes.filter((w) => Object.keys(w.cells).length);
  const segments = columnSegments(state.positions);
  for (const run of runs(full.map((w) => ({ index: w.row, key: true })))) {
    const band = full.filter((w) => w.row >= run.start && w.row < run.start + run.count).sort((a, b) => a.row - b.row);
    for (const seg of segments) {
      const matrix = band.map((w) =>
        seg.columns.map((ci) => {
          const key = COLUMNS[ci]!.key;
          if (key === 'sync') return w.status;
          return key in w.cells ? w.cells[key]! : state.body[w.row]![ci]!;
        }),
      );
      await queue.writeMatrix(sheet, state.bodyTop + run.start, state.left + seg.start, matrix);
    }
  }
  // Status cells of the other rows: one column band per run.
  const statusOnly = writes.filter((w) => !Object.keys(w.cells).length).sort((a, b) => a.row - b.row);
  for (const run of runs(statusOnly.map((w) => ({ index: w.row, key: true })))) {
    const band = statusOnly.filter((w) => w.row >= run.start && w.row < run.start + run.count);
    await queue.writeMatrix(sheet, state.bodyTop + run.start, at('sync'), band.map((w) => [w.status]));
  }
  // Colours: one format operation per run of rows with the same tone.
  await paintTones(queue, sheet, state.bodyTop, at('sync'), writes);
  if (snapshot) await writeSnapshot(queue, context, true, snapshot);
  await queue.flush();
}

/** Runs of adjacent table positions held by add-in columns: [{ start position, COLUMNS indexes in order }]. */
function columnSegments(positions: number[]): { start: number; columns: number[] }[] {
  const byPosition = positions.map((p, ci) => ({ p, ci })).filter((x) => x.p >= 0).sort((a, b) => a.p - b.p);
  const out: { start: number; columns: number[] }[] = [];
  for (const { p, ci } of byPosition) {
    const last = out[out.length - 1];
    if (last && last.start + last.columns.length === p) last.columns.push(ci);
    else out.push({ start: p, columns: [ci] });
  }
  return out;
}

/** Number formats of one column on some body rows (one sync; used only when those cells were edited). */
export async function readColumnFormats(context: Excel.RequestContext, state: Pick<OrdersSheet, 'sheetName' | 'bodyTop' | 'left' | 'positions'>, rows: number[], column: ColumnKey): Promise<string[]> {
  const sheet = context.workbook.worksheets.getItem(state.sheetName);
  const cells = rows.map((r) => sheet.getRangeByIndexes(state.bodyTop + r, state.left + state.positions[col(column)]!, 1, 1).load('numberFormat'));
  await context.sync();
  return cells.map((c) => String(c.numberFormat[0]?.[0] ?? 'General'));
}

/** Select one cell of the orders table (a finding or a rejected cell the user clicked). */
export async function selectTableCell(context: Excel.RequestContext, state: Pick<OrdersSheet, 'sheetName' | 'bodyTop' | 'left' | 'positions'>, row: number, column: ColumnKey): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(state.sheetName);
  sheet.activate();
  sheet.getRangeByIndexes(state.bodyTop + row, state.left + Math.max(0, state.positions[col(column)]!), 1, 1).select();
  await context.sync();
}

/** 0-based table body rows covered by the current selection (on the orders sheet), or [] elsewhere. */
export async function selectedBodyRows(context: Excel.RequestContext, state: Pick<OrdersSheet, 'sheetName' | 'bodyTop' | 'body'>): Promise<number[]> {
  const range = context.workbook.getSelectedRange().load('rowIndex, rowCount');
  range.worksheet.load('name');
  await context.sync();
  if (range.worksheet.name !== state.sheetName) return [];
  const out: number[] = [];
  for (let r = range.rowIndex; r < range.rowIndex + range.rowCount; r++) {
    const i = r - state.bodyTop;
    if (i >= 0 && i < state.body.length) out.push(i);
  }
  return out;
}
