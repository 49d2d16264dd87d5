/** Cell conversions shared by pull, publish and import. Pure. */
import type { Cell } from './columns.js';

/** Excel's serial day 0 is 1899-12-30 (the 1900 leap-year bug folded in for dates after March 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** ISO date (YYYY-MM-DD) of an Excel date serial. */
export function serialToIsoDate(serial: number): string {
  return new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10);
}

/** Excel date serial of an ISO date. */
export function isoDateToSerial(iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - EXCEL_EPOCH_MS) / DAY_MS);
}

/** Whether a number format shows a date (d/m/y tokens outside quotes and brackets, and no time-only format). */
export function isDateFormat(format: unknown): boolean {
  if (typeof format !== 'string' || format === 'General' || format === '@') return false;
  const bare = format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[dy]/i.test(bare) || /m{3,}/i.test(bare) || (/m/i.test(bare) && !/[hs]/i.test(bare) && /[/.-]/.test(bare));
}

/** Whether a number format shows the value as a percentage (a `%` outside quotes): Excel stores 10% as 0.1. */
export function isPercentFormat(format: unknown): boolean {
  return typeof format === 'string' && /%/.test(format.replace(/"[^"]*"|\\./g, ''));
}

/** A percent-formatted cell's value as the percentage people see (0.1 → 10), without float noise. */
export function asPercent(value: number): number {
  return Number((value * 100).toPrecision(12));
}

/** Canonical text of a cell for comparing pulled and edited values: "" for empty, numbers in shortest form. */
export function canonical(cell: Cell | null | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return cell.trim();
}

/** A cell to what the import endpoint takes: dates in date-formatted cells become ISO strings. */
export function importCell(value: Cell | null | undefined, numberFormat: unknown): string | number | boolean | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' && isDateFormat(numberFormat)) return serialToIsoDate(value);
  if (typeof value === 'number' && isPercentFormat(numberFormat)) return `${asPercent(value)}%`;
  return value;
}

/** Number of decimals to show for a currency's amounts (the ISO 4217 minor units the server uses). */
export function moneyFormat(minorUnits: number): string {
  return minorUnits > 0 ? `#,##0.${'0'.repeat(minorUnits)}` : '#,##0';
}
