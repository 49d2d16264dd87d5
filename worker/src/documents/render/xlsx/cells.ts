/**
 * Spreadsheet cells, written safely.
 *
 * Text: every text goes in as a JavaScript string, which exceljs stores as a shared-string cell (`t="s"`) — never
 * a formula, whatever it starts with (`=`, `+`, `-`, `@`, tab, CR). exceljs makes a formula only from a
 * `{ formula }` object, which this module never writes, so a description such as "=HYPERLINK(…)" stays text.
 *
 * Numbers: a decimal is written as a number only when the number holds it exactly and Excel can show it exactly
 * (at most 15 significant digits); otherwise it is written as text, so a total in the sheet is always the
 * snapshot's exact total.
 */
import type { Cell, Font } from 'exceljs';
import { cleanText } from '../format.js';

export const FONT_NAME = 'Arial';

export function font(size: number, extra: Partial<Font> = {}): Partial<Font> {
  return { name: FONT_NAME, size, ...extra };
}

/** Write user or layout text: always a string cell. */
export function setText(cell: Cell, text: string): void {
  cell.value = cleanText(String(text));
}

/** Excel number format with `digits` decimals and thousands separators; lakh/crore grouping when `indian`. */
export function numberFormat(digits: number, indian = false): string {
  const decimals = digits > 0 ? `.${'0'.repeat(digits)}` : '';
  if (!indian) return `#,##0${decimals}`;
  // Indian grouping (1,20,50,000.50) through conditional sections; Excel and LibreOffice both read them
  return `[>=10000000]##\\,##\\,##\\,##0${decimals};[>=100000]##\\,##\\,##0${decimals};##,##0${decimals}`;
}

const SIGNIFICANT_LIMIT = 15;

/** The number a decimal string stands for, when a double and Excel hold it exactly; else null. */
export function exactNumber(decimal: string): number | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m) return null;
  const int = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const significant = `${int === '0' ? '' : int}${frac}`.replace(/^0+/, '');
  if (significant.length > SIGNIFICANT_LIMIT) return null;
  const n = Number(decimal);
  const canonical = frac ? `${int}.${frac}` : int;
  return Number.isFinite(n) && String(n) === canonical ? n : null;
}

/**
 * Write a decimal: a number with the column's format when exact, else the formatted text (right-aligned).
 * Returns whether a number was written.
 */
export function setDecimal(cell: Cell, decimal: string, text: string, digits: number, indian: boolean): boolean {
  const n = exactNumber(decimal);
  if (n === null) {
    setText(cell, text);
    return false;
  }
  cell.value = n;
  cell.numFmt = numberFormat(digits, indian);
  return true;
}

/** Text for an Excel page header/footer: `&` starts a control code there, so it is doubled. */
export function headerFooterText(text: string): string {
  return cleanText(text).replace(/\n/g, ' ').replace(/&/g, '&&');
}
