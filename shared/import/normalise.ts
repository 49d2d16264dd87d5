/**
 * Pure normalisers for bulk-importing exporter spreadsheets (server-side import and the Excel add-in).
 *
 * Every parser takes the cell's text and returns a {@link ParseResult}: either the normalised value (with a
 * `note` when the reading involved a judgement worth showing the user, e.g. "read 1,20,000.50 with Indian
 * grouping"), or an error message fit to show next to the cell. Parsers never guess: where a cell has two
 * plausible readings (a date like 05/12/2026, a port called "Portland") they fail and list the candidates.
 *
 * No floating point is used for amounts: decimals stay strings throughout.
 */
import { resolveCountry, countryName } from '../domain/countries.js';
import { isCurrency } from '../domain/currency.js';
import { INCOTERMS, type Incoterm } from '../domain/incoterms.js';
import { normaliseDecimal } from '../domain/money.js';
import { hsChapter, hsHeading, hsSubheading, isValidHsCode, normaliseHsCode } from '../reference/hs.js';
import seaportData from '../reference/data/seaports.json' with { type: 'json' };
import { isSeaport, normaliseLocode, seaport } from '../reference/ports.js';

/** Outcome of a normaliser. `candidates` lists the possible readings when the input is ambiguous. */
export type ParseResult<T> =
  | { ok: true; value: T; note?: string }
  | { ok: false; error: string; candidates?: string[] };

const ok = <T>(value: T, notes: readonly string[] = []): ParseResult<T> =>
  notes.length ? { ok: true, value, note: notes.join('; ') } : { ok: true, value };
const fail = <T>(error: string, candidates?: string[]): ParseResult<T> =>
  candidates ? { ok: false, error, candidates } : { ok: false, error };

/** NFKC, non-breaking/thin spaces to plain spaces, trimmed. */
function clean(text: string): string {
  return text.normalize('NFKC').replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ').trim();
}

/** Lower-case ASCII folding for name lookups: diacritics dropped, punctuation other than letters/digits → space. */
function fold(text: string): string {
  return clean(text)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// Decimals
// ---------------------------------------------------------------------------------------------------------

export interface ParsedDecimal {
  /** Canonical decimal string: digits, optional fraction, no leading zeros, no trailing fractional zeros. */
  amount: string;
  /** ISO 4217 code when the cell named a currency ("₹", "Rs.", "USD", "US$"…). */
  currency?: string;
}

/** Currency markers other than ISO codes. Bare "$" and "¥" are read as USD and JPY, with a note. */
const CURRENCY_MARKERS: ReadonlyArray<readonly [marker: string, code: string, assumed: boolean]> = [
  ['US$', 'USD', false],
  ['AU$', 'AUD', false],
  ['A$', 'AUD', false],
  ['CA$', 'CAD', false],
  ['C$', 'CAD', false],
  ['SG$', 'SGD', false],
  ['S$', 'SGD', false],
  ['HK$', 'HKD', false],
  ['NZ$', 'NZD', false],
  ['RS.', 'INR', false],
  ['RS', 'INR', false],
  ['₹', 'INR', false],
  ['€', 'EUR', false],
  ['£', 'GBP', false],
  ['$', 'USD', true],
  ['¥', 'JPY', true],
];

interface CurrencyStrip {
  rest: string;
  currency?: string;
  notes: string[];
  error?: string;
}

/** Removes one currency marker from the start and/or end of `s` (after trimming). */
function stripCurrency(s: string): CurrencyStrip {
  const found: Array<{ code: string; marker: string; assumed: boolean }> = [];
  let rest = s;
  // Leading marker: an ISO code or a symbol/abbreviation.
  const lead = /^([A-Za-z]{3})(?=[\s\d.,])/.exec(rest);
  if (lead && isCurrency(lead[1]!.toUpperCase())) {
    found.push({ code: lead[1]!.toUpperCase(), marker: lead[1]!, assumed: false });
    rest = rest.slice(lead[1]!.length).trim();
  } else {
    for (const [marker, code, assumed] of CURRENCY_MARKERS) {
      if (rest.toUpperCase().startsWith(marker) && !/^[A-Za-z]/.test(rest.slice(marker.length))) {
        found.push({ code, marker, assumed });
        rest = rest.slice(marker.length).trim();
        break;
      }
    }
  }
  // Trailing marker.
  const trail = /(?<=[\s\d])([A-Za-z]{3})$/.exec(rest);
  if (trail && isCurrency(trail[1]!.toUpperCase())) {
    found.push({ code: trail[1]!.toUpperCase(), marker: trail[1]!, assumed: false });
    rest = rest.slice(0, -trail[1]!.length).trim();
  } else {
    for (const [marker, code, assumed] of CURRENCY_MARKERS) {
      if (rest.toUpperCase().endsWith(marker) && /\d$/.test(rest.slice(0, -marker.length).trim())) {
        found.push({ code, marker, assumed });
        rest = rest.slice(0, -marker.length).trim();
        break;
      }
    }
  }
  const codes = [...new Set(found.map((f) => f.code))];
  if (codes.length > 1) return { rest, notes: [], error: `conflicting currencies ${codes.join(' and ')} in "${s}"` };
  // "$100 USD": the explicit code settles what the symbol means.
  const assumed = found.length === 1 && found[0]!.assumed ? [`read "${found[0]!.marker}" as ${found[0]!.code}`] : [];
  return codes.length ? { rest, currency: codes[0]!, notes: assumed } : { rest, notes: [] };
}

/** International grouping: 1–3 digits, then groups of exactly 3. */
const INTERNATIONAL = /^\d{1,3}(,\d{3})+$/;
/** Indian grouping (lakh/crore): 1–2 digits, groups of exactly 2, last group of 3. */
const INDIAN = /^\d{1,2}(,\d{2})*,\d{3}$/;

/**
 * Parses an amount or quantity as typed by people.
 *
 * Rules:
 * - `.` is the only decimal point. `,` is only a digit-grouping separator and must sit where Indian
 *   (1,20,000) or international (120,000) grouping puts it. A decimal comma is therefore never accepted:
 *   "1,200" would mean 1200 here and 1.2 in much of Europe, and accepting "12,50" as 12.5 only because its
 *   grouping happens to be invalid would make the two readings depend on digit count. The error message says so.
 * - Spaces inside the number ("1 200") are rejected for the same reason (ambiguous with decimal-comma styles).
 * - One currency marker may precede or follow the number: an ISO 4217 code ("USD 12.50", "12.50 EUR"),
 *   ₹ / Rs / Rs. (INR), € (EUR), £ (GBP), US$/A$/C$/S$/HK$/NZ$, bare $ (read as USD, noted) and ¥ (read as JPY,
 *   noted). The same currency may appear on both sides; two different ones are an error.
 * - The Indian "/-" suffix ("Rs. 1,000/-") is accepted.
 * - Rejected: empty, negative (leading "-" or accounting parentheses), "+", scientific notation, more than one
 *   decimal point, misplaced grouping ("1,2,3"), digits missing on either side of the point, and more
 *   significant fraction digits than `maxFraction` (trailing zeros do not count: "12.500" has 1).
 */
export function parseDecimal(text: string, options: { maxFraction?: number } = {}): ParseResult<ParsedDecimal> {
  const original = clean(text);
  if (original === '') return fail('empty: expected a number');
  if (original.length > 100) return fail('too long to be an amount');
  let s = original;
  const notes: string[] = [];
  if (s.endsWith('/-')) {
    s = s.slice(0, -2).trim();
  }
  if (/^[-−–]/.test(s)) return fail(`negative amounts are not accepted: "${original}"`);
  if (/^\(.*\)$/.test(s)) return fail(`negative amounts are not accepted: "${original}"`);
  const strip = stripCurrency(s);
  if (strip.error) return fail(strip.error);
  s = strip.rest;
  notes.push(...strip.notes);
  if (s === '') return fail(`empty: no number in "${original}"`);
  if (/^[-−–]/.test(s)) return fail(`negative amounts are not accepted: "${original}"`);
  if (s.startsWith('+')) return fail(`a sign is not accepted: "${original}"`);
  if (/^[\d.,]+e[-+]?\d+$/i.test(s)) return fail(`scientific notation is not accepted: "${original}"; write the number in full`);
  if (/\s/.test(s)) return fail(`spaces inside a number are not accepted: "${original}"; write 1200.50 or 1,200.50`);
  if (!/^[\d.,]+$/.test(s)) return fail(`not a number: "${original}"`);
  const dots = s.split('.').length - 1;
  if (dots > 1) return fail(`more than one decimal point: "${original}"`);
  const [intPart = '', fracPart] = s.split('.') as [string, string | undefined];
  if (fracPart !== undefined && fracPart.includes(',')) {
    return fail(`"," after the decimal point in "${original}"; "," is read only as a thousands separator and "." as the decimal point`);
  }
  if (intPart === '' || fracPart === '') return fail(`a decimal point needs digits on both sides: "${original}"`);
  let digits = intPart;
  if (intPart.includes(',')) {
    const indian = INDIAN.test(intPart);
    const international = INTERNATIONAL.test(intPart);
    if (!indian && !international) {
      return fail(
        `digit grouping in the wrong place: "${original}"; "," is read only as a thousands separator ` +
          `(1,20,000 or 120,000) and "." as the decimal point — a decimal comma is not accepted`,
      );
    }
    if (intPart.startsWith('0')) return fail(`grouped number starts with 0: "${original}"`);
    const style = indian && international ? 'thousands' : indian ? 'Indian (lakh/crore)' : 'international';
    notes.unshift(`read ${s} with ${style} grouping`);
    digits = intPart.replace(/,/g, '');
  }
  const amount = normaliseDecimal(fracPart === undefined ? digits : `${digits}.${fracPart}`);
  const fractionDigits = amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0;
  if (options.maxFraction !== undefined && fractionDigits > options.maxFraction) {
    return fail(`too many decimal places: "${original}" has ${fractionDigits}, at most ${options.maxFraction} allowed`);
  }
  const value: ParsedDecimal = strip.currency ? { amount, currency: strip.currency } : { amount };
  return ok(value, notes);
}

// ---------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** Null when y-m-d is a real calendar date, else why not. */
function calendarProblem(y: number, m: number, d: number): string | null {
  if (y < 1000 || y > 9999) return `year ${y} out of range`;
  if (m < 1 || m > 12) return `month ${m} does not exist`;
  if (d < 1 || d > daysInMonth(y, m)) return `${pad(d)}/${pad(m)}/${y}: day ${d} does not exist in that month`;
  return null;
}

/** Largest serial Excel accepts (9999-12-31). */
const EXCEL_MAX_SERIAL = 2958465;

/**
 * Excel 1900-system serial → ISO date. Serial 1 is 1900-01-01; serial 60 is the non-existent 1900-02-29 that
 * Excel keeps for Lotus 1-2-3 compatibility (rejected); from 61 on, serials are one day ahead of a true count.
 */
function excelSerialToIso(serial: number): string {
  const base = serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(base + serial * 86_400_000);
  return iso(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * Parses a date as typed in a spreadsheet and returns an ISO date (YYYY-MM-DD).
 *
 * Accepted: ISO "2026-12-05" (also with / or . separators, always year-month-day); numeric day/month/year
 * "05/12/2026", "5.12.2026", "5-12-2026"; month names "05-Dec-2026", "5 December 2026", "5th Dec 2026",
 * "Dec 5, 2026", "December 5 2026"; Excel 1900-system serials (46361 → 2026-12-05), a fractional serial's time
 * of day is dropped with a note.
 *
 * Numeric D/M/Y: when both leading numbers are ≤ 12 and differ, the reading depends on `prefer`; without it the
 * result is an `ambiguous` error with both ISO candidates (DMY first). When only one reading is a valid date it
 * is used, with a note if it contradicts `prefer`. Two-digit years, serial 60 (Lotus 1900-02-29), bare four-digit
 * numbers 1900–2100 (years, not serials) and impossible dates (31/02) are rejected.
 */
export function parseDate(text: string, options: { prefer?: 'DMY' | 'MDY' } = {}): ParseResult<string> {
  const s = clean(text);
  if (s === '') return fail('empty: expected a date');

  // Excel serial.
  const serialMatch = /^(\d{1,7})(?:\.(\d+))?$/.exec(s);
  if (serialMatch) {
    const serial = Number(serialMatch[1]);
    const hasTime = serialMatch[2] !== undefined && /[1-9]/.test(serialMatch[2]);
    if (serialMatch[1]!.length === 4 && serial >= 1900 && serial <= 2100 && !serialMatch[2]) {
      return fail(`"${s}" looks like a year, not a date`);
    }
    if (serial < 1 || serial > EXCEL_MAX_SERIAL) return fail(`"${s}" is not an Excel date serial (1–${EXCEL_MAX_SERIAL})`);
    if (serial === 60) return fail('Excel serial 60 is 1900-02-29, a date that does not exist (Lotus 1-2-3 leap-year bug)');
    const value = excelSerialToIso(serial);
    const notes = [`read Excel serial ${serialMatch[1]} as ${value} (1900 date system)`];
    if (hasTime) notes.push('time of day ignored');
    return ok(value, notes);
  }

  // ISO-like year first.
  const ymd = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(s);
  if (ymd) {
    const [y, m, d] = [Number(ymd[1]), Number(ymd[3]), Number(ymd[4])];
    const problem = calendarProblem(y, m, d);
    return problem ? fail(`not a real date: ${s} (${problem})`) : ok(iso(y, m, d));
  }

  // Numeric day/month/year in either order.
  const dmy = /^(\d{1,2})([-/.])(\d{1,2})\2(\d+)$/.exec(s);
  if (dmy) {
    if (dmy[4]!.length !== 4) return fail(`"${s}": use a four-digit year`);
    const [a, b, y] = [Number(dmy[1]), Number(dmy[3]), Number(dmy[4])];
    const asDmy = calendarProblem(y, b, a) === null ? iso(y, b, a) : null;
    const asMdy = calendarProblem(y, a, b) === null ? iso(y, a, b) : null;
    if (asDmy && asMdy && asDmy !== asMdy) {
      if (options.prefer === 'DMY') return ok(asDmy, [`read ${s} as DD/MM/YYYY`]);
      if (options.prefer === 'MDY') return ok(asMdy, [`read ${s} as MM/DD/YYYY`]);
      return fail(`ambiguous date "${s}": ${asDmy} (DD/MM/YYYY) or ${asMdy} (MM/DD/YYYY); set the column's date order`, [asDmy, asMdy]);
    }
    if (asDmy && (asDmy === asMdy || options.prefer !== 'MDY')) return ok(asDmy);
    if (asDmy) return ok(asDmy, [`read ${s} as DD/MM/YYYY although MM/DD/YYYY was preferred: ${b} is the only possible month`]);
    if (asMdy && options.prefer === 'MDY') return ok(asMdy);
    if (asMdy) {
      return ok(asMdy, [`read ${s} as MM/DD/YYYY${options.prefer ? ' although DD/MM/YYYY was preferred' : ''}: ${a} is the only possible month`]);
    }
    return fail(`not a real date: ${s} (${calendarProblem(y, b, a) ?? ''})`);
  }

  // Month names.
  const tokens = s.toLowerCase().replace(/,/g, ' ').split(/[\s\-/.]+/).filter(Boolean);
  if (tokens.length === 3 && tokens.some((t) => /^[a-z]+$/.test(t))) {
    const dayToken = (t: string) => /^(\d{1,2})(st|nd|rd|th)?$/.exec(t);
    let m: number | undefined;
    let dm: RegExpExecArray | null = null;
    if (MONTHS[tokens[1]!] !== undefined) {
      m = MONTHS[tokens[1]!];
      dm = dayToken(tokens[0]!);
    } else if (MONTHS[tokens[0]!] !== undefined) {
      m = MONTHS[tokens[0]!];
      dm = dayToken(tokens[1]!);
    } else {
      return fail(`unknown month name in "${s}"`);
    }
    if (!dm) return fail(`no day in "${s}"`);
    if (!/^\d{4}$/.test(tokens[2]!)) return fail(`"${s}": use a four-digit year`);
    const [y, d] = [Number(tokens[2]), Number(dm[1])];
    const problem = calendarProblem(y, m!, d);
    return problem ? fail(`not a real date: ${s} (${problem})`) : ok(iso(y, m!, d));
  }
  return fail(`not a recognised date: "${s}" (use 2026-12-05, 05/12/2026 or 05-Dec-2026)`);
}

// ---------------------------------------------------------------------------------------------------------
// Incoterms
// ---------------------------------------------------------------------------------------------------------

export interface ParsedIncoterm {
  rule: Incoterm;
  /** Named place as written (whitespace collapsed), or null when the cell gives only the rule. */
  place: string | null;
  /** Incoterms edition when stated ("2020", "2010"). */
  version?: string;
}

const INCOTERM_NAMES: ReadonlyArray<readonly [RegExp, Incoterm, shorthand?: boolean]> = [
  [/^ex[\s-]*works\b/i, 'EXW'],
  [/^free\s+carrier\b/i, 'FCA'],
  [/^carriage\s+paid\s+to\b/i, 'CPT'],
  [/^carriage\s+(and|&)\s+insurance\s+paid\s+to\b/i, 'CIP'],
  [/^delivered\s+at\s+place\s+unloaded\b/i, 'DPU'],
  [/^delivered\s+at\s+place\b/i, 'DAP'],
  [/^delivered\s+duty\s+paid\b/i, 'DDP'],
  [/^free\s+alongside\s+ship\b/i, 'FAS'],
  [/^free\s+on\s+board\b/i, 'FOB'],
  [/^cost\s+(and|&)\s+freight\b/i, 'CFR'],
  [/^cost,?\s+insurance,?\s+(and|&)\s+freight\b/i, 'CIF'],
  [/^(c\s*&\s*f|cnf|c\s+and\s+f)(?![a-z])/i, 'CFR', true],
];

const RETIRED: Readonly<Record<string, string>> = {
  DAT: 'DAT (Incoterms 2010) was replaced by DPU in Incoterms 2020',
  DDU: 'DDU was withdrawn in Incoterms 2010; use DAP',
  DAF: 'DAF was withdrawn in Incoterms 2010; use DAP',
  DES: 'DES was withdrawn in Incoterms 2010; use DAP',
  DEQ: 'DEQ was withdrawn in Incoterms 2010; use DPU',
};

/**
 * Parses "FOB Nhava Sheva Incoterms 2020", "CIF, Hamburg", "fob-nhava sheva", "EXW Tiruppur (Incoterms® 2020)"
 * into rule, named place and edition. Full names ("Free on Board …") and the trade shorthand C&F / CNF (→ CFR,
 * noted) are accepted. Retired rules (DAT, DDU, …) and unknown rules are errors. An edition other than 2020 is
 * kept and noted, because the rules are checked against Incoterms 2020.
 */
export function parseIncoterm(text: string): ParseResult<ParsedIncoterm> {
  let s = clean(text).replace(/[®™]/g, '');
  if (s === '') return fail('empty: expected an Incoterm such as "FOB Nhava Sheva"');
  const notes: string[] = [];
  let version: string | undefined;
  const v = /[\s,(;-]*\(?\s*incoterms?\s*(\d{4})?\s*\)?\s*$/i.exec(s);
  if (v) {
    version = v[1];
    s = s.slice(0, v.index).trim();
  }
  if (version !== undefined && !['1990', '2000', '2010', '2020'].includes(version)) {
    return fail(`unknown Incoterms edition ${version} (editions: 1990, 2000, 2010, 2020)`);
  }
  let rule: Incoterm | undefined;
  let rest = '';
  for (const [re, r, shorthand] of INCOTERM_NAMES) {
    const m = re.exec(s);
    if (m) {
      rule = r;
      rest = s.slice(m[0].length);
      if (shorthand) notes.push(`read "${m[0].trim()}" as CFR`);
      break;
    }
  }
  if (!rule) {
    const m = /^([A-Za-z]{3})(?![A-Za-z0-9])/.exec(s);
    const code = m?.[1]?.toUpperCase();
    if (!code) return fail(`no Incoterm rule in "${clean(text)}" (expected one of ${INCOTERMS.join(', ')})`);
    if (RETIRED[code]) return fail(RETIRED[code]!);
    if (!(INCOTERMS as readonly string[]).includes(code)) {
      return fail(`unknown Incoterm rule "${m![1]}" (expected one of ${INCOTERMS.join(', ')})`);
    }
    rule = code as Incoterm;
    rest = s.slice(3);
  }
  const place = rest.replace(/^[\s,:;/-]+/, '').replace(/[\s,;:-]+$/, '').replace(/\s+/g, ' ');
  if (version !== undefined && version !== '2020') {
    notes.push(`Incoterms ${version} stated; ${rule} is checked against Incoterms 2020`);
  }
  const value: ParsedIncoterm = { rule, place: place === '' ? null : place };
  if (version !== undefined) value.version = version;
  return ok(value, notes);
}

// ---------------------------------------------------------------------------------------------------------
// HS codes
// ---------------------------------------------------------------------------------------------------------

/**
 * Parses an HS / ITC-HS code ("6109.10.00", "6109 10 00", "61091000", "610910", "HSN: 6109.10") into its
 * digits: 6 (HS), 8 (ITC-HS) or 10 digits whose first six are an HS 2022 subheading. The error names the
 * problem: wrong length, a probable dropped leading zero (Excel stores 01012100 as 1012100), unknown chapter,
 * heading or subheading.
 */
export function parseHsCode(text: string): ParseResult<string> {
  const original = clean(text);
  if (original === '') return fail('empty: expected an HS code');
  const s = original.replace(/^(itc[\s-]*hs|hsn|hs)(\s*code)?\s*[:#-]?\s*/i, '');
  const digits = normaliseHsCode(s);
  if (!/^\d+$/.test(digits)) return fail(`HS code "${original}" contains characters other than digits and separators`);
  const n = digits.length;
  if (n === 5 || n === 7 || n === 9) {
    const padded = `0${digits}`;
    if (isValidHsCode(padded)) {
      return fail(`HS code "${original}" has ${n} digits; did the spreadsheet drop a leading zero? ${padded} is valid`);
    }
  }
  if (n < 6) return fail(`HS code "${original}" is too short: ${n} digits, need 6 (HS) or 8 (ITC-HS)`);
  if (n > 10) return fail(`HS code "${original}" is too long: ${n} digits, at most 10`);
  if (n !== 6 && n !== 8 && n !== 10) return fail(`HS code "${original}" has ${n} digits; expected 6, 8 or 10`);
  if (!hsChapter(digits)) return fail(`HS code "${original}": unknown chapter ${digits.slice(0, 2)}`);
  if (!hsHeading(digits)) return fail(`HS code "${original}": unknown heading ${digits.slice(0, 4)}`);
  if (!hsSubheading(digits) || !isValidHsCode(digits)) {
    return fail(`HS code "${original}": unknown subheading ${digits.slice(0, 6)} in heading ${digits.slice(0, 4)}`);
  }
  return ok(digits);
}

// ---------------------------------------------------------------------------------------------------------
// Countries
// ---------------------------------------------------------------------------------------------------------

/**
 * Spellings common in exporter sheets that `resolveCountry` (ISO codes and i18n-iso-countries English names,
 * which already cover USA, UK, UAE, Russia, Vietnam, Czech Republic, Ivory Coast…) does not know. Keys are
 * folded (lower case, punctuation → space). England/Scotland/Wales/Northern Ireland map to GB with a note.
 */
export const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  'u s': 'US', 'u s a': 'US', america: 'US', 'united states america': 'US',
  'u k': 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', 'northern ireland': 'GB',
  'u a e': 'AE', emirates: 'AE',
  holland: 'NL',
  ksa: 'SA', 'k s a': 'SA', saudi: 'SA',
  'south korea': 'KR', 'republic of korea': 'KR', 'north korea': 'KP',
  'viet nam': 'VN', turkiye: 'TR', syria: 'SY', laos: 'LA', macedonia: 'MK', swaziland: 'SZ', burma: 'MM',
  moldova: 'MD', 'cape verde': 'CV', 'east timor': 'TL', 'vatican': 'VA', 'hongkong': 'HK',
  'sri lanka': 'LK', ceylon: 'LK', 'mainland china': 'CN', prc: 'CN', 'p r china': 'CN',
};

/** Names that cannot be settled without asking. */
const AMBIGUOUS_COUNTRIES: Readonly<Record<string, string[]>> = {
  korea: ['KR', 'KP'],
  congo: ['CG', 'CD'],
  guinea: ['GN', 'GQ', 'GW'],
};

/** Parses a country written as alpha-2, alpha-3, an English name or a common alias into ISO alpha-2. */
export function parseCountry(text: string): ParseResult<string> {
  const s = clean(text);
  if (s === '') return fail('empty: expected a country');
  const direct = resolveCountry(s) ?? resolveCountry(s.replace(/\./g, '').trim());
  if (direct) return ok(direct);
  const key = fold(s).replace(/^the /, '');
  const ambiguous = AMBIGUOUS_COUNTRIES[key];
  if (ambiguous) {
    return fail(`ambiguous country "${s}": ${ambiguous.map((c) => `${c} (${countryName(c)})`).join(' or ')}`, ambiguous);
  }
  const alias = COUNTRY_ALIASES[key] ?? resolveCountry(key) ?? COUNTRY_ALIASES[key.replace(/ /g, '')];
  if (alias) return ok(alias, [`read "${s}" as ${alias} (${countryName(alias)})`]);
  return fail(`unknown country "${s}" (use an ISO code such as DE or DEU, or an English name)`);
}

// ---------------------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------------------

/**
 * Port names exporters use that are not (uniquely) the UN/LOCODE name. Keys are folded. Indian ports by
 * their everyday names, plus the big destination ports whose UN/LOCODE name is shared with a small port
 * elsewhere (Rotterdam also names a US place, Sydney a Canadian one, Kochi a Japanese one).
 */
export const PORT_ALIASES: Readonly<Record<string, string>> = {
  'nhava sheva': 'INNSA', 'nava sheva': 'INNSA', navasheva: 'INNSA', nhavasheva: 'INNSA', jnpt: 'INNSA',
  jnport: 'INNSA', 'jn port': 'INNSA', 'jnpt nhava sheva': 'INNSA', 'nhava sheva jnpt': 'INNSA',
  'jawaharlal nehru port': 'INNSA', 'jawaharlal nehru': 'INNSA',
  mumbai: 'INBOM', bombay: 'INBOM', chennai: 'INMAA', madras: 'INMAA',
  kolkata: 'INCCU', calcutta: 'INCCU', tuticorin: 'INTUT', thoothukudi: 'INTUT', 'v o chidambaranar': 'INTUT',
  cochin: 'INCOK', kochi: 'INCOK', vizag: 'INVTZ', visakhapatnam: 'INVTZ', kandla: 'INIXY', deendayal: 'INIXY',
  pipavav: 'INPAV', hazira: 'INHZA', mangalore: 'INIXE', 'new mangalore': 'INIXE', mormugao: 'INMRM',
  marmagao: 'INMRM', ennore: 'INENR', kattupalli: 'INKTP',
  rotterdam: 'NLRTM', sydney: 'AUSYD', antwerp: 'BEANR', genoa: 'ITGOA', 'port klang': 'MYPKG',
};

type SeaportRow = [name: string, country: string, subdivision: string, alternateNames?: string[]];

let nameIndex: Map<string, string[]> | undefined;
/** Folded seaport name → locodes: full name, alternate names, and the name without a trailing "(…)". */
function portNameIndex(): Map<string, string[]> {
  if (nameIndex) return nameIndex;
  const index = new Map<string, string[]>();
  const add = (name: string, code: string) => {
    const key = fold(name);
    if (!key) return;
    const list = index.get(key) ?? [];
    if (!list.includes(code)) list.push(code);
    index.set(key, list);
  };
  for (const [code, row] of Object.entries(seaportData as unknown as Record<string, SeaportRow>)) {
    const [name, , , alternates] = row;
    for (const n of [name, ...(alternates ?? [])]) {
      add(n, code);
      const bare = n.replace(/\s*\([^)]*\)\s*$/, '');
      if (bare !== n) add(bare, code);
    }
  }
  nameIndex = index;
  return index;
}

const describePort = (code: string) => {
  const p = seaport(code);
  return p ? `${code} (${p.name}, ${p.country})` : code;
};

/**
 * Parses a port as a UN/LOCODE ("INNSA", "IN NSA", "innsa") or a name ("Nhava Sheva", "JNPT", "Hamburg",
 * "Jebel Ali", "Hamburg, Germany") into a seaport UN/LOCODE. Names are matched through {@link PORT_ALIASES},
 * then exactly (case- and accent-insensitive) against the UN/LOCODE seaport names. A name shared by several
 * ports is an error listing the candidates, unless `options.country` (or a trailing ", Country" / "(DE)")
 * narrows it to one.
 */
export function parsePort(text: string, options: { country?: string } = {}): ParseResult<string> {
  const s = clean(text);
  if (s === '') return fail('empty: expected a port');
  const looksLikeLocode = /^[A-Za-z]{2}\s?[A-Za-z0-9]{3}$/.test(s);
  if (looksLikeLocode && isSeaport(s)) return ok(normaliseLocode(s));

  const byName = (name: string, country: string | undefined): string[] => {
    const key = fold(name);
    const alias = PORT_ALIASES[key];
    if (alias && (!country || alias.startsWith(country))) return [alias];
    const all = portNameIndex().get(key) ?? [];
    return country ? all.filter((c) => c.startsWith(country)) : all;
  };

  let country = options.country?.toUpperCase();
  let candidates = byName(s, country);
  let name = s;
  if (candidates.length === 0) {
    const m = /^(.+?)\s*(?:,\s*([^,()]+)|\(\s*([^()]+)\s*\))$/.exec(s);
    const tail = m ? (m[2] ?? m[3])! : undefined;
    const c = tail ? parseCountry(tail) : undefined;
    if (m && c?.ok) {
      if (country && country !== c.value) return fail(`port "${s}" is in ${c.value}, expected ${country}`);
      country = c.value;
      name = m[1]!;
      candidates = byName(name, country);
    }
  }
  if (candidates.length === 1) {
    const code = candidates[0]!;
    const fromAlias = PORT_ALIASES[fold(name)] === code;
    return ok(code, fromAlias ? [`read "${s}" as ${describePort(code)}`] : []);
  }
  if (candidates.length > 1) {
    return fail(`ambiguous port "${s}": ${candidates.map(describePort).join(', ')}; give the UN/LOCODE${country ? '' : ' or the country'}`, candidates);
  }
  if (looksLikeLocode) return fail(`unknown UN/LOCODE "${normaliseLocode(s)}" (not a seaport)`);
  return fail(`unknown port "${s}"${country ? ` in ${country}` : ''} (give the UN/LOCODE, e.g. INNSA)`);
}

// ---------------------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------------------

const isBlankCell = (cell: unknown) => cell === null || cell === undefined || (typeof cell === 'string' && clean(cell) === '');

/** True when every cell is null, undefined or whitespace-only text (an empty row is blank). */
export function isBlankRow(cells: readonly unknown[]): boolean {
  return cells.every(isBlankCell);
}

const TOTAL_LABEL = /^(grand\s*total|sub[\s-]?total|total)(?:\s+(amount|value|qty|quantity|[a-z]{3}|\([a-z]{3}\)))?\s*:?$/i;

function isTotalLabel(cell: string): boolean {
  const m = TOTAL_LABEL.exec(clean(cell));
  if (!m) return false;
  const suffix = m[2]?.replace(/[()]/g, '');
  return suffix === undefined || /^(amount|value|qty|quantity)$/i.test(suffix) || isCurrency(suffix.toUpperCase());
}

/**
 * True for a subtotal/total row: at least one text cell says Total, Sub-total or Grand total (optionally followed
 * by amount/value/qty/quantity or a currency code, and a colon), and every other cell is blank, a finite
 * number, or text that {@link parseDecimal} accepts.
 */
export function isSubtotalRow(cells: readonly unknown[]): boolean {
  let labels = 0;
  for (const cell of cells) {
    if (isBlankCell(cell)) continue;
    if (typeof cell === 'number' || typeof cell === 'bigint') {
      if (typeof cell === 'number' && !Number.isFinite(cell)) return false;
      continue;
    }
    if (typeof cell !== 'string') return false;
    if (isTotalLabel(cell)) labels++;
    else if (!parseDecimal(cell).ok) return false;
  }
  return labels > 0;
}
