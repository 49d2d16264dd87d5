/** Where in the orders table a validation finding points (its snapshot path → a row of the order and a column). Pure. */
import type { ColumnKey } from './columns.js';

const RULES: [RegExp, ColumnKey][] = [
  [/incotermPlace|incoterm\.place/i, 'incotermPlace'],
  [/incoterm/i, 'incoterm'],
  [/portOfLoading|loading/i, 'portOfLoading'],
  [/portOfDischarge|discharge|finalDestination/i, 'portOfDischarge'],
  [/transportMode|route\.mode/i, 'transportMode'],
  [/requestedShipDate|shipDate|etd|loadingDate/i, 'requestedShipDate'],
  [/destinationCountry|destination/i, 'destinationCountry'],
  [/buyerPo/i, 'buyerPo'],
  [/consignee|buyer|notify|importer/i, 'buyer'],
  [/currency|total|amount|invoiceValue|fobValue/i, 'orderTotal'],
];

const LINE_FIELDS: [RegExp, ColumnKey][] = [
  [/hs/i, 'hsCode'],
  [/quantity|qty/i, 'quantity'],
  [/unitPrice|price/i, 'unitPrice'],
  [/description/i, 'description'],
  [/unit/i, 'unit'],
  [/amount/i, 'amount'],
];

/** `lines[2].hsCode` / `lines.2.hsCode` → line index 2, column hsCode; header paths → a header column; else the reference. */
export function findingTarget(path: string): { lineIndex: number | null; column: ColumnKey } {
  const line = /^lines(?:\[(\d+)\]|\.(\d+))(?:\.(.*))?$/.exec(path);
  if (line) {
    const rest = line[3] ?? '';
    return { lineIndex: Number(line[1] ?? line[2]), column: LINE_FIELDS.find(([re]) => re.test(rest))?.[1] ?? 'sku' };
  }
  if (/^lines\.\*/.test(path)) return { lineIndex: 0, column: LINE_FIELDS.find(([re]) => re.test(path.slice(7)))?.[1] ?? 'sku' };
  return { lineIndex: null, column: RULES.find(([re]) => re.test(path))?.[1] ?? 'reference' };
}
