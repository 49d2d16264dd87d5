/** Order actions on the selected row: validate against the destination's rules, generate documents. */
import type { ExportDocument } from '../../../shared/contracts/documents.js';
import type { ValidationFinding, ValidationResult } from '../../../shared/contracts/validation.js';
import { readOrdersSheet, selectedBodyRows, selectTableCell, type OrdersSheet } from '../excel/orders-sheet.js';
import { canonical } from '../sheet/cells.js';
import { col, type ColumnKey } from '../sheet/columns.js';
import { findingTarget } from '../sheet/findings.js';
import { assertUsable } from './publish.js';
import { UserError, type Deps } from './deps.js';

export interface SelectedOrder {
  orderId: string;
  reference: string;
  /** Body rows of this order, by line number order as in the sheet. */
  rows: number[];
  layout: Pick<OrdersSheet, 'sheetName' | 'bodyTop' | 'left' | 'positions'>;
  body: OrdersSheet['body'];
}

/** The order of the (first) selected row of the orders table. */
export async function selectedOrder(deps: Deps): Promise<SelectedOrder> {
  const state = await deps.run((ctx) => readOrdersSheet(ctx));
  assertUsable(state);
  const rows = await deps.run((ctx) => selectedBodyRows(ctx, state));
  const row = rows[0];
  if (row === undefined) throw new UserError('Select a row of the orders table (any cell of the order you want).');
  const orderId = canonical(state.body[row]![col('orderId')]);
  if (!orderId) throw new UserError('The selected row is not linked to an order.');
  const orderRows = state.body.map((r, i) => (canonical(r[col('orderId')]) === orderId ? i : -1)).filter((i) => i >= 0);
  orderRows.sort((a, b) => Number(state.body[a]![col('lineNo')]) - Number(state.body[b]![col('lineNo')]));
  return { orderId, reference: canonical(state.body[row]![col('reference')]), rows: orderRows, layout: state, body: state.body };
}

export interface LocatedFinding extends ValidationFinding {
  row: number;
  column: ColumnKey;
}

export async function validateSelected(deps: Deps): Promise<{ order: SelectedOrder; result: ValidationResult; findings: LocatedFinding[] }> {
  const order = await selectedOrder(deps);
  const result = await deps.api.validateOrder(order.orderId);
  const findings = result.findings.map((f) => {
    const t = findingTarget(f.path);
    // Line n of the snapshot is the sheet row whose Line is n + 1 (some lines may not be in the sheet).
    const lineRow = t.lineIndex === null ? undefined : order.rows.find((r) => Number(order.body[r]![col('lineNo')]) === t.lineIndex! + 1);
    const row = lineRow ?? order.rows[0]!;
    return { ...f, row, column: t.column };
  });
  return { order, result, findings };
}

/** Select the cell a finding or outcome points at. */
export async function selectCellOf(deps: Deps, layout: SelectedOrder['layout'], row: number, column: ColumnKey): Promise<void> {
  await deps.run((ctx) => selectTableCell(ctx, layout, row, column));
}

export async function generateForSelected(deps: Deps): Promise<{ order: SelectedOrder; documents: ExportDocument[] }> {
  const order = await selectedOrder(deps);
  const { items } = await deps.api.generateDocuments(order.orderId);
  return { order, documents: items };
}
