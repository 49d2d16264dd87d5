/**
 * An exporter's own order book as people keep it, for the import walk: title rows above the header, headers in
 * their words ("Order No", "Customer", "Item Code", "Qty", "Rate (USD)", "Port of Discharge", "Delivery Date"),
 * several lines per order with the order's fields repeated or left blank after its first line, Indian digit
 * grouping ("1,20,000"), currency symbols on prices, HS codes with dots, "FOB Nhava Sheva Incoterms 2020",
 * buyers by name in any case or by tax id, dates as text or as Excel date serials in date-formatted cells, blank
 * rows and subtotal rows. Buyers and SKUs are the demo organisation's (worker/src/demo/data.ts).
 */

import { columnLetter } from '../../../shared/import/fields.js';

export type SheetCell = string | number;

interface Buyer {
  /** How the sheet names the buyer (name in some case, or a tax id). */
  names: string[];
  port: string;
  incoterm: string;
  terms: string;
}

const BUYERS: Buyer[] = [
  { names: ['Nordlicht Textilhandel GmbH', 'NORDLICHT TEXTILHANDEL GMBH', 'DE287654321'], port: 'Hamburg', incoterm: 'FOB Nhava Sheva Incoterms 2020', terms: '30% adv bal CAD' },
  { names: ['Hudson & Pine Home Goods Inc.', 'hudson & pine home goods inc.'], port: 'New York', incoterm: 'CIF New York', terms: 'LC at sight' },
  { names: ['Coastline Apparel Pty Ltd'], port: 'Sydney', incoterm: 'CFR Sydney', terms: '30% advance, 70% against B/L copy' },
  { names: ['Al Noor General Trading LLC', 'AL NOOR GENERAL TRADING LLC'], port: 'Jebel Ali', incoterm: 'FOB Nhava Sheva Incoterms 2020', terms: '100% advance' },
];

interface Product {
  sku: string;
  description: string;
  hs: string;
  units: string[];
  /** Unit price in cents. */
  cents: number;
}

const PRODUCTS: Product[] = [
  { sku: 'KK-TS-180-WHT', description: "Men's cotton T-shirt, 180 GSM, white", hs: '6109.10.00', units: ['PCS', 'pcs', 'Pieces'], cents: 285 },
  { sku: 'KK-PL-220-NVY', description: "Men's pique polo, 220 GSM, navy", hs: '6105.10.00', units: ['PCS', 'Pcs'], cents: 540 },
  { sku: 'KK-TW-500-70140', description: 'Terry bath towel 70x140', hs: '6302.60.00', units: ['PCS', 'pcs'], cents: 315 },
  { sku: 'KK-BS-300TC-Q', description: 'Bed sheet set 300 TC, queen', hs: '6302.31.00', units: ['SET', 'Sets'], cents: 1480 },
  { sku: 'KK-KT-160-AST', description: "Children's T-shirt, assorted prints", hs: '6109.10.00', units: ['PCS', 'pcs'], cents: 210 },
];

export const HEADERS = [
  'Order No',
  'Customer',
  'Buyer PO',
  'Item Code',
  'Description',
  'HS Code',
  'Qty',
  'Unit',
  'Rate (USD)',
  'Amount',
  'Port of Discharge',
  'Incoterms',
  'Payment Terms',
  'Delivery Date',
  'POL',
] as const;
const C = Object.fromEntries(HEADERS.map((h, i) => [h, i])) as Record<(typeof HEADERS)[number], number>;
export const WIDTH = HEADERS.length;

/** "1,20,000" / "12,000.5": Indian lakh grouping of a non-negative number with up to 2 decimals. */
export function indian(n: number, decimals = 0): string {
  const [int, frac] = n.toFixed(decimals).split('.') as [string, string | undefined];
  const last3 = int.slice(-3);
  const rest = int.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${rest ? `${rest},` : ''}${last3}${frac ? `.${frac}` : ''}`;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const serial = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - EXCEL_EPOCH_MS) / 86_400_000);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface MessySheet {
  /** Rows from A1, all WIDTH wide ('' for an empty cell). */
  values: SheetCell[][];
  /** 1-based sheet row of the header. */
  headerRow: number;
  /** A1 ranges to format as dates (cells holding Excel date serials). */
  dateCells: string[];
  references: string[];
  /** 1-based sheet rows of order lines, by reference. */
  linesOf: Map<string, number[]>;
  lineCount: number;
  blankRows: number;
  subtotalRows: number;
}

export interface MessyOptions {
  orders: number;
  /** Reference prefix, e.g. "IMP-26-" → IMP-26-0001. */
  prefix: string;
  /** Use this SKU on the given line (0-based over all lines) instead: an unknown SKU for the error variant. */
  badSku?: { line: number; sku: string };
}

/** About 1,000 rows for 200 orders: 4 or 5 lines each, a subtotal after each 5-line order, a blank row every third order. */
export function messyOrderBook(opts: MessyOptions): MessySheet {
  const values: SheetCell[][] = [];
  const row = (cells: Partial<Record<number, SheetCell>>) => values.push(Array.from({ length: WIDTH }, (_, i) => cells[i] ?? ''));
  row({ 0: 'Kaveri Knits Exports Pvt Ltd — Export order book FY 2026-27' });
  row({ 0: 'Tiruppur · all rates in USD · confidential' });
  row({});
  values.push([...HEADERS]);
  const headerRow = values.length;

  const references: string[] = [];
  const linesOf = new Map<string, number[]>();
  const dateCells: string[] = [];
  let line = 0;
  let blankRows = 0;
  let subtotalRows = 0;
  for (let o = 0; o < opts.orders; o++) {
    const ref = `${opts.prefix}${String(o + 1).padStart(4, '0')}`;
    references.push(ref);
    const buyer = BUYERS[o % BUYERS.length]!;
    const lines = o % 3 === 0 ? 5 : 4;
    const month = 11 + (o % 4); // Dec 2026 … Mar 2027
    const iso = `${2026 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-${String((o % 27) + 1).padStart(2, '0')}`;
    const [y, m, d] = iso.split('-');
    const dateStyle = o % 3; // 0: "15-Dec-2026", 1: ISO text, 2: an Excel date serial in a date-formatted cell
    const date: SheetCell = dateStyle === 0 ? `${d}-${MONTHS[Number(m) - 1]}-${y}` : dateStyle === 1 ? iso : serial(iso);
    const repeatHeader = o % 2 === 0; // odd orders leave the header fields blank after their first line
    let qtyTotal = 0;
    let amountTotal = 0;
    const rows: number[] = [];
    for (let l = 0; l < lines; l++, line++) {
      const p = PRODUCTS[(o + l) % PRODUCTS.length]!;
      const qty = 1000 * (1 + ((o * 7 + l * 3) % 150)); // 1,000 … 1,50,000
      const cents = p.cents + (o % 5);
      qtyTotal += qty;
      amountTotal += (qty * cents) / 100;
      const price = (cents / 100).toFixed(2);
      const header = l === 0 || repeatHeader;
      const sku = opts.badSku?.line === line ? opts.badSku.sku : p.sku;
      row({
        [C['Order No']]: ref,
        [C.Customer]: header ? buyer.names[o % buyer.names.length]! : '',
        [C['Buyer PO']]: header ? `PO/${26_000 + o}` : '',
        [C['Item Code']]: sku,
        [C.Description]: p.description,
        [C['HS Code']]: l % 2 ? p.hs.replace(/\./g, '') : p.hs,
        [C.Qty]: qty >= 100_000 || l % 2 ? indian(qty) : qty,
        [C.Unit]: p.units[(o + l) % p.units.length]!,
        [C['Rate (USD)']]: l % 3 === 0 ? `$${price}` : l % 3 === 1 ? `US$ ${price}` : Number(price),
        [C.Amount]: indian((qty * cents) / 100, 2),
        [C['Port of Discharge']]: header ? buyer.port : '',
        [C.Incoterms]: header ? buyer.incoterm : '',
        [C['Payment Terms']]: header ? buyer.terms : '',
        [C['Delivery Date']]: header ? date : '',
        [C.POL]: header ? 'Nhava Sheva' : '',
      });
      rows.push(values.length);
      if (header && dateStyle === 2) dateCells.push(`${columnLetter(C['Delivery Date'])}${values.length}`);
    }
    linesOf.set(ref, rows);
    if (lines === 5) {
      row({ [C.Customer]: 'Subtotal', [C.Qty]: indian(qtyTotal), [C.Amount]: indian(amountTotal, 2) });
      subtotalRows++;
    }
    if (o % 3 === 2) {
      row({});
      blankRows++;
    }
  }
  row({ [C.Customer]: 'Grand Total', [C.Amount]: '' });
  subtotalRows++;
  return { values, headerRow, dateCells, references, linesOf, lineCount: line, blankRows, subtotalRows };
}

export { columnLetter };

export const COLUMN_OF = C;
