/** Reading a user's own order sheet for import, and writing each row's import result beside it. */
import type { Cell } from '../sheet/columns.js';
import type { Tone } from '../sheet/results.js';
import { WriteQueue } from './batching.js';
import { TONE_COLORS, runs } from './tones.js';

export interface SourceRange {
  sheet: string;
  address: string;
  /** 0-based sheet row and column of values[0][0]. */
  rowIndex: number;
  columnIndex: number;
  values: Cell[][];
  numberFormat: string[][];
}

/**
 * The selected range, or the sheet's used range when a single cell is selected (the usual "click anywhere
 * in my sheet" case): values and number formats in one sync.
 */
export async function readImportSource(context: Excel.RequestContext): Promise<SourceRange> {
  const selected = context.workbook.getSelectedRange().load('cellCount');
  selected.worksheet.load('name');
  await context.sync();
  // One cell selected: the sheet's used range (real Excel throws ItemNotFound from getUsedRange on an empty sheet).
  const range = selected.cellCount === 1 ? selected.worksheet.getUsedRangeOrNullObject(true) : selected;
  range.load('address, rowIndex, columnIndex, values, numberFormat');
  await context.sync();
  if (range.isNullObject) return { sheet: selected.worksheet.name, address: '', rowIndex: 0, columnIndex: 0, values: [], numberFormat: [] };
  return {
    sheet: selected.worksheet.name,
    address: range.address,
    rowIndex: range.rowIndex,
    columnIndex: range.columnIndex,
    values: range.values as Cell[][],
    numberFormat: range.numberFormat as string[][],
  };
}

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
    head.values = [['Import result']];
    head.format.font.bold = true;
  });
  if (!marks.length) return queue.flush();
  const first = Math.min(...marks.map((m) => m.row));
  const last = Math.max(...marks.map((m) => m.row));
  const column1 = Array.from({ length: last - first + 1 }, () => ['']);
  for (const m of marks) column1[m.row - first] = [m.text];
  await queue.writeMatrix(sheet, first, column, column1);
  for (const run of runs(marks.map((m) => ({ index: m.row, key: m.tone })))) {
    await queue.add(96, () => {
      const range = sheet.getRangeByIndexes(run.start, column, run.count, 1);
      const colors = TONE_COLORS[run.key];
      if (colors.fill) range.format.fill.color = colors.fill;
      else range.format.fill.clear();
      range.format.font.color = colors.font;
    });
  }
  await queue.flush();
}

/** Select a cell of a sheet (an import error the user clicked). */
export async function selectCell(context: Excel.RequestContext, sheetName: string, row: number, column: number): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.activate();
  sheet.getRangeByIndexes(row, column, 1, 1).select();
  await context.sync();
}
