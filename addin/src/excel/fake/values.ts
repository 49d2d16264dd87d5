/**
 * Cell values as Excel stores them, and how Excel turns what an add-in writes into them.
 *
 * Writing through `Range.values` / `Range.formulas` behaves like typing into the cell (Excel documents that
 * strings starting with "=" become formulas and that null leaves a cell unchanged; numeric-looking text is
 * converted too). The fake reproduces the parts an add-in is likely to trip over:
 *  - "" clears the cell; null (or a non-finite number, which JSON sends as null) leaves it unchanged;
 *  - a cell whose number format is "@" (Text) keeps strings exactly as written;
 *  - otherwise numeric text ("0401" → 401, "1,234.5" → 1234.5), "TRUE"/"FALSE" (any case) → booleans,
 *    "12%" → 0.12 and ISO dates "2024-01-15" → date serial numbers (the cell gets a "yyyy-mm-dd" /
 *    "0%" format if it was General);
 *  - strings starting with "=" are stored as the formula text (the fake does not calculate).
 */
import { errors } from './errors';

export type CellValue = string | number | boolean;

/** What to store after writing `input` into a cell with `numberFormat`; `undefined` = empty; `null` = unchanged. */
export interface CoercedInput {
  value: CellValue | undefined | null;
  /** Number format Excel applies when it recognises a date or a percentage typed into a General cell. */
  impliedFormat?: string;
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PERCENT = /^[+-]?(\d+(\.\d*)?|\.\d+)%$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function coerceInput(input: unknown, numberFormat: string | undefined): CoercedInput {
  if (input === null || input === undefined) return { value: null };
  if (typeof input === 'number') return Number.isFinite(input) ? { value: input } : { value: null };
  if (typeof input === 'boolean') return { value: input };
  if (input instanceof Date) return coerceInput(input.toJSON(), numberFormat);
  if (typeof input !== 'string') throw errors.invalidArgument(`cell value of type ${Array.isArray(input) ? 'array' : typeof input}`);
  if (input === '') return { value: undefined };
  if (numberFormat === '@') return { value: input };
  if (input.startsWith('=')) return { value: input };
  // Fast path: only text starting like a number, a boolean or blank can convert.
  if (!/^[\s\d+\-.tTfF]/.test(input)) return { value: input };
  const t = input.trim();
  if (NUMERIC.test(t)) return { value: Number(t) };
  if (GROUPED.test(t)) return { value: Number(t.replace(/,/g, '')) };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  const general = !numberFormat || numberFormat === 'General';
  if (PERCENT.test(t)) {
    const n = Number(t.slice(0, -1)) / 100;
    const decimals = /\.(\d+)%$/.exec(t)?.[1]?.length ?? 0;
    return general ? { value: n, impliedFormat: decimals ? `0.${'0'.repeat(decimals)}%` : '0%' } : { value: n };
  }
  const iso = ISO_DATE.exec(t);
  if (iso) {
    const serial = dateToSerial(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (serial !== null) return general ? { value: serial, impliedFormat: 'yyyy-mm-dd' } : { value: serial };
  }
  return { value: input };
}

/** A value exactly as given (host controls: a test setting up a sheet); same null/"" conventions. */
export function rawInput(input: unknown): CoercedInput {
  if (input === null || input === undefined) return { value: null };
  if (input === '') return { value: undefined };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new Error(`fake Excel host: cannot store ${input} in a cell`);
    return { value: input };
  }
  if (typeof input === 'string' || typeof input === 'boolean') return { value: input };
  throw new Error(`fake Excel host: cannot store a value of type ${typeof input} in a cell`);
}

export function valueType(v: CellValue | undefined): 'Empty' | 'String' | 'Double' | 'Boolean' {
  if (v === undefined) return 'Empty';
  if (typeof v === 'number') return 'Double';
  if (typeof v === 'boolean') return 'Boolean';
  return 'String';
}

// ---- Date serial numbers (1900 date system, with Excel's fictitious 1900-02-29 = serial 60) ----

const DAY_MS = 86_400_000;
const EPOCH_1899_12_30 = Date.UTC(1899, 11, 30);

export function dateToSerial(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  if (year < 1900 || year > 9999) return null;
  const serial = Math.round((ms - EPOCH_1899_12_30) / DAY_MS);
  // Dates before 1900-03-01 are one lower because Excel counts 1900-02-29.
  return serial < 61 ? serial - 1 : serial;
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function serialToDate(serial: number): DateParts | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2_958_466) return null;
  const whole = Math.floor(serial);
  let secondsOfDay = Math.round((serial - whole) * 86_400);
  let days = whole;
  if (secondsOfDay >= 86_400) {
    days += 1;
    secondsOfDay -= 86_400;
  }
  const time = { hours: Math.floor(secondsOfDay / 3600), minutes: Math.floor((secondsOfDay % 3600) / 60), seconds: secondsOfDay % 60 };
  if (days === 60) return { year: 1900, month: 2, day: 29, weekday: 3, ...time };
  if (days === 0) return { year: 1900, month: 1, day: 0, weekday: 6, ...time };
  const offset = days < 60 ? days + 1 : days;
  const d = new Date(EPOCH_1899_12_30 + offset * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), ...time };
}
