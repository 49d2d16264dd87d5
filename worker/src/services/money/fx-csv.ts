/**
 * CSV of FX rates (`date,base,quote,rate` with a header row) read into rows that remember the CSV line they
 * start on, so every problem can be reported as "line 7, rate". RFC 4180: quoted fields, doubled quotes,
 * line breaks inside quotes; CRLF, LF or CR line ends; a UTF-8 byte order mark; `,`, `;` or tab as the delimiter
 * (guessed from the header). Nothing here touches the database.
 */
import { parseRate } from '../../../../shared/domain/fx.js';
import { isCurrency } from '../../../../shared/domain/currency.js';
import { normaliseDecimal } from '../../../../shared/domain/money.js';
import type { FxCsvError, FxRateItem } from '../../../../shared/contracts/fx.js';
import { parseCsv } from '../../lib/csv.js';

export const FX_CSV_COLUMNS = ['date', 'base', 'quote', 'rate'] as const;
type Column = (typeof FX_CSV_COLUMNS)[number];

/** One CSV record: its fields and the line (1-based) it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Split CSV text into records (blank records included, as empty field lists are not: `[""]`). */
export function splitCsv(text: string): CsvRecord[] {
  return parseCsv(text, { quoteAfterSpaces: true }).map((r) => ({ line: r.line, fields: r.fields.map((f) => f.value) }));
}

const blank = (r: CsvRecord) => r.fields.every((f) => f.trim() === '');

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface ParsedFxCsv {
  rows: (FxRateItem & { line: number })[];
  /** Data rows read (blank ones skipped). */
  count: number;
  ignoredColumns: string[];
  errors: FxCsvError[];
}

/**
 * Read and check an FX rate CSV. Header names are matched without regard to case or surrounding spaces;
 * currency codes are trimmed and upper-cased; a rate is normalised ("89.5000" → "89.5"). The same pair and date
 * twice is accepted with the same rate (read once) and refused with another.
 */
export function parseFxCsv(text: string, maxRows: number): ParsedFxCsv {
  const records = splitCsv(text).filter((r) => !blank(r));
  const errors: FxCsvError[] = [];
  const header = records.shift();
  if (!header) return { rows: [], count: 0, ignoredColumns: [], errors: [{ line: 1, column: null, message: 'The CSV is empty: expected a header row date,base,quote,rate' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<Column, number>();
  const ignoredColumns: string[] = [];
  names.forEach((name, i) => {
    const col = FX_CSV_COLUMNS.find((c) => c === name);
    if (col && !index.has(col)) index.set(col, i);
    else if (col) errors.push({ line: header.line, column: col, message: `Column ${col} appears twice in the header` });
    else if (name) ignoredColumns.push(header.fields[i]!.trim());
  });
  const missing = FX_CSV_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) {
    errors.push({ line: header.line, column: null, message: `The header must name the columns date, base, quote and rate; missing: ${missing.join(', ')} (found: ${names.filter(Boolean).join(', ') || 'nothing'})` });
  }
  if (errors.length) return { rows: [], count: records.length, ignoredColumns, errors };
  if (records.length > maxRows) {
    return { rows: [], count: records.length, ignoredColumns, errors: [{ line: records[maxRows]!.line, column: null, message: `At most ${maxRows} rows per import; this CSV has ${records.length}: split it` }] };
  }

  const rows: ParsedFxCsv['rows'] = [];
  const seen = new Map<string, { line: number; rate: string }>();
  for (const r of records) {
    const get = (c: Column) => (r.fields[index.get(c)!] ?? '').trim();
    const problems: FxCsvError[] = [];
    const date = get('date');
    const base = get('base').toUpperCase();
    const quote = get('quote').toUpperCase();
    const rawRate = get('rate');
    if (!date) problems.push({ line: r.line, column: 'date', message: 'Date is empty' });
    else if (!isIsoDate(date)) problems.push({ line: r.line, column: 'date', message: `Not a date written YYYY-MM-DD: ${JSON.stringify(date)}` });
    if (!isCurrency(base)) problems.push({ line: r.line, column: 'base', message: base ? `Not an ISO 4217 currency code: ${JSON.stringify(get('base'))}` : 'Base currency is empty' });
    if (!isCurrency(quote)) problems.push({ line: r.line, column: 'quote', message: quote ? `Not an ISO 4217 currency code: ${JSON.stringify(get('quote'))}` : 'Quote currency is empty' });
    else if (quote === base) problems.push({ line: r.line, column: 'quote', message: `A rate needs two different currencies; got ${base}/${quote}` });
    let rate = '';
    try {
      parseRate(rawRate); // the shape (FX_RATE_RE) and above zero
      rate = normaliseDecimal(rawRate);
    } catch (e) {
      problems.push({ line: r.line, column: 'rate', message: rawRate ? (e as Error).message : 'Rate is empty' });
    }
    if (problems.length) {
      errors.push(...problems);
      continue;
    }
    const key = `${date}|${base}|${quote}`;
    const earlier = seen.get(key);
    if (earlier) {
      if (earlier.rate !== rate) errors.push({ line: r.line, column: 'rate', message: `${base}/${quote} on ${date} is also on line ${earlier.line} with rate ${earlier.rate}` });
      continue;
    }
    seen.set(key, { line: r.line, rate });
    rows.push({ line: r.line, date, base, quote, rate });
  }
  return { rows, count: records.length, ignoredColumns, errors };
}
