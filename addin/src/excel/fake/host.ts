/// <reference types="office-js" />
/**
 * createFakeExcel(): one fake Excel host — a workbook, the `Excel`, `Office` and `OfficeExtension` globals
 * working on it, and controls for tests (state helpers that act like the user or inspect the document
 * directly, bypassing the request queue; sync counters; a hook between syncs).
 */
import { formatRect, parseAddress, type Rect } from './address';
import { ErrorCodes, FakeOfficeError } from './errors';
import { createExcelNamespace, type FakeExcelNamespace } from './excel-namespace';
import { DEFAULT_FONT_COLOR, WorkbookModel, type SheetModel, type Visibility } from './model';
import { createOffice, type FakeOffice, type FakePlatform } from './office';
import { encodeSetting } from './proxies/settings';
import { FakeExcelEngine, type SyncHook, type SyncRequestInfo } from './request';
import { addTable, bodyRowCount, columnNames, validateTableName } from './tables';
import { rawInput, type CellValue } from './values';

export interface FakeExcelOptions {
  /** Per-request payload limit; default 5 MB, Excel on the web's limit. */
  maxRequestBytes?: number;
  /** Per-response payload limit (data loaded in one sync); default 5 MB, Excel on the web's limit. */
  maxResponseBytes?: number;
  /** Highest ExcelApi requirement set supported (isSetSupported and API gating); default '1.12'. */
  excelApiVersion?: string;
  /** Office.context.platform and onReady's platform; default 'PC'. */
  platform?: FakePlatform;
  /** Name of the first worksheet; default 'Sheet1'. */
  firstSheetName?: string;
}

export interface CellFormatInfo {
  /** Fill colour "#RRGGBB"; null when the cells have no fill; 'mixed' when they differ. */
  fill: string | null | 'mixed';
  /** Font colour "#RRGGBB" (default "#000000"); 'mixed' when the cells differ. */
  fontColor: string | 'mixed';
  bold: boolean | 'mixed';
}

export interface FakeTableInfo {
  name: string;
  sheet: string;
  /** Whole table including the header row, e.g. "A1:Z10" (no sheet prefix). */
  address: string;
  headers: string[];
  /** Data body rows (a new header-only table has one empty row). */
  rowCount: number;
}

/** Direct access to the document, as the user or a test sees it (no queue, no sync, no counters). */
export interface FakeWorkbookControls {
  /** Writes cells exactly as given (no Excel input conversion); a single-cell address is the top-left corner. */
  setValues(sheet: string, address: string, values: unknown[][]): void;
  /** Values as Excel reports them ("" for empty cells); the used range when address is omitted. */
  getValues(sheet: string, address?: string): CellValue[][];
  getText(sheet: string, address: string): string[][];
  getNumberFormat(sheet: string, address: string): string[][];
  setNumberFormat(sheet: string, address: string, format: string | string[][]): void;
  getFormat(sheet: string, address: string): CellFormatInfo;
  setFormat(sheet: string, address: string, format: { fill?: string | null; fontColor?: string; bold?: boolean }): void;
  select(sheet: string, address: string): void;
  getSelection(): { sheet: string; address: string };
  /** The used range's address without sheet prefix ("A1:C3"), or null for an empty sheet. */
  usedRange(sheet: string, valuesOnly?: boolean): string | null;
  addSheet(name: string): void;
  deleteSheet(name: string): void;
  renameSheet(from: string, to: string): void;
  sheetNames(): string[];
  activeSheet(): string;
  sheetVisibility(name: string): Visibility;
  setSheetVisibility(name: string, visibility: Visibility): void;
  tables(): FakeTableInfo[];
  /** Creates a table as the user would (Insert > Table). */
  addTable(sheet: string, address: string, options?: { name?: string; hasHeaders?: boolean }): void;
  isColumnHidden(sheet: string, columnIndex: number): boolean;
  setColumnHidden(sheet: string, columnIndex: number, hidden: boolean): void;
  columnWidth(sheet: string, columnIndex: number): number;
  settings(): Record<string, unknown>;
  setSetting(key: string, value: unknown): void;
}

export interface FakeExcelHost {
  Excel: FakeExcelNamespace;
  Office: FakeOffice;
  OfficeExtension: { Error: typeof FakeOfficeError; ErrorCodes: typeof ErrorCodes };
  workbook: FakeWorkbookControls;
  /** Every context.sync() so far, plus Excel.run's closing syncs that carried queued operations. */
  readonly syncCount: number;
  /** One entry per counted sync, in order. */
  readonly requests: readonly SyncRequestInfo[];
  resetCounters(): void;
  /** Called at each sync before the request runs: change the workbook here to simulate a concurrent user edit. */
  onSync: SyncHook | null;
}

function hostError(message: string): Error {
  return new Error(`fake Excel host: ${message}`);
}

export function createFakeExcel(options: FakeExcelOptions = {}): FakeExcelHost {
  const model = new WorkbookModel(options.firstSheetName ?? 'Sheet1');
  const engine = new FakeExcelEngine(model, {
    maxRequestBytes: options.maxRequestBytes ?? 5 * 1024 * 1024,
    maxResponseBytes: options.maxResponseBytes ?? 5 * 1024 * 1024,
    excelApiVersion: options.excelApiVersion ?? '1.12',
  });

  const sheet = (name: string): SheetModel => {
    const s = model.findSheet(name);
    if (!s) throw hostError(`no worksheet named ${JSON.stringify(name)}`);
    return s;
  };
  const rectOf = (address: string): Rect => {
    const parsed = parseAddress(address);
    return parsed.rect;
  };
  /** Host helpers throw plain Errors, not Office errors: a failing helper is a broken test, not Excel behaviour. */
  const host = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof FakeOfficeError) throw hostError(`${e.code}: ${e.message}`);
      throw e;
    }
  };
  const uniform = <T>(value: T | null): T | 'mixed' => (value === null ? 'mixed' : value);

  const workbook: FakeWorkbookControls = {
    setValues: (name, address, values) =>
      host(() => {
        const s = sheet(name);
        let rect = rectOf(address);
        if (rect.rows === 1 && rect.cols === 1) rect = { ...rect, rows: values.length, cols: values[0]?.length ?? 0 };
        if (rect.rows === 0 || rect.cols === 0) return;
        s.writeValues(rect, values, (v) => rawInput(v));
      }),
    getValues: (name, address) =>
      host(() => {
        const s = sheet(name);
        const rect = address ? rectOf(address) : (s.usedRect(false) ?? { row: 0, col: 0, rows: 1, cols: 1 });
        return s.readValues(rect);
      }),
    getText: (name, address) => host(() => sheet(name).readText(rectOf(address))),
    getNumberFormat: (name, address) => host(() => sheet(name).readNumberFormats(rectOf(address))),
    setNumberFormat: (name, address, format) => host(() => sheet(name).writeNumberFormats(rectOf(address), format)),
    getFormat: (name, address) =>
      host(() => {
        const s = sheet(name);
        const rect = rectOf(address);
        const NONE = '\u0000none';
        const fill = uniform(s.uniformFormat(rect, (c) => c.fill, NONE));
        return {
          fill: fill === NONE ? null : fill,
          fontColor: uniform(s.uniformFormat(rect, (c) => c.font, DEFAULT_FONT_COLOR)),
          bold: uniform(s.uniformFormat(rect, (c) => c.bold, false)),
        };
      }),
    setFormat: (name, address, format) =>
      host(() => {
        const s = sheet(name);
        const rect = rectOf(address);
        if (format.fill !== undefined) s.writeFormat(rect, { fill: format.fill === null ? undefined : format.fill.toUpperCase() });
        if (format.fontColor !== undefined) s.writeFormat(rect, { font: format.fontColor.toUpperCase() === DEFAULT_FONT_COLOR ? undefined : format.fontColor.toUpperCase() });
        if (format.bold !== undefined) s.writeFormat(rect, { bold: format.bold || undefined });
      }),
    select: (name, address) => host(() => model.select(sheet(name), rectOf(address))),
    getSelection: () => ({ sheet: model.activeSheet.name, address: formatRect(model.activeSheet.selection) }),
    usedRange: (name, valuesOnly) =>
      host(() => {
        const r = sheet(name).usedRect(!!valuesOnly);
        return r ? formatRect(r) : null;
      }),
    addSheet: (name) => host(() => void model.addSheet(name)),
    deleteSheet: (name) => host(() => model.deleteSheet(sheet(name))),
    renameSheet: (from, to) => host(() => model.renameSheet(sheet(from), to)),
    sheetNames: () => model.sheets.map((s) => s.name),
    activeSheet: () => model.activeSheet.name,
    sheetVisibility: (name) => sheet(name).visibility,
    setSheetVisibility: (name, visibility) => host(() => model.setVisibility(sheet(name), visibility)),
    tables: () =>
      model.tables.map((t) => ({ name: t.name, sheet: t.sheet.name, address: formatRect(t.rect), headers: columnNames(t), rowCount: bodyRowCount(t) })),
    addTable: (name, address, opts = {}) =>
      host(() => {
        const t = addTable(model, sheet(name), rectOf(address), opts.hasHeaders ?? true);
        if (opts.name !== undefined) t.name = validateTableName(model, opts.name, t);
      }),
    isColumnHidden: (name, columnIndex) => sheet(name).hiddenColumns.has(columnIndex),
    setColumnHidden: (name, columnIndex, hidden) => {
      const s = sheet(name);
      if (hidden) s.hiddenColumns.add(columnIndex);
      else s.hiddenColumns.delete(columnIndex);
    },
    columnWidth: (name, columnIndex) => sheet(name).columnWidth(columnIndex),
    settings: () => Object.fromEntries([...model.settings].map(([k, json]) => [k, JSON.parse(json)])),
    setSetting: (key, value) => host(() => void model.settings.set(key, encodeSetting(value))),
  };

  return {
    Excel: createExcelNamespace(engine, model),
    Office: createOffice(engine, options.platform ?? 'PC'),
    OfficeExtension: { Error: FakeOfficeError, ErrorCodes },
    workbook,
    get syncCount() {
      return engine.syncCount;
    },
    get requests() {
      return engine.requests;
    },
    resetCounters: () => engine.resetCounters(),
    get onSync() {
      return engine.onSync;
    },
    set onSync(hook: SyncHook | null) {
      engine.onSync = hook;
    },
  };
}
