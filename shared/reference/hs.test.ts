import { describe, it, expect } from 'vitest';
import { hsChapter, hsHeading, hsSubheading, isValidHsCode, normaliseHsCode } from './hs';

describe('normaliseHsCode', () => {
  it('strips dots, spaces and hyphens', () => {
    expect(normaliseHsCode('6109.10.00')).toBe('61091000');
    expect(normaliseHsCode(' 6109 10-00 ')).toBe('61091000');
    expect(normaliseHsCode('0904.11.10')).toBe('09041110');
  });

  it('keeps leading zeros and leaves other characters for validation to reject', () => {
    expect(normaliseHsCode('0904')).toBe('0904');
    expect(normaliseHsCode('61O910')).toBe('61O910');
  });
});

describe('hsSubheading', () => {
  it('finds cotton T-shirts (610910) with heading and chapter', () => {
    expect(hsSubheading('610910')).toEqual({
      code: '610910',
      description: 'T-shirts, singlets and other vests; of cotton, knitted or crocheted',
      heading: '6109',
      headingDescription: 'T-shirts, singlets and other vests; knitted or crocheted',
      chapter: '61',
      chapterDescription: 'Apparel and clothing accessories; knitted or crocheted',
    });
  });

  it("finds men's cotton trousers (620342)", () => {
    const sub = hsSubheading('6203.42');
    expect(sub?.code).toBe('620342');
    expect(sub?.description).toMatch(/^Trousers, bib and brace overalls, breeches and shorts; men's or boys', of cotton/);
    expect(sub?.heading).toBe('6203');
    expect(sub?.chapter).toBe('62');
  });

  it('uses the first six digits of an 8- or 10-digit national code', () => {
    const sub = hsSubheading('09041110'); // Indian ITC-HS: black pepper, light
    expect(sub?.code).toBe('090411');
    expect(sub?.description).toBe('Spices; pepper (of the genus piper), neither crushed nor ground');
    expect(sub?.heading).toBe('0904');
    expect(sub?.chapter).toBe('09');
    expect(hsSubheading('6109.10.00.10')?.code).toBe('610910');
  });

  it('returns undefined for unknown or malformed codes', () => {
    expect(hsSubheading('999999')).toBeUndefined();
    expect(hsSubheading('123456')).toBeUndefined();
    expect(hsSubheading('610999')).toBeUndefined();
    expect(hsSubheading('61091')).toBeUndefined();
    expect(hsSubheading('61091000000')).toBeUndefined();
    expect(hsSubheading('abcdef')).toBeUndefined();
    expect(hsSubheading('')).toBeUndefined();
  });
});

describe('hsHeading and hsChapter', () => {
  it('finds the pepper heading 0904 and its chapter', () => {
    expect(hsHeading('0904')).toEqual({
      code: '0904',
      description:
        'Pepper of the genus piper; dried or crushed or ground fruits of the genus capsicum or of the genus pimenta',
      chapter: '09',
      chapterDescription: 'Coffee, tea, mate and spices',
    });
    expect(hsHeading('09041110')?.code).toBe('0904');
  });

  it('finds chapters from any code length and rejects missing ones', () => {
    expect(hsChapter('09')).toEqual({ code: '09', description: 'Coffee, tea, mate and spices' });
    expect(hsChapter('610910')?.description).toBe('Apparel and clothing accessories; knitted or crocheted');
    expect(hsChapter('77')).toBeUndefined(); // reserved, unused in HS
    expect(hsChapter('99')).toBeUndefined(); // "not specified" is excluded
    expect(hsChapter('9')).toBeUndefined();
    expect(hsHeading('9999')).toBeUndefined();
    expect(hsHeading('1234')).toBeUndefined();
  });
});

describe('isValidHsCode', () => {
  it('accepts real 6-, 8- and 10-digit codes', () => {
    expect(isValidHsCode('610910')).toBe(true);
    expect(isValidHsCode('620342')).toBe(true);
    expect(isValidHsCode('09041110')).toBe(true);
    expect(isValidHsCode('6109.10.00')).toBe(true);
    expect(isValidHsCode('6109100010')).toBe(true);
  });

  it('rejects unknown subheadings, wrong lengths and letters', () => {
    expect(isValidHsCode('999999')).toBe(false);
    expect(isValidHsCode('123456')).toBe(false);
    expect(isValidHsCode('12345')).toBe(false);
    expect(isValidHsCode('0904')).toBe(false); // a heading, not a subheading
    expect(isValidHsCode('6109100')).toBe(false); // 7 digits
    expect(isValidHsCode('610910001')).toBe(false); // 9 digits
    expect(isValidHsCode('61091000001')).toBe(false); // 11 digits
    expect(isValidHsCode('61O910')).toBe(false);
    expect(isValidHsCode('abcdef')).toBe(false);
    expect(isValidHsCode('')).toBe(false);
  });
});
