import { currencyExponent } from './currency.js';

/**
 * Amounts in words for invoices ("US Dollars Twelve Thousand Three Hundred Forty-Five and Cents Sixty Only").
 * Exact: the words are read from the decimal string's digits (BigInt), never from a float.
 *
 * Two numbering systems:
 * - `international`: thousand, million, billion, trillion… (groups of three digits);
 * - `indian`: thousand, lakh (10^5), crore (10^7), with the crore count itself read in the Indian system
 *   ("One Lakh Crore" for 10^12), as Indian banks and customs write amounts.
 * Without `system`, INR is written in the Indian system and every other currency in the international one.
 *
 * Unit names are plural throughout ("Rupees One Only"), as banks and the Indian customs forms write them.
 * A currency without known unit names is written with its ISO code and the fraction as digits
 * ("BRL One Hundred and 50/100 Only").
 */
export type NumberingSystem = 'international' | 'indian';

interface UnitNames {
  major: string;
  /** Null: the currency has no minor unit in use (JPY), or none we name. */
  minor: string | null;
}

/** Major/minor unit names of common trade currencies. */
export const CURRENCY_UNIT_NAMES: Readonly<Record<string, UnitNames>> = {
  USD: { major: 'US Dollars', minor: 'Cents' },
  EUR: { major: 'Euros', minor: 'Cents' },
  GBP: { major: 'Pounds Sterling', minor: 'Pence' },
  INR: { major: 'Rupees', minor: 'Paise' },
  AED: { major: 'UAE Dirhams', minor: 'Fils' },
  SAR: { major: 'Saudi Riyals', minor: 'Halalas' },
  QAR: { major: 'Qatari Riyals', minor: 'Dirhams' },
  OMR: { major: 'Omani Rials', minor: 'Baisa' },
  BHD: { major: 'Bahraini Dinars', minor: 'Fils' },
  KWD: { major: 'Kuwaiti Dinars', minor: 'Fils' },
  AUD: { major: 'Australian Dollars', minor: 'Cents' },
  NZD: { major: 'New Zealand Dollars', minor: 'Cents' },
  CAD: { major: 'Canadian Dollars', minor: 'Cents' },
  SGD: { major: 'Singapore Dollars', minor: 'Cents' },
  HKD: { major: 'Hong Kong Dollars', minor: 'Cents' },
  CHF: { major: 'Swiss Francs', minor: 'Centimes' },
  ZAR: { major: 'South African Rand', minor: 'Cents' },
  JPY: { major: 'Japanese Yen', minor: null },
  CNY: { major: 'Chinese Yuan', minor: 'Fen' },
};

const ONES = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen'];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];
/** Scale words for groups of three digits, from 10^3 up. */
const INTERNATIONAL_SCALES = ['Thousand', 'Million', 'Billion', 'Trillion', 'Quadrillion', 'Quintillion', 'Sextillion', 'Septillion', 'Octillion', 'Nonillion', 'Decillion'];

/** 1–99. */
function belowHundred(n: number): string {
  if (n < 20) return ONES[n]!;
  const tens = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? tens : `${tens}-${ONES[n % 10]!}`;
}

/** 1–999. */
function belowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(`${ONES[hundreds]!} Hundred`);
  if (rest > 0) parts.push(belowHundred(rest));
  return parts.join(' ');
}

function internationalWords(n: bigint): string {
  if (n === 0n) return 'Zero';
  const groups: number[] = [];
  for (let rest = n; rest > 0n; rest /= 1000n) groups.push(Number(rest % 1000n));
  if (groups.length - 1 > INTERNATIONAL_SCALES.length) throw new RangeError('Amount too large to write in words');
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    parts.push(i === 0 ? belowThousand(g) : `${belowThousand(g)} ${INTERNATIONAL_SCALES[i - 1]!}`);
  }
  return parts.join(' ');
}

function indianWords(n: bigint): string {
  if (n === 0n) return 'Zero';
  const parts: string[] = [];
  const crores = n / 10_000_000n;
  let rest = n % 10_000_000n;
  if (crores > 0n) parts.push(`${indianWords(crores)} Crore`);
  const lakhs = Number(rest / 100_000n);
  rest %= 100_000n;
  const thousands = Number(rest / 1000n);
  const units = Number(rest % 1000n);
  if (lakhs > 0) parts.push(`${belowHundred(lakhs)} Lakh`);
  if (thousands > 0) parts.push(`${belowHundred(thousands)} Thousand`);
  if (units > 0) parts.push(belowThousand(units));
  return parts.join(' ');
}

/** A non-negative integer in words. */
export function integerInWords(n: bigint, system: NumberingSystem = 'international'): string {
  if (n < 0n) throw new RangeError('Negative numbers are not written in words here');
  return system === 'indian' ? indianWords(n) : internationalWords(n);
}

const AMOUNT_RE = /^(\d+)(?:\.(\d+))?$/;

/**
 * An amount in words, e.g. `{ currency: 'USD', amount: '12345.60' }` → "US Dollars Twelve Thousand Three Hundred
 * Forty-Five and Cents Sixty Only". The amount is a plain decimal string in major units with at most the currency's
 * minor digits (fewer are padded: "12.5" USD is 12 dollars 50 cents). Throws on anything else — an amount is never
 * rounded here.
 */
export function amountInWords(money: { currency: string; amount: string }, system?: NumberingSystem): string {
  const { currency, amount } = money;
  const m = AMOUNT_RE.exec(amount);
  if (!m) throw new RangeError(`Not a plain decimal amount: ${amount}`);
  const exp = currencyExponent(currency);
  const fraction = m[2] ?? '';
  if (fraction.length > exp) throw new RangeError(`${currency} has ${exp} decimal place(s); got ${amount}`);
  const sys: NumberingSystem = system ?? (currency === 'INR' ? 'indian' : 'international');
  const major = BigInt(m[1]!);
  const minorDigits = fraction.padEnd(exp, '0');
  const minor = exp === 0 ? 0n : BigInt(minorDigits);

  const names = CURRENCY_UNIT_NAMES[currency];
  const majorName = names?.major ?? currency;
  let words = `${majorName} ${integerInWords(major, sys)}`;
  if (minor > 0n) {
    words += names?.minor ? ` and ${names.minor} ${integerInWords(minor, sys)}` : ` and ${minorDigits}/${10n ** BigInt(exp)}`;
  }
  return `${words} Only`;
}
