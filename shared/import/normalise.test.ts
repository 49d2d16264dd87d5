import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isBlankRow,
  isSubtotalRow,
  parseCountry,
  parseDate,
  parseDecimal,
  parseHsCode,
  parseIncoterm,
  parsePort,
  type ParseResult,
} from './normalise.js';

function value<T>(r: ParseResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got error: ${r.error}`);
  return r.value;
}
function error<T>(r: ParseResult<T>): string {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

describe('parseDecimal', () => {
  it.each([
    ['1,20,000.50', '120000.5'],
    ['120,000.50', '120000.5'],
    ['120000.5', '120000.5'],
    ['12,34,56,789.10', '123456789.1'],
    ['1,000', '1000'],
    ['0012.500', '12.5'],
    ['0', '0'],
    ['  42  ', '42'],
  ])('reads %s as %s', (text, amount) => {
    expect(value(parseDecimal(text))).toEqual({ amount });
  });

  it('notes the grouping it read', () => {
    expect(parseDecimal('1,20,000.50')).toMatchObject({ ok: true, note: 'read 1,20,000.50 with Indian (lakh/crore) grouping' });
    expect(parseDecimal('120,000.50').ok && parseDecimal('120,000.50')).toMatchObject({ note: expect.stringContaining('international') });
    expect(parseDecimal('120000.5')).not.toHaveProperty('note');
  });

  it.each([
    ['₹ 1,20,000', '120000', 'INR'],
    ['INR 500', '500', 'INR'],
    ['USD 12.50', '12.5', 'USD'],
    ['Rs. 1,000', '1000', 'INR'],
    ['Rs. 1,000/-', '1000', 'INR'],
    ['Rs1000', '1000', 'INR'],
    ['100 Rs', '100', 'INR'],
    ['12.50 EUR', '12.5', 'EUR'],
    ['€12.50', '12.5', 'EUR'],
    ['£0.50', '0.5', 'GBP'],
    ['US$ 12', '12', 'USD'],
    ['A$ 12', '12', 'AUD'],
    ['$100 USD', '100', 'USD'],
    ['12.5usd', '12.5', 'USD'],
  ])('reads the currency in %s', (text, amount, currency) => {
    expect(value(parseDecimal(text))).toEqual({ amount, currency });
  });

  it('notes an assumed currency for bare $ and ¥', () => {
    expect(parseDecimal('$100')).toEqual({ ok: true, value: { amount: '100', currency: 'USD' }, note: 'read "$" as USD' });
    expect(parseDecimal('¥300')).toMatchObject({ ok: true, value: { currency: 'JPY' }, note: 'read "¥" as JPY' });
    expect(parseDecimal('$100 USD')).not.toHaveProperty('note');
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['USD', /not a number/],
    ['Rs.', /empty/],
    ['-5', /negative/],
    ['−5', /negative/],
    ['-₹100', /negative/],
    ['(1,000.00)', /negative/],
    ['+5', /sign/],
    ['1e5', /scientific notation/],
    ['1.5E+3', /scientific notation/],
    ['1.2.3', /more than one decimal point/],
    ['1,2,3', /grouping in the wrong place/],
    ['12,50', /decimal comma is not accepted/],
    ['1,00,00', /grouping in the wrong place/],
    ['1000,000', /grouping in the wrong place/],
    ['€ 1.234,50', /after the decimal point/],
    [' 1 200,50 ', /spaces inside a number/],
    ['1 200', /spaces inside a number/],
    ['.5', /digits on both sides/],
    ['5.', /digits on both sides/],
    ['12abc', /not a number/],
    ['USD 5 EUR', /conflicting currencies USD and EUR/],
    ['0,100', /starts with 0/],
  ])('rejects %j', (text, message) => {
    expect(error(parseDecimal(text))).toMatch(message);
  });

  it('enforces maxFraction on significant digits', () => {
    expect(value(parseDecimal('12.345', { maxFraction: 3 }))).toEqual({ amount: '12.345' });
    expect(value(parseDecimal('12.500', { maxFraction: 1 }))).toEqual({ amount: '12.5' });
    expect(error(parseDecimal('12.345', { maxFraction: 2 }))).toBe('too many decimal places: "12.345" has 3, at most 2 allowed');
    expect(error(parseDecimal('12.5', { maxFraction: 0 }))).toMatch(/too many decimal places/);
  });

  it('keeps huge values exact (no floats)', () => {
    expect(value(parseDecimal('9,99,99,99,99,99,99,999.123456789'))).toEqual({ amount: '9999999999999999.123456789' });
  });

  const integerDigits = fc.oneof(
    fc.constant('0'),
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 20 })).map(([h, t]) => `${h}${t.join('')}`),
  );
  const fraction = fc.option(
    fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 8 }), fc.integer({ min: 1, max: 9 })).map(([t, l]) => `${t.join('')}${l}`),
    { nil: undefined },
  );
  const canonical = fc.tuple(integerDigits, fraction).map(([i, f]) => (f === undefined ? i : `${i}.${f}`));

  const groupInternational = (int: string) => int.replace(/\B(?=(\d{3})+$)/g, ',');
  const groupIndian = (int: string) => {
    if (int.length <= 3) return int;
    const head = int.slice(0, -3);
    return `${head.replace(/\B(?=(\d{2})+$)/g, ',')},${int.slice(-3)}`;
  };

  it('round-trips canonical decimals written with Indian or international grouping (property)', () => {
    fc.assert(
      fc.property(
        canonical,
        fc.constantFrom(groupIndian, groupInternational, (s: string) => s),
        fc.constantFrom(['', '', undefined], ['₹ ', '', 'INR'], ['Rs. ', '/-', 'INR'], ['USD ', '', 'USD'], ['', ' EUR', 'EUR'], ['£', '', 'GBP']),
        (dec, group, [prefix, suffix, currency]) => {
          const [int, frac] = dec.split('.') as [string, string | undefined];
          const text = `${prefix}${group(int)}${frac === undefined ? '' : `.${frac}`}${suffix}`;
          const r = parseDecimal(text);
          expect(r.ok).toBe(true);
          expect(value(r)).toEqual(currency ? { amount: dec, currency } : { amount: dec });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('parseDate', () => {
  it.each([
    ['2026-12-05', '2026-12-05'],
    ['2026-1-5', '2026-01-05'],
    ['2026/12/05', '2026-12-05'],
    ['05-Dec-2026', '2026-12-05'],
    ['5-dec-2026', '2026-12-05'],
    ['Dec 5, 2026', '2026-12-05'],
    ['December 5 2026', '2026-12-05'],
    ['5 December 2026', '2026-12-05'],
    ['5th Dec 2026', '2026-12-05'],
    ['1 Sept 2026', '2026-09-01'],
    ['13/05/2026', '2026-05-13'],
    ['31.12.2026', '2026-12-31'],
    ['05/05/2026', '2026-05-05'],
    ['29/02/2024', '2024-02-29'],
  ])('reads %s as %s', (text, iso) => {
    expect(value(parseDate(text))).toBe(iso);
  });

  it('reads Excel 1900-system serials, including the Lotus leap-year bug', () => {
    expect(parseDate('46361')).toEqual({ ok: true, value: '2026-12-05', note: 'read Excel serial 46361 as 2026-12-05 (1900 date system)' });
    expect(value(parseDate('1'))).toBe('1900-01-01');
    expect(value(parseDate('59'))).toBe('1900-02-28');
    expect(error(parseDate('60'))).toMatch(/1900-02-29.*does not exist.*Lotus/);
    expect(value(parseDate('61'))).toBe('1900-03-01');
    expect(value(parseDate('45658'))).toBe('2025-01-01');
    expect(value(parseDate('2958465'))).toBe('9999-12-31');
    expect(parseDate('46361.75')).toMatchObject({ ok: true, value: '2026-12-05', note: expect.stringContaining('time of day ignored') });
    expect(error(parseDate('0'))).toMatch(/not an Excel date serial/);
    expect(error(parseDate('2958466'))).toMatch(/not an Excel date serial/);
    expect(error(parseDate('2026'))).toMatch(/looks like a year/);
  });

  it('flags a day/month ambiguity instead of guessing', () => {
    expect(parseDate('05/12/2026')).toEqual({
      ok: false,
      error: expect.stringMatching(/^ambiguous date "05\/12\/2026"/),
      candidates: ['2026-12-05', '2026-05-12'],
    });
    expect(parseDate('5.12.2026')).toMatchObject({ ok: false, candidates: ['2026-12-05', '2026-05-12'] });
  });

  it('uses prefer to settle the ambiguity, with a note', () => {
    expect(parseDate('05/12/2026', { prefer: 'DMY' })).toEqual({ ok: true, value: '2026-12-05', note: 'read 05/12/2026 as DD/MM/YYYY' });
    expect(parseDate('05/12/2026', { prefer: 'MDY' })).toEqual({ ok: true, value: '2026-05-12', note: 'read 05/12/2026 as MM/DD/YYYY' });
  });

  it('takes the only valid reading and notes when it contradicts prefer', () => {
    expect(parseDate('05/13/2026')).toMatchObject({ ok: true, value: '2026-05-13', note: expect.stringContaining('MM/DD/YYYY') });
    expect(parseDate('13/05/2026', { prefer: 'MDY' })).toMatchObject({ ok: true, value: '2026-05-13', note: expect.stringContaining('although MM/DD/YYYY was preferred') });
    expect(parseDate('05/13/2026', { prefer: 'MDY' })).toEqual({ ok: true, value: '2026-05-13' });
  });

  it.each([
    ['', /empty/],
    ['31/02/2026', /not a real date.*day 31 does not exist/],
    ['29/02/2025', /not a real date/],
    ['2026-02-30', /not a real date/],
    ['2026-13-01', /month 13 does not exist/],
    ['31-Feb-2026', /not a real date/],
    ['13/13/2026', /not a real date/],
    ['05/12/26', /four-digit year/],
    ['5 Dec 26', /four-digit year/],
    ['Foo 5 2026', /unknown month name/],
    ['next Tuesday', /not a recognised date/],
    ['2026-12-05T10:00', /not a recognised date/],
  ])('rejects %j', (text, message) => {
    expect(error(parseDate(text))).toMatch(message);
  });

  const dates = fc
    .tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .filter(([y, m, d]) => d <= new Date(Date.UTC(y, m, 0)).getUTCDate());
  const p = (n: number, w = 2) => String(n).padStart(w, '0');

  it('round-trips DD/MM/YYYY with prefer DMY and ISO (property)', () => {
    fc.assert(
      fc.property(dates, ([y, m, d]) => {
        const iso = `${p(y, 4)}-${p(m)}-${p(d)}`;
        expect(value(parseDate(iso))).toBe(iso);
        expect(value(parseDate(`${p(d)}/${p(m)}/${y}`, { prefer: 'DMY' }))).toBe(iso);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseIncoterm', () => {
  it.each([
    ['FOB Nhava Sheva Incoterms 2020', { rule: 'FOB', place: 'Nhava Sheva', version: '2020' }],
    ['CIF, Hamburg', { rule: 'CIF', place: 'Hamburg' }],
    ['fob-nhava sheva', { rule: 'FOB', place: 'nhava sheva' }],
    ['EXW Tiruppur (Incoterms® 2020)', { rule: 'EXW', place: 'Tiruppur', version: '2020' }],
    ['DAP  Jebel   Ali', { rule: 'DAP', place: 'Jebel Ali' }],
    ['FOB', { rule: 'FOB', place: null }],
    ['Free on Board Nhava Sheva', { rule: 'FOB', place: 'Nhava Sheva' }],
    ['Ex-Works Tiruppur', { rule: 'EXW', place: 'Tiruppur' }],
    ['Cost and Freight Hamburg', { rule: 'CFR', place: 'Hamburg' }],
  ])('reads %s', (text, expected) => {
    expect(value(parseIncoterm(text))).toEqual(expected);
  });

  it('notes an edition other than 2020 and the C&F shorthand', () => {
    expect(parseIncoterm('FOB Chennai Incoterms 2010')).toEqual({
      ok: true,
      value: { rule: 'FOB', place: 'Chennai', version: '2010' },
      note: 'Incoterms 2010 stated; FOB is checked against Incoterms 2020',
    });
    expect(parseIncoterm('C&F Hamburg')).toEqual({ ok: true, value: { rule: 'CFR', place: 'Hamburg' }, note: 'read "C&F" as CFR' });
    expect(parseIncoterm('FOB Nhava Sheva Incoterms 2020')).not.toHaveProperty('note');
  });

  it.each([
    ['', /empty/],
    ['XYZ Hamburg', /unknown Incoterm rule "XYZ" \(expected one of EXW, FCA/],
    ['FOBB Hamburg', /no Incoterm rule|unknown Incoterm rule/],
    ['DAT Hamburg', /DAT.*replaced by DPU/],
    ['DDU Berlin', /DDU was withdrawn/],
    ['FOB Hamburg Incoterms 2030', /unknown Incoterms edition 2030/],
    ['12 Hamburg', /no Incoterm rule/],
  ])('rejects %j', (text, message) => {
    expect(error(parseIncoterm(text))).toMatch(message);
  });
});

describe('parseHsCode', () => {
  it.each([
    ['6109.10.00', '61091000'],
    ['6109 10 00', '61091000'],
    ['61091000', '61091000'],
    ['610910', '610910'],
    ['6109-10', '610910'],
    ['HSN: 6109.10', '610910'],
    ['6109100010', '6109100010'],
    ['01012100', '01012100'],
  ])('reads %s as %s', (text, digits) => {
    expect(value(parseHsCode(text))).toBe(digits);
  });

  it.each([
    ['', /empty/],
    ['6109', /too short: 4 digits/],
    ['6109999', /7 digits; expected 6, 8 or 10/],
    ['61091000123', /too long: 11 digits/],
    ['61x91000', /characters other than digits/],
    ['77000000', /unknown chapter 77/],
    ['61990000', /unknown heading 6199/],
    ['61099900', /unknown subheading 610999 in heading 6109/],
    ['1012100', /drop a leading zero\? 01012100 is valid/],
  ])('rejects %j', (text, message) => {
    expect(error(parseHsCode(text))).toMatch(message);
  });
});

describe('parseCountry', () => {
  it.each([
    ['Germany', 'DE'],
    ['DEU', 'DE'],
    ['de', 'DE'],
    ['U.S.A.', 'US'],
    ['United States', 'US'],
    ['USA', 'US'],
    ['UAE', 'AE'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['the Netherlands', 'NL'],
    ["Côte d'Ivoire", 'CI'],
    ['  australia ', 'AU'],
  ])('reads %s as %s', (text, code) => {
    expect(value(parseCountry(text))).toBe(code);
  });

  it.each([
    ['England', 'GB', 'read "England" as GB (United Kingdom)'],
    ['Holland', 'NL', 'read "Holland" as NL (Netherlands)'],
    ['KSA', 'SA', 'read "KSA" as SA (Saudi Arabia)'],
    ['Viet Nam', 'VN', 'read "Viet Nam" as VN (Vietnam)'],
    ['Turkiye', 'TR', 'read "Turkiye" as TR (Türkiye)'],
  ])('reads the alias %s as %s with a note', (text, code, note) => {
    const r = parseCountry(text);
    expect(r).toMatchObject({ ok: true, value: code });
    expect(r.ok && r.note).toBe(note);
  });

  it('rejects unknown and ambiguous countries', () => {
    expect(error(parseCountry(''))).toMatch(/empty/);
    expect(error(parseCountry('Narnia'))).toMatch(/unknown country "Narnia"/);
    expect(error(parseCountry('EU'))).toMatch(/unknown country/);
    expect(parseCountry('Korea')).toEqual({ ok: false, error: expect.stringMatching(/ambiguous country "Korea"/), candidates: ['KR', 'KP'] });
  });
});

describe('parsePort', () => {
  it.each([
    ['INNSA', 'INNSA'],
    ['IN NSA', 'INNSA'],
    ['innsa', 'INNSA'],
    ['Nhava Sheva', 'INNSA'],
    ['JNPT', 'INNSA'],
    ['Nhava Sheva (Jawaharlal Nehru)', 'INNSA'],
    ['Hamburg', 'DEHAM'],
    ['hamburg', 'DEHAM'],
    ['Jebel Ali', 'AEJEA'],
    ['Dubai', 'AEDXB'],
    ['Chennai', 'INMAA'],
    ['Tuticorin', 'INTUT'],
    ['Rotterdam', 'NLRTM'],
    ['Sydney', 'AUSYD'],
    ['Hamburg, Germany', 'DEHAM'],
    ['Portland (GB)', 'GBPTL'],
  ])('reads %s as %s', (text, locode) => {
    expect(value(parsePort(text))).toBe(locode);
  });

  it('notes alias readings', () => {
    expect(parsePort('JNPT')).toMatchObject({ ok: true, note: 'read "JNPT" as INNSA (Jawaharlal Nehru (Nhava Sheva), IN)' });
    expect(parsePort('Hamburg')).not.toHaveProperty('note');
  });

  it('lists candidates for an ambiguous name, and a country narrows them', () => {
    const r = parsePort('Portland');
    expect(r).toMatchObject({ ok: false, candidates: ['AUPTJ', 'GBPTL', 'NZPOR', 'USDTP', 'USPDX', 'USPWM', 'USPWQ'] });
    expect(error(r)).toMatch(/^ambiguous port "Portland": AUPTJ \(Portland, AU\), GBPTL/);
    expect(value(parsePort('Portland', { country: 'GB' }))).toBe('GBPTL');
    expect(parsePort('Portland, US')).toMatchObject({ ok: false, candidates: ['USDTP', 'USPDX', 'USPWM', 'USPWQ'] });
  });

  it('rejects unknown ports and codes', () => {
    expect(error(parsePort(''))).toMatch(/empty/);
    expect(error(parsePort('XXABC'))).toBe('unknown UN/LOCODE "XXABC" (not a seaport)');
    expect(error(parsePort('Atlantis'))).toMatch(/unknown port "Atlantis"/);
    expect(error(parsePort('Hamburg', { country: 'US' }))).toMatch(/unknown port "Hamburg" in US/);
    expect(error(parsePort('Hamburg, Germany', { country: 'NL' }))).toMatch(/is in DE, expected NL/);
  });
});

describe('row classifiers', () => {
  it('isBlankRow', () => {
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow([null, undefined, '', '   ', '\u00a0'])).toBe(true);
    expect(isBlankRow([null, 0])).toBe(false);
    expect(isBlankRow(['', 'x'])).toBe(false);
    expect(isBlankRow([false])).toBe(false);
  });

  it.each([
    [['Total', null, 1200, '₹ 1,20,000.50']],
    [['', 'Subtotal', '', 12, 340.5]],
    [['Sub-total:', 10]],
    [['GRAND TOTAL', '1,20,000']],
    [['Total Amount', 'USD 12.50']],
    [['Total (INR)', 5]],
    [['Total']],
  ])('isSubtotalRow accepts %j', (cells) => {
    expect(isSubtotalRow(cells)).toBe(true);
  });

  it.each([
    [[]],
    [[null, '']],
    [['KK-TS-01', 'Total cotton T-shirt', 100, '2.50']],
    [['Total Care Shampoo', '33051090', 100]],
    [['Total', 'Hamburg', 100]],
    [['Totals by buyer', 100]],
    [[1200, 340]],
    [['Total', Number.NaN]],
    [['Total', new Date(0)]],
  ])('isSubtotalRow rejects %j', (cells) => {
    expect(isSubtotalRow(cells)).toBe(false);
  });
});
