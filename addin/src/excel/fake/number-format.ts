/**
 * `Range.text`: the display string of a cell for its number format. Deliberately small:
 *  - "General" (and "@"): numbers as String(n), booleans as TRUE/FALSE, strings as they are;
 *  - date/time formats built from y, m, d, h, s tokens with literal separators ("yyyy-mm-dd", "dd/mm/yyyy",
 *    "m/d/yyyy", "d-mmm-yy", "hh:mm"), ignoring a trailing ";@" and "[$-409]" locale prefixes;
 *  - fixed-point formats "0", "0.00", "#,##0.00" and percentages "0%", "0.0%".
 * Anything else falls back to String(n).
 */
import { serialToDate, type CellValue } from './values';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function displayText(value: CellValue | undefined, numberFormat: string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  const fmt = firstSection(numberFormat ?? 'General');
  if (fmt === '' || fmt.toLowerCase() === 'general' || fmt === '@') return String(value);
  if (isDateFormat(fmt)) return formatDate(value, fmt) ?? '#'.repeat(8);
  const fixed = /^(#,##)?0(\.(0+))?(%?)$/.exec(fmt);
  if (fixed) {
    const grouping = !!fixed[1];
    const decimals = fixed[3]?.length ?? 0;
    const percent = fixed[4] === '%';
    const n = percent ? value * 100 : value;
    let s = n.toFixed(decimals);
    if (grouping) {
      const [int, frac] = s.split('.');
      const sign = int!.startsWith('-') ? '-' : '';
      const digits = sign ? int!.slice(1) : int!;
      s = sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
    }
    return percent ? `${s}%` : s;
  }
  return String(value);
}

function firstSection(fmt: string): string {
  // "m/d/yyyy;@" → "m/d/yyyy"; strip locale/colour prefixes like "[$-409]" or "[Red]".
  let inQuote = false;
  let out = '';
  for (const ch of fmt) {
    if (ch === '"') inQuote = !inQuote;
    if (ch === ';' && !inQuote) break;
    out += ch;
  }
  return out.replace(/\[[^\]]*\]/g, '').trim();
}

export function isDateFormat(fmt: string): boolean {
  const bare = firstSection(fmt).replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[yd]/i.test(bare) || (/m/i.test(bare) && !/[0#]/.test(bare)) || /h/i.test(bare);
}

function formatDate(serial: number, fmt: string): string | null {
  const d = serialToDate(serial);
  if (!d) return null;
  const tokens = tokenize(fmt);
  // "m"/"mm" right after an hour token or right before a seconds token means minutes.
  const isMinute = (i: number) => {
    for (let j = i - 1; j >= 0; j--) {
      const t = tokens[j]!;
      if (t.kind === 'lit') continue;
      if (/^h+$/i.test(t.text)) return true;
      break;
    }
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.kind === 'lit') continue;
      return /^s+$/i.test(t.text);
    }
    return false;
  };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return tokens
    .map((t, i) => {
      if (t.kind === 'lit') return t.text;
      const k = t.text.toLowerCase();
      switch (k[0]) {
        case 'y':
          return k.length <= 2 ? pad(d.year % 100, 2) : String(d.year);
        case 'm':
          if (k.length <= 2 && isMinute(i)) return k.length === 2 ? pad(d.minutes, 2) : String(d.minutes);
          if (k.length === 1) return String(d.month);
          if (k.length === 2) return pad(d.month, 2);
          if (k.length === 3) return MONTHS[d.month - 1]!.slice(0, 3);
          if (k.length === 5) return MONTHS[d.month - 1]!.slice(0, 1);
          return MONTHS[d.month - 1]!;
        case 'd':
          if (k.length === 1) return String(d.day);
          if (k.length === 2) return pad(d.day, 2);
          if (k.length === 3) return DAYS[d.weekday]!.slice(0, 3);
          return DAYS[d.weekday]!;
        case 'h':
          return k.length === 1 ? String(d.hours) : pad(d.hours, 2);
        case 's':
          return k.length === 1 ? String(d.seconds) : pad(d.seconds, 2);
        default:
          return t.text;
      }
    })
    .join('');
}

type Token = { kind: 'tok' | 'lit'; text: string };

function tokenize(fmt: string): Token[] {
  const src = firstSection(fmt);
  const out: Token[] = [];
  for (let i = 0; i < src.length; ) {
    const ch = src[i]!;
    if (ch === '"') {
      const end = src.indexOf('"', i + 1);
      const stop = end < 0 ? src.length : end;
      out.push({ kind: 'lit', text: src.slice(i + 1, stop) });
      i = stop + 1;
    } else if (ch === '\\') {
      out.push({ kind: 'lit', text: src[i + 1] ?? '' });
      i += 2;
    } else if (/[ymdhs]/i.test(ch)) {
      let j = i;
      while (j < src.length && src[j]!.toLowerCase() === ch.toLowerCase()) j++;
      out.push({ kind: 'tok', text: src.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'lit', text: ch });
      i++;
    }
  }
  return out;
}
