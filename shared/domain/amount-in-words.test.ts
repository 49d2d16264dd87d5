import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInWords, integerInWords } from './amount-in-words.js';
import { currencyExponent } from './currency.js';

describe('amountInWords', () => {
  it('writes the international system with major and minor unit names', () => {
    expect(amountInWords({ currency: 'USD', amount: '12345.60' })).toBe('US Dollars Twelve Thousand Three Hundred Forty-Five and Cents Sixty Only');
    expect(amountInWords({ currency: 'EUR', amount: '54390.00' })).toBe('Euros Fifty-Four Thousand Three Hundred Ninety Only');
    expect(amountInWords({ currency: 'GBP', amount: '1.01' })).toBe('Pounds Sterling One and Pence One Only');
    expect(amountInWords({ currency: 'AED', amount: '250.25' })).toBe('UAE Dirhams Two Hundred Fifty and Fils Twenty-Five Only');
    expect(amountInWords({ currency: 'SAR', amount: '10.05' })).toBe('Saudi Riyals Ten and Halalas Five Only');
    expect(amountInWords({ currency: 'AUD', amount: '51250.00' })).toBe('Australian Dollars Fifty-One Thousand Two Hundred Fifty Only');
    expect(amountInWords({ currency: 'CNY', amount: '8.88' })).toBe('Chinese Yuan Eight and Fen Eighty-Eight Only');
  });

  it('knows currencies without minor units and with three decimals', () => {
    expect(amountInWords({ currency: 'JPY', amount: '1200' })).toBe('Japanese Yen One Thousand Two Hundred Only');
    expect(amountInWords({ currency: 'KWD', amount: '10.125' })).toBe('Kuwaiti Dinars Ten and Fils One Hundred Twenty-Five Only');
    expect(amountInWords({ currency: 'KWD', amount: '0.005' })).toBe('Kuwaiti Dinars Zero and Fils Five Only');
    expect(amountInWords({ currency: 'KWD', amount: '3.1' })).toBe('Kuwaiti Dinars Three and Fils One Hundred Only');
    expect(() => amountInWords({ currency: 'JPY', amount: '12.5' })).toThrow(/0 decimal/);
    expect(() => amountInWords({ currency: 'USD', amount: '1.005' })).toThrow(/2 decimal/);
  });

  it('writes INR in lakh and crore by default', () => {
    expect(amountInWords({ currency: 'INR', amount: '12050000.50' })).toBe('Rupees One Crore Twenty Lakh Fifty Thousand and Paise Fifty Only');
    expect(amountInWords({ currency: 'INR', amount: '100000' })).toBe('Rupees One Lakh Only');
    expect(amountInWords({ currency: 'INR', amount: '99999999.99' })).toBe(
      'Rupees Nine Crore Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine and Paise Ninety-Nine Only',
    );
    expect(amountInWords({ currency: 'INR', amount: '1234567890123.00' })).toBe(
      'Rupees One Lakh Twenty-Three Thousand Four Hundred Fifty-Six Crore Seventy-Eight Lakh Ninety Thousand One Hundred Twenty-Three Only',
    );
    // international on request
    expect(amountInWords({ currency: 'INR', amount: '12050000.50' }, 'international')).toBe('Rupees Twelve Million Fifty Thousand and Paise Fifty Only');
    // and the Indian system for another currency on request
    expect(amountInWords({ currency: 'USD', amount: '150000' }, 'indian')).toBe('US Dollars One Lakh Fifty Thousand Only');
  });

  it('falls back to the ISO code and a fraction for currencies without known names', () => {
    expect(amountInWords({ currency: 'BRL', amount: '100.50' })).toBe('BRL One Hundred and 50/100 Only');
    expect(amountInWords({ currency: 'BRL', amount: '7' })).toBe('BRL Seven Only');
    expect(amountInWords({ currency: 'TND', amount: '1.250' })).toBe('TND One and 250/1000 Only');
  });

  it('covers zero, one, teens, tens and hundreds', () => {
    expect(amountInWords({ currency: 'USD', amount: '0.00' })).toBe('US Dollars Zero Only');
    expect(amountInWords({ currency: 'USD', amount: '0' })).toBe('US Dollars Zero Only');
    expect(amountInWords({ currency: 'USD', amount: '1.00' })).toBe('US Dollars One Only');
    expect(amountInWords({ currency: 'USD', amount: '0.01' })).toBe('US Dollars Zero and Cents One Only');
    expect(amountInWords({ currency: 'USD', amount: '0.1' })).toBe('US Dollars Zero and Cents Ten Only');
    expect(integerInWords(11n)).toBe('Eleven');
    expect(integerInWords(19n)).toBe('Nineteen');
    expect(integerInWords(20n)).toBe('Twenty');
    expect(integerInWords(21n)).toBe('Twenty-One');
    expect(integerInWords(100n)).toBe('One Hundred');
    expect(integerInWords(101n)).toBe('One Hundred One');
    expect(integerInWords(110n)).toBe('One Hundred Ten');
    expect(integerInWords(999n)).toBe('Nine Hundred Ninety-Nine');
    expect(integerInWords(1000n)).toBe('One Thousand');
    expect(integerInWords(1_000_001n)).toBe('One Million One');
    expect(integerInWords(1_000_000_000n)).toBe('One Billion');
    expect(integerInWords(1_000n, 'indian')).toBe('One Thousand');
    expect(integerInWords(10_000_000n, 'indian')).toBe('One Crore');
    expect(integerInWords(1_00_00_00_000n, 'indian')).toBe('One Hundred Crore');
    expect(integerInWords(10_00_00_00_000n, 'indian')).toBe('One Thousand Crore');
  });

  it('rejects what is not a plain decimal', () => {
    for (const amount of ['', '-1.00', '1e5', '1,000.00', ' 1.00', '1.', '.5', 'NaN']) {
      expect(() => amountInWords({ currency: 'USD', amount }), amount).toThrow(RangeError);
    }
    expect(() => amountInWords({ currency: 'ABC', amount: '1' })).toThrow(/Unknown ISO 4217/);
  });

  it('never writes undefined or NaN, and reads back the number it was given (property)', () => {
    const currency = fc.constantFrom('USD', 'EUR', 'INR', 'JPY', 'KWD', 'AED', 'GBP', 'CNY', 'BRL', 'CLP', 'BHD');
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 22 }).map((d) => d.join(''));
    fc.assert(
      fc.property(currency, digits, fc.integer({ min: 0, max: 999 }), fc.constantFrom<'international' | 'indian' | undefined>('international', 'indian', undefined), (c, int, frac, system) => {
        const exp = currencyExponent(c);
        const amount = exp === 0 ? int : `${int}.${String(frac % 10 ** exp).padStart(exp, '0')}`;
        const words = amountInWords({ currency: c, amount }, system);
        expect(words).not.toMatch(/undefined|NaN|null|\s{2}|^\s|\s$/);
        expect(words.endsWith(' Only')).toBe(true);
        // the words parse back to the integer part
        const majorWords = words.replace(/ and .*$/, '').replace(/ Only$/, '');
        expect(parseWords(majorWords, system ?? (c === 'INR' ? 'indian' : 'international'))).toBe(BigInt(int));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Test-only reader of the words back into a number: the last run of number words of the string. */
function parseWords(text: string, system: 'international' | 'indian'): bigint {
  const small: Record<string, number> = {};
  ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen'].forEach(
    (w, i) => (small[w] = i),
  );
  ['Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'].forEach((w, i) => (small[w] = (i + 2) * 10));
  const intl = ['Thousand', 'Million', 'Billion', 'Trillion', 'Quadrillion', 'Quintillion', 'Sextillion', 'Septillion'];
  const tokens = text.split(/[\s-]+/).filter((t) => t in small || t === 'Hundred' || intl.includes(t) || t === 'Lakh' || t === 'Crore');
  if (system === 'international') {
    let total = 0n;
    let group = 0n;
    for (const t of tokens) {
      if (t in small) group += BigInt(small[t]!);
      else if (t === 'Hundred') group *= 100n;
      else {
        total += group * 1000n ** BigInt(intl.indexOf(t) + 1);
        group = 0n;
      }
    }
    return total + group;
  }
  // Indian: crore applies to everything before it (which may itself hold lakh and thousand)
  const readBelowCrore = (ts: string[]): bigint => {
    let total = 0n;
    let group = 0n;
    for (const t of ts) {
      if (t in small) group += BigInt(small[t]!);
      else if (t === 'Hundred') group *= 100n;
      else if (t === 'Thousand') (total += group * 1000n), (group = 0n);
      else if (t === 'Lakh') (total += group * 100000n), (group = 0n);
    }
    return total + group;
  };
  const read = (ts: string[]): bigint => {
    const i = ts.lastIndexOf('Crore');
    if (i < 0) return readBelowCrore(ts);
    return read(ts.slice(0, i)) * 10_000_000n + readBelowCrore(ts.slice(i + 1));
  };
  return read(tokens);
}
