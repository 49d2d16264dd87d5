import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from './csv.js';

/** Just the values of each record. */
const values = (text: string, options?: Parameters<typeof parseCsv>[1]) => parseCsv(text, options).map((r) => r.fields.map((f) => f.value));

describe('parseCsv', () => {
  it('reads plain fields and records, with the line each starts on', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      { line: 1, fields: [{ value: 'a', quoted: false }, { value: 'b', quoted: false }] },
      { line: 2, fields: [{ value: 'c', quoted: false }, { value: 'd', quoted: false }] },
    ]);
  });

  it('reads quoted fields: delimiters and doubled quotes inside, text after the closing quote appended', () => {
    expect(values('"a,b","say ""hi""","""",x"y"z,"a"b')).toEqual([['a,b', 'say "hi"', '"', 'x"y"z', 'ab']]);
  });

  it('keeps line breaks inside quotes as written, and counts them in the line numbers', () => {
    const records = parseCsv('h\n"one\ntwo",x\n"three\r\nfour\rfive"\nlast');
    expect(records.map((r) => [r.line, r.fields.map((f) => f.value)])).toEqual([
      [1, ['h']],
      [2, ['one\ntwo', 'x']],
      [4, ['three\r\nfour\rfive']],
      [7, ['last']],
    ]);
  });

  it('ends records at LF, CRLF or a lone CR, alike', () => {
    const want = [['a', 'b'], ['c', 'd'], ['e', 'f']];
    for (const eol of ['\n', '\r\n', '\r']) {
      expect(values(['a,b', 'c,d', 'e,f'].join(eol))).toEqual(want);
      expect(parseCsv(['a,b', 'c,d', 'e,f'].join(eol)).map((r) => r.line)).toEqual([1, 2, 3]);
    }
    expect(values('a\r\nb\rc\nd')).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('does not make a record of a trailing line break, but does of text after the last one', () => {
    expect(values('a,b\n')).toEqual([['a', 'b']]);
    expect(values('a,b\r\n')).toEqual([['a', 'b']]);
    expect(values('a,b\n ')).toEqual([['a', 'b'], [' ']]);
    expect(values('a\n""')).toEqual([['a'], ['']]);
    expect(values('a\n,')).toEqual([['a'], ['', '']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('reads an empty line as a record of one empty unquoted field', () => {
    expect(parseCsv('a\n\n\r\nb')).toEqual([
      { line: 1, fields: [{ value: 'a', quoted: false }] },
      { line: 2, fields: [{ value: '', quoted: false }] },
      { line: 3, fields: [{ value: '', quoted: false }] },
      { line: 4, fields: [{ value: 'b', quoted: false }] },
    ]);
  });

  it('tells a quoted empty string from an empty field', () => {
    expect(parseCsv('"",,x,""')[0]!.fields).toEqual([
      { value: '', quoted: true },
      { value: '', quoted: false },
      { value: 'x', quoted: false },
      { value: '', quoted: true },
    ]);
  });

  it('runs an unterminated quote to the end of the text', () => {
    expect(parseCsv('a\n"b,c\nd')).toEqual([
      { line: 1, fields: [{ value: 'a', quoted: false }] },
      { line: 2, fields: [{ value: 'b,c\nd', quoted: true }] },
    ]);
    expect(parseCsv('a,"')[0]!.fields).toEqual([
      { value: 'a', quoted: false },
      { value: '', quoted: true },
    ]);
  });

  it('drops a leading byte order mark (only there)', () => {
    expect(values('\ufeffa,b\n"c"')).toEqual([['a', 'b'], ['c']]);
    expect(values('\ufeff"a"')).toEqual([['a']]);
    expect(values('a,\ufeffb')).toEqual([['a', '\ufeffb']]);
  });

  it('reads a quote mid-field as a character; after leading spaces only with quoteAfterSpaces, which drops the spaces', () => {
    expect(values('ab"c,d')).toEqual([['ab"c', 'd']]);
    expect(values(' "a,b"')).toEqual([[' "a', 'b"']]);
    expect(values(' "a,b", \t"", x"y', { quoteAfterSpaces: true })).toEqual([['a,b', '', ' x"y']]);
    expect(parseCsv(' "" ,', { quoteAfterSpaces: true })[0]!.fields).toEqual([
      { value: ' ', quoted: true },
      { value: '', quoted: false },
    ]);
    // A tab delimiter is a delimiter, not a space.
    expect(values('\t"a"', { delimiter: '\t', quoteAfterSpaces: true })).toEqual([['', 'a']]);
  });

  it('guesses the delimiter from the first line (by any line end) unless given one', () => {
    expect(values('a;b;c\n1,5;2,5;3')).toEqual([['a', 'b', 'c'], ['1,5', '2,5', '3']]);
    expect(values('a\tb\n1,5\t2')).toEqual([['a', 'b'], ['1,5', '2']]);
    expect(values('a;b\r1,2,3,4\r')).toEqual([['a', 'b'], ['1,2,3,4']]);
    expect(values('a,b;c\n1;2')).toEqual([['a', 'b;c'], ['1;2']]);
    expect(values('a;b', { delimiter: ',' })).toEqual([['a;b']]);
    expect(values('a,b\n1;2', { delimiter: ';' })).toEqual([['a,b'], ['1', '2']]);
    expect(values('a,b', { delimiter: 'auto' })).toEqual([['a', 'b']]);
  });
});

describe('detectDelimiter', () => {
  it('takes the most frequent of , ; tab, preferring them in that order on a tie, and , when none occurs', () => {
    expect(detectDelimiter('a;b;c,d')).toBe(';');
    expect(detectDelimiter('a\tb\tc;d')).toBe('\t');
    expect(detectDelimiter('a,b;c\td')).toBe(',');
    expect(detectDelimiter('a;b\tc')).toBe(';');
    expect(detectDelimiter('abc')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });

  it('counts delimiters inside quotes too (it does not tokenize)', () => {
    expect(detectDelimiter('"a,b,c";d;e')).toBe(',');
  });
});
