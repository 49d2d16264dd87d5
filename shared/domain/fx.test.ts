import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyExponent } from './currency.js';
import { FX_RATE_RE, convertMinor, crossRate, fxDifferenceMinor, invertRate, parseRate } from './fx.js';

const CURRENCIES = ['INR', 'USD', 'EUR', 'JPY', 'KWD', 'AED', 'GBP', 'BHD', 'CLP'];
const currency = fc.constantFrom(...CURRENCIES);
/** Pairs of distinct currencies with the same exponent, by exponent. */
const SAME_EXPONENT = [['INR', 'USD', 'EUR', 'AED', 'GBP'], ['JPY', 'CLP'], ['KWD', 'BHD']];

/** Rate strings from 10^-d to 10^6 with d ≤ 10 fraction digits as written (trailing zeros kept: "1.50"). */
const rate = fc.integer({ min: 0, max: 10 }).chain((d) => fc.bigInt({ min: 1n, max: 10n ** BigInt(d + 6) }).map((u) => written(u, d)));
function written(units: bigint, decimals: number): string {
  const s = units.toString().padStart(decimals + 1, '0');
  return decimals === 0 ? s : `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

/** Reference implementation in big.js (exact at 60 decimals, then ROUND_HALF_UP, which big.js rounds away from zero). */
const Exact = Big();
Exact.DP = 60;
function reference(amountMinor: number, from: string, to: string, r: string): number {
  const exact = new Exact(amountMinor).times(r).times(new Exact(10).pow(currencyExponent(to))).div(new Exact(10).pow(currencyExponent(from)));
  return Number(exact.round(0, Big.roundHalfUp).toFixed(0)) + 0; // + 0 turns −0 into 0
}
/** Reference quotient a / b rounded half-up to `decimals`, canonical. */
function referenceQuotient(a: string, b: string, decimals: number): string {
  const Q = Big();
  Q.DP = decimals;
  Q.RM = Big.roundHalfUp;
  return new Q(a).div(b).toFixed();
}

describe('parseRate', () => {
  it('reads rates exactly', () => {
    expect(parseRate('89.4375')).toEqual({ units: 894375n, decimals: 4 });
    expect(parseRate('1')).toEqual({ units: 1n, decimals: 0 });
    expect(parseRate('0.0000000001')).toEqual({ units: 1n, decimals: 10 });
    expect(parseRate('1.50')).toEqual({ units: 150n, decimals: 2 });
  });

  it('rejects anything but a positive decimal with at most 10 decimals', () => {
    for (const bad of ['', '0', '0.000', '-1', '+1', '1e3', '1,5', ' 1', '1.', '.5', '1.12345678901', '1234567890123']) {
      expect(() => parseRate(bad), bad).toThrow(RangeError);
    }
    expect(() => parseRate(89 as unknown as string)).toThrow(/positive decimal string/);
    expect(() => parseRate('0')).toThrow(/above zero/);
    expect(FX_RATE_RE.test('123456789012.1234567890')).toBe(true);
  });
});

describe('convertMinor', () => {
  it('respects each currency exponent (hand-computed)', () => {
    expect(convertMinor(123456, 'USD', 'INR', '83.4567')).toBe(10303230); // 1234.56 × 83.4567 = 103032.303552 INR
    expect(convertMinor(100000, 'INR', 'USD', '0.012')).toBe(1200); // 1000.00 INR → 12.00 USD
    expect(convertMinor(1000, 'JPY', 'INR', '0.5512')).toBe(55120); // ¥1000 → 551.20 INR
    expect(convertMinor(1005, 'KWD', 'INR', '271.5')).toBe(27286); // 1.005 KWD → 272.8575 INR → 272.86
    expect(convertMinor(10000, 'INR', 'KWD', '0.003683')).toBe(368); // 100.00 INR → 0.3683 KWD → 0.368
    expect(convertMinor(12345, 'INR', 'JPY', '1.8')).toBe(222); // 123.45 INR → ¥222.21 → ¥222
    expect(convertMinor(368, 'KWD', 'JPY', '487.25')).toBe(179); // 0.368 KWD → ¥179.308
    expect(convertMinor(7, 'JPY', 'KWD', '0.002')).toBe(14); // ¥7 → 0.014 KWD
  });

  it('rounds half-up away from zero, once', () => {
    expect(convertMinor(50, 'INR', 'JPY', '1')).toBe(1); // 0.50 → ¥0.5 → ¥1
    expect(convertMinor(250, 'INR', 'JPY', '1')).toBe(3); // 2.5 → 3 (half-even would give 2)
    expect(convertMinor(-50, 'INR', 'JPY', '1')).toBe(-1);
    expect(convertMinor(-250, 'INR', 'JPY', '1')).toBe(-3);
    expect(convertMinor(49, 'INR', 'JPY', '1')).toBe(0);
    expect(Object.is(convertMinor(-49, 'INR', 'JPY', '1'), 0)).toBe(true); // no −0
    expect(convertMinor(2, 'USD', 'KWD', '0.325')).toBe(7); // 0.0065 KWD = 6.5 fils → 7
    expect(convertMinor(-2, 'USD', 'KWD', '0.325')).toBe(-7);
    expect(convertMinor(1, 'USD', 'INR', '0.4999999999')).toBe(0);
    expect(convertMinor(1, 'USD', 'INR', '0.5')).toBe(1);
    expect(convertMinor(1449, 'JPY', 'INR', '0.001')).toBe(145); // ¥1449 → 1.449 INR = 144.9 paise → 145
    expect(convertMinor(1, 'KWD', 'JPY', '444.5')).toBe(0); // 0.4445 ¥ → 0 (rounding 0.4445 → 0.445 → 0.45 → 0.5 → 1 first would be wrong)
  });

  it('same currency at rate 1 is the identity; any other rate there is refused', () => {
    expect(convertMinor(123456, 'INR', 'INR', '1')).toBe(123456);
    expect(convertMinor(-7, 'KWD', 'KWD', '1.0000')).toBe(-7);
    expect(() => convertMinor(100, 'INR', 'INR', '1.01')).toThrow(/itself needs rate 1/);
  });

  it('refuses bad input and results beyond the exact integer range', () => {
    expect(() => convertMinor(1.5, 'USD', 'INR', '83')).toThrow(/safe integer/);
    expect(() => convertMinor(Number.MAX_SAFE_INTEGER + 1, 'USD', 'INR', '83')).toThrow(/safe integer/);
    expect(() => convertMinor(100, 'USD', 'ABC', '83')).toThrow(/Unknown ISO 4217/);
    expect(() => convertMinor(100, 'USD', 'INR', '0')).toThrow(/above zero/);
    expect(() => convertMinor(Number.MAX_SAFE_INTEGER, 'USD', 'INR', '2')).toThrow(/too large/);
    expect(() => convertMinor(-Number.MAX_SAFE_INTEGER, 'USD', 'INR', '2')).toThrow(/too large/);
    expect(convertMinor(Number.MAX_SAFE_INTEGER, 'USD', 'INR', '1')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('matches an independent big.js computation', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), currency, currency, rate, (amount, from, to, r) => {
        fc.pre(from !== to);
        expect(convertMinor(amount, from, to, r)).toBe(reference(amount, from, to, r));
      }),
      { numRuns: 1000 },
    );
  });

  it('rate 1 between currencies with the same exponent is the identity', () => {
    const pair = fc.constantFrom(...SAME_EXPONENT).chain((group) => fc.tuple(fc.constantFrom(...group), fc.constantFrom(...group)));
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), pair, fc.constantFrom('1', '1.0', '1.0000000000'), (amount, [from, to], one) => {
        expect(convertMinor(amount, from, to, one)).toBe(amount);
      }),
    );
  });

  it('is sign-symmetric: convert(−x) = −convert(x)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), currency, currency, rate, (amount, from, to, r) => {
        fc.pre(from !== to);
        expect(convertMinor(-amount, from, to, r) === -convertMinor(amount, from, to, r)).toBe(true);
      }),
    );
  });

  it('is monotonic in the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), currency, currency, rate, (a, delta, from, to, r) => {
        fc.pre(from !== to);
        expect(convertMinor(a, from, to, r)).toBeLessThanOrEqual(convertMinor(a + delta, from, to, r));
      }),
    );
  });

  it('converting a sum and summing conversions differ by at most ⌊n/2⌋ minor units (same sign), ⌊(n+1)/2⌋ (mixed signs)', () => {
    // Each conversion is off the exact value by at most ½ minor unit, so n conversions by n/2 and the converted sum by ½.
    const terms = (min: number) => fc.array(fc.integer({ min, max: 1_000_000 }), { minLength: 1, maxLength: 25 });
    const check = (amounts: number[], from: string, to: string, r: string, bound: number) => {
      const ofSum = convertMinor(amounts.reduce((a, b) => a + b, 0), from, to, r);
      const sumOf = amounts.reduce((acc, a) => acc + convertMinor(a, from, to, r), 0);
      expect(Math.abs(ofSum - sumOf)).toBeLessThanOrEqual(bound);
    };
    fc.assert(
      fc.property(terms(0), currency, currency, rate, (amounts, from, to, r) => {
        fc.pre(from !== to);
        check(amounts, from, to, r, Math.floor(amounts.length / 2));
      }),
    );
    fc.assert(
      fc.property(terms(-1_000_000), currency, currency, rate, (amounts, from, to, r) => {
        fc.pre(from !== to);
        check(amounts, from, to, r, Math.floor((amounts.length + 1) / 2));
      }),
    );
    // The bound is reached: three ₹0.50 are ¥1 each (¥3), ₹1.50 is ¥2.
    expect(convertMinor(150, 'INR', 'JPY', '1')).toBe(2);
    expect(3 * convertMinor(50, 'INR', 'JPY', '1')).toBe(3);
  });
});

describe('invertRate and crossRate', () => {
  it('invert and cross rates round half-up (hand-computed)', () => {
    expect(invertRate('89.4375')).toBe('0.0111809923'); // 0.011180992313…
    expect(invertRate('2')).toBe('0.5');
    expect(invertRate('8')).toBe('0.125');
    expect(invertRate('3')).toBe('0.3333333333');
    expect(invertRate('3', 2)).toBe('0.33');
    expect(invertRate('1.5', 0)).toBe('1');
    expect(invertRate('16', 3)).toBe('0.063'); // 0.0625 → 0.063
    expect(invertRate('200', 2)).toBe('0.01'); // 0.005 → 0.01
    expect(invertRate('0.0000000001')).toBe('10000000000');
    expect(crossRate('90', '83')).toBe('1.0843373494'); // 1.08433734939759…
    expect(crossRate('1', '8', 2)).toBe('0.13'); // 0.125 → 0.13
    expect(crossRate('83.4567', '83.4567')).toBe('1');
    expect(crossRate('83.4567', '1')).toBe('83.4567');
  });

  it('refuses results that are zero or too large, and bad decimals', () => {
    expect(() => invertRate('400', 2)).toThrow(/rounds to zero/); // 0.0025 → 0.00
    expect(() => crossRate('0.0000000001', '100000')).toThrow(/rounds to zero/);
    expect(() => crossRate('100000000000', '0.001')).toThrow(/too large/);
    expect(() => invertRate('2', 11)).toThrow(/decimals/);
    expect(() => invertRate('2', 1.5)).toThrow(/decimals/);
    expect(() => invertRate('-2')).toThrow(RangeError);
  });

  it('match an independent big.js division and are valid rates', () => {
    fc.assert(
      fc.property(rate, rate, fc.integer({ min: 0, max: 10 }), (a, b, decimals) => {
        const expected = referenceQuotient(a, b, decimals);
        if (expected === '0') expect(() => crossRate(a, b, decimals)).toThrow(/rounds to zero/);
        else if (!FX_RATE_RE.test(expected)) expect(() => crossRate(a, b, decimals)).toThrow(/too large/);
        else {
          expect(crossRate(a, b, decimals)).toBe(expected);
          expect(FX_RATE_RE.test(crossRate(a, b, decimals))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(rate, (r) => {
        expect(invertRate(r)).toBe(referenceQuotient('1', r, 10));
        expect(crossRate('1', r)).toBe(invertRate(r));
      }),
    );
  });
});

describe('fxDifferenceMinor', () => {
  it('is realised minus booked, in base minor units (hand-computed)', () => {
    // USD 10,000.00 booked at 83.25, realised at 83.4567: 832,500.00 → 834,567.00 INR, gain 2,067.00 INR.
    const input = { amountMinor: 1_000_000, currency: 'USD', baseCurrency: 'INR', bookedRate: '83.25', realisedRate: '83.4567' };
    expect(fxDifferenceMinor(input)).toBe(206_700);
    expect(fxDifferenceMinor({ ...input, bookedRate: '83.4567', realisedRate: '83.25' })).toBe(-206_700);
    expect(fxDifferenceMinor({ ...input, realisedRate: '83.25' })).toBe(0);
    expect(fxDifferenceMinor({ amountMinor: 500, currency: 'INR', baseCurrency: 'INR', bookedRate: '1', realisedRate: '1' })).toBe(0);
    expect(fxDifferenceMinor({ amountMinor: 1000, currency: 'KWD', baseCurrency: 'JPY', bookedRate: '487.25', realisedRate: '489.5' })).toBe(3); // 1.000 KWD: ¥487.25 → ¥487, ¥489.5 → ¥490
  });

  it('is the difference of the two rounded base amounts, not the rounded difference', () => {
    // 0.01 USD at 0.5 → 0.5 paise → 1; at 1.4 → 1.4 paise → 1: no difference shown, although 0.01 × 0.9 = 0.9 paise.
    expect(fxDifferenceMinor({ amountMinor: 1, currency: 'USD', baseCurrency: 'INR', bookedRate: '0.5', realisedRate: '1.4' })).toBe(0);
  });

  it('reconciles exactly with the two converted amounts, and has the sign of the rate move', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), currency, currency, rate, rate, (amount, cur, base, booked, realised) => {
        fc.pre(cur !== base);
        const diff = fxDifferenceMinor({ amountMinor: amount, currency: cur, baseCurrency: base, bookedRate: booked, realisedRate: realised });
        expect(diff).toBe(reference(amount, cur, base, realised) - reference(amount, cur, base, booked));
        const move = new Big(realised).cmp(booked) * Math.sign(amount);
        if (move > 0) expect(diff).toBeGreaterThanOrEqual(0);
        if (move < 0) expect(diff).toBeLessThanOrEqual(0);
        if (move === 0) expect(diff).toBe(0);
      }),
    );
  });
});
