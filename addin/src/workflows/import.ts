/**
 * Bulk import of the user's own order sheet: read the selection (or the sheet), find the header row, map
 * columns (auto-matched, then as saved for this workbook), dry run, then commit in chunks of whole orders
 * with progress and cancel, and write each row's result beside it.
 */
import type { ImportReport, ImportRequestInput, ImportRowResult } from '../../../shared/contracts/imports.js';
import type { ImportField } from '../../../shared/import/fields.js';
import { autoMapColumns, findHeaderRow } from '../../../shared/import/mapping.js';
import { ApiError } from '../api/client.js';
import { RESULT_HEADER, readImportSource, writeImportResults, type ImportMark, type SourceRange } from '../excel/import-range.js';
import { readWorkbookSetting, writeWorkbookSetting } from '../excel/settings.js';
import { importCell } from '../sheet/cells.js';
import type { Cell } from '../sheet/columns.js';
import { UserError, type Deps } from './deps.js';

const MAPPING_SETTING = 'exportdesk.importMapping';
/** Lines per commit request; each is all-or-nothing on the server. */
export const COMMIT_CHUNK_LINES = 2000;

export interface ImportSource {
  range: SourceRange;
  /** Index in range.values of the header row. */
  headerRow: number;
  headers: string[];
  /** Field → column index (into range.values rows), auto-matched and overlaid with this workbook's saved mapping. */
  columns: Partial<Record<ImportField, number>>;
  unmatched: string[];
  currency?: string;
  /** Where results were last written (so a re-check writes over its own column, not a new one). */
  resultColumn?: number;
}

/** Read the selection and propose a mapping. */
export async function readSource(deps: Deps): Promise<ImportSource> {
  const range = await deps.run((ctx) => readImportSource(ctx));
  if (!range.values.length) throw new UserError(`Sheet "${range.sheet}" is empty: open the sheet with your orders and select its table.`);
  const headerRow = findHeaderRow(range.values);
  if (headerRow === null) throw new UserError(`No header row found in ${range.address}: select the table including its header row (e.g. "Order No", "SKU", "Qty").`);
  // A result column from an earlier run is ours, not data: leave it out and write over it next time.
  const lastHeader = String(range.values[headerRow]!.at(-1) ?? '').trim();
  let resultColumn: number | undefined;
  if (lastHeader === RESULT_HEADER) {
    resultColumn = range.columnIndex + range.values[headerRow]!.length - 1;
    range.values = range.values.map((r) => r.slice(0, -1));
    range.numberFormat = range.numberFormat.map((r) => r.slice(0, -1));
  }
  const headers = range.values[headerRow]!.map((h) => String(h ?? '').trim());
  const auto = autoMapColumns(headers);
  const saved = await deps.run((ctx) => readWorkbookSetting<Partial<Record<ImportField, string>>>(ctx, MAPPING_SETTING));
  const columns = { ...auto.columns };
  for (const [field, header] of Object.entries(saved ?? {})) {
    const i = headers.indexOf(header);
    if (i >= 0) columns[field as ImportField] = i;
  }
  return { range, headerRow, headers, columns, unmatched: auto.unmatched, ...(auto.currency ? { currency: auto.currency } : {}), ...(resultColumn !== undefined ? { resultColumn } : {}) };
}

/** Remember the mapping for this workbook (by header text, so inserted columns do not break it). */
export async function saveMapping(deps: Deps, source: ImportSource, columns: Partial<Record<ImportField, number>>): Promise<void> {
  const byHeader = Object.fromEntries(Object.entries(columns).flatMap(([f, i]) => (i === undefined || !source.headers[i] ? [] : [[f, source.headers[i]]])));
  await deps.run((ctx) => writeWorkbookSetting(ctx, MAPPING_SETTING, byHeader));
}

export interface ImportOptions {
  columns: Partial<Record<ImportField, number>>;
  onExisting: 'create_only' | 'upsert';
  defaults?: ImportRequestInput['defaults'];
}

/** The request; with `only`, rows outside that set of data indexes are sent empty (the server skips them). */
function requestFor(source: ImportSource, opts: ImportOptions, mode: 'dry_run' | 'commit', only?: Set<number>): ImportRequestInput {
  const data = source.range.values.slice(source.headerRow + 1);
  const formats = source.range.numberFormat.slice(source.headerRow + 1);
  return {
    mode,
    onExisting: opts.onExisting,
    rows: data.map((r, i) => (only && !only.has(i) ? [] : r.map((v, c) => importCell(v as Cell, formats[i]?.[c])))),
    firstRow: firstDataRow(source),
    firstColumn: source.range.columnIndex,
    columns: opts.columns,
    ...(opts.defaults ? { defaults: opts.defaults } : {}),
  };
}

/** 1-based sheet row of the first data row. */
const firstDataRow = (source: ImportSource) => source.range.rowIndex + source.headerRow + 2;

export async function dryRun(deps: Deps, source: ImportSource, opts: ImportOptions, signal?: AbortSignal): Promise<ImportReport> {
  return deps.api.importRows<ImportReport>(requestFor(source, opts, 'dry_run'), signal);
}

export interface CommitProgress {
  done: number;
  total: number;
}

/**
 * Commit: a dry run first; if any row has an error nothing is sent and the check is written beside the rows.
 * Then chunks of whole orders (≤ COMMIT_CHUNK_LINES lines each), each all-or-nothing on the server; `signal`
 * cancels between chunks, and rows of chunks not sent are marked "Not imported (cancelled)".
 */
export async function commitImport(
  deps: Deps,
  source: ImportSource,
  opts: ImportOptions,
  hooks: { signal?: AbortSignal; onProgress?: (p: CommitProgress) => void } = {},
): Promise<{ report: ImportReport; cancelled: boolean; committedOrders: number }> {
  const check = await dryRun(deps, source, opts, hooks.signal);
  if (check.summary.errorRows > 0) {
    await writeResults(deps, source, check.rows, 'check');
    return { report: check, cancelled: false, committedOrders: 0 };
  }
  const first = firstDataRow(source);
  const chunks = chunkOrders(check).map((orders) => new Set(orders.flatMap((o) => o.rows.map((r) => r - first))));
  const results = new Map(check.rows.map((r) => [r.row, r]));
  let cancelled = false;
  let committedOrders = 0;
  /** The rows of chunk `from` and later ones: a warning saying why they were not imported. */
  const markNotImported = (from: number, change: Pick<ImportRowResult, 'messages'> & Partial<ImportRowResult>) => {
    for (const idx of chunks.slice(from).flatMap((c) => [...c])) {
      const r = results.get(first + idx)!;
      results.set(r.row, { ...r, status: 'warning', ...change });
    }
  };
  hooks.onProgress?.({ done: 0, total: chunks.length });
  for (const [i, only] of chunks.entries()) {
    if (hooks.signal?.aborted) {
      cancelled = true;
      markNotImported(i, { messages: [{ severity: 'warning', message: CANCELLED }] });
      break;
    }
    try {
      const part = await deps.api.importRows<ImportReport>(requestFor(source, opts, 'commit', only));
      for (const r of part.rows) if (only.has(r.row - first)) results.set(r.row, r);
      committedOrders += part.orders.length;
    } catch (e) {
      // This chunk was rolled back and later ones were not sent: none of their rows were imported.
      const reason = e instanceof ApiError ? e.message : String(e);
      markNotImported(i, { action: undefined, messages: [{ severity: 'warning', message: `${NOT_IMPORTED}: ${reason}` }] });
      const report = e instanceof ApiError ? ((e.body as any)?.error?.report as ImportReport | undefined) : undefined;
      for (const r of report?.rows ?? []) if (only.has(r.row - first) && r.status === 'error') results.set(r.row, r);
      await writeResults(deps, source, [...results.values()], 'commit');
      throw new ImportInterrupted(committedOrders, reason);
    }
    hooks.onProgress?.({ done: i + 1, total: chunks.length });
  }
  const rows = [...results.values()].sort((a, b) => a.row - b.row);
  await writeResults(deps, source, rows, 'commit');
  return { report: { ...check, mode: 'commit', committed: !cancelled, rows }, cancelled, committedOrders };
}

const CANCELLED = 'Not imported (cancelled)';
const NOT_IMPORTED = 'Not imported';

/** A commit stopped part-way: how many orders earlier chunks did import. */
export class ImportInterrupted extends Error {
  override name = 'ImportInterrupted';
  constructor(
    readonly committedOrders: number,
    reason: string,
  ) {
    super(`The import stopped: ${reason}. ${committedOrders} order(s) from earlier batches were imported (marked "Created" beside their rows); the rest were not. Fix the cause and import again with "Update existing editable orders" to finish without duplicates.`);
  }
}

/** Orders grouped into chunks of at most COMMIT_CHUNK_LINES lines (an order is never split). */
function chunkOrders(report: ImportReport): ImportReport['orders'][] {
  const out: ImportReport['orders'][] = [];
  let current: ImportReport['orders'] = [];
  let lines = 0;
  for (const o of report.orders) {
    if (current.length && lines + o.rows.length > COMMIT_CHUNK_LINES) {
      out.push(current);
      current = [];
      lines = 0;
    }
    current.push(o);
    lines += o.rows.length;
  }
  if (current.length) out.push(current);
  return out;
}

/** Write a result beside each row, in the first column right of the source range. */
export async function writeResults(deps: Deps, source: ImportSource, rows: ImportRowResult[], phase: 'check' | 'commit'): Promise<void> {
  const marks: ImportMark[] = rows.map((r) => ({ row: r.row - 1, ...markOf(r, phase) }));
  // Right of the selection when that column is free or already ours; else right of everything on the sheet.
  const next = source.range.columnIndex + (source.range.values[0]?.length ?? 0);
  const column = next >= source.range.freeColumn || source.resultColumn === next ? next : source.range.freeColumn;
  source.resultColumn = column;
  await deps.run((ctx) => writeImportResults(ctx, source.range.sheet, source.range.rowIndex + source.headerRow, column, marks));
}

function markOf(r: ImportRowResult, phase: 'check' | 'commit'): Omit<ImportMark, 'row'> {
  const text = (severity: string) => r.messages.filter((m) => m.severity === severity).map((m) => (m.cell ? `${m.cell}: ${m.message}` : m.message)).join('; ');
  if (r.status === 'error') return { text: `Error: ${text('error')}`, tone: 'rejected' };
  if (r.status === 'skipped') return { text: r.messages[0]?.message ?? 'Skipped', tone: 'neutral' };
  if (r.messages.some((m) => m.message === CANCELLED || m.message.startsWith(`${NOT_IMPORTED}:`))) return { text: r.messages[0]!.message, tone: 'conflict' };
  const verb = phase === 'check' ? { create: 'Would create', update: 'Would update', unchanged: 'Unchanged' } : { create: 'Created', update: 'Updated', unchanged: 'Unchanged' };
  const what = `${verb[r.action ?? 'create']} ${r.reference ?? ''}`.trim();
  const warn = text('warning');
  return { text: warn ? `${what} — ${warn}` : what, tone: r.status === 'warning' ? 'conflict' : 'saved' };
}
