/** "Pull orders": write the orders matching the filters into the Orders table. 3 syncs at any row count (under ~4 MB). */
import type { OrderFilters } from '../api/client.js';
import { readOrdersSheet, writeOrdersSheet } from '../excel/orders-sheet.js';
import { collectChanges, parseSnapshot } from '../sheet/changes.js';
import { minorUnitsOf, orderFormats, orderRows, snapshotRows } from '../sheet/orders-to-rows.js';
import type { Deps } from './deps.js';

export type PullResult = { status: 'pulled'; orders: number; rows: number } | { status: 'unpublished'; rows: number };

/** Pull; when the sheet holds unpublished edits, stop and say how many unless `force`. */
export async function pullOrders(deps: Deps, filters: OrderFilters, opts: { force?: boolean; onProgress?: (text: string) => void } = {}): Promise<PullResult> {
  const state = await deps.run((ctx) => readOrdersSheet(ctx));
  if (!opts.force && state.tableExists && !state.missing.length) {
    const pending = collectChanges(state.body, parseSnapshot(state.snapshot));
    const rows = new Set([...pending.changes.flatMap((c) => c.changedRows), ...pending.problems.map((p) => p.row)]).size;
    if (rows) return { status: 'unpublished', rows };
  }
  opts.onProgress?.('Loading orders…');
  const [orders, buyers] = await Promise.all([deps.api.pullOrders(filters, (n) => opts.onProgress?.(`Loading orders… ${n}`)), deps.api.buyers()]);
  const names = new Map(buyers.map((b) => [b.id, b.name]));
  const rows = orders.flatMap((o) => orderRows(o, names.get(o.buyerId) ?? o.buyerId));
  const formats = orders.flatMap((o) => orderFormats(o, minorUnitsOf(o)));
  const snapshot = orders.flatMap((o) => snapshotRows(o));
  opts.onProgress?.(`Writing ${rows.length} rows…`);
  await deps.run((ctx) => writeOrdersSheet(ctx, state, { rows, formats, snapshot }));
  return { status: 'pulled', orders: orders.length, rows: rows.length };
}
