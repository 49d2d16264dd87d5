/**
 * Column auto-mapping for exporters' order sheets: which column holds which {@link ImportField}, from the
 * header texts people actually use ("Order No", "PO Ref", "Qty", "Rate", "Unit Price (USD)", "HSN", "POD"…),
 * and where the header row is when title rows or blank rows sit above it. Pure; no Node APIs (the add-in
 * imports this too).
 */
import type { ImportField } from './fields.js';

/**
 * Synonyms per field, written in the folded form {@link foldHeader} produces. Earlier synonyms are stronger:
 * when two headers match the same field, the one matching the earlier synonym wins ("Rate" beats "FOB Value").
 */
export const HEADER_SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  reference: [
    'order reference', 'order ref', 'order no', 'order number', 'our ref', 'our reference', 'our order no', 'export order no',
    'exporter ref', 'reference', 'ref', 'ref no', 'order', 'order id', 'job no', 'sales order', 'sales order no', 'so no', 'so',
    'internal ref', 'ord no', 'order code',
  ],
  buyer: ['buyer', 'buyer name', 'customer', 'customer name', 'client', 'client name', 'importer', 'buyer id', 'sold to', 'bill to', 'party', 'buyer customer', 'account'],
  buyerPo: [
    'buyer po', 'buyers po', 'buyer po no', 'buyer po number', 'po', 'po no', 'po number', 'po ref', 'po reference', 'customer po',
    'customer po no', 'purchase order', 'purchase order no', 'purchase order number', 'client po', 'buyer order no', 'buyer ref', 'customer ref',
  ],
  consignee: ['consignee', 'consignee name', 'ship to', 'deliver to', 'delivery address', 'consignee party'],
  destinationCountry: ['destination country', 'country', 'destination', 'country of destination', 'dest country', 'final destination', 'dest', 'to country', 'market'],
  portOfLoading: ['port of loading', 'pol', 'loading port', 'load port', 'port of shipment', 'port of export', 'from port', 'origin port', 'port of origin', 'shipping port'],
  portOfDischarge: [
    'port of discharge', 'pod', 'discharge port', 'destination port', 'port of destination', 'dest port', 'to port', 'port of delivery',
    'arrival port', 'port of entry', 'port',
  ],
  incoterm: ['incoterm', 'incoterms', 'inco', 'inco term', 'inco terms', 'delivery terms', 'terms of delivery', 'price terms', 'price basis', 'trade terms', 'shipment terms', 'basis'],
  incotermPlace: ['incoterm place', 'incoterms place', 'named place', 'incoterm location', 'delivery place', 'place'],
  transportMode: ['transport mode', 'mode', 'mode of transport', 'shipment mode', 'ship mode', 'mode of shipment', 'ship via', 'via', 'shipped by', 'transport', 'shipping mode', 'freight mode'],
  paymentTerms: ['payment terms', 'terms of payment', 'payment', 'payment term', 'pay terms', 'terms', 'mode of payment', 'payment mode', 'payment conditions'],
  currency: ['currency', 'curr', 'ccy', 'cur', 'currency code', 'invoice currency'],
  requestedShipDate: [
    'requested ship date', 'ship date', 'shipment date', 'delivery date', 'etd', 'ex factory date', 'ex factory', 'exfactory date', 'xf date',
    'dispatch date', 'shipping date', 'latest shipment date', 'lsd', 'delivery', 'ship by', 'shipment', 'due date', 'pcd',
  ],
  remarks: ['remarks', 'remark', 'notes', 'note', 'comments', 'comment', 'instructions', 'special instructions'],
  sku: [
    'sku', 'item code', 'article', 'article no', 'article code', 'art no', 'style no', 'style', 'style number', 'style code', 'product code',
    'item no', 'item number', 'item', 'product', 'part no', 'part number', 'material', 'material code', 'code', 'product id', 'design no',
  ],
  description: ['description', 'item description', 'product description', 'description of goods', 'goods description', 'desc', 'particulars', 'item name', 'product name', 'goods'],
  hsCode: ['hs code', 'hs', 'hsn', 'hsn code', 'itc hs', 'itc hs code', 'hs no', 'hts', 'hts code', 'tariff code', 'commodity code', 'customs code', 'hs classification'],
  quantity: ['quantity', 'qty', 'order qty', 'order quantity', 'pcs', 'pieces', 'no of pcs', 'units', 'total qty', 'qty pcs', 'nos', 'quantities'],
  unit: ['unit', 'uom', 'unit of measure', 'unit of measurement', 'uqc', 'units of measure', 'measure'],
  unitPrice: [
    'unit price', 'rate', 'price', 'price per unit', 'unit rate', 'rate per unit', 'price per pc', 'rate per pc', 'fob price', 'fob rate',
    'cif price', 'cfr price', 'fob', 'fob value', 'unit value', 'price pc', 'rate pc', 'selling price',
  ],
  discountPercent: ['discount percent', 'discount', 'disc', 'discount rate', 'disc percent', 'rebate', 'rebate percent'],
};

/** Currency codes and symbols a header may carry: "Unit Price (USD)", "Rate in €", "FOB US$". */
const HEADER_CURRENCY_SYMBOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/us\$/i, 'USD'],
  [/₹|\brs\.?(?![a-z])/i, 'INR'],
  [/€/, 'EUR'],
  [/£/, 'GBP'],
  [/\$/, 'USD'],
];

/** Trade currencies recognised as words in a header ("Rate USD"); a closed list, so "All" or "Top" are not read as currencies. */
const HEADER_CURRENCY_CODES = new Set(['usd', 'eur', 'gbp', 'inr', 'aud', 'jpy', 'cny', 'rmb', 'aed', 'sar', 'sgd', 'hkd', 'chf', 'sek', 'nok', 'dkk', 'nzd', 'zar']);

/** What a header text says once folded: the words that name the field, and a currency it mentions. */
export interface FoldedHeader {
  key: string;
  currency?: string;
}

/**
 * Folds a header for matching: lower case, accents dropped, "%" → "percent", "#" → "no", currency codes and
 * symbols removed (and reported), punctuation → spaces, a trailing "in" dropped ("Rate in USD" → "rate").
 */
export function foldHeader(header: string): FoldedHeader {
  let s = header.normalize('NFKC').replace(/[\u00a0\u2000-\u200b\u202f]/g, ' ').trim();
  let currency: string | undefined;
  for (const [re, code] of HEADER_CURRENCY_SYMBOLS) {
    if (re.test(s)) {
      currency ??= code;
      s = s.replace(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`), ' ');
    }
  }
  s = s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/%/g, ' percent ')
    .replace(/#/g, ' no ')
    .replace(/['’`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const words = s.split(' ').filter((w) => {
    if (HEADER_CURRENCY_CODES.has(w)) {
      currency ??= w === 'rmb' ? 'CNY' : w.toUpperCase();
      return false;
    }
    return w !== '';
  });
  s = words.join(' ').replace(/ (in|per)$/, '');
  return currency ? { key: s, currency } : { key: s };
}

const SYNONYM_INDEX: ReadonlyMap<string, { field: ImportField; rank: number }> = (() => {
  const index = new Map<string, { field: ImportField; rank: number }>();
  for (const [field, synonyms] of Object.entries(HEADER_SYNONYMS) as [ImportField, readonly string[]][]) {
    synonyms.forEach((syn, rank) => {
      if (!index.has(syn)) index.set(syn, { field, rank });
    });
  }
  return index;
})();

/** Looser spellings tried when the folded header is not a synonym itself (matches from these rank lower). */
const VARIANTS: ReadonlyArray<(key: string) => string> = [
  (k) => k.replace(/ (no|code|name|details|number|ref)$/, ''),
  (k) => k.replace(/^(buyers?|customers?|item|product|order|our) /, ''),
  (k) => k.replace(/ (in |per )?(pc|pcs|pce|piece|pieces|unit|units|doz|dozen|dz|kg|kgs|set|pair|nos)$/, ''),
];

/** The field a single header names, with a strength (lower is stronger); undefined when none. */
export function matchHeader(header: string): { field: ImportField; rank: number; currency?: string } | undefined {
  const { key, currency } = foldHeader(header);
  if (!key) return undefined;
  const withCurrency = (x: { field: ImportField; rank: number }) => (currency ? { ...x, currency } : x);
  const exact = SYNONYM_INDEX.get(key);
  if (exact) return withCurrency({ field: exact.field, rank: exact.rank });
  for (const variant of VARIANTS) {
    const v = variant(key);
    const hit = v !== key ? SYNONYM_INDEX.get(v) : undefined;
    if (hit) return withCurrency({ field: hit.field, rank: hit.rank + 100 });
  }
  return undefined;
}

export interface AutoMapping {
  /** 0-based index of the column holding each field that was recognised. */
  columns: Partial<Record<ImportField, number>>;
  /** Non-blank header texts that name no field (or lost to a stronger header for the same field), in column order. */
  unmatched: string[];
  /**
   * A currency named by the unit-price header ("Unit Price (USD)", "Rate ₹"), to use as the order currency
   * when no currency column is mapped.
   */
  currency?: string;
}

/**
 * Maps header texts to import fields. Each field goes to at most one column: the header matching its
 * strongest synonym, the leftmost on a tie. When no order-reference header exists but a buyer-PO header does,
 * the PO column doubles as the reference (sheets keyed by the buyer's PO).
 */
export function autoMapColumns(headers: readonly string[]): AutoMapping {
  const best = new Map<ImportField, { index: number; rank: number; currency?: string }>();
  headers.forEach((header, index) => {
    if (typeof header !== 'string' || header.trim() === '') return;
    const m = matchHeader(header);
    if (!m) return;
    const current = best.get(m.field);
    if (!current || m.rank < current.rank) best.set(m.field, { index, rank: m.rank, ...(m.currency ? { currency: m.currency } : {}) });
  });
  const columns: Partial<Record<ImportField, number>> = {};
  for (const [field, { index }] of best) columns[field] = index;
  if (columns.reference === undefined && columns.buyerPo !== undefined) columns.reference = columns.buyerPo;
  const used = new Set(Object.values(columns));
  const unmatched = headers.filter((h, i) => typeof h === 'string' && h.trim() !== '' && !used.has(i)).map((h) => h.trim());
  const currency = best.get('unitPrice')?.currency;
  return currency ? { columns, unmatched, currency } : { columns, unmatched };
}

/** How many rows from the top {@link findHeaderRow} looks at. */
export const HEADER_SEARCH_ROWS = 30;

/**
 * The 0-based index of the header row in a sheet read as a matrix (rows of cells): the row among the first
 * {@link HEADER_SEARCH_ROWS} whose text cells name the most distinct import fields — at least two, one of them
 * the order reference, buyer PO, SKU or quantity — so title rows ("Kaveri Knits — Order book 2026"), blank
 * rows and a date line above the table are passed over. The topmost wins a tie. Null when no row qualifies.
 */
export function findHeaderRow(matrix: readonly (readonly unknown[])[]): number | null {
  let bestIndex: number | null = null;
  let bestScore = 1;
  const anchors: ImportField[] = ['reference', 'buyerPo', 'sku', 'quantity'];
  for (let r = 0; r < Math.min(matrix.length, HEADER_SEARCH_ROWS); r++) {
    const row = matrix[r] ?? [];
    const fields = new Set<ImportField>();
    for (const cell of row) {
      if (typeof cell !== 'string') continue;
      const m = matchHeader(cell);
      if (m) fields.add(m.field);
    }
    if (!anchors.some((a) => fields.has(a))) continue;
    if (fields.size > bestScore) {
      bestScore = fields.size;
      bestIndex = r;
    }
  }
  return bestIndex;
}
