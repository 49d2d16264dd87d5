/**
 * The shape of the pulled orders table: one row per order line, the order's header repeated on each of
 * its lines (see docs/decisions/0004-excel-addin.md). Pure data: no Excel here.
 */

/** A cell value as Excel reports it. */
export type Cell = string | number | boolean;

export type ColumnKey =
  | 'sync' | 'reference' | 'status' | 'buyer' | 'buyerPo' | 'destinationCountry' | 'portOfLoading' | 'portOfDischarge'
  | 'incoterm' | 'incotermPlace' | 'transportMode' | 'currency' | 'requestedShipDate' | 'remarks'
  | 'lineNo' | 'sku' | 'description' | 'hsCode' | 'quantity' | 'unit' | 'unitPrice' | 'discountPercent' | 'amount' | 'orderTotal'
  | 'orderId' | 'lineId' | 'version';

export interface Column {
  key: ColumnKey;
  header: string;
  /** order: repeated on every line of the order; line: the line's own; meta: written by the add-in. */
  scope: 'order' | 'line' | 'meta';
  /** Users may edit it and Publish sends it. */
  editable: boolean;
  /** Hidden key columns. */
  hidden?: boolean;
  /** Text columns are formatted "@" so Excel keeps "61091000" or "2026-12-15" as typed. */
  kind: 'text' | 'number' | 'money';
  width?: number;
}

export const COLUMNS: readonly Column[] = [
  { key: 'sync', header: 'Sync status', scope: 'meta', editable: false, kind: 'text', width: 220 },
  { key: 'reference', header: 'Order ref', scope: 'order', editable: false, kind: 'text' },
  { key: 'status', header: 'Order status', scope: 'order', editable: false, kind: 'text' },
  { key: 'buyer', header: 'Buyer', scope: 'order', editable: false, kind: 'text' },
  { key: 'buyerPo', header: 'Buyer PO', scope: 'order', editable: true, kind: 'text' },
  { key: 'destinationCountry', header: 'Destination', scope: 'order', editable: true, kind: 'text' },
  { key: 'portOfLoading', header: 'Port of loading', scope: 'order', editable: true, kind: 'text' },
  { key: 'portOfDischarge', header: 'Port of discharge', scope: 'order', editable: true, kind: 'text' },
  { key: 'incoterm', header: 'Incoterm', scope: 'order', editable: true, kind: 'text' },
  { key: 'incotermPlace', header: 'Incoterm place', scope: 'order', editable: true, kind: 'text' },
  { key: 'transportMode', header: 'Mode', scope: 'order', editable: true, kind: 'text' },
  { key: 'currency', header: 'Currency', scope: 'order', editable: true, kind: 'text' },
  { key: 'requestedShipDate', header: 'Ship date', scope: 'order', editable: true, kind: 'text' },
  { key: 'remarks', header: 'Remarks', scope: 'order', editable: true, kind: 'text' },
  { key: 'lineNo', header: 'Line', scope: 'line', editable: false, kind: 'number' },
  { key: 'sku', header: 'SKU', scope: 'line', editable: false, kind: 'text' },
  { key: 'description', header: 'Description', scope: 'line', editable: true, kind: 'text', width: 220 },
  { key: 'hsCode', header: 'HS code', scope: 'line', editable: false, kind: 'text' },
  { key: 'quantity', header: 'Quantity', scope: 'line', editable: true, kind: 'number' },
  { key: 'unit', header: 'Unit', scope: 'line', editable: true, kind: 'text' },
  { key: 'unitPrice', header: 'Unit price', scope: 'line', editable: true, kind: 'number' },
  { key: 'discountPercent', header: 'Discount %', scope: 'line', editable: true, kind: 'number' },
  { key: 'amount', header: 'Amount', scope: 'line', editable: false, kind: 'money' },
  { key: 'orderTotal', header: 'Order total', scope: 'order', editable: false, kind: 'money' },
  { key: 'orderId', header: 'Order ID', scope: 'meta', editable: false, hidden: true, kind: 'text' },
  { key: 'lineId', header: 'Line ID', scope: 'meta', editable: false, hidden: true, kind: 'text' },
  { key: 'version', header: 'Version', scope: 'meta', editable: false, hidden: true, kind: 'number' },
];

export const HEADERS: readonly string[] = COLUMNS.map((c) => c.header);
export const EDITABLE: readonly Column[] = COLUMNS.filter((c) => c.editable);

/** Index of a column in the table. */
export const col = (key: ColumnKey): number => {
  const i = COLUMNS.findIndex((c) => c.key === key);
  if (i < 0) throw new Error(`unknown column ${key}`);
  return i;
};

/** Names of what the add-in keeps in the workbook. */
export const SHEET = {
  orders: 'Orders',
  table: 'ExportDeskOrders',
  snapshot: 'ExportDesk_Snapshot',
} as const;

/**
 * The snapshot sheet: one row per pulled line, keyed by line id, holding what was pulled (so rows can be
 * sorted or filtered without breaking change detection): line id, order id, version, product id, line no,
 * then every editable column in {@link EDITABLE} order.
 */
export const SNAPSHOT_HEADERS: readonly string[] = ['Line ID', 'Order ID', 'Version', 'Product ID', 'Line', ...EDITABLE.map((c) => c.header)];

/** A1 column letters for a 0-based column index (the one implementation, shared with the import). */
export { columnLetter } from '../../../shared/import/fields.js';
