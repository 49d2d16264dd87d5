/**
 * Reads an exporter's order sheet (.xlsx with exceljs, or .csv/.tsv) into a matrix of raw import cells, for
 * the CLI's `import` command. Excel dates become ISO dates (YYYY-MM-DD), numbers stay numbers, a number
 * formatted as a percentage becomes "2.5%", formulas give their cached result, rich text its plain text.
 * Node only (reads files); the add-in reads cells through Office.js instead.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import type { CellValue, Worksheet } from 'exceljs';
import type { ImportCell } from '../../../shared/import/fields.js';
import { detectDelimiter, parseCsv as tokenizeCsv } from '../lib/csv.js';

export interface SheetMatrix {
  /** Worksheet name ("CSV" for a CSV file). */
  sheet: string;
  /** Rows from sheet row 1, cells from column A; trailing empty cells trimmed. */
  rows: ImportCell[][];
  /** All worksheet names of the workbook. */
  sheets: string[];
}

export class WorkbookError extends Error {}

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel date (exceljs gives a JS Date at UTC midnight for a date cell) as YYYY-MM-DD. */
function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A number shown as a percentage (0.025 in a "0.0%" cell) as text "2.5%", without float noise. */
function percentText(n: number): string {
  return `${Number((n * 100).toPrecision(12))}%`;
}

function convert(value: CellValue, numFmt: string | undefined): ImportCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return numFmt && /%/.test(numFmt.replace(/"[^"]*"/g, '')) ? percentText(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoDate(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) return convert((value as { result?: CellValue }).result ?? null, numFmt);
    if ('hyperlink' in value) return String((value as { text?: unknown }).text ?? value.hyperlink);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

function trimRow(row: ImportCell[]): ImportCell[] {
  let end = row.length;
  while (end > 0 && (row[end - 1] === null || row[end - 1] === '')) end--;
  return row.slice(0, end);
}

function worksheetRows(ws: Worksheet): ImportCell[][] {
  const rows: ImportCell[][] = [];
  const last = ws.actualRowCount ? ws.rowCount : 0;
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const cells: ImportCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.getCell(c);
      cells.push(convert(cell.value, cell.numFmt));
    }
    rows.push(trimRow(cells));
  }
  return rows;
}

/** RFC 4180 CSV (quotes, doubled quotes, newlines inside quotes); the delimiter is guessed from the first line (, ; or tab). */
export function parseCsv(text: string): ImportCell[][] {
  // The first line for the guess ends at LF or CRLF only (a lone CR does not end it here, as it always has).
  const delimiter = detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  return tokenizeCsv(text, { delimiter }).map((r) => trimRow(r.fields.map((f) => (f.value === '' && !f.quoted ? null : f.value))));
}

/** Read a .xlsx (one worksheet: `sheet`, or the first visible one) or a .csv/.tsv file. */
export async function readWorkbook(path: string, options: { sheet?: string } = {}): Promise<SheetMatrix> {
  const ext = extname(path).toLowerCase();
  const csv = ext === '.csv' || ext === '.tsv' || ext === '.txt';
  if (!csv && ext !== '.xlsx' && ext !== '.xlsm') throw new WorkbookError(`${path}: only .xlsx and .csv files can be imported (save .xls files as .xlsx first)`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new WorkbookError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (csv) return { sheet: 'CSV', sheets: ['CSV'], rows: parseCsv(bytes.toString('utf8')) };
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as never);
  } catch (e) {
    throw new WorkbookError(`${path} cannot be read as an Excel workbook: ${(e as Error).message}`);
  }
  const sheets = wb.worksheets.map((w) => w.name);
  const ws = options.sheet !== undefined ? wb.getWorksheet(options.sheet) : (wb.worksheets.find((w) => w.state === 'visible') ?? wb.worksheets[0]);
  if (!ws) throw new WorkbookError(options.sheet !== undefined ? `No worksheet "${options.sheet}" in ${path} (worksheets: ${sheets.join(', ')})` : `${path} has no worksheets`);
  return { sheet: ws.name, sheets, rows: worksheetRows(ws) };
}
