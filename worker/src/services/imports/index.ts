/**
 * Bulk import of exporters' existing order sheets (POST /imports, `npm run cli -- import`).
 *
 *   parse.ts    raw cells → normalised values → order groups (pure)
 *   resolve.ts  existing orders, products by SKU, parties — batched reads
 *   plan.ts     new orders / replacements of existing ones / unchanged, every problem on its cell (pure)
 *   apply.ts    the writes, through the order service's helpers
 *
 * A dry run reports and writes nothing. A commit is all or nothing: every create and update runs in ONE
 * write transaction, and any error anywhere (a cell, a lookup, a rule) means nothing is written and a 422
 * IMPORT_REJECTED carrying the full report.
 */
import type { ImportReport, ImportRequest } from '../../../../shared/contracts/imports.js';
import { IMPORT_FIELD_LABELS, REQUIRED_IMPORT_FIELDS, type ImportField } from '../../../../shared/import/fields.js';
import type { ServiceContext } from '../context.js';
import { AppError, unprocessable, type ErrorDetail } from '../errors.js';
import { requirePermission } from '../permissions.js';
import type { Executor } from '../../db/client.js';
import { applyPlan } from './apply.js';
import { parseDefault, parseRows, type ParseOptions } from './parse.js';
import { orderResults, planOrders, type ParsedDefaults, type PlannedOrder } from './plan.js';
import { ImportLog } from './report.js';
import { originCountry, resolveLookups } from './resolve.js';

export interface ImportOptions {
  /** Where the rows came from (a file name), for the audit note. */
  source?: string;
}

/** Fields that must be mapped unless a default is given. */
const REQUIRED_UNLESS_DEFAULT: ReadonlyArray<readonly [ImportField, keyof NonNullable<ImportRequest['defaults']>]> = [
  ['portOfLoading', 'portOfLoading'],
  ['incoterm', 'incoterm'],
  ['paymentTerms', 'paymentTerms'],
];

/** 422 before anything is read when the mapping lacks a required field. */
function checkMapping(request: ImportRequest): void {
  const missing: ErrorDetail[] = [];
  for (const f of REQUIRED_IMPORT_FIELDS) {
    if (request.columns[f] === undefined) missing.push({ path: `columns.${f}`, message: `Map a column to ${IMPORT_FIELD_LABELS[f]}`, code: 'required' });
  }
  for (const [f, d] of REQUIRED_UNLESS_DEFAULT) {
    if (request.columns[f] === undefined && request.defaults?.[d] === undefined) {
      missing.push({ path: `columns.${f}`, message: `Map a column to ${IMPORT_FIELD_LABELS[f]}, or set defaults.${d}`, code: 'required' });
    }
  }
  if (missing.length) {
    throw unprocessable('IMPORT_MAPPING_INCOMPLETE', `Required columns are not mapped: ${missing.map((m) => m.path.slice('columns.'.length)).join(', ')}`, missing);
  }
}

/** Parse the request-level defaults; 422 naming the default when one is unreadable. */
function parseDefaults(request: ImportRequest, options: ParseOptions): ParsedDefaults {
  const out: Record<string, unknown> = {};
  const problems: ErrorDetail[] = [];
  for (const key of ['currency', 'portOfLoading', 'transportMode', 'incoterm', 'paymentTerms'] as const) {
    const v = request.defaults?.[key];
    if (v === undefined) continue;
    const r = parseDefault(key, v, options);
    if (r.ok) out[key] = r.value;
    else problems.push({ path: `defaults.${key}`, message: r.error });
  }
  if (problems.length) throw unprocessable('IMPORT_DEFAULTS_INVALID', 'Some import defaults cannot be read', problems);
  return out as ParsedDefaults;
}

/** Import order rows; see the module comment. */
export async function importOrders(ctx: ServiceContext, request: ImportRequest, options: ImportOptions = {}): Promise<ImportReport> {
  requirePermission(ctx, 'orders:write');
  checkMapping(request);
  const parseOptions: ParseOptions = {};
  if (request.defaults?.datePreference) parseOptions.datePreference = request.defaults.datePreference;
  const origin = await originCountry(ctx.database.db, ctx);
  if (origin) parseOptions.originCountry = origin;
  const defaults = parseDefaults(request, parseOptions);

  const log = new ImportLog(request);
  const sheet = parseRows(request, log, parseOptions);
  if (!sheet.lineRows.length) {
    throw new AppError(422, 'IMPORT_EMPTY', request.rows.length ? 'No order lines: every row is blank or a subtotal' : 'No rows to import', undefined, undefined, log.report(request.mode, false, []));
  }

  const plan = async (db: Executor): Promise<PlannedOrder[]> => {
    const lookups = await resolveLookups(db, ctx, {
      references: sheet.orders.map((o) => o.key),
      skus: sheet.orders.flatMap((o) => o.lines.flatMap((l) => (l.sku === undefined ? [] : [l.sku]))),
      withLines: request.onExisting === 'upsert',
    });
    return planOrders(ctx, request, sheet, lookups, defaults, log);
  };
  const finish = (planned: PlannedOrder[], committed: boolean, ids?: Map<PlannedOrder, string>) => {
    for (const p of planned) {
      const id = ids?.get(p) ?? (p.action !== 'create' ? p.existing?.id : undefined);
      log.assign(p.rows, p.sheet.reference, p.action, id);
    }
    return log.report(request.mode, committed, orderResults(planned, log, ids));
  };
  const rejected = (planned: PlannedOrder[]) => () => {
    const report = finish(planned, false);
    const details = report.rows
      .flatMap((r) => r.messages.filter((m) => m.severity === 'error').map((m) => ({ path: m.cell ?? `row ${r.row}`, message: m.message })))
      .slice(0, 100);
    return new AppError(422, 'IMPORT_REJECTED', `${report.summary.errorRows} of ${report.summary.rows} rows have errors; nothing was imported`, details, undefined, report);
  };

  if (request.mode === 'dry_run') return finish(await plan(ctx.database.db), false);

  const note = options.source ? `import: ${options.source}` : 'import';
  return ctx.database.write(async (tx) => {
    const planned = await plan(tx);
    if (log.hasErrors()) throw rejected(planned)();
    const ids = await applyPlan(tx, ctx, planned, note, log, rejected(planned));
    return finish(planned, true, ids);
  });
}
