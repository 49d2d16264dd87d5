import { describe, expect, test } from 'vitest';
import { columnIndex, columnLetters, formatAddress, parseAddress, quoteSheetName } from './address';
import { displayText } from './number-format';
import { coerceInput, dateToSerial, serialToDate } from './values';

describe('A1 addresses', () => {
  test('column letters round-trip at the edges', () => {
    expect([0, 25, 26, 701, 702, 16_383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA', 'XFD']);
    expect(['A', 'z', 'AA', 'XFD', 'XFE', 'A1'].map(columnIndex)).toEqual([0, 25, 26, 16_383, -1, -1]);
  });

  test('parses cells, areas, whole columns/rows, absolute refs and sheet prefixes', () => {
    expect(parseAddress('C5')).toEqual({ rect: { row: 4, col: 2, rows: 1, cols: 1 } });
    expect(parseAddress('$C$10:a1')).toEqual({ rect: { row: 0, col: 0, rows: 10, cols: 3 } });
    expect(parseAddress('B:D').rect).toEqual({ row: 0, col: 1, rows: 1_048_576, cols: 3 });
    expect(parseAddress('3:3').rect).toEqual({ row: 2, col: 0, rows: 1, cols: 16_384 });
    expect(parseAddress("'It''s here'!A1:B2")).toEqual({ sheet: "It's here", rect: { row: 0, col: 0, rows: 2, cols: 2 } });
    expect(parseAddress('Orders!A2').sheet).toBe('Orders');
  });

  test('rejects what is not an A1 address with InvalidArgument', () => {
    for (const bad of ['', 'B', 'A0', 'A1:B', 'XFE1', 'A1048577', 'A1:B2:C3', 'MyName', "'unterminated!A1"]) {
      expect(() => parseAddress(bad), bad).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    }
  });

  test('quotes sheet names the way Excel does in addresses', () => {
    expect(['Sheet1', 'ExportDesk_Snapshot', 'My Orders', "O'Brien", '2024', 'A1', 'Données'].map(quoteSheetName)).toEqual([
      'Sheet1',
      'ExportDesk_Snapshot',
      "'My Orders'",
      "'O''Brien'",
      "'2024'",
      "'A1'",
      'Données',
    ]);
    expect(formatAddress('My Orders', { row: 0, col: 0, rows: 1_048_576, cols: 1 })).toBe("'My Orders'!A:A");
  });
});

describe('dates and display text', () => {
  test('date serials follow the 1900 system, including the fictitious 1900-02-29', () => {
    expect(dateToSerial(1900, 1, 1)).toBe(1);
    expect(dateToSerial(1900, 2, 28)).toBe(59);
    expect(dateToSerial(1900, 3, 1)).toBe(61);
    expect(dateToSerial(2024, 1, 15)).toBe(45306);
    expect(dateToSerial(2024, 2, 30)).toBeNull();
    expect(serialToDate(60)).toMatchObject({ year: 1900, month: 2, day: 29 });
    expect(serialToDate(45306.5)).toMatchObject({ year: 2024, month: 1, day: 15, hours: 12, minutes: 0 });
  });

  test('text for date, time and number formats', () => {
    expect(displayText(45306, 'yyyy-mm-dd')).toBe('2024-01-15');
    expect(displayText(45306, 'dd/mm/yyyy')).toBe('15/01/2024');
    expect(displayText(45306, 'm/d/yyyy;@')).toBe('1/15/2024');
    expect(displayText(45306, '[$-409]d-mmm-yy')).toBe('15-Jan-24');
    expect(displayText(45306.75, 'yyyy-mm-dd hh:mm')).toBe('2024-01-15 18:00');
    expect(displayText(0.5, '0%')).toBe('50%');
    expect(displayText(-1234567.891, '#,##0.00')).toBe('-1,234,567.89');
    expect(displayText(2.5, 'General')).toBe('2.5');
    expect(displayText(true, 'General')).toBe('TRUE');
    expect(displayText(undefined, 'yyyy-mm-dd')).toBe('');
  });

  test('input conversion: numbers, booleans, percentages, ISO dates; text format and formulas untouched', () => {
    expect(coerceInput('  42 ', undefined)).toEqual({ value: 42 });
    expect(coerceInput('0401', '@')).toEqual({ value: '0401' });
    expect(coerceInput('false', undefined)).toEqual({ value: false });
    expect(coerceInput('12.5%', undefined)).toEqual({ value: 0.125, impliedFormat: '0.0%' });
    expect(coerceInput('2024-01-15', 'dd/mm/yyyy')).toEqual({ value: 45306 });
    expect(coerceInput('2024-13-45', undefined)).toEqual({ value: '2024-13-45' });
    expect(coerceInput('=A1*2', undefined)).toEqual({ value: '=A1*2' });
    expect(coerceInput('', undefined)).toEqual({ value: undefined });
    expect(coerceInput(null, undefined)).toEqual({ value: null });
    expect(coerceInput(Number.NaN, undefined)).toEqual({ value: null });
    expect(() => coerceInput({ a: 1 }, undefined)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
