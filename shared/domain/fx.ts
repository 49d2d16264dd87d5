import { currencyExponent } from './currency.js';
import { MAX_MINOR, fractionDigits } from './money.js';

/**
 * Foreign exchange in exact integer arithmetic. A rate is a decimal string meaning "units of the quote (to)
 * currency per 1 unit of the base (from) currency" ("89.4375": 1 EUR = 89.4375 INR). Amounts are integers of
 * each currency's minor unit; a conversion is computed exactly in BigInt and rounded ROUND_HALF_UP (ties away
 * from zero) once, to the target currency's minor unit. No floating point anywhere.
 */

/** Shape of an FX rate: up to 12 integer and 10 fractional digits, no sign or exponent. `parseRate` also requires it above zero. */
export const FX_RATE_RE = /^\d{1,12}(\.\d{1,10})?$/;

/** Most fractional digits an FX rate may carry. */
export const FX_RATE_DECIMALS = 10;

/** A rate read exactly: its value is `units / 10^decimals`. */
export interface ParsedRate {
  readonly units: bigint;
  readonly decimals: number;
}

/** Validate an FX rate string and read it exactly ("89.4375" → 894375 / 10^4). Throws RangeError on anything else, zero included. */
export function parseRate(rate: string): ParsedRate {
  if (typeof rate !== 'string' || !FX_RATE_RE.test(rate)) {
    throw new RangeError(`FX rate must be a positive decimal string with at most ${FX_RATE_DECIMALS} decimals, e.g. "89.4375"; got ${JSON.stringify(rate)}`);
  }
  const units = BigInt(rate.replace('.', ''));
  if (units === 0n) throw new RangeError(`FX rate must be above zero; got "${rate}"`);
  return { units, decimals: fractionDigits(rate) };
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** n / d rounded half-up away from zero (d > 0): symmetric, so divHalfUp(−n, d) = −divHalfUp(n, d). */
function divHalfUp(n: bigint, d: bigint): bigint {
  const q = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return n < 0n ? -q : q;
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > FX_RATE_DECIMALS) {
    throw new RangeError(`Rate decimals must be a whole number from 0 to ${FX_RATE_DECIMALS}; got ${decimals}`);
  }
}

/** Write units / 10^decimals as a canonical decimal string (no trailing fractional zeros). */
function rateString(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** The quotient a / b of two rates, rounded half-up to `decimals` places; throws when that rounds to zero or overflows the rate format. */
function divideRates(a: ParsedRate, b: ParsedRate, decimals: number, what: string): string {
  checkDecimals(decimals);
  // a/b = (a.units / 10^a.dec) / (b.units / 10^b.dec); scaled by 10^decimals.
  const units = divHalfUp(a.units * pow10(b.decimals + decimals), b.units * pow10(a.decimals));
  if (units === 0n) throw new RangeError(`${what} rounds to zero at ${decimals} decimals`);
  const out = rateString(units, decimals);
  if (!FX_RATE_RE.test(out)) throw new RangeError(`${what} is too large for an FX rate: ${out}`);
  return out;
}

/**
 * Convert an integer amount in `from`'s minor units into `to`'s minor units at `rate` (units of `to` per 1 `from`):
 * `amountMinor × rate × 10^exp(to) / 10^exp(from)`, computed exactly and rounded half-up away from zero once, so
 * `convertMinor(−x) === −convertMinor(x)`. Converting a currency to itself requires rate 1 and returns the amount
 * unchanged; any other rate there is a RangeError (a data error, not a conversion).
 */
export function convertMinor(amountMinor: number, from: string, to: string, rate: string): number {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`Minor units must be a safe integer: ${amountMinor}`);
  const r = parseRate(rate);
  const expFrom = currencyExponent(from);
  const expTo = currencyExponent(to);
  if (from === to && r.units !== pow10(r.decimals)) throw new RangeError(`Converting ${from} to itself needs rate 1; got "${rate}"`);
  const minor = divHalfUp(BigInt(amountMinor) * r.units * pow10(expTo), pow10(expFrom + r.decimals));
  if (minor > BigInt(MAX_MINOR) || minor < -BigInt(MAX_MINOR)) throw new RangeError('Amount too large');
  return Number(minor);
}

/** The inverse rate 1 / rate, rounded half-up to `decimals` places (default 10), canonical ("2" → "0.5"). Throws when it rounds to zero. */
export function invertRate(rate: string, decimals = FX_RATE_DECIMALS): string {
  return divideRates({ units: 1n, decimals: 0 }, parseRate(rate), decimals, `Inverse of ${rate}`);
}

/**
 * Cross rate a → b from two rates against a common base currency: `aToBase / bToBase`, rounded half-up to
 * `decimals` places (default 10). With EUR→INR "90" and USD→INR "83", `crossRate("90", "83")` is EUR→USD.
 */
export function crossRate(aToBase: string, bToBase: string, decimals = FX_RATE_DECIMALS): string {
  return divideRates(parseRate(aToBase), parseRate(bToBase), decimals, `Cross rate ${aToBase} / ${bToBase}`);
}

/** What `fxDifferenceMinor` needs: a foreign-currency amount and the two rates it was booked and realised at (units of base per 1 currency). */
export interface FxDifferenceInput {
  amountMinor: number;
  currency: string;
  baseCurrency: string;
  bookedRate: string;
  realisedRate: string;
}

/**
 * Exchange gain (positive) or loss (negative) on a receivable, in the base currency's minor units:
 * `convertMinor(amount, realisedRate) − convertMinor(amount, bookedRate)`. It is the difference of the two
 * rounded base amounts, not the rounded difference of rates, so it reconciles exactly with the booked and
 * realised base amounts shown beside it (it may differ by one minor unit from `amount × (realised − booked)`
 * rounded on its own). For a payable the sign means the opposite.
 */
export function fxDifferenceMinor({ amountMinor, currency, baseCurrency, bookedRate, realisedRate }: FxDifferenceInput): number {
  return convertMinor(amountMinor, currency, baseCurrency, realisedRate) - convertMinor(amountMinor, currency, baseCurrency, bookedRate);
}
