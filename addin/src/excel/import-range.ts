/** Reading a user's own order sheet for import, and writing each row's import result beside it. */
import type { Cell } from '../sheet/columns.js';
import type { Tone } from '../sheet/results.js';
import { WriteQueue } from './batching.js';
import { paintTones } from './tones.js';

export interface SourceRange {
  sheet: string;
  address: string;
  /** First sheet column right of everything in use on the sheet (where results can go without overwriting). */
  freeColumn: number;
  /** 0-based sheet row and column of values[0][0]. */
  rowIndex: number;
  columnIndex: number;
  values: Cell[][];
  numberFormat: string[][];
}

/**
 * The selected range cut to the sheet's used range (a whole-column selection or Ctrl+A does not load a million
 * empty rows), or the whole used range when a single cell is selected (the usual "click anywhere in my sheet"
 * case): 3 syncs — the selection and used range's bounds, then the values and number formats.
 */
export async function readImportSource(context: Excel.RequestContext): Promise<SourceRange> {
  const selected = context.workbook.getSelectedRange().load('cellCount, rowIndex, columnIndex, rowCount, columnCount');
  selected.worksheet.load('name');
  await context.sync();
  // Real Excel throws ItemNotFound from getUsedRange on an empty sheet: use the OrNullObject form.
  const used = selected.worksheet.getUsedRangeOrNullObject(true).load('rowIndex, columnIndex, rowCount, columnCount');
  await context.sync();
  const sheet = selected.worksheet.name;
  const empty = { sheet, address: '', rowIndex: 0, columnIndex: 0, values: [], numberFormat: [], freeColumn: 0 };
  if (used.isNullObject) return empty;
  const box = selected.cellCount === 1 ? used : intersect(selected, used);
  if (!box) return empty;
  const range = selected.worksheet.getRangeByIndexes(box.rowIndex, box.columnIndex, box.rowCount, box.columnCount).load('address, values, numberFormat');
  await context.sync();
  return {
    sheet,
    address: range.address,
    rowIndex: box.rowIndex,
    columnIndex: box.columnIndex,
    values: range.values as Cell[][],
    numberFormat: range.numberFormat as string[][],
    freeColumn: used.columnIndex + used.columnCount,
  };
}

interface Box {
  rowIndex: number;
  columnIndex: number;
  rowCount: number;
  columnCount: number;
}

function intersect(a: Box, b: Box): Box | null {
  const top = Math.max(a.rowIndex, b.rowIndex);
  const left = Math.max(a.columnIndex, b.columnIndex);
  const bottom = Math.min(a.rowIndex + a.rowCount, b.rowIndex + b.rowCount);
  const right = Math.min(a.columnIndex + a.columnCount, b.columnIndex + b.columnCount);
  return bottom > top && right > left ? { rowIndex: top, columnIndex: left, rowCount: bottom - top, columnCount: right - left } : null;
}

/** Header of the column the add-in writes import results into. */
export const RESULT_HEADER = 'Import result';

export interface ImportMark {
  /** 0-based sheet row. */
  row: number;
  text: string;
  tone: Tone;
}

/** Write a result column (header at `headerRow`, one cell per row) at sheet column `column`: one request. */
export async function writeImportResults(context: Excel.RequestContext, sheetName: string, headerRow: number, column: number, marks: ImportMark[]): Promise<void> {
  const queue = new WriteQueue(context);
  const sheet = context.workbook.worksheets.getItem(sheetName);
  await queue.add(64, () => {
    const head = sheet.getRangeByIndexes(headerRow, column, 1, 1);
    head.values = [[RESULT_HEADER]];
    head.format.font.bold = true;
  });
  if (!marks.length) return queue.flush();
  const first = Math.min(...marks.map((m) => m.row));
  const last = Math.max(...marks.map((m) => m.row));
  const column1 = Array.from({ length: last - first + 1 }, () => ['']);
  for (const m of marks) column1[m.row - first] = [m.text];
  await queue.writeMatrix(sheet, first, column, column1);
  await paintTones(queue, sheet, 0, column, marks);
  await queue.flush();
}

/** Select a cell of a sheet (an import error the user clicked). */
export async function selectCell(context: Excel.RequestContext, sheetName: string, row: number, column: number): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.activate();
  sheet.getRangeByIndexes(row, column, 1, 1).select();
  await context.sync();
}
