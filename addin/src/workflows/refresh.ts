/**
 * "Refresh selected rows": reload the orders of the selected rows from the server. Selected rows take the
 * server's values. The order's other rows in the sheet are merged: cells the user has not edited take the
 * server's values too, edited cells stay as the user typed them (and publish against the new version), so no
 * one else's change is undone by the next Publish.
 */
import { readOrdersSheet, selectedBodyRows, writeRowResults } from '../excel/orders-sheet.js';
import { ApiError } from '../api/client.js';
import { canonical } from '../sheet/cells.js';
import { parseSnapshot } from '../sheet/changes.js';
import { COLUMNS, col, type Cell } from '../sheet/columns.js';
import { lineCells, snapshotRows } from '../sheet/orders-to-rows.js';
import type { RowWrite } from '../sheet/results.js';
import type { Order } from '../../../shared/contracts/orders.js';
import { assertUsable } from './publish.js';
import { UserError, type Deps } from './deps.js';

export async function refreshSelectedRows(deps: Deps): Promise<{ rows: number; orders: number; gone: number }> {
  const state = await deps.run((ctx) => readOrdersSheet(ctx));
  assertUsable(state);
  const rows = await deps.run((ctx) => selectedBodyRows(ctx, state));
  if (!rows.length) throw new UserError('Select one or more rows of the orders table first.');
  const selected = new Set(rows);
  const orderIds = new Set(rows.map((r) => canonical(state.body[r]![col('orderId')])).filter(Boolean));
  const fetched = await Promise.all(
    [...orderIds].map((id) =>
      deps.api.getOrder(id).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null; // deleted or no longer visible: its rows are "gone"
        throw e;
      }),
    ),
  );
  const orders = fetched.filter((o): o is Order => o !== null);
  const byId = new Map(orders.map((o) => [o.id, o]));
  const pulled = parseSnapshot(state.snapshot);
  const writes: RowWrite[] = [];
  let gone = 0;
  state.body.forEach((row, r) => {
    const orderId = canonical(row[col('orderId')]);
    if (!orderIds.has(orderId)) return;
    const order = byId.get(orderId);
    const line = order?.lines.find((l) => l.id === canonical(row[col('lineId')]));
    if (!order || !line) {
      if (selected.has(r)) gone++;
      writes.push({ row: r, cells: {}, status: 'This line no longer exists on the server: pull orders again', tone: 'conflict' });
      return;
    }
    const server = lineCells(order, line, canonical(row[col('buyer')]));
    const before = pulled.get(line.id);
    const cells: RowWrite['cells'] = {};
    for (const c of COLUMNS) {
      if (c.key === 'sync') continue;
      const edited = c.editable && before !== undefined && canonical(row[col(c.key)]) !== before.values[c.key];
      cells[c.key] = !selected.has(r) && edited ? (row[col(c.key)] as Cell) : server[c.key];
    }
    const status = selected.has(r) ? `Refreshed (version ${order.version})` : canonical(row[col('sync')]);
    writes.push({ row: r, cells, status, tone: 'neutral' });
  });
  // The snapshot of each refreshed order becomes the server's; gone orders leave it.
  const snapshot: Cell[][] = [...state.snapshot.filter((s) => !orderIds.has(String(s[1]))), ...orders.flatMap((o) => snapshotRows(o))];
  await deps.run((ctx) => writeRowResults(ctx, state, writes, snapshot));
  return { rows: rows.length, orders: orders.length, gone };
}
