import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent, isCurrency } from './currency.js';
import { compareDecimal, fromMinor, lineAmountMinor, normaliseDecimal, subtractDecimal, sumDecimal, sumMinor, toMinor } from './money.js';

const CURRENCIES = ['INR', 'USD', 'EUR', 'JPY', 'KWD', 'AED', 'GBP', 'BHD', 'CLP'];
const currency = fc.constantFrom(...CURRENCIES);
/** Decimal strings with up to `frac` fraction digits. */
const decimal = (maxInt: number, frac: number) =>
  fc.tuple(fc.integer({ min: 0, max: maxInt }), fc.integer({ min: 0, max: 10 ** frac - 1 }), fc.integer({ min: 0, max: frac })).map(([i, f, digits]) =>
    digits === 0 ? String(i) : `${i}.${String(f).padStart(frac, '0').slice(0, digits)}`,
  );

describe('currency minor units', () => {
  it('knows ISO 4217 exponents', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('INR')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
    expect(isCurrency('XAU')).toBe(false);
    expect(isCurrency('ABC')).toBe(false);
    expect(() => currencyExponent('ABC')).toThrow(/Unknown ISO 4217/);
  });

  it('formats with exactly the currency digits', () => {
    expect(fromMinor(12345, 'INR')).toBe('123.45');
    expect(fromMinor(5, 'KWD')).toBe('0.005');
    expect(fromMinor(1200, 'JPY')).toBe('1200');
    expect(toMinor('123.4', 'INR')).toBe(12340);
    expect(() => toMinor('1.5', 'JPY')).toThrow(/0 decimal/);
    expect(() => toMinor('1.0001', 'KWD')).toThrow(/3 decimal/);
  });

  it('round-trips every amount through minor units', () => {
    fc.assert(
      fc.property(currency, fc.integer({ min: 0, max: 2 ** 50 }), (c, minor) => {
        expect(toMinor(fromMinor(minor, c), c)).toBe(minor);
      }),
    );
  });
});

describe('line amounts', () => {
  it('rounds half-up once per line', () => {
    expect(lineAmountMinor('1000', '2.85', '0', 'EUR')).toBe(285000);
    expect(lineAmountMinor('500', '5.40', '2.5', 'EUR')).toBe(263250);
    expect(lineAmountMinor('3', '0.005', '0', 'USD')).toBe(2); // 0.015 → 0.02
    expect(lineAmountMinor('1', '0.004999', '0', 'USD')).toBe(0);
    expect(lineAmountMinor('7', '333.5', '0', 'JPY')).toBe(2335); // 2334.5 → 2335
    expect(lineAmountMinor('1.5', '0.3335', '0', 'KWD')).toBe(500); // 0.50025 → 0.500
    expect(() => lineAmountMinor('1', '1', '100.01', 'USD')).toThrow(/Discount/);
  });

  it('never drifts: amount is within half a minor unit of the exact product', () => {
    fc.assert(
      fc.property(currency, decimal(1_000_000, 3), decimal(100_000, 6), decimal(99, 2), (c, qty, price, disc) => {
        const minor = lineAmountMinor(qty, price, disc, c);
        const exp = currencyExponent(c);
        // exact value in minor units, as a decimal string: qty × price × (100 − disc) / 100 × 10^exp
        const exactTimes100 = BigInt(scaled(qty, 3)) * BigInt(scaled(price, 6)) * BigInt(scaled(subtractDecimal('100', disc), 2)) * 10n ** BigInt(exp);
        const denominator = 10n ** 11n * 100n; // 10^3 · 10^6 · 10^2 and the /100 of the percentage
        const twice = (exactTimes100 * 2n) / denominator; // floor(2 × exact)
        // half-up: minor = floor(exact + 0.5)  ⇔  2·minor ≤ 2·exact + 1 < 2·minor + 2
        expect(BigInt(minor) * 2n <= twice + 1n).toBe(true);
        expect(twice + 1n < BigInt(minor) * 2n + 2n).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('order totals are the exact sum of line amounts, whatever the order of lines', () => {
    fc.assert(
      fc.property(currency, fc.array(fc.tuple(decimal(10_000, 3), decimal(1_000, 4)), { minLength: 1, maxLength: 30 }), (c, lines) => {
        const amounts = lines.map(([q, p]) => lineAmountMinor(q, p, '0', c));
        const total = sumMinor(amounts);
        expect(sumMinor([...amounts].reverse())).toBe(total);
        expect(sumDecimal(amounts.map((a) => fromMinor(a, c)))).toBe(normaliseDecimal(fromMinor(total, c)));
      }),
    );
  });
});

describe('decimal helpers', () => {
  it('compares and sums exactly where floats would not', () => {
    expect(sumDecimal(['0.1', '0.2'])).toBe('0.3');
    expect(compareDecimal(sumDecimal(['0.1', '0.2']), '0.3')).toBe(0);
    expect(normaliseDecimal('0010.500')).toBe('10.5');
    expect(() => normaliseDecimal('1e3')).toThrow();
  });

  it('subtracting floored parts from a whole and summing them back is exact', () => {
    fc.assert(
      fc.property(decimal(1_000_000, 3), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 10 }), (whole, weights) => {
        const sumW = weights.reduce((a, b) => a + b, 0);
        const parts: string[] = [];
        let rest = whole;
        weights.slice(0, -1).forEach((w) => {
          const part = floorDecimal(scaledDiv(whole, w, sumW), 3);
          parts.push(part);
          rest = subtractDecimal(rest, part);
        });
        parts.push(rest);
        expect(parts.every((p) => compareDecimal(p.replace(/^-/, ''), '0') >= 0 && !p.startsWith('-'))).toBe(true);
        expect(sumDecimal(parts)).toBe(normaliseDecimal(whole));
      }),
    );
  });
});

function scaled(d: string, digits: number): string {
  const [i, f = ''] = d.split('.');
  return `${i}${f.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
}
function scaledDiv(d: string, w: number, total: number): string {
  const units = (BigInt(scaled(d, 3)) * BigInt(w)) / BigInt(total);
  const s = units.toString().padStart(4, '0');
  return `${s.slice(0, -3)}.${s.slice(-3)}`;
}
function floorDecimal(d: string, digits: number): string {
  const [i, f = ''] = d.split('.');
  return normaliseDecimal(`${i}.${f.slice(0, digits).padEnd(digits, '0')}`);
}
