/**
 * FX rates per organisation, day and pair (`rate` units of `quote` per 1 `base`): entered in batches or imported
 * from CSV, listed, and looked up for conversions. Lookups take the latest rate on or before the date asked for,
 * at most MAX_RATE_AGE_DAYS older; a pair not entered is derived from the reverse pair (inverse) or from both
 * currencies' rates against the organisation's base currency (cross). Exact decimal strings throughout.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type {
  FxConversion,
  FxConvertQuery,
  FxCsvImportResult,
  FxRate,
  FxRateBatch,
  FxRateItem,
  FxRateQuery,
  FxRateUpsertResult,
} from '../../../../shared/contracts/fx.js';
import { MAX_FX_CSV_ROWS } from '../../../../shared/contracts/fx.js';
import { convertMinor, crossRate, invertRate } from '../../../../shared/domain/fx.js';
import { normaliseDecimal, toMinor } from '../../../../shared/domain/money.js';
import type { Executor } from '../../db/client.js';
import { fxRates, organisations } from '../../db/schema/index.js';
import { isoNow, type ServiceContext } from '../context.js';
import { AppError, invalid, unprocessable } from '../errors.js';
import { money } from '../orders/mapping.js';
import { requirePermission } from '../permissions.js';
import { parseFxCsv } from './fx-csv.js';
import { todayOf } from './schedule.js';

/** How far back a lookup goes: a rate dated more than this many days before the date asked for is too old to use. */
export const MAX_RATE_AGE_DAYS = 7;

export type RateDerivation = 'direct' | 'inverse' | 'cross';

/** A rate found for a pair on a date: the rate, the date it is from, and how it was found. */
export interface RateOn {
  rate: string;
  date: string;
  derived: RateDerivation;
}

type RateRow = typeof fxRates.$inferSelect;

/** A calendar date plus (or minus) whole days, in UTC. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The organisation's base currency (organisations.base_currency). */
export async function baseCurrencyOf(db: Executor, ctx: ServiceContext): Promise<string> {
  const [org] = await db.select({ baseCurrency: organisations.baseCurrency }).from(organisations).where(eq(organisations.id, ctx.orgId));
  return org?.baseCurrency ?? 'INR';
}

/** "No USD/INR rate on or before 2026-11-20 (nor in the 7 days before it)": what a caller reports when rateOn finds nothing. */
export function noRateMessage(from: string, to: string, date: string): string {
  return `No ${from}/${to} rate on or before ${date} (looked back ${MAX_RATE_AGE_DAYS} days, to ${addDays(date, -MAX_RATE_AGE_DAYS)}): add one with PUT /fx-rates or POST /fx-rates/import`;
}

async function latestStored(db: Executor, ctx: ServiceContext, base: string, quote: string, date: string): Promise<{ rate: string; date: string } | null> {
  const [row] = await db
    .select({ rate: fxRates.rate, date: fxRates.date })
    .from(fxRates)
    .where(and(eq(fxRates.orgId, ctx.orgId), eq(fxRates.base, base), eq(fxRates.quote, quote), lte(fxRates.date, date), gte(fxRates.date, addDays(date, -MAX_RATE_AGE_DAYS))))
    .orderBy(desc(fxRates.date))
    .limit(1);
  return row ?? null;
}

/** The pair as entered, or the inverse of the reverse pair; the newer of the two wins, the direct one on the same date. */
async function directOrInverse(db: Executor, ctx: ServiceContext, from: string, to: string, date: string): Promise<RateOn | null> {
  const [direct, reverse] = await Promise.all([latestStored(db, ctx, from, to, date), latestStored(db, ctx, to, from, date)]);
  if (direct && (!reverse || direct.date >= reverse.date)) return { rate: direct.rate, date: direct.date, derived: 'direct' };
  if (!reverse) return null;
  try {
    return { rate: invertRate(reverse.rate), date: reverse.date, derived: 'inverse' };
  } catch {
    return null; // 1 / rate rounds to zero at 10 decimals: no usable rate
  }
}

/**
 * The rate to convert `from` into `to` on `date`: units of `to` per 1 `from`, from the latest rate dated on or
 * before `date` and at most MAX_RATE_AGE_DAYS before it. In order: the pair itself or the inverse of the reverse
 * pair (whichever is newer; 1/rate to 10 decimals), else the cross rate through the organisation's base currency
 * (from→base / to→base, 10 decimals, dated the older of the two). Same currency: rate "1". Null when nothing fits:
 * the caller reports it (see noRateMessage) rather than guessing.
 */
export async function rateOn(db: Executor, ctx: ServiceContext, from: string, to: string, date: string, baseCurrency?: string): Promise<RateOn | null> {
  if (from === to) return { rate: '1', date, derived: 'direct' };
  const found = await directOrInverse(db, ctx, from, to, date);
  if (found) return found;
  const base = baseCurrency ?? (await baseCurrencyOf(db, ctx));
  if (from === base || to === base) return null;
  const [a, b] = await Promise.all([directOrInverse(db, ctx, from, base, date), directOrInverse(db, ctx, to, base, date)]);
  if (!a || !b) return null;
  try {
    return { rate: crossRate(a.rate, b.rate), date: a.date < b.date ? a.date : b.date, derived: 'cross' };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing rates
// ---------------------------------------------------------------------------------------------

const toRate = (r: RateRow): FxRate => ({ date: r.date, base: r.base, quote: r.quote, rate: r.rate, source: r.source as FxRate['source'], updatedBy: r.updatedBy, updatedAt: r.updatedAt });
const keyOf = (r: { date: string; base: string; quote: string }) => `${r.date}|${r.base}|${r.quote}`;

interface UpsertPlan {
  create: FxRateItem[];
  update: FxRateItem[];
  unchanged: RateRow[];
}

/** What an upsert would do: which rows are new, which change their rate, which are already stored as given. */
async function planUpsert(db: Executor, ctx: ServiceContext, items: FxRateItem[]): Promise<UpsertPlan> {
  const plan: UpsertPlan = { create: [], update: [], unchanged: [] };
  if (!items.length) return plan;
  const dates = items.map((i) => i.date).sort();
  const bases = [...new Set(items.map((i) => i.base))];
  const quotes = [...new Set(items.map((i) => i.quote))];
  const existing = new Map<string, RateRow>();
  const rows = await db
    .select()
    .from(fxRates)
    .where(and(eq(fxRates.orgId, ctx.orgId), gte(fxRates.date, dates[0]!), lte(fxRates.date, dates.at(-1)!), inArray(fxRates.base, bases), inArray(fxRates.quote, quotes)));
  for (const r of rows) existing.set(keyOf(r), r);
  for (const item of items) {
    const old = existing.get(keyOf(item));
    if (!old) plan.create.push(item);
    else if (normaliseDecimal(old.rate) !== item.rate) plan.update.push(item);
    else plan.unchanged.push(old);
  }
  return plan;
}

/** Insert or replace rates in the caller's transaction, 500 per statement. */
async function writeRates(tx: Executor, ctx: ServiceContext, items: FxRateItem[], source: 'manual' | 'csv'): Promise<RateRow[]> {
  const now = isoNow(ctx);
  const rows: RateRow[] = items.map((i) => ({ orgId: ctx.orgId, date: i.date, base: i.base, quote: i.quote, rate: i.rate, source, updatedBy: ctx.actor.userId, updatedAt: now }));
  for (let i = 0; i < rows.length; i += 500) {
    await tx
      .insert(fxRates)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [fxRates.orgId, fxRates.base, fxRates.quote, fxRates.date],
        set: { rate: sql`excluded.rate`, source: sql`excluded.source`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`excluded.updated_at` },
      });
  }
  return rows;
}

const canonical = (items: FxRateItem[]): FxRateItem[] => items.map((i) => ({ ...i, rate: normaliseDecimal(i.rate) }));

/** PUT /fx-rates: set up to 1,000 rates (each inserted or replaced for its date and pair). Input is fully validated by the contract: all or nothing. */
export async function putFxRates(ctx: ServiceContext, input: FxRateBatch): Promise<FxRateUpsertResult> {
  requirePermission(ctx, 'payments:write');
  const items = canonical(input.rates);
  return ctx.database.write(async (tx) => {
    const plan = await planUpsert(tx, ctx, items);
    const written = await writeRates(tx, ctx, [...plan.create, ...plan.update], 'manual');
    const byKey = new Map([...plan.unchanged, ...written].map((r) => [keyOf(r), r]));
    return { created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged.length, items: items.map((i) => toRate(byKey.get(keyOf(i))!)) };
  });
}

/**
 * POST /fx-rates/import: a CSV of rates, checked whole. dry_run reports the counts and every problem by CSV line
 * and column, writing nothing. commit writes every row, or (any problem) none: 422 FX_IMPORT_REJECTED with the
 * problems as details (`path` "lines.7.rate") and the full result as `report`.
 */
export async function importFxRates(ctx: ServiceContext, csv: string, mode: 'dry_run' | 'commit'): Promise<FxCsvImportResult> {
  requirePermission(ctx, 'payments:write');
  const parsed = parseFxCsv(csv, MAX_FX_CSV_ROWS);
  const items: FxRateItem[] = parsed.rows.map(({ line: _line, ...r }) => r);
  const result = (plan: UpsertPlan | null): FxCsvImportResult => ({
    mode,
    rows: parsed.count,
    created: plan?.create.length ?? 0,
    updated: plan?.update.length ?? 0,
    unchanged: plan?.unchanged.length ?? 0,
    ignoredColumns: parsed.ignoredColumns,
    errors: parsed.errors,
  });
  if (parsed.errors.length) {
    const report = result(null);
    if (mode === 'dry_run') return report;
    throw new AppError(
      422,
      'FX_IMPORT_REJECTED',
      `The CSV has ${parsed.errors.length} problem(s); nothing was imported`,
      parsed.errors.slice(0, 500).map((e) => ({ path: e.column ? `lines.${e.line}.${e.column}` : `lines.${e.line}`, message: e.message, code: 'FX_CSV' })),
      undefined,
      report,
    );
  }
  if (mode === 'dry_run') return result(await planUpsert(ctx.database.db, ctx, items));
  return ctx.database.write(async (tx) => {
    const plan = await planUpsert(tx, ctx, items);
    await writeRates(tx, ctx, [...plan.create, ...plan.update], 'csv');
    return result(plan);
  });
}

// ---------------------------------------------------------------------------------------------
// Reading rates
// ---------------------------------------------------------------------------------------------

const CURSOR_RE = /^(\d{4}-\d{2}-\d{2})\|([A-Z]{3})\|([A-Z]{3})$/;
const encode = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function decodeRateCursor(cursor: string): { date: string; base: string; quote: string } {
  try {
    const m = CURSOR_RE.exec(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')));
    if (m) return { date: m[1]!, base: m[2]!, quote: m[3]! };
  } catch {
    /* fall through */
  }
  throw invalid('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor returned by this API' }]);
}

/** GET /fx-rates: stored rates, newest date first, then by pair; filters by pair and date range. */
export async function listFxRates(ctx: ServiceContext, q: FxRateQuery): Promise<{ items: FxRate[]; nextCursor: string | null }> {
  requirePermission(ctx, 'payments:read');
  const where: (SQL | undefined)[] = [eq(fxRates.orgId, ctx.orgId)];
  if (q.base) where.push(eq(fxRates.base, q.base));
  if (q.quote) where.push(eq(fxRates.quote, q.quote));
  if (q.from) where.push(gte(fxRates.date, q.from));
  if (q.to) where.push(lte(fxRates.date, q.to));
  if (q.cursor) {
    const c = decodeRateCursor(q.cursor);
    where.push(
      or(lt(fxRates.date, c.date), and(eq(fxRates.date, c.date), or(gt(fxRates.base, c.base), and(eq(fxRates.base, c.base), gt(fxRates.quote, c.quote))))),
    );
  }
  const rows = await ctx.database.db
    .select()
    .from(fxRates)
    .where(and(...where))
    .orderBy(desc(fxRates.date), asc(fxRates.base), asc(fxRates.quote))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items: items.map(toRate), nextCursor: rows.length > q.limit && last ? encode(keyOf(last)) : null };
}

/** GET /fx-rates/convert: an amount in `from` converted into `to` at the rate on `date` (default today); 422 NO_FX_RATE when there is none. */
export async function convertAmount(ctx: ServiceContext, q: FxConvertQuery): Promise<FxConversion> {
  requirePermission(ctx, 'payments:read');
  const date = q.date ?? todayOf(ctx);
  const found = await rateOn(ctx.database.db, ctx, q.from, q.to, date);
  if (!found) throw unprocessable('NO_FX_RATE', noRateMessage(q.from, q.to, date), [{ path: 'query.date', message: noRateMessage(q.from, q.to, date), code: 'NO_FX_RATE' }]);
  const minor = toMinor(q.amount, q.from);
  let converted: number;
  try {
    converted = convertMinor(minor, q.from, q.to, found.rate);
  } catch (e) {
    throw invalid('The amount cannot be converted', [{ path: 'query.amount', message: (e as Error).message }]);
  }
  return { amount: money(minor, q.from), converted: money(converted, q.to), rate: { from: q.from, to: q.to, ...found } };
}
