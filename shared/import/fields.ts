/**
 * The fields a bulk import can read from a sheet (one row per order line, the order's header fields repeated
 * or left blank on its later lines) and small pure parsers for the cells that `normalise.ts` does not cover.
 * Used by the server-side import and the Excel add-in; no Node APIs.
 */
import { isCurrency } from '../domain/currency.js';
import { TRANSPORT_MODES, type TransportMode } from '../domain/incoterms.js';
import { normaliseDecimal } from '../domain/money.js';
import type { ParseResult } from './normalise.js';

/** Order header fields: one value per order, repeated on (or inherited by) each of its lines. */
export const IMPORT_HEADER_FIELDS = [
  'reference',
  'buyer',
  'buyerPo',
  'consignee',
  'destinationCountry',
  'portOfLoading',
  'portOfDischarge',
  'incoterm',
  'incotermPlace',
  'transportMode',
  'paymentTerms',
  'currency',
  'requestedShipDate',
  'remarks',
] as const;

/** Line fields: one value per row. */
export const IMPORT_LINE_FIELDS = ['sku', 'description', 'hsCode', 'quantity', 'unit', 'unitPrice', 'discountPercent'] as const;

export const IMPORT_FIELDS = [...IMPORT_HEADER_FIELDS, ...IMPORT_LINE_FIELDS] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ImportHeaderField = (typeof IMPORT_HEADER_FIELDS)[number];
export type ImportLineField = (typeof IMPORT_LINE_FIELDS)[number];

/** Fields every import must map to a column (the others have defaults or can be derived). */
export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ['reference', 'buyer', 'portOfDischarge', 'sku', 'quantity', 'unitPrice'];

/** Human labels for messages and the task pane. */
export const IMPORT_FIELD_LABELS: Readonly<Record<ImportField, string>> = {
  reference: 'Order reference',
  buyer: 'Buyer',
  buyerPo: 'Buyer PO',
  consignee: 'Consignee',
  destinationCountry: 'Destination country',
  portOfLoading: 'Port of loading',
  portOfDischarge: 'Port of discharge',
  incoterm: 'Incoterm',
  incotermPlace: 'Incoterm place',
  transportMode: 'Transport mode',
  paymentTerms: 'Payment terms',
  currency: 'Currency',
  requestedShipDate: 'Ship date',
  remarks: 'Remarks',
  sku: 'SKU',
  description: 'Description',
  hsCode: 'HS code',
  quantity: 'Quantity',
  unit: 'Unit',
  unitPrice: 'Unit price',
  discountPercent: 'Discount %',
};

/** A raw cell as sent to POST /imports. */
export type ImportCell = string | number | boolean | null;

/** 0-based column index → spreadsheet letters (0 → A, 25 → Z, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Spreadsheet letters → 0-based column index ("A" → 0, "AA" → 26); undefined when not letters. */
export function columnIndex(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const ok = <T>(value: T, note?: string): ParseResult<T> => (note ? { ok: true, value, note } : { ok: true, value });
const fail = <T>(error: string): ParseResult<T> => ({ ok: false, error });
const clean = (text: string) => text.normalize('NFKC').replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000]/g, ' ').trim();
const fold = (text: string) => clean(text).toLowerCase().replace(/[^a-z0-9%]+/g, ' ').trim();

/**
 * A number cell as a plain decimal string. Spreadsheets hand over IEEE doubles: 12.5 stays "12.5", but a
 * float artefact such as 0.30000000000000004 keeps its digits (and fails a decimal-places limit rather than
 * being rounded silently); exponent forms (1e21, 1e-7) are refused.
 */
export function numberCellToDecimal(n: number): ParseResult<string> {
  if (!Number.isFinite(n)) return fail('not a finite number');
  if (n < 0 || Object.is(n, -0)) return fail(`negative amounts are not accepted: ${n}`);
  const s = String(n);
  if (!/^\d+(\.\d+)?$/.test(s)) return fail(`number ${s} cannot be read exactly; type it as text`);
  return ok(normaliseDecimal(s));
}

const MODE_WORDS: ReadonlyArray<readonly [RegExp, TransportMode]> = [
  [/^(sea|ocean|sea freight|ocean freight|by sea|vessel|ship|fcl|lcl|sea fcl|sea lcl|maritime)$/, 'sea'],
  [/^(air|air freight|airfreight|by air|air cargo|courier)$/, 'air'],
  [/^(road|truck|lorry|by road|road freight|trucking)$/, 'road'],
  [/^(rail|train|by rail|rail freight)$/, 'rail'],
  [/^(inland waterway|inland water|barge|river)$/, 'inland_waterway'],
  [/^(multimodal|multi modal|combined|intermodal|sea air|sea and air)$/, 'multimodal'],
];

/** Transport mode: the API names (sea, air, road, rail, inland_waterway, multimodal) and common words (ocean, FCL, by air, truck…). */
export function parseTransportMode(text: string): ParseResult<TransportMode> {
  const s = fold(text).replace(/_/g, ' ');
  if (s === '') return fail('empty: expected a transport mode');
  const direct = (TRANSPORT_MODES as readonly string[]).find((m) => m.replace('_', ' ') === s);
  if (direct) return ok(direct as TransportMode);
  for (const [re, mode] of MODE_WORDS) if (re.test(s)) return ok(mode, `read "${clean(text)}" as ${mode}`);
  return fail(`unknown transport mode "${clean(text)}" (use ${TRANSPORT_MODES.join(', ')})`);
}

const CURRENCY_WORDS: Readonly<Record<string, string>> = {
  '₹': 'INR', rs: 'INR', 'rs.': 'INR', rupees: 'INR', '€': 'EUR', euro: 'EUR', euros: 'EUR', '£': 'GBP', 'us$': 'USD', 'a$': 'AUD', 'au$': 'AUD',
  'c$': 'CAD', 'ca$': 'CAD', 's$': 'SGD', 'hk$': 'HKD', 'nz$': 'NZD', dollar: 'USD', 'us dollar': 'USD', 'us dollars': 'USD',
};

/** Currency as an ISO 4217 code ("usd", "EUR"), a symbol (₹ € £, "US$"), or "$" (read as USD, noted). */
export function parseCurrency(text: string): ParseResult<string> {
  const s = clean(text);
  if (s === '') return fail('empty: expected a currency');
  if (/^[A-Za-z]{3}$/.test(s)) {
    return isCurrency(s.toUpperCase()) ? ok(s.toUpperCase()) : fail(`unknown currency "${s}" (use an ISO 4217 code such as USD)`);
  }
  if (s === '$') return ok('USD', 'read "$" as USD');
  if (s === '¥') return ok('JPY', 'read "¥" as JPY');
  const word = CURRENCY_WORDS[s.toLowerCase()];
  return word ? ok(word) : fail(`unknown currency "${s}" (use an ISO 4217 code such as USD)`);
}

const UNIT_WORDS: Readonly<Record<string, string>> = {
  pcs: 'PCS', pc: 'PCS', piece: 'PCS', pieces: 'PCS', 'pcs.': 'PCS', units: 'PCS', unit: 'PCS',
  set: 'SET', sets: 'SET',
  pr: 'PR', prs: 'PR', pair: 'PR', pairs: 'PR',
  dz: 'DZ', doz: 'DZ', dozen: 'DZ', dozens: 'DZ',
  kg: 'KG', kgs: 'KG', kilo: 'KG', kilos: 'KG', kilogram: 'KG', kilograms: 'KG',
  mt: 'MT', ton: 'MT', tons: 'MT', tonne: 'MT', tonnes: 'MT', 'metric ton': 'MT', 'metric tons': 'MT',
  g: 'G', gm: 'G', gms: 'G', gram: 'G', grams: 'G',
  l: 'L', ltr: 'L', ltrs: 'L', litre: 'L', litres: 'L', liter: 'L', liters: 'L',
  m: 'M', mtr: 'M', mtrs: 'M', metre: 'M', metres: 'M', meter: 'M', meters: 'M',
  m2: 'M2', sqm: 'M2', 'sq m': 'M2', 'sq mtr': 'M2', 'square metre': 'M2', 'square meter': 'M2',
  m3: 'M3', cbm: 'M3', 'cubic metre': 'M3', 'cubic meter': 'M3',
  ctn: 'CTN', ctns: 'CTN', carton: 'CTN', cartons: 'CTN',
  box: 'BOX', boxes: 'BOX', bag: 'BAG', bags: 'BAG', rol: 'ROL', roll: 'ROL', rolls: 'ROL',
  nos: 'NOS', no: 'NOS', numbers: 'NOS',
};

/** Unit of measure among `units` (the API's UQC-style codes), accepting common spellings (pcs, pieces, kgs, dozen, cbm…). */
export function parseUnit(text: string, units: readonly string[]): ParseResult<string> {
  const s = clean(text);
  if (s === '') return fail('empty: expected a unit');
  if (units.includes(s.toUpperCase())) return ok(s.toUpperCase());
  const word = UNIT_WORDS[s.toLowerCase().replace(/\s+/g, ' ')];
  if (word && units.includes(word)) return ok(word);
  return fail(`unknown unit "${s}" (use ${units.join(', ')})`);
}

/**
 * A discount percentage: "2.5", "2.5%", "2.5 %"; number cells are read as the percentage itself (2.5 → 2.5 %).
 * 0–100 with at most 2 decimals.
 */
export function parsePercent(cell: string | number): ParseResult<string> {
  let s: string;
  if (typeof cell === 'number') {
    const d = numberCellToDecimal(cell);
    if (!d.ok) return d;
    s = d.value;
  } else {
    s = clean(cell).replace(/\s*%$/, '');
    if (s === '') return fail('empty: expected a percentage');
    if (/^[-−–]/.test(s)) return fail(`negative percentages are not accepted: "${clean(cell)}"`);
    if (!/^\d+(\.\d+)?$/.test(s)) return fail(`not a percentage: "${clean(cell)}" (write 2.5 or 2.5%)`);
    s = normaliseDecimal(s);
  }
  const [int = '', frac = ''] = s.split('.');
  if (frac.length > 2) return fail(`too many decimal places in percentage ${s} (at most 2)`);
  if (Number(int) > 100 || (Number(int) === 100 && frac !== '')) return fail(`percentage ${s} is above 100`);
  return ok(s);
}
