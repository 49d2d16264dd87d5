/**
 * Stock quantities are integers of thousandths of the product's unit ("12.5" PCS → 12500), so that
 * reservations are exact integer arithmetic inside one SQL statement. Decimal strings have at most 3 decimals
 * (the API's Quantity), so the conversion is exact; 12 integer digits stay far below 2^53.
 */

const MILLI_RE = /^(-?)(\d+)(?:\.(\d{1,3}))?$/;

/** "12.5" → 12500, "-0.25" → -250. Throws on more than 3 decimals or a result outside the exact integer range. */
export function toMilli(quantity: string): number {
  const m = MILLI_RE.exec(quantity);
  if (!m) throw new RangeError(`Not a quantity with at most 3 decimals: ${quantity}`);
  const value = Number(m[2]!) * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
  if (!Number.isSafeInteger(value)) throw new RangeError(`Quantity too large: ${quantity}`);
  return m[1] && value ? -value : value;
}

/** 12500 → "12.5", -250 → "-0.25", 0 → "0" (canonical: no trailing fractional zeros). */
export function fromMilli(milli: number): string {
  if (!Number.isSafeInteger(milli)) throw new RangeError(`Not an integer of thousandths: ${milli}`);
  const abs = Math.abs(milli);
  const int = Math.floor(abs / 1000);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${milli < 0 ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}
