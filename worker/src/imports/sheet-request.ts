/**
 * From a sheet read as a matrix to an import request (header row found, columns auto-mapped, overrides from
 * a mapping file applied), and the import report as text for a terminal. Used by `npm run cli -- import`.
 */
import { MAX_IMPORT_ROWS, type ImportDefaults, type ImportReport, type ImportRequestInput } from '../../../shared/contracts/imports.js';
import { columnIndex, columnLetter, IMPORT_FIELDS, type ImportCell, type ImportField } from '../../../shared/import/fields.js';
import { autoMapColumns, findHeaderRow, foldHeader, HEADER_SEARCH_ROWS } from '../../../shared/import/mapping.js';
import { isBlankRow } from '../../../shared/import/normalise.js';
import { WorkbookError } from './read-workbook.js';

/**
 * mapping.json: `{ "reference": "Order No", "buyer": "C", "hsCode": null, "defaults": { "currency": "USD" }, "headerRow": 3 }` —
 * a field → header text or column letter (null: do not import that field), plus optional defaults and the
 * 1-based header row when it cannot be found automatically.
 */
export type MappingFile = Partial<Record<ImportField, string | null>> & { defaults?: ImportDefaults; headerRow?: number };

export interface SheetRequest {
  request: ImportRequestInput;
  /** 1-based sheet row of the header. */
  headerRow: number;
  /** Field → column letter and header text, in column order. */
  mapped: { field: ImportField; column: string; header: string }[];
  /** Header texts no field was mapped to, with their letter. */
  ignored: { column: string; header: string }[];
  /** What was inferred (e.g. the currency from "Unit Price (USD)"). */
  notes: string[];
}

const headerText = (cell: ImportCell | undefined) => (cell === null || cell === undefined ? '' : String(cell).trim());

export function requestFromMatrix(matrix: ImportCell[][], options: { mapping?: MappingFile; mode: 'dry_run' | 'commit'; onExisting: 'create_only' | 'upsert' }): SheetRequest {
  const mapping = options.mapping ?? {};
  for (const key of Object.keys(mapping)) {
    if (key !== 'defaults' && key !== 'headerRow' && !(IMPORT_FIELDS as readonly string[]).includes(key)) {
      throw new WorkbookError(`mapping file: unknown field "${key}" (fields: ${IMPORT_FIELDS.join(', ')}; also "defaults" and "headerRow")`);
    }
  }
  if (!matrix.some((r) => !isBlankRow(r))) throw new WorkbookError('the sheet is empty');
  let headerIndex: number | null;
  if (mapping.headerRow !== undefined) {
    if (!Number.isInteger(mapping.headerRow) || mapping.headerRow < 1 || mapping.headerRow > matrix.length) throw new WorkbookError(`mapping file: headerRow ${mapping.headerRow} is not a row of the sheet`);
    headerIndex = mapping.headerRow - 1;
  } else {
    headerIndex = findHeaderRow(matrix);
  }
  if (headerIndex === null) {
    throw new WorkbookError(
      `no header row found in the first ${HEADER_SEARCH_ROWS} rows (expected headers such as "Order No", "Buyer", "Item Code", "Qty", "Rate"); give "headerRow" in a mapping file`,
    );
  }
  const headers = (matrix[headerIndex] ?? []).map(headerText);
  const auto = autoMapColumns(headers);
  const columns: Partial<Record<ImportField, number>> = { ...auto.columns };
  for (const field of IMPORT_FIELDS) {
    if (!(field in mapping)) continue;
    const target = mapping[field];
    if (target === null || target === undefined) {
      delete columns[field];
      continue;
    }
    const wanted = foldHeader(target).key;
    let index = headers.findIndex((h) => h.toLowerCase() === target.trim().toLowerCase());
    if (index < 0 && wanted) index = headers.findIndex((h) => foldHeader(h).key === wanted);
    if (index < 0) index = columnIndex(target.trim()) ?? -1;
    if (index < 0) throw new WorkbookError(`mapping file: no column "${target}" for ${field} (headers: ${headers.filter(Boolean).join(', ')})`);
    columns[field] = index;
  }
  const notes: string[] = [];
  const defaults: ImportDefaults = { ...(mapping.defaults ?? {}) };
  if (columns.currency === undefined && defaults.currency === undefined && auto.currency) {
    defaults.currency = auto.currency;
    notes.push(`order currency ${auto.currency} taken from the unit price header`);
  }
  let end = matrix.length;
  while (end > headerIndex + 1 && isBlankRow(matrix[end - 1]!)) end--;
  const rows = matrix.slice(headerIndex + 1, end);
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new WorkbookError(`the sheet has ${rows.length.toLocaleString('en')} rows under its header; at most ${MAX_IMPORT_ROWS.toLocaleString('en')} per import: split it into several files`);
  }
  const used = new Set(Object.values(columns));
  const mapped = (Object.entries(columns) as [ImportField, number][])
    .sort((a, b) => a[1] - b[1])
    .map(([field, i]) => ({ field, column: columnLetter(i), header: headers[i] ?? '' }));
  const ignored = headers.flatMap((h, i) => (h && !used.has(i) ? [{ column: columnLetter(i), header: h }] : []));
  const request: ImportRequestInput = {
    mode: options.mode,
    onExisting: options.onExisting,
    rows,
    firstRow: headerIndex + 2,
    firstColumn: 0,
    columns,
    ...(Object.keys(defaults).length ? { defaults } : {}),
  };
  return { request, headerRow: headerIndex + 1, mapped, ignored, notes };
}

/** The report as lines for a terminal: each problem with its sheet row and cell, then the summary. */
export function formatReport(report: ImportReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  let notes = 0;
  for (const r of report.rows) {
    for (const m of r.messages) {
      if (m.severity === 'note' && !options.verbose) {
        notes++;
        continue;
      }
      const where = m.cell ?? `row ${r.row}`;
      const label = m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warning' : 'note';
      out.push(`  row ${String(r.row).padEnd(6)} ${where.padEnd(7)} ${label.padEnd(8)} ${m.field ? `${m.field}: ` : ''}${m.message}${m.value !== undefined && !m.message.includes(String(m.value)) ? ` (cell: ${JSON.stringify(m.value)})` : ''}`);
    }
  }
  const s = report.summary;
  if (!options.verbose && notes) out.push(`  (${notes} note${notes === 1 ? '' : 's'} on how cells were read; --verbose shows them)`);
  out.push(
    '',
    `Summary: ${s.rows} rows — ${s.lineRows} order lines in ${s.orders} orders (${s.toCreate} to create, ${s.toUpdate} to update, ${s.unchanged} unchanged), ${s.skippedRows} skipped; ${s.errorRows} rows with errors, ${s.warningRows} with warnings.`,
  );
  if (report.committed) out.push(`Imported: ${s.toCreate} orders created, ${s.toUpdate} updated, ${s.unchanged} unchanged.`);
  else if (report.mode === 'dry_run') out.push(s.errorRows ? 'Dry run: nothing was written. Fix the errors above before importing.' : 'Dry run: nothing was written; the sheet would import as shown.');
  else out.push('Nothing was imported: fix the errors above and run the import again.');
  return out.join('\n');
}
