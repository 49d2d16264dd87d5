/**
 * One small CSV tokenizer for every CSV the app reads (FX rates, exporters' order sheets). Pure and Web-standard:
 * a string in, records out; no Node APIs, no I/O.
 *
 * RFC 4180 plus what real files do: quoted fields, doubled quotes ("") inside them, line breaks inside quotes
 * (kept as written), CRLF, LF or lone CR line ends, a leading UTF-8 byte order mark (dropped), and `,`, `;` or
 * tab as the delimiter. A quote in the middle of an unquoted field is an ordinary character; text after a
 * closing quote is appended to the field (`"a"b` reads `ab`); an unterminated quote runs to the end of the text.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvField {
  value: string;
  /** The field had a quoted part: tells `""` (an empty string) from nothing at all between two delimiters. */
  quoted: boolean;
}

export interface CsvRecord {
  /** The 1-based line the record starts on (line breaks inside quoted fields count). */
  line: number;
  /** At least one field: an empty line is one empty unquoted field. */
  fields: CsvField[];
}

export interface CsvOptions {
  /** A fixed delimiter, or `'auto'` (the default): see {@link detectDelimiter}, applied to the first line. */
  delimiter?: CsvDelimiter | 'auto';
  /**
   * A quote after nothing but spaces or tabs at the start of a field still opens a quoted field, and those spaces
   * are dropped (` "a,b"` reads `a,b`). Off by default: then such a quote is an ordinary character.
   */
  quoteAfterSpaces?: boolean;
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/** The one of `,` `;` tab that occurs most often in `line` (ties in that order; `,` when none occurs). Quotes are not read. */
export function detectDelimiter(line: string): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = line.split(d).length - 1;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

/**
 * Split CSV text into records. Every line break outside quotes ends a record (so empty lines are records too);
 * a trailing line break does not start another one; text after the last line break is a record.
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : detectDelimiter(s.slice(0, s.search(/[\r\n]|$/)));
  const skipSpaces = options.quoteAfterSpaces === true;
  const records: CsvRecord[] = [];
  let line = 1;
  let start = 1;
  let fields: CsvField[] = [];
  let value = '';
  let quoted = false; // had a quoted part
  let inQuotes = false;
  let atStart = true; // nothing read in this field yet (but spaces, when skipSpaces)
  const endField = () => {
    fields.push({ value, quoted });
    value = '';
    quoted = false;
    atStart = true;
  };
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          value += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n' || (ch === '\r' && s[i + 1] !== '\n')) line++;
        value += ch;
      }
    } else if (ch === '"' && atStart) {
      inQuotes = quoted = true;
      atStart = false;
      value = '';
    } else if (ch === sep) endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      endField();
      records.push({ line: start, fields });
      fields = [];
      start = ++line;
    } else {
      value += ch;
      if (!skipSpaces || (ch !== ' ' && ch !== '\t')) atStart = false;
    }
  }
  if (value !== '' || quoted || fields.length) {
    endField();
    records.push({ line: start, fields });
  }
  return records;
}
