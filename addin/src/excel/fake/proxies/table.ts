/** Excel.Table and its collections (tables, rows, columns). A table proxy's object is the TableModel. */
import { bound, FakeClientObject, FakeClientResult, type ProxyOptions, type TypeSpec } from '../client-object';
import { errors } from '../errors';
import type { SheetModel, TableModel, WorkbookModel } from '../model';
import type { ExecContext, FakeRequestContext } from '../request';
import {
  addRows,
  addTable,
  bodyRect,
  bodyRowCount,
  columnNames,
  convertToRange,
  deleteBodyRow,
  deleteTable,
  headerRect,
  resizeTable,
  validateTableName,
} from '../tables';
import { coerceInput } from '../values';
import { FakeRange, rangeArgument, type RangeBinding } from './range';
import { FakeWorksheet } from './worksheet';

/** A table collection is the workbook's (sheet undefined) or one worksheet's. */
export interface TableScope {
  model: WorkbookModel;
  sheet?: SheetModel;
}

function inScope(scope: TableScope): TableModel[] {
  return scope.sheet ? scope.model.tablesOn(scope.sheet) : [...scope.model.tables];
}

function checkTable(t: TableModel): void {
  if (t.deleted) throw errors.itemNotFound('Table (deleted)');
  if (t.sheet.deleted) throw errors.itemNotFound('Table (its worksheet was deleted)');
}

export const TABLE_SPEC: TypeSpec = {
  name: 'Table',
  nav: ['rows', 'columns', 'worksheet'],
  check: checkTable,
  props: {
    id: { get: (t: TableModel) => t.id },
    name: {
      get: (t: TableModel) => t.name,
      set: (t: TableModel, v, exec) => {
        t.name = validateTableName(exec.model, v, t);
      },
    },
    showHeaders: { get: () => true },
    showTotals: { get: () => false },
    showFilterButton: {
      since: '1.3',
      get: (t: TableModel) => t.showFilterButton,
      set: (t: TableModel, v) => {
        if (typeof v !== 'boolean') throw errors.invalidArgument('showFilterButton must be a boolean');
        t.showFilterButton = v;
      },
    },
    style: {
      get: (t: TableModel) => t.style,
      set: (t: TableModel, v) => {
        if (typeof v !== 'string') throw errors.invalidArgument('style must be a string');
        t.style = v;
      },
    },
  },
};

export class FakeTable extends FakeClientObject {
  constructor(ctx: FakeRequestContext, opts: ProxyOptions) {
    super(ctx, TABLE_SPEC, opts);
    Object.preventExtensions(this);
  }

  get id(): string {
    return this._get('id');
  }
  get name(): string {
    return this._get('name');
  }
  set name(v: string) {
    this._set('name', v);
  }
  get showHeaders(): boolean {
    return this._get('showHeaders');
  }
  get showTotals(): boolean {
    return this._get('showTotals');
  }
  get showFilterButton(): boolean {
    return this._get('showFilterButton');
  }
  set showFilterButton(v: boolean) {
    this._set('showFilterButton', v);
  }
  get style(): string {
    return this._get('style');
  }
  set style(v: string) {
    this._set('style', v);
  }
  get rows(): FakeTableRowCollection {
    return this._nav('rows', () => new FakeTableRowCollection(this.context, this));
  }
  get columns(): FakeTableColumnCollection {
    return this._nav('columns', () => new FakeTableColumnCollection(this.context, this));
  }
  get worksheet(): FakeWorksheet {
    this._api('worksheet', '1.2');
    return this._nav('worksheet', () => new FakeWorksheet(this.context, { parent: this, label: 'Table.worksheet', resolve: (t: TableModel) => t.sheet }));
  }

  private _range(label: string, compute: (t: TableModel, exec: ExecContext) => RangeBinding, extra: { opKind?: 'method' } = {}): FakeRange {
    return new FakeRange(this.context, this, `Table.${label}`, (t: TableModel, exec) => compute(t, exec), extra);
  }

  getRange(): FakeRange {
    return this._range('getRange', (t) => ({ sheet: t.sheet, rect: { ...t.rect } }));
  }
  getHeaderRowRange(): FakeRange {
    return this._range('getHeaderRowRange', (t) => ({ sheet: t.sheet, rect: headerRect(t) }));
  }
  getDataBodyRange(): FakeRange {
    return this._range('getDataBodyRange', (t) => ({ sheet: t.sheet, rect: bodyRect(t) }));
  }
  /** Removes the table and clears its cells (Excel's Table.delete deletes the table's cells). */
  delete(): void {
    this._call('delete', [], (t: TableModel, exec) => deleteTable(exec.model, t));
  }
  /** Removes the table, keeping the cells; the returned range is the former table's. */
  convertToRange(): FakeRange {
    this._api('convertToRange', '1.2');
    return this._range('convertToRange', (t, exec) => ({ sheet: t.sheet, rect: convertToRange(exec.model, t) }), { opKind: 'method' });
  }
  resize(newRange: FakeRange | string): void {
    this._call('resize', [typeof newRange === 'string' ? newRange : 'Range'], (t: TableModel, exec) => resizeTable(exec.model, t, rangeArgument(newRange, t.sheet, exec).rect), '1.13');
  }
  clearFilters(): void {
    this._call('clearFilters', [], () => undefined, '1.2');
  }
}

const TABLE_COLLECTION_SPEC: TypeSpec = {
  name: 'TableCollection',
  props: { count: { get: (s: TableScope) => inScope(s).length } },
  collection: {
    item: TABLE_SPEC,
    list: (s: TableScope) => inScope(s),
    make: (ctx, collection, t) => new FakeTable(ctx, { parent: collection, label: 'TableCollection.items', binding: t }),
  },
};

export class FakeTableCollection extends FakeClientObject {
  constructor(ctx: FakeRequestContext, opts: ProxyOptions) {
    super(ctx, TABLE_COLLECTION_SPEC, opts);
    Object.preventExtensions(this);
  }

  get items(): FakeTable[] {
    return this._get('items');
  }
  get count(): number {
    return this._get('count');
  }

  private _table(label: string, resolve: (s: TableScope, exec: ExecContext) => TableModel | null, extra: Partial<ProxyOptions> = {}): FakeTable {
    return new FakeTable(this.context, { parent: this, label: `TableCollection.${label}`, resolve, ...extra });
  }

  getItem(key: string): FakeTable {
    return this._table('getItem', (s) => inScope(s).find((t) => t === s.model.findTable(key)) ?? null);
  }
  getItemOrNullObject(key: string): FakeTable {
    this._api('getItemOrNullObject', '1.4');
    return this._table('getItemOrNullObject', (s) => inScope(s).find((t) => t === s.model.findTable(key)) ?? null, { nullable: true });
  }
  getItemAt(index: number): FakeTable {
    return this._table('getItemAt', (s) => inScope(s)[index] ?? null);
  }
  /** The table is created when the request runs. Without a sheet in the address, the workbook collection uses the active sheet. */
  add(address: FakeRange | string, hasHeaders: boolean): FakeTable {
    return this._table(
      'add',
      (s, exec) => {
        if (typeof hasHeaders !== 'boolean') throw errors.invalidArgument('hasHeaders must be a boolean');
        const target = rangeArgument(address, s.sheet ?? null, exec);
        return addTable(exec.model, target.sheet, target.rect, hasHeaders);
      },
      { opKind: 'method', payload: [typeof address === 'string' ? address : 'Range', hasHeaders] },
    );
  }
  getCount(): FakeClientResult<number> {
    this._api('getCount', '1.4');
    const result = new FakeClientResult<number>();
    this._queue('load', 'TableCollection.getCount', undefined, (exec) => {
      const n = inScope(bound<TableScope>(this, exec, 'getCount')).length;
      exec.commits.push(() => result._set(n));
    });
    return result;
  }
}

// ---- rows ----

interface RowBinding {
  table: TableModel;
  index: number;
}

const ROW_SPEC: TypeSpec = {
  name: 'TableRow',
  check: (r: RowBinding) => checkTable(r.table),
  props: {
    index: { get: (r: RowBinding) => r.index },
    values: {
      get: (r: RowBinding) => r.table.sheet.readValues({ ...bodyRect(r.table), row: bodyRect(r.table).row + r.index, rows: 1 }),
      set: (r: RowBinding, v) => r.table.sheet.writeValues({ ...bodyRect(r.table), row: bodyRect(r.table).row + r.index, rows: 1 }, v, coerceInput),
    },
  },
};

export class FakeTableRow extends FakeClientObject {
  constructor(ctx: FakeRequestContext, opts: ProxyOptions) {
    super(ctx, ROW_SPEC, opts);
    Object.preventExtensions(this);
  }
  get index(): number {
    return this._get('index');
  }
  get values(): any[][] {
    return this._get('values');
  }
  set values(v: any[][]) {
    this._set('values', v);
  }
  getRange(): FakeRange {
    return new FakeRange(this.context, this, 'TableRow.getRange', (r: RowBinding) => {
      const body = bodyRect(r.table);
      return { sheet: r.table.sheet, rect: { ...body, row: body.row + r.index, rows: 1 } };
    });
  }
  delete(): void {
    this._call('delete', [], (r: RowBinding, exec) => deleteBodyRow(exec.model, r.table, r.index));
  }
}

const ROW_COLLECTION_SPEC: TypeSpec = {
  name: 'TableRowCollection',
  check: checkTable,
  props: { count: { get: (t: TableModel) => bodyRowCount(t) } },
  collection: {
    item: ROW_SPEC,
    list: (t: TableModel) => Array.from({ length: bodyRowCount(t) }, (_, index) => ({ table: t, index })),
    make: (ctx, collection, row) => new FakeTableRow(ctx, { parent: collection, label: 'TableRowCollection.items', binding: row }),
  },
};

export class FakeTableRowCollection extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeTable) {
    super(ctx, ROW_COLLECTION_SPEC, { parent, label: 'Table.rows', resolve: (t: TableModel) => t });
    Object.preventExtensions(this);
  }
  get items(): FakeTableRow[] {
    return this._get('items');
  }
  get count(): number {
    return this._get('count');
  }
  /**
   * Appends (index null/undefined) or inserts rows; `values` is one row per inner array and must have the
   * table's column count. The rows are added when the request runs.
   */
  add(index?: number | null, values?: unknown, _alwaysInsert?: boolean): FakeTableRow {
    return new FakeTableRow(this.context, {
      parent: this,
      label: 'TableRowCollection.add',
      opKind: 'method',
      payload: [index ?? null, values ?? null],
      resolve: (t: TableModel, exec: ExecContext) => ({ table: t, index: addRows(exec.model, t, index, values, coerceInput) }),
    });
  }
  getItemAt(index: number): FakeTableRow {
    return new FakeTableRow(this.context, {
      parent: this,
      label: 'TableRowCollection.getItemAt',
      resolve: (t: TableModel) => (Number.isInteger(index) && index >= 0 && index < bodyRowCount(t) ? { table: t, index } : null),
    });
  }
  getCount(): FakeClientResult<number> {
    this._api('getCount', '1.4');
    const result = new FakeClientResult<number>();
    this._queue('load', 'TableRowCollection.getCount', undefined, (exec) => {
      const n = bodyRowCount(bound<TableModel>(this, exec, 'getCount'));
      exec.commits.push(() => result._set(n));
    });
    return result;
  }
}

// ---- columns ----

interface ColumnBinding {
  table: TableModel;
  index: number;
}

function columnRect(c: ColumnBinding, part: 'all' | 'header' | 'body') {
  const t = c.table;
  const col = t.rect.col + c.index;
  if (part === 'header') return { row: t.rect.row, col, rows: 1, cols: 1 };
  if (part === 'body') return { row: t.rect.row + 1, col, rows: t.rect.rows - 1, cols: 1 };
  return { row: t.rect.row, col, rows: t.rect.rows, cols: 1 };
}

const COLUMN_SPEC: TypeSpec = {
  name: 'TableColumn',
  check: (c: ColumnBinding) => {
    checkTable(c.table);
    if (c.index >= c.table.rect.cols) throw errors.itemNotFound('TableColumn (deleted)');
  },
  props: {
    id: { get: (c: ColumnBinding) => c.index + 1 },
    index: { get: (c: ColumnBinding) => c.index },
    name: {
      get: (c: ColumnBinding) => columnNames(c.table)[c.index],
      set: (c: ColumnBinding, v) => {
        if (typeof v !== 'string' || v === '') throw errors.invalidArgument('column name');
        if (columnNames(c.table).some((n, i) => i !== c.index && n.toLowerCase() === v.toLowerCase())) throw errors.itemAlreadyExists('TableColumn.name');
        c.table.sheet.writeValues(columnRect(c, 'header'), [[v]], (x) => ({ value: x as string }));
      },
    },
    values: {
      get: (c: ColumnBinding) => c.table.sheet.readValues(columnRect(c, 'all')),
      set: (c: ColumnBinding, v) => c.table.sheet.writeValues(columnRect(c, 'all'), v, coerceInput),
    },
  },
};

export class FakeTableColumn extends FakeClientObject {
  constructor(ctx: FakeRequestContext, opts: ProxyOptions) {
    super(ctx, COLUMN_SPEC, opts);
    Object.preventExtensions(this);
  }
  get id(): number {
    return this._get('id');
  }
  get index(): number {
    return this._get('index');
  }
  get name(): string {
    return this._get('name');
  }
  set name(v: string) {
    this._set('name', v);
  }
  get values(): any[][] {
    return this._get('values');
  }
  set values(v: any[][]) {
    this._set('values', v);
  }
  private _range(label: string, part: 'all' | 'header' | 'body'): FakeRange {
    return new FakeRange(this.context, this, `TableColumn.${label}`, (c: ColumnBinding) => ({ sheet: c.table.sheet, rect: columnRect(c, part) }));
  }
  getRange(): FakeRange {
    return this._range('getRange', 'all');
  }
  getHeaderRowRange(): FakeRange {
    return this._range('getHeaderRowRange', 'header');
  }
  getDataBodyRange(): FakeRange {
    return this._range('getDataBodyRange', 'body');
  }
}

const COLUMN_COLLECTION_SPEC: TypeSpec = {
  name: 'TableColumnCollection',
  check: checkTable,
  props: { count: { get: (t: TableModel) => t.rect.cols } },
  collection: {
    item: COLUMN_SPEC,
    list: (t: TableModel) => Array.from({ length: t.rect.cols }, (_, index) => ({ table: t, index })),
    make: (ctx, collection, c) => new FakeTableColumn(ctx, { parent: collection, label: 'TableColumnCollection.items', binding: c }),
  },
};

/** By name (case-insensitive) or by id (a number, 1-based as Excel's column ids for a fresh table). */
function findColumn(t: TableModel, key: number | string): ColumnBinding | null {
  if (typeof key === 'number') return Number.isInteger(key) && key >= 1 && key <= t.rect.cols ? { table: t, index: key - 1 } : null;
  const i = columnNames(t).findIndex((n) => n.toLowerCase() === String(key).toLowerCase());
  return i >= 0 ? { table: t, index: i } : null;
}

export class FakeTableColumnCollection extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeTable) {
    super(ctx, COLUMN_COLLECTION_SPEC, { parent, label: 'Table.columns', resolve: (t: TableModel) => t });
    Object.preventExtensions(this);
  }
  get items(): FakeTableColumn[] {
    return this._get('items');
  }
  get count(): number {
    return this._get('count');
  }
  getItem(key: number | string): FakeTableColumn {
    return new FakeTableColumn(this.context, { parent: this, label: 'TableColumnCollection.getItem', resolve: (t: TableModel) => findColumn(t, key) });
  }
  getItemOrNullObject(key: number | string): FakeTableColumn {
    this._api('getItemOrNullObject', '1.4');
    return new FakeTableColumn(this.context, { parent: this, label: 'TableColumnCollection.getItemOrNullObject', nullable: true, resolve: (t: TableModel) => findColumn(t, key) });
  }
  getItemAt(index: number): FakeTableColumn {
    return new FakeTableColumn(this.context, {
      parent: this,
      label: 'TableColumnCollection.getItemAt',
      resolve: (t: TableModel) => (Number.isInteger(index) && index >= 0 && index < t.rect.cols ? { table: t, index } : null),
    });
  }
}
