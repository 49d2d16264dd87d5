import { describe, expect, it } from 'vitest';
import { parseFxCsv, splitCsv } from './fx-csv.js';

describe('splitCsv', () => {
  it('keeps the line each record starts on through CRLF, CR, quoted line breaks and doubled quotes', () => {
    const text = '\ufeffdate,base,quote,rate,note\r\n2026-11-20,EUR,INR,89.5,"two\r\nlines"\r\n2026-11-21,"USD","INR","84",""\r"he said ""hi"""\n2026-11-22,GBP,INR,107.1,x';
    expect(splitCsv(text)).toEqual([
      { line: 1, fields: ['date', 'base', 'quote', 'rate', 'note'] },
      { line: 2, fields: ['2026-11-20', 'EUR', 'INR', '89.5', 'two\r\nlines'] },
      { line: 4, fields: ['2026-11-21', 'USD', 'INR', '84', ''] },
      { line: 5, fields: ['he said "hi"'] },
      { line: 6, fields: ['2026-11-22', 'GBP', 'INR', '107.1', 'x'] },
    ]);
  });

  it('guesses ; and tab delimiters from the header', () => {
    expect(splitCsv('date;base;quote;rate\n2026-11-20;EUR;INR;89,5').map((r) => r.fields)).toEqual([
      ['date', 'base', 'quote', 'rate'],
      ['2026-11-20', 'EUR', 'INR', '89,5'],
    ]);
    expect(splitCsv('date\tbase\tquote\trate\n2026-11-20\tEUR\tINR\t89.5')[1]!.fields).toEqual(['2026-11-20', 'EUR', 'INR', '89.5']);
  });
});

describe('parseFxCsv', () => {
  it('reads columns in any order, ignores other columns and blank lines, normalises codes and rates', () => {
    const r = parseFxCsv(' Rate , QUOTE,Base,date,Source\n\n"89.5000", inr ,eur,2026-11-20,RBI\n,,,,\n84,INR,USD,2026-11-20,RBI\n', 100);
    expect(r.errors).toEqual([]);
    expect(r.count).toBe(2);
    expect(r.ignoredColumns).toEqual(['Source']);
    expect(r.rows).toEqual([
      { line: 3, date: '2026-11-20', base: 'EUR', quote: 'INR', rate: '89.5' },
      { line: 5, date: '2026-11-20', base: 'USD', quote: 'INR', rate: '84' },
    ]);
  });

  it('reports every problem by line and column', () => {
    const csv = [
      'date,base,quote,rate',
      '2026-02-30,EUR,INR,89.5', // 2: no such date
      '2026-11-20,EURO,INR,89.5', // 3: base
      '2026-11-20,INR,INR,1', // 4: same currency
      '2026-11-20,USD,INR,0', // 5: zero
      '2026-11-20,GBP,INR,1.12345678901', // 6: 11 decimals
      '2026-11-20,JPY,INR,-0.55', // 7: negative
      '2026-11-20,AUD,INR,55', // 8: fine
      '2026-11-20,AUD,INR,56', // 9: same pair and date, other rate
      '2026-11-20,AUD,INR,55', // 10: same again: read once
      '20/11/2026,CHF,INR,', // 11: date and rate
    ].join('\n');
    const r = parseFxCsv(csv, 100);
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'date'],
      [3, 'base'],
      [4, 'quote'],
      [5, 'rate'],
      [6, 'rate'],
      [7, 'rate'],
      [9, 'rate'],
      [11, 'date'],
      [11, 'rate'],
    ]);
    expect(r.errors.find((e) => e.line === 9)!.message).toContain('line 8');
    expect(r.rows.map((x) => x.line)).toEqual([8]);
  });

  it('needs the four columns in the header, and refuses more rows than allowed', () => {
    expect(parseFxCsv('date,base,rate\n2026-11-20,EUR,89.5', 10).errors).toEqual([{ line: 1, column: null, message: expect.stringContaining('missing: quote') }]);
    expect(parseFxCsv('', 10).errors[0]!.message).toContain('empty');
    const many = ['date,base,quote,rate', ...Array.from({ length: 4 }, (_, i) => `2026-11-2${i},EUR,INR,89`)].join('\n');
    expect(parseFxCsv(many, 3).errors).toEqual([{ line: 5, column: null, message: expect.stringContaining('At most 3 rows') }]);
    expect(parseFxCsv(many, 4).errors).toEqual([]);
  });
});
