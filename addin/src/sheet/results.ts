/**
 * Publish, step 2 (pure): the server's answer per order → what to write on each row (status text and
 * colour, refreshed values and version) and the new snapshot lines.
 */
import type { OrderBatchResult } from '../../../shared/contracts/order-batch.js';
import type { Order } from '../../../shared/contracts/orders.js';
import { COLUMNS, EDITABLE, col, columnLetter, type Cell, type ColumnKey } from './columns.js';
import type { OrderChange, RowProblem } from './changes.js';
import { canonical } from './cells.js';
import { lineCells, snapshotRows } from './orders-to-rows.js';

export type Tone = 'saved' | 'rejected' | 'conflict' | 'neutral';

/** What to write on one table body row. */
export interface RowWrite {
  row: number;
  /** Columns to overwrite besides the status (server values after a save). */
  cells: Partial<Record<ColumnKey, Cell>>;
  status: string;
  tone: Tone;
}

/** A row-level outcome for the pane's list; clicking it selects `row`/`column`. */
export interface Outcome {
  row: number;
  column: ColumnKey;
  tone: Tone;
  reference: string;
  message: string;
}

export interface PublishEffects {
  writes: RowWrite[];
  outcomes: Outcome[];
  /** Replacement snapshot lines per order id (saved and unchanged orders). */
  snapshots: Map<string, Cell[][]>;
}

/** Where the table is in its sheet: first body row, first column, and each column's offset (users may move columns). */
export interface TableLayout {
  bodyTop: number;
  left: number;
  positions: number[];
}

/** The cell address (e.g. "F12") of a body row and column of the table. */
export const cellAddress = (layout: TableLayout, row: number, column: ColumnKey) =>
  `${columnLetter(layout.left + layout.positions[col(column)]!)}${layout.bodyTop + row + 1}`;

/** Map a server field path (`lines.2.quantity`, `portOfDischarge`) to a row and column of this change. */
export function locate(change: OrderChange, path: string | undefined): { row: number; column: ColumnKey } {
  const fallback = { row: change.changedRows[0]!, column: 'sync' as ColumnKey };
  if (!path) return fallback;
  const parts = path.split('.');
  if (parts[0] === 'lines') {
    const row = change.lineRows[Number(parts[1])];
    const field = parts[2] === 'productId' ? 'sku' : (parts[2] as ColumnKey);
    if (row === undefined || row < 0) return fallback;
    return { row, column: COLUMNS.some((c) => c.key === field) ? field : 'sync' };
  }
  const key = parts[0] as ColumnKey;
  if (!COLUMNS.some((c) => c.key === key)) return fallback;
  return { row: change.fieldRows[key] ?? fallback.row, column: key };
}

/** Effects of one order's result. `body` is the table as read (for the reference and buyer columns). */
export function effectsOf(change: OrderChange, result: OrderBatchResult, body: Cell[][], layout: TableLayout): PublishEffects {
  const reference = canonical(body[change.rows[0]!]?.[col('reference')]);
  const effects: PublishEffects = { writes: [], outcomes: [], snapshots: new Map() };
  if (result.status === 'saved' || result.status === 'unchanged') {
    const order = result.order!;
    const rowOf = new Map(change.rows.map((r) => [canonical(body[r]![col('lineId')]), r]));
    for (const line of order.lines) {
      const row = rowOf.get(line.id);
      if (row === undefined) continue;
      const cells = lineCells(order, line, canonical(body[row]![col('buyer')]));
      const edited = change.changedRows.includes(row);
      effects.writes.push({
        row,
        cells: Object.fromEntries(COLUMNS.filter((c) => c.key !== 'sync').map((c) => [c.key, cells[c.key]])),
        status: edited ? (result.status === 'saved' ? `Saved (version ${order.version})` : 'No change') : '',
        tone: edited && result.status === 'saved' ? 'saved' : 'neutral',
      });
    }
    effects.snapshots.set(order.id, snapshotRows(order));
    effects.outcomes.push({ row: change.changedRows[0]!, column: 'sync', tone: result.status === 'saved' ? 'saved' : 'neutral', reference, message: result.status === 'saved' ? `Saved, now version ${order.version}` : 'Nothing differed from the server' });
    return effects;
  }
  if (result.status === 'conflict') {
    const current = result.order as Order | undefined;
    const theirs = current ? theirChanges(change, current, body) : [];
    const text = theirs.length ? theirs.map((t) => `${t.header} is now ${t.value || '(empty)'}${t.mine !== undefined ? ` (yours ${t.mine || '(empty)'})` : ''}`).join('; ') : 'the order changed';
    const status = `Conflict: changed by someone else since your pull${current ? ` (now version ${current.version})` : ''} — ${text}. Use "Refresh selected rows" to load theirs.`;
    for (const row of change.changedRows) effects.writes.push({ row, cells: {}, status, tone: 'conflict' });
    effects.outcomes.push({ row: theirs[0]?.row ?? change.changedRows[0]!, column: theirs[0]?.column ?? 'sync', tone: 'conflict', reference, message: `Changed by someone else: ${text}` });
    return effects;
  }
  // rejected
  const details = result.error?.details?.length ? result.error.details : [{ path: '', message: result.error?.message ?? 'Rejected' }];
  const perRow = new Map<number, string[]>();
  for (const d of details) {
    const at = locate(change, d.path);
    const where = at.column === 'sync' ? '' : `${cellAddress(layout, at.row, at.column)} ${COLUMNS[col(at.column)]!.header}: `;
    perRow.set(at.row, [...(perRow.get(at.row) ?? []), `${where}${d.message}`]);
    effects.outcomes.push({ row: at.row, column: at.column, tone: 'rejected', reference, message: `${where}${d.message}` });
  }
  for (const row of change.changedRows) {
    const messages = perRow.get(row) ?? [`${result.error?.message ?? 'Rejected'}${perRow.size ? ` (see ${[...perRow.values()].flat()[0]})` : ''}`];
    effects.writes.push({ row, cells: {}, status: `Rejected: ${messages.join('; ')}`, tone: 'rejected' });
  }
  return effects;
}

/** Problems found before sending, as writes and outcomes. */
export function problemEffects(problems: RowProblem[], body: Cell[][], layout: TableLayout): PublishEffects {
  const effects: PublishEffects = { writes: [], outcomes: [], snapshots: new Map() };
  const perRow = new Map<number, string[]>();
  for (const p of problems) {
    if (p.row < 0) continue;
    const message = `${cellAddress(layout, p.row, p.column)} ${COLUMNS[col(p.column)]!.header}: ${p.message}`;
    perRow.set(p.row, [...(perRow.get(p.row) ?? []), message]);
    effects.outcomes.push({ row: p.row, column: p.column, tone: 'rejected', reference: canonical(body[p.row]?.[col('reference')]), message });
  }
  for (const [row, messages] of perRow) effects.writes.push({ row, cells: {}, status: `Not sent: ${messages.join('; ')}`, tone: 'rejected' });
  return effects;
}

/** Fields the other person changed, on the rows this user edited: their value, and the user's where they differ. */
function theirChanges(change: OrderChange, current: Order, body: Cell[][]) {
  const out: { row: number; column: ColumnKey; header: string; value: string; mine?: string }[] = [];
  const seen = new Set<string>();
  for (const row of change.changedRows) {
    const line = current.lines.find((l) => l.id === canonical(body[row]![col('lineId')]));
    if (!line) continue;
    const now = lineCells(current, line, '');
    for (const c of EDITABLE) {
      const theirs = canonical(now[c.key]);
      const pulled = change.edits.find((e) => e.row === row && e.column === c.key)?.pulled;
      const mine = canonical(body[row]![col(c.key)]);
      const base = pulled ?? mine; // unedited cells still hold the pulled value
      if (theirs === base) continue;
      const key = c.scope === 'order' ? c.key : `${row}:${c.key}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ row, column: c.key, header: c.header, value: theirs, ...(pulled !== undefined ? { mine } : {}) });
    }
  }
  return out;
}
