/** Excel.Range proxy. Its object is { sheet, rect }, fixed when the range is first found (like a tracked range). */
import {
  boundingRect,
  cellCount,
  formatAddress,
  intersect,
  MAX_COLUMNS,
  MAX_ROWS,
  parseAddress,
  rectFromIndexes,
  type Rect,
} from '../address';
import { bound, FakeClientObject, type Resolver, type TypeSpec } from '../client-object';
import { errors } from '../errors';
import type { SheetModel } from '../model';
import type { ExecContext, FakeRequestContext } from '../request';
import { coerceInput } from '../values';
import { FakeRangeFormat } from './format';
import { FakeWorksheet } from './worksheet';

export interface RangeBinding {
  sheet: SheetModel;
  rect: Rect;
}

/** Loading cell data of a huge range (whole columns) would exceed the response limit anyway; fail before building it. */
function guardSize(b: RangeBinding, exec: ExecContext): void {
  // Smallest possible JSON of the matrix: every cell "" → rows × (3 × cols + 2) bytes.
  const minimum = b.rect.rows * (3 * b.rect.cols + 2) + 2;
  if (minimum > exec.maxResponseBytes) throw errors.responsePayloadTooLarge(minimum, exec.maxResponseBytes);
}

function hiddenState(count: number, start: number, hidden: Set<number>): boolean | null {
  if (hidden.size === 0) return false;
  let any = false;
  let all = true;
  if (count > hidden.size) {
    all = false;
    for (const i of hidden) if (i >= start && i < start + count) any = true;
  } else {
    for (let i = start; i < start + count; i++) {
      if (hidden.has(i)) any = true;
      else all = false;
    }
  }
  return all ? true : any ? null : false;
}

function setHidden(count: number, start: number, hidden: Set<number>, v: unknown, what: string): void {
  if (typeof v !== 'boolean') throw errors.invalidArgument(`${what} must be a boolean`);
  for (let i = start; i < start + count; i++) {
    if (v) hidden.add(i);
    else hidden.delete(i);
  }
}

export const RANGE_SPEC: TypeSpec = {
  name: 'Range',
  nav: ['format', 'worksheet'],
  check: (b: RangeBinding) => {
    if (b.sheet.deleted) throw errors.itemNotFound('Range (its worksheet was deleted)');
  },
  props: {
    address: { get: (b: RangeBinding) => formatAddress(b.sheet.name, b.rect) },
    addressLocal: { get: (b: RangeBinding) => formatAddress(b.sheet.name, b.rect) },
    values: {
      get: (b: RangeBinding, exec) => (guardSize(b, exec), b.sheet.readValues(b.rect)),
      set: (b: RangeBinding, v) => b.sheet.writeValues(b.rect, v, coerceInput),
    },
    formulas: {
      get: (b: RangeBinding, exec) => (guardSize(b, exec), b.sheet.readValues(b.rect)),
      set: (b: RangeBinding, v) => b.sheet.writeValues(b.rect, v, coerceInput),
    },
    text: { get: (b: RangeBinding, exec) => (guardSize(b, exec), b.sheet.readText(b.rect)) },
    numberFormat: {
      get: (b: RangeBinding, exec) => (guardSize(b, exec), b.sheet.readNumberFormats(b.rect)),
      set: (b: RangeBinding, v) => b.sheet.writeNumberFormats(b.rect, v),
    },
    valueTypes: { get: (b: RangeBinding, exec) => (guardSize(b, exec), b.sheet.readValueTypes(b.rect)) },
    rowIndex: { get: (b: RangeBinding) => b.rect.row },
    columnIndex: { get: (b: RangeBinding) => b.rect.col },
    rowCount: { get: (b: RangeBinding) => b.rect.rows },
    columnCount: { get: (b: RangeBinding) => b.rect.cols },
    cellCount: { get: (b: RangeBinding) => cellCount(b.rect) },
    columnHidden: {
      since: '1.2',
      get: (b: RangeBinding) => hiddenState(b.rect.cols, b.rect.col, b.sheet.hiddenColumns),
      set: (b: RangeBinding, v) => setHidden(b.rect.cols, b.rect.col, b.sheet.hiddenColumns, v, 'columnHidden'),
    },
    rowHidden: {
      since: '1.2',
      get: (b: RangeBinding) => hiddenState(b.rect.rows, b.rect.row, b.sheet.hiddenRows),
      set: (b: RangeBinding, v) => setHidden(b.rect.rows, b.rect.row, b.sheet.hiddenRows, v, 'rowHidden'),
    },
    hidden: {
      since: '1.2',
      get: (b: RangeBinding) =>
        hiddenState(b.rect.cols, b.rect.col, b.sheet.hiddenColumns) === true || hiddenState(b.rect.rows, b.rect.row, b.sheet.hiddenRows) === true,
    },
  },
};

function checkedRect(row: number, col: number, rows: number, cols: number): Rect {
  if (row < 0 || col < 0 || row + rows > MAX_ROWS || col + cols > MAX_COLUMNS) {
    throw errors.invalidArgument('the resulting range would be outside the worksheet');
  }
  return rectFromIndexes(row, col, rows, cols);
}

/** Resolves a Range argument (proxy or address string on the same sheet) at sync time. */
export function rangeArgument(arg: unknown, sheet: SheetModel | null, exec: ExecContext): RangeBinding {
  if (arg instanceof FakeRange) return bound<RangeBinding>(arg, exec, 'argument');
  if (typeof arg === 'string') {
    const parsed = parseAddress(arg);
    const target = parsed.sheet !== undefined ? exec.model.findSheet(parsed.sheet) : (sheet ?? exec.model.activeSheet);
    if (!target) throw errors.itemNotFound(`worksheet '${parsed.sheet}'`);
    if (sheet && target !== sheet) throw errors.invalidArgument('the address refers to another worksheet');
    return { sheet: target, rect: parsed.rect };
  }
  throw errors.invalidArgument('expected a Range or an address');
}

function usedWithin(b: RangeBinding, valuesOnly: boolean): Rect | null {
  const used = b.sheet.usedRect(valuesOnly);
  return used ? intersect(used, b.rect) : null;
}

export class FakeRange extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeClientObject | null, label: string, resolve: Resolver, extra: { nullable?: boolean; opKind?: 'method'; payload?: unknown } = {}) {
    super(ctx, RANGE_SPEC, { parent, label, resolve, ...extra });
    Object.preventExtensions(this);
  }

  private _derive(label: string, compute: (b: RangeBinding, exec: ExecContext) => Rect | null, nullable = false): FakeRange {
    return new FakeRange(
      this.context,
      this,
      `Range.${label}`,
      (b: RangeBinding, exec) => {
        const rect = compute(b, exec);
        return rect ? { sheet: b.sheet, rect } : null;
      },
      { nullable },
    );
  }

  // ---- properties ----
  get address(): string {
    return this._get('address');
  }
  get addressLocal(): string {
    return this._get('addressLocal');
  }
  get values(): any[][] {
    return this._get('values');
  }
  set values(v: any[][]) {
    this._set('values', v);
  }
  get formulas(): any[][] {
    return this._get('formulas');
  }
  set formulas(v: any[][]) {
    this._set('formulas', v);
  }
  get text(): string[][] {
    return this._get('text');
  }
  get numberFormat(): any[][] {
    return this._get('numberFormat');
  }
  set numberFormat(v: any[][]) {
    this._set('numberFormat', v);
  }
  get valueTypes(): string[][] {
    return this._get('valueTypes');
  }
  get rowIndex(): number {
    return this._get('rowIndex');
  }
  get columnIndex(): number {
    return this._get('columnIndex');
  }
  get rowCount(): number {
    return this._get('rowCount');
  }
  get columnCount(): number {
    return this._get('columnCount');
  }
  get cellCount(): number {
    return this._get('cellCount');
  }
  get columnHidden(): boolean {
    return this._get('columnHidden');
  }
  set columnHidden(v: boolean) {
    this._set('columnHidden', v);
  }
  get rowHidden(): boolean {
    return this._get('rowHidden');
  }
  set rowHidden(v: boolean) {
    this._set('rowHidden', v);
  }
  get hidden(): boolean {
    return this._get('hidden');
  }
  get format(): FakeRangeFormat {
    return this._nav('format', () => new FakeRangeFormat(this.context, this));
  }
  get worksheet(): FakeWorksheet {
    return this._nav('worksheet', () => new FakeWorksheet(this.context, { parent: this, label: 'Range.worksheet', resolve: (b: RangeBinding) => b.sheet }));
  }

  // ---- ranges derived from this one ----
  getCell(row: number, column: number): FakeRange {
    return this._derive('getCell', (b) => checkedRect(b.rect.row + row, b.rect.col + column, 1, 1));
  }
  getOffsetRange(rowOffset: number, columnOffset: number): FakeRange {
    return this._derive('getOffsetRange', (b) => checkedRect(b.rect.row + rowOffset, b.rect.col + columnOffset, b.rect.rows, b.rect.cols));
  }
  getResizedRange(deltaRows: number, deltaColumns: number): FakeRange {
    this._api('getResizedRange', '1.2');
    return this._derive('getResizedRange', (b) => checkedRect(b.rect.row, b.rect.col, b.rect.rows + deltaRows, b.rect.cols + deltaColumns));
  }
  getRow(row: number): FakeRange {
    return this._derive('getRow', (b) => {
      if (!Number.isInteger(row) || row < 0 || row >= b.rect.rows) throw errors.invalidArgument(`row ${row} is outside the range`);
      return { row: b.rect.row + row, col: b.rect.col, rows: 1, cols: b.rect.cols };
    });
  }
  getColumn(column: number): FakeRange {
    return this._derive('getColumn', (b) => {
      if (!Number.isInteger(column) || column < 0 || column >= b.rect.cols) throw errors.invalidArgument(`column ${column} is outside the range`);
      return { row: b.rect.row, col: b.rect.col + column, rows: b.rect.rows, cols: 1 };
    });
  }
  getLastRow(): FakeRange {
    return this._derive('getLastRow', (b) => ({ row: b.rect.row + b.rect.rows - 1, col: b.rect.col, rows: 1, cols: b.rect.cols }));
  }
  getLastColumn(): FakeRange {
    return this._derive('getLastColumn', (b) => ({ row: b.rect.row, col: b.rect.col + b.rect.cols - 1, rows: b.rect.rows, cols: 1 }));
  }
  getLastCell(): FakeRange {
    return this._derive('getLastCell', (b) => ({ row: b.rect.row + b.rect.rows - 1, col: b.rect.col + b.rect.cols - 1, rows: 1, cols: 1 }));
  }
  getEntireColumn(): FakeRange {
    return this._derive('getEntireColumn', (b) => ({ row: 0, col: b.rect.col, rows: MAX_ROWS, cols: b.rect.cols }));
  }
  getEntireRow(): FakeRange {
    return this._derive('getEntireRow', (b) => ({ row: b.rect.row, col: 0, rows: b.rect.rows, cols: MAX_COLUMNS }));
  }
  getIntersection(anotherRange: FakeRange | string): FakeRange {
    return this._derive('getIntersection', (b, exec) => {
      const other = rangeArgument(anotherRange, b.sheet, exec);
      const r = intersect(b.rect, other.rect);
      if (!r) throw errors.itemNotFound('Range.getIntersection');
      return r;
    });
  }
  getIntersectionOrNullObject(anotherRange: FakeRange | string): FakeRange {
    this._api('getIntersectionOrNullObject', '1.4');
    return this._derive('getIntersectionOrNullObject', (b, exec) => intersect(b.rect, rangeArgument(anotherRange, b.sheet, exec).rect), true);
  }
  getBoundingRect(anotherRange: FakeRange | string): FakeRange {
    return this._derive('getBoundingRect', (b, exec) => boundingRect(b.rect, rangeArgument(anotherRange, b.sheet, exec).rect));
  }
  /** Throws ItemNotFound at sync when the range has no used cells (Excel's documented behaviour). */
  getUsedRange(valuesOnly?: boolean): FakeRange {
    return this._derive('getUsedRange', (b) => {
      const r = usedWithin(b, !!valuesOnly);
      if (!r) throw errors.itemNotFound('Range.getUsedRange');
      return r;
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): FakeRange {
    this._api('getUsedRangeOrNullObject', '1.4');
    return this._derive('getUsedRangeOrNullObject', (b) => usedWithin(b, !!valuesOnly), true);
  }

  // ---- actions ----
  select(): void {
    this._call('select', [], (b: RangeBinding, exec) => exec.model.select(b.sheet, b.rect));
  }

  clear(applyTo?: string): void {
    const mode = applyTo ?? 'All';
    this._call('clear', applyTo === undefined ? [] : [applyTo], (b: RangeBinding) => {
      switch (mode) {
        case 'All':
          return b.sheet.clear(b.rect, 'all');
        case 'Contents':
        case 'ResetContents':
          return b.sheet.clear(b.rect, 'contents');
        case 'Formats':
          return b.sheet.clear(b.rect, 'formats');
        case 'Hyperlinks':
        case 'RemoveHyperlinks':
          return undefined;
        default:
          throw errors.invalidArgument(`applyTo ${JSON.stringify(applyTo)}`);
      }
    });
  }

  /** Deletes the cells and shifts the rest up or left; ranges touching a table are not supported by the fake. */
  delete(shift: string): void {
    this._call('delete', [shift], (b: RangeBinding, exec) => {
      if (shift !== 'Up' && shift !== 'Left') throw errors.invalidArgument(`shift ${JSON.stringify(shift)}`);
      const affected: Rect =
        shift === 'Up'
          ? { row: b.rect.row, col: b.rect.col, rows: MAX_ROWS - b.rect.row, cols: b.rect.cols }
          : { row: b.rect.row, col: b.rect.col, rows: b.rect.rows, cols: MAX_COLUMNS - b.rect.col };
      if (exec.model.tablesOn(b.sheet).some((t) => intersect(t.rect, affected))) {
        throw errors.notImplemented('Range.delete where a table would move or shrink');
      }
      if (shift === 'Up') b.sheet.shiftUp(b.rect.row, b.rect.col, b.rect.cols, b.rect.rows);
      else b.sheet.shiftLeft(b.rect.col, b.rect.row, b.rect.rows, b.rect.cols);
    });
  }
}

