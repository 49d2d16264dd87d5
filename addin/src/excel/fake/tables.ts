/**
 * Table behaviour of the fake host, on top of the workbook model:
 *  - tables.add(address, hasHeaders): header cells become unique strings ("Column1"… for empty ones);
 *    without headers Excel inserts a generated header row and shifts the data down one row;
 *    a header-only address gets one empty data row (Excel tables always have a body);
 *  - rows.add appends (or inserts at an index), shifting the cells below the table within its columns down;
 *    when the body is just that single empty row, the first added row fills it (as Excel does for a new table);
 *  - delete() removes the table and clears its cells (contents and formats); convertToRange() keeps the cells;
 *  - tables never grow by themselves when cells next to them are written through the API.
 */
import { formatRect, intersect, MAX_ROWS, type Rect } from './address';
import { errors } from './errors';
import type { SheetModel, TableModel, WorkbookModel } from './model';
import type { CellValue, CoercedInput } from './values';

export function headerRect(t: TableModel): Rect {
  return { row: t.rect.row, col: t.rect.col, rows: 1, cols: t.rect.cols };
}

export function bodyRect(t: TableModel): Rect {
  return { row: t.rect.row + 1, col: t.rect.col, rows: t.rect.rows - 1, cols: t.rect.cols };
}

export function bodyRowCount(t: TableModel): number {
  return t.rect.rows - 1;
}

export function columnNames(t: TableModel): string[] {
  return t.sheet.readValues(headerRect(t))[0]!.map((v) => String(v));
}

const TABLE_NAME = /^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u;

export function validateTableName(model: WorkbookModel, name: unknown, self?: TableModel): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || !TABLE_NAME.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^[RrCc]$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name)) {
    throw errors.invalidArgument(`table name ${JSON.stringify(name)}`);
  }
  const clash = model.tables.find((t) => t !== self && t.name.toLowerCase() === name.toLowerCase());
  if (clash) throw errors.itemAlreadyExists('Table.name');
  return name;
}

function uniqueHeaders(raw: CellValue[]): string[] {
  const used = new Set<string>();
  return raw.map((v, i) => {
    const base = v === '' ? `Column${i + 1}` : String(typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : v);
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function assertNoOverlap(model: WorkbookModel, sheet: SheetModel, rect: Rect, except?: TableModel): void {
  for (const t of model.tablesOn(sheet)) {
    if (t !== except && intersect(t.rect, rect)) throw errors.invalidOperation(`a table cannot overlap table ${t.name} (${formatRect(t.rect)})`);
  }
}

export function addTable(model: WorkbookModel, sheet: SheetModel, rect: Rect, hasHeaders: boolean): TableModel {
  if (rect.rows >= MAX_ROWS || rect.cols > 16_384) throw errors.notImplemented('tables spanning whole columns or rows');
  let full: Rect;
  if (hasHeaders) {
    full = { ...rect, rows: Math.max(rect.rows, 2) };
    assertNoOverlap(model, sheet, full);
    const names = uniqueHeaders(sheet.readValues({ ...rect, rows: 1 })[0]!);
    sheet.writeValues({ ...rect, rows: 1 }, [names], (v) => ({ value: v as string }));
  } else {
    full = { ...rect, rows: rect.rows + 1 };
    assertNoOverlap(model, sheet, full);
    sheet.shiftDown(rect.row, rect.col, rect.cols, 1);
    shiftTablesBelow(model, sheet, rect.row, rect.col, rect.cols, 1);
    const names = Array.from({ length: rect.cols }, (_, i) => `Column${i + 1}`);
    sheet.writeValues({ ...rect, rows: 1 }, [names], (v) => ({ value: v as string }));
  }
  let n = 1;
  while (model.findTable(`Table${n}`)) n++;
  const table: TableModel = {
    id: model.newTableId(),
    name: `Table${n}`,
    sheet,
    rect: full,
    showFilterButton: true,
    style: 'TableStyleMedium2',
    deleted: false,
  };
  model.tables.push(table);
  return table;
}

/** Moves tables that lie entirely below `fromRow` within the shifted columns; refuses partial overlaps. */
function shiftTablesBelow(model: WorkbookModel, sheet: SheetModel, fromRow: number, col: number, cols: number, count: number, except?: TableModel): void {
  for (const t of model.tablesOn(sheet)) {
    if (t === except || t.rect.row + t.rect.rows <= fromRow) continue;
    const overlapsColumns = t.rect.col < col + cols && col < t.rect.col + t.rect.cols;
    if (!overlapsColumns) continue;
    const inside = t.rect.col >= col && t.rect.col + t.rect.cols <= col + cols && t.rect.row >= fromRow;
    if (!inside) throw errors.invalidOperation(`the operation would move part of table ${t.name}`);
    t.rect = { ...t.rect, row: t.rect.row + count };
  }
}

function isRowEmpty(sheet: SheetModel, rect: Rect): boolean {
  let empty = true;
  sheet.forEachStored(rect, (_r, _c, cell) => {
    if (cell.v !== undefined) empty = false;
  });
  return empty;
}

/** TableRowCollection.add: returns the body index of the first added row. */
export function addRows(
  model: WorkbookModel,
  table: TableModel,
  index: number | null | undefined,
  values: unknown,
  convert: (v: unknown, nf: string | undefined) => CoercedInput,
): number {
  const cols = table.rect.cols;
  let rows: unknown[][];
  if (values === undefined || values === null) rows = [new Array(cols).fill(null)];
  else if (!Array.isArray(values)) rows = [new Array(cols).fill(values)];
  else rows = values as unknown[][];
  if (rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === cols)) {
    throw errors.invalidArgument(`rows.add: each row must have ${cols} values (the table's column count)`);
  }
  const count = bodyRowCount(table);
  const at = index === undefined || index === null ? count : index;
  if (!Number.isInteger(at) || at < 0 || at > count) throw errors.invalidArgument(`rows.add index ${index}`);

  const body = bodyRect(table);
  let toInsert = rows;
  let firstIndex = at;
  // A table whose body is a single empty row (a new table) takes the first added row into that row.
  if (count === 1 && isRowEmpty(table.sheet, body) && at >= 0) {
    table.sheet.writeValues({ ...body, rows: 1 }, [rows[0]], convert);
    toInsert = rows.slice(1);
    firstIndex = 0;
    if (toInsert.length === 0) return firstIndex;
    const insertRow = body.row + 1;
    insertBodyRows(model, table, insertRow, toInsert, convert);
    return firstIndex;
  }
  insertBodyRows(model, table, body.row + at, toInsert, convert);
  return firstIndex;
}

function insertBodyRows(model: WorkbookModel, table: TableModel, sheetRow: number, rows: unknown[][], convert: (v: unknown, nf: string | undefined) => CoercedInput): void {
  const { sheet } = table;
  const n = rows.length;
  if (table.rect.row + table.rect.rows + n > MAX_ROWS) throw errors.invalidOperation('the table would extend past the last row');
  // Number formats of the row above carry into inserted rows, as Excel does for table rows.
  const templateRow = sheetRow - 1;
  const templateFormats = sheet.readNumberFormats({ row: templateRow, col: table.rect.col, rows: 1, cols: table.rect.cols })[0]!;
  shiftTablesBelow(model, sheet, table.rect.row + table.rect.rows, table.rect.col, table.rect.cols, n, table);
  sheet.shiftDown(sheetRow, table.rect.col, table.rect.cols, n);
  table.rect = { ...table.rect, rows: table.rect.rows + n };
  const target: Rect = { row: sheetRow, col: table.rect.col, rows: n, cols: table.rect.cols };
  if (templateRow > table.rect.row) {
    sheet.writeNumberFormats(target, Array.from({ length: n }, () => templateFormats.map((f) => (f === 'General' ? null : f))));
  }
  sheet.writeValues(target, rows, convert);
}

export function deleteBodyRow(model: WorkbookModel, table: TableModel, index: number): void {
  const count = bodyRowCount(table);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw errors.invalidArgument(`row index ${index}`);
  const row = table.rect.row + 1 + index;
  if (count === 1) {
    table.sheet.clear({ row, col: table.rect.col, rows: 1, cols: table.rect.cols }, 'contents');
    return;
  }
  table.sheet.shiftUp(row, table.rect.col, table.rect.cols, 1);
  table.rect = { ...table.rect, rows: table.rect.rows - 1 };
}

/** Table.delete(): the table and its cells' contents and formats go (Excel deletes the table's cells). */
export function deleteTable(model: WorkbookModel, table: TableModel): void {
  table.sheet.clear(table.rect, 'all');
  model.removeTable(table);
}

/** Table.convertToRange(): the table goes, the cells stay. */
export function convertToRange(model: WorkbookModel, table: TableModel): Rect {
  const rect = { ...table.rect };
  model.removeTable(table);
  return rect;
}

/** Table.resize (ExcelApi 1.13): same header row position, new extent; new header cells get generated names. */
export function resizeTable(model: WorkbookModel, table: TableModel, rect: Rect): void {
  if (rect.row !== table.rect.row || rect.col !== table.rect.col) {
    throw errors.invalidArgument('the new range must keep the header row where it is (same top-left cell)');
  }
  if (rect.rows < 2) throw errors.invalidArgument('a table needs a header row and at least one data row');
  assertNoOverlap(model, table.sheet, rect, table);
  const header = table.sheet.readValues({ ...rect, rows: 1 })[0]!;
  table.rect = { ...rect };
  const names = uniqueHeaders(header);
  table.sheet.writeValues({ ...rect, rows: 1 }, [names], (v) => ({ value: v as string }));
}
