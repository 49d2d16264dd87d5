/**
 * Import, step 1 (pure, no database): raw rows → order groups. Each mapped cell is normalised with the shared
 * import normalisers (amounts with Indian or international grouping and currency symbols, dates, Incoterms
 * with place and edition, HS codes, countries, ports, payment terms); problems are logged against the cell.
 * Blank, subtotal and repeated header rows are skipped. Lines are grouped into orders by reference
 * (case-insensitive); an order's header fields may be repeated on each of its lines or left blank after
 * the first, but two different values for the same order are an error on the later cell.
 */
import type { ImportRequest } from '../../../../shared/contracts/imports.js';
import { PaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { UNITS } from '../../../../shared/contracts/products.js';
import type { TransportMode } from '../../../../shared/domain/incoterms.js';
import {
  IMPORT_FIELD_LABELS,
  IMPORT_HEADER_FIELDS,
  numberCellToDecimal,
  parseCurrency,
  parsePercent,
  parseTransportMode,
  parseUnit,
  type ImportCell,
  type ImportField,
  type ImportHeaderField,
} from '../../../../shared/import/fields.js';
import { matchHeader } from '../../../../shared/import/mapping.js';
import {
  isBlankRow,
  isSubtotalRow,
  parseCountry,
  parseDate,
  parseDecimal,
  parseHsCode,
  parseIncoterm,
  parsePort,
  type ParsedIncoterm,
  type ParseResult,
} from '../../../../shared/import/normalise.js';
import { parsePaymentTerms } from '../../../../shared/import/payment-terms.js';
import { isCountryCode } from '../../../../shared/domain/countries.js';
import { normaliseLocode } from '../../../../shared/reference/ports.js';
import type { ImportLog } from './report.js';

/** Normalised header values, by field. */
export interface HeaderValues {
  reference: string;
  buyer: string;
  buyerPo: string;
  consignee: string;
  destinationCountry: string;
  portOfLoading: string;
  portOfDischarge: string;
  incoterm: ParsedIncoterm;
  incotermPlace: string;
  transportMode: TransportMode;
  paymentTerms: PaymentTerms;
  currency: string;
  requestedShipDate: string;
  remarks: string;
}
export type HeaderField = Exclude<ImportHeaderField, 'reference'>;

/** A header value and the row index it was first read from. */
export interface HeaderCell<T> {
  value: T;
  index: number;
}

export interface SheetLine {
  /** Row index into the request's rows. */
  index: number;
  sku?: string;
  description?: string;
  hsCode?: string;
  quantity?: string;
  unit?: string;
  unitPrice?: string;
  /** Currency written with the price ("€12.50", "USD 3"). */
  priceCurrency?: string;
  discountPercent?: string;
}

export interface SheetOrder {
  /** Lower-case reference. */
  key: string;
  /** The reference as first written. */
  reference: string;
  /** Row index of the order's first line. */
  first: number;
  header: { [K in HeaderField]?: HeaderCell<HeaderValues[K]> };
  /** Header fields with an unreadable cell somewhere in the order (so their value is unknown). */
  broken: Set<HeaderField>;
  lines: SheetLine[];
}

/** Parse options that do not depend on the row. */
export interface ParseOptions {
  datePreference?: 'DMY' | 'MDY';
  /** The exporter's country, to settle port-of-loading names shared by ports in several countries. */
  originCountry?: string;
}

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/_.-]*$/;

type Result<T> = ParseResult<T>;
const fail = <T>(error: string): Result<T> => ({ ok: false, error });
const ok = <T>(value: T, note?: string): Result<T> => (note ? { ok: true, value, note } : { ok: true, value });

const describe = (cell: ImportCell) => (typeof cell === 'boolean' ? (cell ? 'TRUE' : 'FALSE') : JSON.stringify(cell));

/** Text of a text-like cell: strings trimmed, numbers written out; booleans are refused. */
function text(cell: ImportCell, field: ImportField): Result<string> {
  if (typeof cell === 'string') return ok(cell.replace(/\s+/g, ' ').trim());
  if (typeof cell === 'number') return Number.isFinite(cell) ? ok(String(cell)) : fail('not a finite number');
  return fail(`expected text for ${IMPORT_FIELD_LABELS[field].toLowerCase()}, got ${describe(cell)}`);
}

function bounded(cell: ImportCell, field: ImportField, min: number, max: number): Result<string> {
  const t = text(cell, field);
  if (!t.ok) return t;
  if (t.value.length < min) return fail(`${IMPORT_FIELD_LABELS[field]} "${t.value}" is too short (at least ${min} characters)`);
  if (t.value.length > max) return fail(`${IMPORT_FIELD_LABELS[field]} is too long: ${t.value.length} characters, at most ${max}`);
  return t;
}

/** A decimal cell (number or text) with limits on fraction and integer digits. */
function decimal(cell: ImportCell, what: string, maxFraction: number): Result<{ amount: string; currency?: string }> {
  let r: Result<{ amount: string; currency?: string }>;
  if (typeof cell === 'number') {
    const d = numberCellToDecimal(cell);
    r = d.ok ? ok({ amount: d.value }) : d;
  } else if (typeof cell === 'string') {
    r = parseDecimal(cell);
  } else {
    return fail(`expected a number for ${what}, got ${describe(cell)}`);
  }
  if (!r.ok) return r;
  const [int = '', frac = ''] = r.value.amount.split('.');
  if (frac.length > maxFraction) return fail(`${what} ${r.value.amount} has ${frac.length} decimal places, at most ${maxFraction}`);
  if (int.length > 12) return fail(`${what} ${r.value.amount} is too large (at most 12 digits before the point)`);
  return r;
}

/** Quantity: a positive decimal (≤ 3 places); "1,200 pcs" also gives the unit. */
function quantity(cell: ImportCell): Result<{ amount: string; unit?: string }> {
  let r: Result<{ amount: string; currency?: string; unit?: string }> = decimal(cell, 'quantity', 3);
  if (!r.ok && typeof cell === 'string') {
    const m = /^\s*([\d.,]+)\s*([A-Za-z][A-Za-z. ]*?)\.?\s*$/.exec(cell);
    const unit = m ? parseUnit(m[2]!, UNITS) : undefined;
    if (m && unit?.ok) {
      const n = decimal(m[1]!, 'quantity', 3);
      if (n.ok) r = ok({ amount: n.value.amount, unit: unit.value }, [n.note, `unit ${unit.value} read from "${cell.trim()}"`].filter(Boolean).join('; '));
    }
  }
  if (!r.ok) return r;
  if (r.value.currency) return fail(`a quantity carries no currency: "${String(cell).trim()}"`);
  if (/^0(\.0*)?$/.test(r.value.amount)) return fail('quantity must be above zero');
  return r;
}

function date(cell: ImportCell, prefer: ParseOptions['datePreference']): Result<string> {
  if (typeof cell === 'number') return parseDate(String(cell));
  if (typeof cell !== 'string') return fail(`expected a date, got ${describe(cell)}`);
  const s = cell.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  const r = parseDate(iso ? iso[1]! : s, prefer ? { prefer } : {});
  return !r.ok && r.candidates ? { ...r, error: `${r.error} (defaults.datePreference "DMY" or "MDY")` } : r;
}

/** A port, settling a name several countries share with `hint` when that leaves one. */
function port(cell: ImportCell, field: ImportField, hint: string | undefined): Result<string> {
  const t = text(cell, field);
  if (!t.ok) return t;
  const r = parsePort(t.value);
  if (!r.ok && r.candidates && hint) {
    const narrowed = parsePort(t.value, { country: hint });
    if (narrowed.ok) return ok(narrowed.value, [narrowed.note, `"${t.value}" names ports in several countries; read as the one in ${hint}`].filter(Boolean).join('; '));
  }
  // A well-formed UN/LOCODE that is not a seaport (an airport, an inland depot): accepted as the API accepts it;
  // whether the order's transport mode needs a seaport is checked with the order (as POST /orders does).
  if (!r.ok && !r.candidates && LOCODE.test(t.value) && isCountryCode(normaliseLocode(t.value).slice(0, 2))) return ok(normaliseLocode(t.value));
  return r;
}

const LOCODE = /^[A-Za-z]{2}\s?[A-Za-z2-9]{3}$/;

/** Every mapped header field's parser (text in, normalised value out). */
function headerParser(field: HeaderField | 'reference', options: ParseOptions): (cell: ImportCell, hint?: string) => Result<unknown> {
  switch (field) {
    case 'reference':
      return (cell) => {
        const t = bounded(cell, field, 1, 40);
        if (!t.ok) return t;
        if (!REFERENCE.test(t.value)) return fail(`order reference "${t.value}" may contain only letters, digits and / _ . - (and must start with a letter or digit)`);
        return t;
      };
    case 'buyer':
    case 'consignee':
      return (cell) => bounded(cell, field, 1, 200);
    case 'buyerPo':
      return (cell) => bounded(cell, field, 1, 60);
    case 'remarks':
      return (cell) => bounded(cell, field, 1, 4000);
    case 'incotermPlace':
      return (cell) => bounded(cell, field, 2, 100);
    case 'destinationCountry':
      return (cell) => {
        const t = text(cell, field);
        return t.ok ? parseCountry(t.value) : t;
      };
    case 'portOfLoading':
      return (cell) => port(cell, field, options.originCountry);
    case 'portOfDischarge':
      return (cell, hint) => port(cell, field, hint);
    case 'incoterm':
      return (cell) => {
        const t = text(cell, field);
        if (!t.ok) return t;
        const r = parseIncoterm(t.value);
        if (r.ok && r.value.place !== null && (r.value.place.length < 2 || r.value.place.length > 100)) {
          return fail(`Incoterm place "${r.value.place}" must be 2–100 characters`);
        }
        return r;
      };
    case 'transportMode':
      return (cell) => {
        const t = text(cell, field);
        return t.ok ? parseTransportMode(t.value) : t;
      };
    case 'paymentTerms':
      return (cell) => {
        const t = text(cell, field);
        if (!t.ok) return t;
        const r = parsePaymentTerms(t.value);
        if (!r.ok) return r;
        // The contract's own checks, once per distinct text (the parser should never produce anything else).
        const checked = PaymentTerms.safeParse(r.value);
        return checked.success ? r : fail(`payment terms "${t.value}": ${checked.error.issues.map((i) => i.message).join('; ')}`);
      };
    case 'currency':
      return (cell) => {
        const t = text(cell, field);
        return t.ok ? parseCurrency(t.value) : t;
      };
    case 'requestedShipDate':
      return (cell) => date(cell, options.datePreference);
  }
}

const mentionsTotal = (cell: ImportCell) => typeof cell === 'string' && /total/i.test(cell);
const isBlank = (cell: ImportCell) => cell === null || (typeof cell === 'string' && cell.trim() === '');

type Parser<T> = (cell: ImportCell, hint?: string) => Result<T>;

/**
 * Memoised parsing: sheets repeat the same header values (and often quantities and prices) on many rows, so
 * each distinct cell value is parsed once per field (and port hint).
 */
class Memo {
  private readonly caches = new Map<string, Map<ImportCell, Result<unknown>>>();
  get<T>(field: string, cell: ImportCell, parse: Parser<T>, hint?: string): Result<T> {
    const name = hint ? `${field}:${hint}` : field;
    let cache = this.caches.get(name);
    if (!cache) this.caches.set(name, (cache = new Map()));
    let r = cache.get(cell) as Result<T> | undefined;
    if (!r) {
      r = parse(cell, hint);
      cache.set(cell, r);
    }
    return r;
  }
}

const hsCodeParser: Parser<string> = (cell) => {
  const t = text(cell, 'hsCode');
  return t.ok ? parseHsCode(t.value) : t;
};
const unitParser: Parser<string> = (cell) => {
  const t = text(cell, 'unit');
  return t.ok ? parseUnit(t.value, UNITS) : t;
};
const priceParser: Parser<{ amount: string; currency?: string }> = (cell) => decimal(cell, 'unit price', 6);
const discountParser: Parser<string> = (cell) =>
  typeof cell === 'boolean' || cell === null ? fail(`expected a percentage, got ${describe(cell)}`) : parsePercent(cell);

export interface ParsedSheet {
  orders: SheetOrder[];
  /** Row indices that are order lines (not skipped). */
  lineRows: number[];
}

/**
 * Read every row into order groups, logging each cell's problems. Header fields of an order come from the
 * first line that fills them; later lines may repeat them or leave them blank.
 */
export function parseRows(request: ImportRequest, log: ImportLog, options: ParseOptions): ParsedSheet {
  const { columns } = request;
  const memo = new Memo();
  const mapped = Object.entries(columns).filter(([, i]) => i !== undefined) as [ImportField, number][];
  const mappedColumns = mapped.map(([, c]) => c);
  const mappedHeader = IMPORT_HEADER_FIELDS.filter((f) => f !== 'reference' && columns[f] !== undefined) as HeaderField[];
  const parsers = new Map<string, (cell: ImportCell, hint?: string) => Result<unknown>>();
  for (const f of [...mappedHeader, 'reference'] as const) parsers.set(f, headerParser(f, options));

  const orders = new Map<string, SheetOrder>();
  const lineRows: number[] = [];
  let previous: SheetOrder | undefined; // the order of the line row just above, for continuation rows

  // A header row pasted again between blocks: its quantity cell is a word, and two mapped cells name their own field.
  const qtyColumn = columns.quantity!;
  const looksLikeHeader = (row: readonly ImportCell[]) => {
    const q = row[qtyColumn];
    if (typeof q !== 'string' || /\d/.test(q)) return false;
    return mapped.filter(([f, c]) => typeof row[c] === 'string' && matchHeader(row[c] as string)?.field === f).length >= 2;
  };

  const cellOf = (row: readonly ImportCell[], field: ImportField): ImportCell => {
    const i = columns[field];
    return i === undefined ? null : (row[i] ?? null);
  };

  request.rows.forEach((row, i) => {
    // Rows that are not order lines.
    if (isBlankRow(row)) {
      log.skip(i, 'blank row');
      previous = undefined;
      return;
    }
    if (mappedColumns.every((c) => isBlank(row[c] ?? null))) {
      log.skip(i, 'no data in the mapped columns');
      previous = undefined;
      return;
    }
    if (row.some(mentionsTotal) && isSubtotalRow(row)) {
      log.skip(i, 'subtotal row');
      previous = undefined;
      return;
    }
    if (looksLikeHeader(row)) {
      log.skip(i, 'repeated header row');
      previous = undefined;
      return;
    }
    lineRows.push(i);

    // The order this line belongs to.
    let order: SheetOrder | undefined;
    const refCell = cellOf(row, 'reference');
    if (isBlank(refCell)) {
      if (previous) {
        order = previous;
        log.note(i, 'reference', `reference blank: continues order ${previous.reference} from the row above`);
      } else {
        log.error(i, 'reference', 'order reference missing (and the row above is not a line of an order to continue)');
      }
    } else {
      const r = memo.get('reference', refCell, parsers.get('reference')!);
      if (!r.ok) {
        log.error(i, 'reference', r.error);
      } else {
        const reference = r.value as string;
        const key = reference.toLowerCase();
        order = orders.get(key);
        if (!order) {
          order = { key, reference, first: i, header: {}, broken: new Set(), lines: [] };
          orders.set(key, order);
        } else if (order.reference !== reference) {
          log.note(i, 'reference', `same order as ${order.reference} (references are compared without case)`);
        }
      }
    }
    previous = order;

    // Header fields.
    let rowCountry: string | undefined = order?.header.destinationCountry?.value;
    const countryCell = cellOf(row, 'destinationCountry');
    if (!isBlank(countryCell)) {
      const r = memo.get('destinationCountry', countryCell, parsers.get('destinationCountry')!);
      rowCountry = r.ok ? (r.value as string) : undefined;
    }
    for (const field of mappedHeader) {
      const cell = cellOf(row, field);
      if (isBlank(cell)) continue;
      const r = memo.get(field, cell, parsers.get(field)!, field === 'portOfDischarge' ? rowCountry : undefined);
      if (!r.ok) {
        log.error(i, field, r.error);
        order?.broken.add(field);
        continue;
      }
      if (!order) continue;
      const held = order.header[field] as HeaderCell<unknown> | undefined;
      if (!held) {
        (order.header as Record<string, HeaderCell<unknown>>)[field] = { value: r.value, index: i };
        if (r.note) log.note(i, field, r.note);
      } else if (held.value !== r.value && JSON.stringify(held.value) !== JSON.stringify(r.value)) {
        log.error(
          i,
          field,
          `${IMPORT_FIELD_LABELS[field]} differs from row ${log.rowNumber(held.index)} of order ${order.reference}: ${show(log.cell(held.index, field))} there, ${show(cell)} here (an order has one ${IMPORT_FIELD_LABELS[field]}; later lines may repeat it or leave it blank)`,
        );
      }
    }

    // Line fields.
    const line: SheetLine = { index: i };
    const sku = cellOf(row, 'sku');
    if (isBlank(sku)) log.error(i, 'sku', 'SKU missing');
    else {
      const r = bounded(sku, 'sku', 1, 64);
      if (r.ok) line.sku = r.value;
      else log.error(i, 'sku', r.error);
    }
    const description = cellOf(row, 'description');
    if (!isBlank(description)) {
      const r = bounded(description, 'description', 1, 500);
      if (r.ok) line.description = r.value;
      else log.error(i, 'description', r.error);
    }
    const hs = cellOf(row, 'hsCode');
    if (!isBlank(hs)) {
      const r = memo.get('hsCode', hs, hsCodeParser);
      if (r.ok) line.hsCode = r.value;
      else log.error(i, 'hsCode', r.error);
    }
    const unitCell = cellOf(row, 'unit');
    if (!isBlank(unitCell)) {
      const r = memo.get('unit', unitCell, unitParser);
      if (r.ok) line.unit = r.value;
      else log.error(i, 'unit', r.error);
    }
    const qty = cellOf(row, 'quantity');
    if (isBlank(qty)) log.error(i, 'quantity', 'quantity missing');
    else {
      const r = memo.get('quantity', qty, quantity);
      if (!r.ok) log.error(i, 'quantity', r.error);
      else {
        line.quantity = r.value.amount;
        if (r.note) log.note(i, 'quantity', r.note);
        if (r.value.unit) {
          if (line.unit && line.unit !== r.value.unit) log.error(i, 'quantity', `the quantity says ${r.value.unit} but the unit column says ${line.unit}`);
          line.unit ??= r.value.unit;
        }
      }
    }
    const price = cellOf(row, 'unitPrice');
    if (isBlank(price)) log.error(i, 'unitPrice', 'unit price missing');
    else {
      const r = memo.get('unitPrice', price, priceParser);
      if (!r.ok) log.error(i, 'unitPrice', r.error);
      else {
        line.unitPrice = r.value.amount;
        if (r.value.currency) line.priceCurrency = r.value.currency;
        if (r.note) log.note(i, 'unitPrice', r.note);
        if (/^0(\.0*)?$/.test(r.value.amount)) log.warn(i, 'unitPrice', 'unit price is 0');
      }
    }
    const discount = cellOf(row, 'discountPercent');
    if (!isBlank(discount)) {
      const r = memo.get('discountPercent', discount, discountParser);
      if (r.ok) line.discountPercent = r.value;
      else log.error(i, 'discountPercent', r.error);
    }
    order?.lines.push(line);
  });
  return { orders: [...orders.values()], lineRows };
}

function show(cell: ImportCell): string {
  return typeof cell === 'string' ? `"${cell.trim()}"` : String(cell);
}

/** Parse one default (a request-level value, not a cell). */
export function parseDefault(field: 'currency' | 'portOfLoading' | 'transportMode' | 'incoterm' | 'paymentTerms', value: string, options: ParseOptions): Result<unknown> {
  return headerParser(field, options)(value);
}
