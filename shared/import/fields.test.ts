import { describe, expect, it } from 'vitest';
import { UNITS } from '../contracts/products.js';
import { columnIndex, columnLetter, numberCellToDecimal, parseCurrency, parsePercent, parseTransportMode, parseUnit } from './fields.js';

describe('column letters', () => {
  it.each([
    [0, 'A'], [25, 'Z'], [26, 'AA'], [51, 'AZ'], [52, 'BA'], [701, 'ZZ'], [702, 'AAA'], [16383, 'XFD'],
  ])('%i ↔ %s', (index, letters) => {
    expect(columnLetter(index)).toBe(letters);
    expect(columnIndex(letters)).toBe(index);
    expect(columnIndex(letters.toLowerCase())).toBe(index);
  });
  it('refuses what is not letters', () => {
    expect(columnIndex('A1')).toBeUndefined();
    expect(columnIndex('')).toBeUndefined();
  });
});

describe('cell parsers', () => {
  it('numberCellToDecimal keeps what it can write exactly', () => {
    expect(numberCellToDecimal(12.5)).toEqual({ ok: true, value: '12.5' });
    expect(numberCellToDecimal(1000)).toEqual({ ok: true, value: '1000' });
    expect(numberCellToDecimal(0.1 + 0.2)).toEqual({ ok: true, value: '0.30000000000000004' });
    expect(numberCellToDecimal(-1).ok).toBe(false);
    expect(numberCellToDecimal(1e21).ok).toBe(false);
    expect(numberCellToDecimal(Number.NaN).ok).toBe(false);
  });

  it('parseTransportMode', () => {
    expect(parseTransportMode('Sea')).toEqual({ ok: true, value: 'sea' });
    expect(parseTransportMode('inland waterway')).toEqual({ ok: true, value: 'inland_waterway' });
    expect(parseTransportMode('Ocean Freight')).toMatchObject({ ok: true, value: 'sea', note: expect.any(String) });
    expect(parseTransportMode('By Air')).toMatchObject({ ok: true, value: 'air' });
    expect(parseTransportMode('teleport').ok).toBe(false);
  });

  it('parseCurrency', () => {
    expect(parseCurrency('usd')).toEqual({ ok: true, value: 'USD' });
    expect(parseCurrency('₹')).toEqual({ ok: true, value: 'INR' });
    expect(parseCurrency('Rs.')).toEqual({ ok: true, value: 'INR' });
    expect(parseCurrency('€')).toEqual({ ok: true, value: 'EUR' });
    expect(parseCurrency('£')).toEqual({ ok: true, value: 'GBP' });
    expect(parseCurrency('$')).toEqual({ ok: true, value: 'USD', note: 'read "$" as USD' });
    expect(parseCurrency('XYZ').ok).toBe(false);
  });

  it('parseUnit', () => {
    expect(parseUnit('pcs', UNITS)).toEqual({ ok: true, value: 'PCS' });
    expect(parseUnit('Pieces', UNITS)).toEqual({ ok: true, value: 'PCS' });
    expect(parseUnit('dozen', UNITS)).toEqual({ ok: true, value: 'DZ' });
    expect(parseUnit('CBM', UNITS)).toEqual({ ok: true, value: 'M3' });
    expect(parseUnit('furlongs', UNITS).ok).toBe(false);
  });

  it('parsePercent', () => {
    expect(parsePercent('2.5%')).toEqual({ ok: true, value: '2.5' });
    expect(parsePercent('5 %')).toEqual({ ok: true, value: '5' });
    expect(parsePercent(2.5)).toEqual({ ok: true, value: '2.5' });
    expect(parsePercent('100')).toEqual({ ok: true, value: '100' });
    expect(parsePercent('100.5').ok).toBe(false);
    expect(parsePercent('2.555').ok).toBe(false);
    expect(parsePercent('-2').ok).toBe(false);
    expect(parsePercent('abc').ok).toBe(false);
  });
});
