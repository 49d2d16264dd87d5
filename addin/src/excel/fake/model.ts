/**
 * The workbook state of the fake host: sheets (sparse cell grids with values, number formats, fill and font),
 * tables, settings, the active sheet and selection. Plain data plus the operations Excel performs on it;
 * knows nothing about proxies or syncs. Table operations live in ./tables.ts.
 */
import { cellCount, MAX_COLUMNS, MAX_ROWS, type Rect } from './address';
import { errors } from './errors';
import { displayText } from './number-format';
import { valueType, type CellValue, type CoercedInput } from './values';

export type Visibility = 'Visible' | 'Hidden' | 'VeryHidden';

export interface Cell {
  v?: CellValue;
  nf?: string;
  fill?: string;
  font?: string;
  bold?: boolean;
  italic?: boolean;
}

export const DEFAULT_FONT_COLOR = '#000000';
/** What Excel reports for `format.fill.color` of a cell without fill. */
export const NO_FILL_COLOR = '#FFFFFF';
export const DEFAULT_COLUMN_WIDTH = 48;
export const DEFAULT_ROW_HEIGHT = 15;

const SHAPE_MESSAGE = "The number of rows or columns in the input array doesn't match the size or dimensions of the range.";

export type Matrix<T> = T[][];

/** A scalar (applied to every cell) or a matrix exactly the size of the range, as Excel requires. */
export function expandInput(rect: Rect, input: unknown, what: string): (r: number, c: number) => unknown {
  if (!Array.isArray(input)) {
    if (input === null || input === undefined) throw errors.invalidArgument(`${what} cannot be set to ${input}`);
    return () => input;
  }
  const okShape =
    input.length === rect.rows && input.every((row) => Array.isArray(row) && (row as unknown[]).length === rect.cols);
  if (!okShape) {
    throw errors.invalidArgument(`${SHAPE_MESSAGE} ${what}: range is ${rect.rows}×${rect.cols}, input is ${describeShape(input)}`);
  }
  return (r, c) => (input[r] as unknown[])[c];
}

function describeShape(input: unknown[]): string {
  const widths = new Set(input.map((row) => (Array.isArray(row) ? row.length : 'not-an-array')));
  return `${input.length}×${[...widths].join('/')}`;
}

export class SheetModel {
  name: string;
  visibility: Visibility = 'Visible';
  deleted = false;
  selection: Rect = { row: 0, col: 0, rows: 1, cols: 1 };
  readonly cells = new Map<number, Map<number, Cell>>();
  readonly hiddenColumns = new Set<number>();
  readonly hiddenRows = new Set<number>();
  readonly columnWidths = new Map<number, number>();
  readonly rowHeights = new Map<number, number>();

  constructor(
    readonly id: string,
    name: string,
  ) {
    this.name = name;
  }

  cell(row: number, col: number): Cell | undefined {
    return this.cells.get(row)?.get(col);
  }

  private ensure(row: number, col: number): Cell {
    let r = this.cells.get(row);
    if (!r) this.cells.set(row, (r = new Map()));
    let c = r.get(col);
    if (!c) r.set(col, (c = {}));
    return c;
  }

  private prune(row: number, col: number): void {
    const r = this.cells.get(row);
    const c = r?.get(col);
    if (!r || !c) return;
    if (c.v === undefined && c.nf === undefined && c.fill === undefined && c.font === undefined && c.bold === undefined && c.italic === undefined) {
      r.delete(col);
      if (r.size === 0) this.cells.delete(row);
    }
  }

  /** Updates one cell attribute; `undefined` removes it. */
  update(row: number, col: number, patch: Partial<Cell>): void {
    const c = this.ensure(row, col);
    for (const [k, v] of Object.entries(patch) as [keyof Cell, never][]) {
      if (v === undefined) delete c[k];
      else c[k] = v;
    }
    this.prune(row, col);
  }

  /** Calls fn for every stored cell inside rect (cheap for whole-column rects on sparse sheets). */
  forEachStored(rect: Rect, fn: (row: number, col: number, cell: Cell) => void): void {
    const rowEnd = rect.row + rect.rows;
    const colEnd = rect.col + rect.cols;
    const visitRow = (row: number, cols: Map<number, Cell>) => {
      if (rect.cols < cols.size) {
        for (let c = rect.col; c < colEnd; c++) {
          const cell = cols.get(c);
          if (cell) fn(row, c, cell);
        }
      } else {
        for (const [c, cell] of cols) if (c >= rect.col && c < colEnd) fn(row, c, cell);
      }
    };
    if (rect.rows < this.cells.size) {
      for (let r = rect.row; r < rowEnd; r++) {
        const cols = this.cells.get(r);
        if (cols) visitRow(r, cols);
      }
    } else {
      for (const [r, cols] of this.cells) if (r >= rect.row && r < rowEnd) visitRow(r, cols);
    }
  }

  private matrix<T>(rect: Rect, read: (cell: Cell | undefined) => T): Matrix<T> {
    const out: Matrix<T> = new Array(rect.rows);
    for (let r = 0; r < rect.rows; r++) {
      const cols = this.cells.get(rect.row + r);
      const row: T[] = new Array(rect.cols);
      for (let c = 0; c < rect.cols; c++) row[c] = read(cols?.get(rect.col + c));
      out[r] = row;
    }
    return out;
  }

  readValues(rect: Rect): Matrix<CellValue> {
    return this.matrix(rect, (cell) => (cell?.v === undefined ? '' : cell.v));
  }

  readText(rect: Rect): Matrix<string> {
    return this.matrix(rect, (cell) => displayText(cell?.v, cell?.nf));
  }

  readNumberFormats(rect: Rect): Matrix<string> {
    return this.matrix(rect, (cell) => cell?.nf ?? 'General');
  }

  readValueTypes(rect: Rect): Matrix<string> {
    return this.matrix(rect, (cell) => valueType(cell?.v));
  }

  /** Writes values; `convert` turns each input into what the cell stores (Excel's typing rules or raw). */
  writeValues(rect: Rect, input: unknown, convert: (v: unknown, numberFormat: string | undefined) => CoercedInput): void {
    const at = expandInput(rect, input, 'values');
    // Convert everything first so a bad value fails the operation without a half-written range.
    const n = rect.rows * rect.cols;
    const values: Array<CellValue | undefined | null> = new Array(n);
    let implied: Array<string | undefined> | null = null;
    for (let r = 0, i = 0; r < rect.rows; r++) {
      const cols = this.cells.get(rect.row + r);
      for (let c = 0; c < rect.cols; c++, i++) {
        const coerced = convert(at(r, c), cols?.get(rect.col + c)?.nf);
        values[i] = coerced.value;
        if (coerced.impliedFormat) (implied ??= new Array(n))[i] = coerced.impliedFormat;
      }
    }
    for (let r = 0, i = 0; r < rect.rows; r++) {
      const row = rect.row + r;
      let cols = this.cells.get(row);
      for (let c = 0; c < rect.cols; c++, i++) {
        const v = values[i];
        if (v === null) continue;
        const col = rect.col + c;
        if (v === undefined) {
          if (cols?.has(col)) {
            this.update(row, col, { v: undefined });
            cols = this.cells.get(row);
          }
          continue;
        }
        if (!cols) this.cells.set(row, (cols = new Map()));
        let cell = cols.get(col);
        if (!cell) cols.set(col, (cell = {}));
        cell.v = v;
        const nf = implied?.[i];
        if (nf) cell.nf = nf;
      }
    }
  }

  writeNumberFormats(rect: Rect, input: unknown): void {
    const at = expandInput(rect, input, 'numberFormat');
    const planned: Array<[number, number, string | undefined]> = [];
    for (let r = 0; r < rect.rows; r++) {
      for (let c = 0; c < rect.cols; c++) {
        const f = at(r, c);
        if (f === null || f === undefined) continue;
        if (typeof f !== 'string') throw errors.invalidArgument(`numberFormat must be a string, got ${typeof f}`);
        planned.push([rect.row + r, rect.col + c, f === '' || f === 'General' ? undefined : f]);
      }
    }
    for (const [row, col, nf] of planned) this.update(row, col, { nf });
  }

  /** Sets one format attribute on every cell of rect (fill, font colour, bold…). */
  writeFormat(rect: Rect, patch: Partial<Cell>): void {
    if (cellCount(rect) > 5_000_000) throw errors.notImplemented('formatting more than 5,000,000 cells at once (whole columns/rows)');
    for (let r = rect.row; r < rect.row + rect.rows; r++) {
      for (let c = rect.col; c < rect.col + rect.cols; c++) this.update(r, c, patch);
    }
  }

  /** Value of a format attribute across rect: the common value, or null when cells differ (as Excel reports). */
  uniformFormat<T>(rect: Rect, read: (cell: Cell) => T | undefined, fallback: T): T | null {
    let seen = 0;
    let value: T | undefined;
    let mixed = false;
    const consider = (v: T) => {
      if (value === undefined) value = v;
      else if (value !== v) mixed = true;
    };
    this.forEachStored(rect, (_r, _c, cell) => {
      seen++;
      consider(read(cell) ?? fallback);
    });
    if (seen < cellCount(rect)) consider(fallback);
    return mixed ? null : (value ?? fallback);
  }

  clear(rect: Rect, what: 'all' | 'contents' | 'formats'): void {
    const touched: Array<[number, number]> = [];
    this.forEachStored(rect, (r, c) => touched.push([r, c]));
    for (const [r, c] of touched) {
      if (what === 'all') this.update(r, c, { v: undefined, nf: undefined, fill: undefined, font: undefined, bold: undefined, italic: undefined });
      else if (what === 'contents') this.update(r, c, { v: undefined });
      else this.update(r, c, { nf: undefined, fill: undefined, font: undefined, bold: undefined, italic: undefined });
    }
  }

  /** Bounding rectangle of cells with values (valuesOnly) or with values or formatting; null when none. */
  usedRect(valuesOnly: boolean): Rect | null {
    let minR = Infinity;
    let maxR = -1;
    let minC = Infinity;
    let maxC = -1;
    for (const [r, cols] of this.cells) {
      for (const [c, cell] of cols) {
        if (valuesOnly && cell.v === undefined) continue;
        if (r < minR) minR = r;
        if (r > maxR) maxR = r;
        if (c < minC) minC = c;
        if (c > maxC) maxC = c;
      }
    }
    if (maxR < 0) return null;
    return { row: minR, col: minC, rows: maxR - minR + 1, cols: maxC - minC + 1 };
  }

  /** Inserts `count` empty rows of cells at `fromRow` within columns [col, col+cols): cells below move down. */
  shiftDown(fromRow: number, col: number, cols: number, count: number): void {
    if (count <= 0) return;
    const rows = [...this.cells.keys()].filter((r) => r >= fromRow).sort((a, b) => b - a);
    for (const r of rows) {
      const source = this.cells.get(r)!;
      for (const c of [...source.keys()]) {
        if (c < col || c >= col + cols) continue;
        if (r + count >= MAX_ROWS) throw errors.invalidOperation('cells would be pushed off the end of the worksheet');
        const cell = source.get(c)!;
        source.delete(c);
        let target = this.cells.get(r + count);
        if (!target) this.cells.set(r + count, (target = new Map()));
        target.set(c, cell);
      }
      if (source.size === 0) this.cells.delete(r);
    }
  }

  /** Deletes rows [fromRow, fromRow+count) of cells within columns [col, col+cols): cells below move up. */
  shiftUp(fromRow: number, col: number, cols: number, count: number): void {
    if (count <= 0) return;
    const rows = [...this.cells.keys()].filter((r) => r >= fromRow).sort((a, b) => a - b);
    for (const r of rows) {
      const source = this.cells.get(r)!;
      for (const c of [...source.keys()]) {
        if (c < col || c >= col + cols) continue;
        const cell = source.get(c)!;
        source.delete(c);
        if (r >= fromRow + count) {
          let target = this.cells.get(r - count);
          if (!target) this.cells.set(r - count, (target = new Map()));
          target.set(c, cell);
        }
      }
      if (source.size === 0) this.cells.delete(r);
    }
  }

  /** Deletes columns [fromCol, fromCol+count) of cells within rows [row, row+rows): cells to the right move left. */
  shiftLeft(fromCol: number, row: number, rows: number, count: number): void {
    if (count <= 0) return;
    for (const [r, source] of [...this.cells]) {
      if (r < row || r >= row + rows) continue;
      const moved = new Map<number, Cell>();
      for (const [c, cell] of source) {
        if (c < fromCol) moved.set(c, cell);
        else if (c >= fromCol + count) moved.set(c - count, cell);
      }
      if (moved.size === 0) this.cells.delete(r);
      else this.cells.set(r, moved);
    }
  }

  columnWidth(col: number): number {
    return this.columnWidths.get(col) ?? DEFAULT_COLUMN_WIDTH;
  }
}

export interface TableModel {
  readonly id: string;
  name: string;
  sheet: SheetModel;
  /** Whole table including the header row. */
  rect: Rect;
  showFilterButton: boolean;
  style: string;
  deleted: boolean;
}

const INVALID_SHEET_CHARS = /[\\/?*[\]:]/;

export function validateSheetName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 31 || INVALID_SHEET_CHARS.test(name) || name.startsWith("'") || name.endsWith("'") || name.toLowerCase() === 'history') {
    throw errors.invalidArgument(`worksheet name ${JSON.stringify(name)}`);
  }
  return name;
}

export class WorkbookModel {
  readonly sheets: SheetModel[] = [];
  readonly tables: TableModel[] = [];
  /** Settings are stored as JSON text, like the document does, so values round-trip as JSON. */
  readonly settings = new Map<string, string>();
  activeSheet: SheetModel;
  private nextSheetId = 1;
  private nextTableId = 1;

  constructor(firstSheetName = 'Sheet1') {
    this.activeSheet = this.addSheet(firstSheetName);
  }

  newTableId(): string {
    return String(this.nextTableId++);
  }

  /** By name (case-insensitive, as Excel) or by id. */
  findSheet(key: string): SheetModel | undefined {
    const k = String(key).toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === k || s.id.toLowerCase() === k);
  }

  sheetOrThrow(key: string): SheetModel {
    const s = this.findSheet(key);
    if (!s) throw errors.itemNotFound('WorksheetCollection.getItem');
    return s;
  }

  addSheet(name?: string): SheetModel {
    let finalName = name;
    if (finalName === undefined || finalName === null) {
      let n = this.sheets.length + 1;
      while (this.findSheet(`Sheet${n}`)) n++;
      finalName = `Sheet${n}`;
    }
    validateSheetName(finalName);
    if (this.sheets.some((s) => s.name.toLowerCase() === finalName!.toLowerCase())) throw errors.itemAlreadyExists('WorksheetCollection.add');
    const id = `{${String(this.nextSheetId++).padStart(8, '0')}-0001-0000-0000-000000000000}`;
    const sheet = new SheetModel(id, finalName);
    this.sheets.push(sheet);
    return sheet;
  }

  renameSheet(sheet: SheetModel, name: unknown): void {
    const n = validateSheetName(name);
    if (this.sheets.some((s) => s !== sheet && s.name.toLowerCase() === n.toLowerCase())) throw errors.itemAlreadyExists('Worksheet.name');
    sheet.name = n;
  }

  visibleSheets(): SheetModel[] {
    return this.sheets.filter((s) => s.visibility === 'Visible');
  }

  setVisibility(sheet: SheetModel, visibility: unknown): void {
    if (visibility !== 'Visible' && visibility !== 'Hidden' && visibility !== 'VeryHidden') {
      throw errors.invalidArgument(`visibility ${JSON.stringify(visibility)}`);
    }
    if (visibility !== 'Visible' && sheet.visibility === 'Visible' && this.visibleSheets().length === 1) {
      throw errors.invalidOperation('a workbook must keep at least one visible worksheet');
    }
    sheet.visibility = visibility;
    if (visibility !== 'Visible' && this.activeSheet === sheet) this.activeSheet = this.visibleSheets()[0]!;
  }

  deleteSheet(sheet: SheetModel): void {
    if (sheet.visibility === 'Visible' && this.visibleSheets().length === 1) {
      throw errors.invalidOperation('a workbook must keep at least one visible worksheet');
    }
    const i = this.sheets.indexOf(sheet);
    if (i >= 0) this.sheets.splice(i, 1);
    sheet.deleted = true;
    for (const t of this.tablesOn(sheet)) this.removeTable(t);
    if (this.activeSheet === sheet) this.activeSheet = this.visibleSheets()[0]!;
  }

  activate(sheet: SheetModel): void {
    if (sheet.visibility !== 'Visible') throw errors.invalidOperation('a hidden worksheet cannot be activated');
    this.activeSheet = sheet;
  }

  tablesOn(sheet: SheetModel): TableModel[] {
    return this.tables.filter((t) => t.sheet === sheet);
  }

  /** By name (case-insensitive) or id. */
  findTable(key: string): TableModel | undefined {
    const k = String(key).toLowerCase();
    return this.tables.find((t) => t.name.toLowerCase() === k || t.id === String(key));
  }

  removeTable(table: TableModel): void {
    const i = this.tables.indexOf(table);
    if (i >= 0) this.tables.splice(i, 1);
    table.deleted = true;
  }

  select(sheet: SheetModel, rect: Rect): void {
    if (sheet.visibility !== 'Visible') throw errors.invalidOperation('cannot select a range on a hidden worksheet');
    sheet.selection = { ...rect };
    this.activeSheet = sheet;
  }
}

export { MAX_COLUMNS, MAX_ROWS };
