import { describe, it, expect } from 'vitest';
import { isSeaport, normaliseLocode, seaport } from './ports';

describe('normaliseLocode', () => {
  it('uppercases and strips spaces', () => {
    expect(normaliseLocode('in nsa')).toBe('INNSA');
    expect(normaliseLocode(' de ham ')).toBe('DEHAM');
    expect(normaliseLocode('NLRTM')).toBe('NLRTM');
  });
});

describe('seaport', () => {
  it('finds Nhava Sheva / JNPT (INNSA) and keeps its alternative-language name', () => {
    expect(seaport('in nsa')).toEqual({
      locode: 'INNSA',
      name: 'Jawaharlal Nehru (Nhava Sheva)',
      country: 'IN',
      subdivision: 'MH',
      alternateNames: ['Nhava Sheva (Jawaharlal Nehru)'],
    });
  });

  it('finds major seaports with their UN/LOCODE names', () => {
    expect(seaport('DEHAM')).toEqual({ locode: 'DEHAM', name: 'Hamburg', country: 'DE', subdivision: 'HH' });
    expect(seaport('USNYC')).toEqual({ locode: 'USNYC', name: 'New York', country: 'US', subdivision: 'NY' });
    expect(seaport('AUSYD')).toEqual({ locode: 'AUSYD', name: 'Sydney', country: 'AU', subdivision: 'NSW' });
    expect(seaport('NLRTM')).toEqual({ locode: 'NLRTM', name: 'Rotterdam', country: 'NL', subdivision: 'ZH' });
    expect(seaport('CNSHG')?.name).toBe('Shanghai Pt');
  });

  it('omits the subdivision when UN/LOCODE has none', () => {
    expect(seaport('AEJEA')).toEqual({ locode: 'AEJEA', name: 'Jebel Ali', country: 'AE' });
  });

  it('returns undefined for non-ports and malformed codes', () => {
    expect(seaport('CNSHA')).toBeUndefined(); // Shanghai Hongqiao airport
    expect(seaport('XXXXX')).toBeUndefined();
    expect(seaport('INNS')).toBeUndefined();
    expect(seaport('')).toBeUndefined();
    expect(seaport('__proto__')).toBeUndefined();
  });
});

describe('isSeaport', () => {
  it('is true for seaports, in any case and spacing', () => {
    for (const code of ['INNSA', 'in nsa', 'DEHAM', 'USNYC', 'AUSYD', 'AEJEA', 'NLRTM']) {
      expect(isSeaport(code), code).toBe(true);
    }
  });

  it('is false for an airport-only code and for junk', () => {
    expect(isSeaport('CNSHA')).toBe(false);
    expect(isSeaport('ZZZZZ')).toBe(false);
    expect(isSeaport('constructor')).toBe(false);
    expect(isSeaport('')).toBe(false);
  });
});
