/** Excel.Worksheet and Excel.WorksheetCollection proxies. A worksheet proxy's object is the SheetModel. */
import { MAX_COLUMNS, MAX_ROWS, parseAddress, rectFromIndexes, type Rect } from '../address';
import { FakeClientObject, FakeClientResult, type ProxyOptions, type TypeSpec } from '../client-object';
import { errors } from '../errors';
import type { SheetModel, WorkbookModel } from '../model';
import type { FakeRequestContext } from '../request';
import { FakeRange } from './range';
import { FakeTableCollection, type TableScope } from './table';

export const WORKSHEET_SPEC: TypeSpec = {
  name: 'Worksheet',
  nav: ['tables'],
  check: (s: SheetModel) => {
    if (s.deleted) throw errors.itemNotFound('Worksheet (deleted)');
  },
  props: {
    name: {
      get: (s: SheetModel) => s.name,
      set: (s: SheetModel, v, exec) => exec.model.renameSheet(s, v),
    },
    id: { get: (s: SheetModel) => s.id },
    position: { get: (s: SheetModel, exec) => exec.model.sheets.indexOf(s) },
    visibility: {
      get: (s: SheetModel) => s.visibility,
      set: (s: SheetModel, v, exec) => exec.model.setVisibility(s, v),
    },
  },
};

function usedRect(sheet: SheetModel, valuesOnly: boolean): Rect | null {
  return sheet.usedRect(valuesOnly);
}

export class FakeWorksheet extends FakeClientObject {
  constructor(ctx: FakeRequestContext, opts: Omit<ProxyOptions, 'parent'> & { parent: FakeClientObject | null }) {
    super(ctx, WORKSHEET_SPEC, opts);
    Object.preventExtensions(this);
  }

  get name(): string {
    return this._get('name');
  }
  set name(v: string) {
    this._set('name', v);
  }
  get id(): string {
    return this._get('id');
  }
  get position(): number {
    return this._get('position');
  }
  get visibility(): string {
    return this._get('visibility');
  }
  set visibility(v: string) {
    this._set('visibility', v);
  }
  get tables(): FakeTableCollection {
    return this._nav('tables', () => new FakeTableCollection(this.context, { parent: this, label: 'Worksheet.tables', resolve: (s: SheetModel, exec) => ({ model: exec.model, sheet: s }) satisfies TableScope }));
  }

  private _range(label: string, compute: (s: SheetModel) => Rect | null, nullable = false): FakeRange {
    return new FakeRange(
      this.context,
      this,
      `Worksheet.${label}`,
      (s: SheetModel) => {
        const rect = compute(s);
        return rect ? { sheet: s, rect } : null;
      },
      { nullable },
    );
  }

  /** No address: the whole worksheet. */
  getRange(address?: string): FakeRange {
    return this._range('getRange', (s) => {
      if (address === undefined || address === null || address === '') return { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLUMNS };
      const parsed = parseAddress(address);
      if (parsed.sheet !== undefined && parsed.sheet.toLowerCase() !== s.name.toLowerCase()) {
        throw errors.invalidArgument(`address ${JSON.stringify(address)} refers to another worksheet`);
      }
      return parsed.rect;
    });
  }
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): FakeRange {
    this._api('getRangeByIndexes', '1.7');
    return this._range('getRangeByIndexes', () => rectFromIndexes(startRow, startColumn, rowCount, columnCount));
  }
  getCell(row: number, column: number): FakeRange {
    return this._range('getCell', () => rectFromIndexes(row, column, 1, 1));
  }
  /** An empty worksheet's used range is A1 (Excel does not throw here). */
  getUsedRange(valuesOnly?: boolean): FakeRange {
    return this._range('getUsedRange', (s) => usedRect(s, !!valuesOnly) ?? { row: 0, col: 0, rows: 1, cols: 1 });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): FakeRange {
    this._api('getUsedRangeOrNullObject', '1.4');
    return this._range('getUsedRangeOrNullObject', (s) => usedRect(s, !!valuesOnly), true);
  }

  activate(): void {
    this._call('activate', [], (s: SheetModel, exec) => exec.model.activate(s));
  }
  delete(): void {
    this._call('delete', [], (s: SheetModel, exec) => exec.model.deleteSheet(s));
  }
}

export class FakeWorksheetCollection extends FakeClientObject {
  constructor(ctx: FakeRequestContext, parent: FakeClientObject) {
    super(ctx, WORKSHEET_COLLECTION_SPEC, { parent, label: 'Workbook.worksheets', resolve: (m: WorkbookModel) => m });
    Object.preventExtensions(this);
  }

  get items(): FakeWorksheet[] {
    return this._get('items');
  }

  private _sheet(label: string, resolve: (m: WorkbookModel) => SheetModel | null, extra: Partial<ProxyOptions> = {}): FakeWorksheet {
    return new FakeWorksheet(this.context, { parent: this, label: `WorksheetCollection.${label}`, resolve, ...extra });
  }

  getItem(key: string): FakeWorksheet {
    return this._sheet('getItem', (m) => m.findSheet(key) ?? null);
  }
  getItemOrNullObject(key: string): FakeWorksheet {
    this._api('getItemOrNullObject', '1.4');
    return this._sheet('getItemOrNullObject', (m) => m.findSheet(key) ?? null, { nullable: true });
  }
  /** The worksheet is created when the request runs (as Excel's add is carried by the object it returns). */
  add(name?: string): FakeWorksheet {
    return this._sheet('add', (m) => m.addSheet(name), { opKind: 'method', payload: name === undefined ? [] : [name] });
  }
  getActiveWorksheet(): FakeWorksheet {
    return this._sheet('getActiveWorksheet', (m) => m.activeSheet);
  }
  getFirst(visibleOnly?: boolean): FakeWorksheet {
    return this._sheet('getFirst', (m) => (visibleOnly ? m.visibleSheets() : m.sheets)[0] ?? null);
  }
  getLast(visibleOnly?: boolean): FakeWorksheet {
    return this._sheet('getLast', (m) => (visibleOnly ? m.visibleSheets() : m.sheets).at(-1) ?? null);
  }
  getCount(visibleOnly?: boolean): FakeClientResult<number> {
    this._api('getCount', '1.4');
    const result = new FakeClientResult<number>();
    this._queue('load', 'WorksheetCollection.getCount', undefined, (exec) => {
      const n = (visibleOnly ? exec.model.visibleSheets() : exec.model.sheets).length;
      exec.commits.push(() => result._set(n));
    });
    return result;
  }
}

const WORKSHEET_COLLECTION_SPEC: TypeSpec = {
  name: 'WorksheetCollection',
  props: {},
  collection: {
    item: WORKSHEET_SPEC,
    list: (m: WorkbookModel) => [...m.sheets],
    make: (ctx, collection, sheet) => new FakeWorksheet(ctx, { parent: collection, label: 'WorksheetCollection.items', binding: sheet }),
  },
};
