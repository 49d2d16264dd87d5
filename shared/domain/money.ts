import Big from 'big.js';
import { currencyExponent } from './currency.js';

/**
 * Exact money and quantity arithmetic. Amounts are integers of the currency's minor unit
 * (paise, cents, fils); decimals travel as strings. Rounding is ROUND_HALF_UP, once, at the
 * line level: a line amount is `quantity × unit price × (1 − discount%)` rounded to the
 * currency's minor unit, and an order total is the exact integer sum of its line amounts.
 */

/** Plain decimal string: digits, optional fraction; no sign, no exponent, no separators. */
export const DECIMAL_RE = /^\d+(\.\d+)?$/;

/** Largest minor-unit integer we accept, so sums stay exact in a JS number (2^53 − 1). */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;

function big(value: string): Big {
  if (!DECIMAL_RE.test(value)) throw new RangeError(`Not a plain decimal: ${value}`);
  return new Big(value);
}

/** Already canonical: no leading zeros, no trailing fractional zeros (the common case, answered without big.js). */
const CANONICAL_RE = /^(0|[1-9]\d*)(\.\d*[1-9])?$/;

/** Canonical decimal string: no leading zeros, no trailing fractional zeros ("0010.500" → "10.5"). */
export function normaliseDecimal(value: string): string {
  return CANONICAL_RE.test(value) ? value : big(value).toFixed();
}

/** Number of fractional digits written in a decimal string ("12.50" → 2). */
export function fractionDigits(value: string): number {
  const i = value.indexOf('.');
  return i < 0 ? 0 : value.length - i - 1;
}

/** Compare two decimal strings: −1, 0 or 1. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  return big(a).cmp(big(b)) as -1 | 0 | 1;
}

/** Exact sum of decimal strings, canonical form. */
export function sumDecimal(values: readonly string[]): string {
  return values.reduce((acc, v) => acc.plus(big(v)), new Big(0)).toFixed();
}

/** Exact difference a − b of decimal strings (may be negative), canonical form. */
export function subtractDecimal(a: string, b: string): string {
  return big(a).minus(big(b)).toFixed();
}

/** Parse an amount written in major units ("1234.50") into integer minor units for `currency`. Rejects more decimals than the currency has. */
export function toMinor(amount: string, currency: string): number {
  const exp = currencyExponent(currency);
  if (fractionDigits(amount) > exp) {
    throw new RangeError(`${currency} has ${exp} decimal place(s); got ${amount}`);
  }
  const minor = big(amount).times(new Big(10).pow(exp));
  return checkedMinor(minor);
}

/** Format integer minor units as a major-unit decimal string with exactly the currency's decimals (12345, INR → "123.45"; 5, KWD → "0.005"). */
export function fromMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Minor units must be a safe integer: ${minor}`);
  const exp = currencyExponent(currency);
  if (Object.is(minor, -0)) return new Big(minor).div(new Big(10).pow(exp)).toFixed(exp);
  // Integer digits shifted by the exponent: exact for every safe integer, without big.js.
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const int = digits.slice(0, digits.length - exp);
  return `${minor < 0 ? '-' : ''}${exp ? `${int}.${digits.slice(digits.length - exp)}` : int}`;
}

const POW10 = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const scaledInt = (value: string) => BigInt(value.replace('.', ''));

/**
 * Line amount in minor units: quantity × unit price × (1 − discountPercent/100),
 * rounded half-up to the currency's minor unit. Integer (BigInt) arithmetic on the decimals as written,
 * so there is no intermediate rounding at all.
 */
export function lineAmountMinor(quantity: string, unitPrice: string, discountPercent: string, currency: string): number {
  for (const v of [quantity, unitPrice, discountPercent]) if (!DECIMAL_RE.test(v)) throw new RangeError(`Not a plain decimal: ${v}`);
  const exp = currencyExponent(currency);
  const hundred = 100n * POW10[fractionDigits(discountPercent)]!;
  const discount = scaledInt(discountPercent);
  if (discount > hundred) throw new RangeError(`Discount above 100%: ${discountPercent}`);
  const numerator = scaledInt(quantity) * scaledInt(unitPrice) * (hundred - discount) * POW10[exp]!;
  const denominator = POW10[fractionDigits(quantity) + fractionDigits(unitPrice)]! * hundred;
  const minor = (2n * numerator + denominator) / (2n * denominator); // floor(x + ½): half-up for x ≥ 0
  if (minor > BigInt(MAX_MINOR)) throw new RangeError('Amount too large');
  return Number(minor);
}

/** Exact sum of minor-unit integers; throws if the result leaves the exact integer range. */
export function sumMinor(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) throw new RangeError('Amount too large');
  }
  return total;
}

function checkedMinor(minor: Big): number {
  if (minor.gt(MAX_MINOR)) throw new RangeError('Amount too large');
  return Number(minor.toFixed(0));
}

/** Exact product of two decimal strings, rounded half-up to `decimals` places (weights: 3). */
export function multiplyDecimal(a: string, b: string, decimals: number): string {
  return big(a).times(big(b)).round(decimals, 1).toFixed();
}

/** Whole packages needed for `quantity` at `perPackage` units each (rounded up). */
export function packagesFor(quantity: string, perPackage: number): number {
  return Number(big(quantity).div(perPackage).round(0, 3).toFixed(0));
}
