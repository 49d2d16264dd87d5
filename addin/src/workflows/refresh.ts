/** "Refresh selected rows": reload the orders of the selected rows from the server, overwriting only those rows. */
import { readOrdersSheet, selectedBodyRows, writeRowResults } from '../excel/orders-sheet.js';
import { canonical } from '../sheet/cells.js';
import { COLUMNS, col, type Cell } from '../sheet/columns.js';
import { lineCells, snapshotRows } from '../sheet/orders-to-rows.js';
import type { RowWrite } from '../sheet/results.js';
import { assertUsable } from './publish.js';
import { UserError, type Deps } from './deps.js';

export async function refreshSelectedRows(deps: Deps): Promise<{ rows: number; orders: number; gone: number }> {
  const state = await deps.run((ctx) => readOrdersSheet(ctx));
  assertUsable(state);
  const rows = await deps.run((ctx) => selectedBodyRows(ctx, state));
  if (!rows.length) throw new UserError('Select one or more rows of the orders table first.');
  const orderIds = [...new Set(rows.map((r) => canonical(state.body[r]![col('orderId')])).filter(Boolean))];
  const orders = await Promise.all(orderIds.map((id) => deps.api.getOrder(id)));
  const byId = new Map(orders.map((o) => [o.id, o]));
  const writes: RowWrite[] = [];
  let gone = 0;
  for (const r of rows) {
    const order = byId.get(canonical(state.body[r]![col('orderId')]));
    const line = order?.lines.find((l) => l.id === canonical(state.body[r]![col('lineId')]));
    if (!order || !line) {
      gone++;
      writes.push({ row: r, cells: {}, status: 'This line no longer exists on the server: pull orders again', tone: 'conflict' });
      continue;
    }
    const cells = lineCells(order, line, canonical(state.body[r]![col('buyer')]));
    writes.push({ row: r, cells: Object.fromEntries(COLUMNS.filter((c) => c.key !== 'sync').map((c) => [c.key, cells[c.key]])), status: `Refreshed (version ${order.version})`, tone: 'neutral' });
  }
  // The snapshot of each refreshed order becomes the server's: unselected rows of those orders that differ now count as edits.
  const snapshot: Cell[][] = [...state.snapshot.filter((s) => !byId.has(String(s[1]))), ...orders.flatMap((o) => snapshotRows(o))];
  await deps.run((ctx) => writeRowResults(ctx, state, writes, snapshot));
  return { rows: rows.length, orders: orders.length, gone };
}
