/** Orders (as the API returns them) to table rows, number formats and snapshot rows. Pure. */
import type { Order } from '../../../shared/contracts/orders.js';
import { COLUMNS, EDITABLE, type Cell, type ColumnKey } from './columns.js';
import { moneyFormat } from './cells.js';

/** Values of every column for one line of an order, keyed by column. */
export function lineCells(order: Order, line: Order['lines'][number], buyerName: string): Record<ColumnKey, Cell> {
  return {
    sync: '',
    reference: order.reference,
    status: order.status,
    buyer: buyerName,
    buyerPo: order.buyerPo ?? '',
    destinationCountry: order.destinationCountry,
    portOfLoading: order.portOfLoading,
    portOfDischarge: order.portOfDischarge,
    incoterm: order.incoterm,
    incotermPlace: order.incotermPlace,
    transportMode: order.transportMode,
    currency: order.currency,
    requestedShipDate: order.requestedShipDate ?? '',
    remarks: order.remarks ?? '',
    lineNo: line.lineNo,
    sku: line.sku,
    description: line.description,
    hsCode: line.hsCode,
    quantity: Number(line.quantity),
    unit: line.unit,
    unitPrice: Number(line.unitPrice),
    discountPercent: Number(line.discountPercent),
    amount: Number(line.amount.amount),
    orderTotal: Number(order.total.amount),
    orderId: order.id,
    lineId: line.id,
    version: order.version,
  };
}

/** One table row per line; an order without lines gets no row (nothing to edit line-wise). */
export function orderRows(order: Order, buyerName: string): Cell[][] {
  return order.lines.map((l) => {
    const cells = lineCells(order, l, buyerName);
    return COLUMNS.map((c) => cells[c.key]);
  });
}

/** Number formats per row: text columns "@", money in the currency's minor units. */
export function orderFormats(order: Order, minorUnits: number): string[][] {
  const row = COLUMNS.map((c) => (c.kind === 'text' ? '@' : c.kind === 'money' ? moneyFormat(minorUnits) : 'General'));
  return order.lines.map(() => row);
}

/** Snapshot rows (see SNAPSHOT_HEADERS) of an order as pulled. */
export function snapshotRows(order: Order): Cell[][] {
  return order.lines.map((l) => {
    const cells = lineCells(order, l, '');
    return [l.id, order.id, order.version, l.productId, l.lineNo, ...EDITABLE.map((c) => cells[c.key])];
  });
}

/** Minor units of the currency from an amount the server formatted ("1234.50" → 2, "1234" → 0). */
export function minorUnitsOf(order: Order): number {
  return order.total.amount.split('.')[1]?.length ?? 0;
}
