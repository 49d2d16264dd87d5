import currencyCodes from 'currency-codes';

/** ISO 4217 alphabetic codes that have a defined number of minor units (funds and metals excluded). */
const EXPONENTS: ReadonlyMap<string, number> = new Map(
  currencyCodes
    .data.filter((c) => typeof c.digits === 'number' && /^[A-Z]{3}$/.test(c.code) && !/^X[A-Z]{2}$/.test(c.code))
    .map((c) => [c.code, c.digits as number]),
);

/** True when `code` is an ISO 4217 currency usable for trade (e.g. INR, USD, EUR, JPY, KWD). */
export function isCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

/** Number of minor-unit digits of an ISO 4217 currency: JPY 0, INR 2, KWD 3. Throws on an unknown code. */
export function currencyExponent(code: string): number {
  const e = EXPONENTS.get(code);
  if (e === undefined) throw new RangeError(`Unknown ISO 4217 currency code: ${code}`);
  return e;
}

/** English name of an ISO 4217 currency, for documents and the task pane. */
export function currencyName(code: string): string | undefined {
  return currencyCodes.code(code)?.currency;
}
