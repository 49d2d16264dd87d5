/**
 * The goods table: one row per snapshot line and a totals row, each cell with its printed text and, for numeric
 * columns, its exact decimal value (the spreadsheet writes that as a number with the column's decimals).
 */
import type { ColumnKey } from '../../../../shared/documents/layout.js';
import type { DocumentSnapshot, LineSnapshot } from '../../../../shared/documents/snapshot.js';
import { currencyExponent } from '../../../../shared/domain/currency.js';
import { cleanText, country, formatAmount, formatQuantity, formatUnitPrice, formatWeight, fractionDigits, groupDigits, packagesShort } from './format.js';

export interface TableCell {
  text: string;
  /** Exact decimal value of a numeric cell. */
  value?: string;
  /** Decimals this cell is shown with, when not the column's (a unit price or quantity as written). */
  digits?: number;
}

export interface TableColumn {
  key: ColumnKey;
  heading: string;
  /** Share of the table width, in percent (the columns add up to 100). */
  widthPercent: number;
  align: 'left' | 'right' | 'center';
  /** Decimals of the column's numeric values (for the spreadsheet number format). */
  digits: number;
  /** Indian digit grouping (rupee amounts). */
  indian: boolean;
}

const NUMERIC: ReadonlySet<ColumnKey> = new Set(['quantity', 'unit_price', 'discount', 'amount', 'package_count', 'net_weight', 'gross_weight']);
const CENTRED: ReadonlySet<ColumnKey> = new Set(['line_no', 'unit', 'hs_code', 'package_numbers', 'package_type', 'origin']);

/** Decimals a numeric column is shown with. */
function columnDigits(key: ColumnKey, s: DocumentSnapshot, currency: string): number {
  const exp = currencyExponent(currency);
  const max = (values: string[], min: number) => values.reduce((d, v) => Math.max(d, fractionDigits(v)), min);
  switch (key) {
    case 'amount':
      return exp;
    case 'unit_price':
      return max(
        s.lines.map((l) => l.unitPrice),
        exp,
      );
    case 'quantity':
      return max([...s.lines.map((l) => l.quantity), ...s.totals.quantities.map((q) => q.quantity)], 0);
    case 'discount':
      return max(
        s.lines.map((l) => l.discountPercent),
        0,
      );
    case 'net_weight':
    case 'gross_weight':
      return 3;
    default:
      return 0;
  }
}

export function tableColumns(columns: { key: ColumnKey; heading: string; width: number }[], s: DocumentSnapshot, currency: string, fill: (t: string) => string): TableColumn[] {
  const total = columns.reduce((n, c) => n + c.width, 0);
  return columns.map((c) => ({
    key: c.key,
    heading: fill(c.heading),
    widthPercent: (c.width / total) * 100,
    align: NUMERIC.has(c.key) || c.key === 'gross_weight_and_quantity' || c.key === 'packages' ? 'right' : CENTRED.has(c.key) ? 'center' : 'left',
    digits: columnDigits(c.key, s, currency),
    indian: c.key === 'amount' || c.key === 'unit_price' ? currency === 'INR' : false,
  }));
}

/** Running package numbers per line ("1–160", "161–310"); null for a line whose count, or an earlier one's, is unknown. */
function packageNumbers(lines: LineSnapshot[]): (string | null)[] {
  let next = 1;
  let known = true;
  return lines.map((l) => {
    if (!l.packages || !known) {
      known = false;
      return null;
    }
    const first = next;
    next += l.packages.count;
    if (l.packages.count === 0) return null;
    return l.packages.count === 1 ? String(first) : `${first}–${next - 1}`;
  });
}

const EMPTY: TableCell = { text: '' };
const DASH: TableCell = { text: '—' };

export function lineCells(columns: TableColumn[], placeholders: (string | undefined)[], s: DocumentSnapshot, currency: string): TableCell[][] {
  const numbers = packageNumbers(s.lines);
  return s.lines.map((l, i) =>
    columns.map((c, ci): TableCell => {
      switch (c.key) {
        case 'line_no':
          return { text: String(l.lineNo) };
        case 'sku':
          return { text: cleanText(l.sku) };
        case 'description':
          return { text: cleanText(l.description) };
        case 'hs_code':
          return { text: l.hsCode };
        case 'origin':
          return { text: country(l.originCountry) };
        case 'quantity':
          return { text: formatQuantity(l.quantity), value: l.quantity, digits: fractionDigits(l.quantity) };
        case 'unit':
          return { text: cleanText(l.unit) };
        case 'unit_price':
          return { text: formatUnitPrice(l.unitPrice, currency), value: l.unitPrice, digits: Math.max(currencyExponent(currency), fractionDigits(l.unitPrice)) };
        case 'discount':
          return /^0+(\.0+)?$/.test(l.discountPercent) ? { text: '' } : { text: `${l.discountPercent}%`, value: l.discountPercent, digits: fractionDigits(l.discountPercent) };
        case 'amount':
          return { text: formatAmount(l.amount.amount, currency), value: l.amount.amount };
        case 'packages':
          return l.packages ? { text: packagesShort(l.packages.count, l.packages.type) } : DASH;
        case 'package_count':
          return l.packages ? { text: groupDigits(String(l.packages.count)), value: String(l.packages.count) } : DASH;
        case 'package_type':
          return l.packages ? { text: l.packages.type } : DASH;
        case 'package_numbers':
          return numbers[i] ? { text: numbers[i]! } : DASH;
        case 'net_weight':
          return { text: formatWeight(l.netWeightKg), value: l.netWeightKg };
        case 'gross_weight':
          return { text: formatWeight(l.grossWeightKg), value: l.grossWeightKg };
        case 'gross_weight_and_quantity':
          return { text: `${formatWeight(l.grossWeightKg)} kg gross\n${formatQuantity(l.quantity)} ${cleanText(l.unit)}` };
        case 'placeholder':
          return { text: placeholders[ci] ?? '' };
      }
    }),
  );
}

/** The totals row; `label` goes into the description column (or the first text column). */
export function totalCells(columns: TableColumn[], s: DocumentSnapshot, currency: string, label: string): TableCell[] {
  const t = s.totals;
  const singleUnit = t.quantities.length === 1 ? t.quantities[0]! : null;
  const labelAt = Math.max(
    0,
    columns.findIndex((c) => c.key === 'description'),
  );
  return columns.map((c, i): TableCell => {
    if (i === labelAt) return { text: label };
    switch (c.key) {
      case 'quantity':
        if (singleUnit) return { text: formatQuantity(singleUnit.quantity), value: singleUnit.quantity, digits: fractionDigits(singleUnit.quantity) };
        return { text: t.quantities.map((q) => `${formatQuantity(q.quantity)} ${q.unit}`).join('\n') };
      case 'unit':
        return { text: singleUnit ? cleanText(singleUnit.unit) : '' };
      case 'amount':
        return { text: formatAmount(t.amount.amount, currency), value: t.amount.amount };
      case 'packages':
        return t.packageCount ? { text: t.packages.map((p) => packagesShort(p.count, p.type)).join('\n') } : DASH;
      case 'package_count':
        return { text: groupDigits(String(t.packageCount)), value: String(t.packageCount) };
      case 'package_numbers':
        return t.packageCount && t.linesWithoutPackaging.length === 0 ? { text: t.packageCount === 1 ? '1' : `1–${t.packageCount}` } : EMPTY;
      case 'net_weight':
        return { text: formatWeight(t.netWeightKg), value: t.netWeightKg };
      case 'gross_weight':
        return { text: formatWeight(t.grossWeightKg), value: t.grossWeightKg };
      case 'gross_weight_and_quantity':
        return { text: `${formatWeight(t.grossWeightKg)} kg gross${t.quantities.map((q) => `\n${formatQuantity(q.quantity)} ${q.unit}`).join('')}` };
      default:
        return EMPTY;
    }
  });
}

