/**
 * "Publish changes": send the rows edited since the pull, in batches, each order under its own version,
 * and write every row's outcome. 3 syncs at any row count (2 to read, 1 to write results).
 */
import { MAX_BATCH_ITEMS, MAX_BODY_BYTES } from '../../../shared/domain/limits.js';
import { ApiError } from '../api/client.js';
import { payloadBytes } from '../excel/batching.js';
import { readColumnFormats, readOrdersSheet, writeRowResults, type OrdersSheet } from '../excel/orders-sheet.js';
import { asPercent, canonical, isPercentFormat } from '../sheet/cells.js';
import { col, type Cell } from '../sheet/columns.js';
import { collectChanges, parseSnapshot, type OrderChange } from '../sheet/changes.js';
import { effectsOf, problemEffects, type Outcome, type PublishEffects } from '../sheet/results.js';
import { UserError, type Deps } from './deps.js';

export interface PublishReport {
  saved: number;
  unchanged: number;
  rejected: number;
  conflicts: number;
  notSent: number;
  outcomes: Outcome[];
  /** Where the table is, to select cells for outcomes. */
  layout: Pick<OrdersSheet, 'sheetName' | 'bodyTop' | 'left' | 'positions'>;
}

export async function publishChanges(deps: Deps, opts: { onProgress?: (done: number, total: number) => void } = {}): Promise<PublishReport> {
  const state = await deps.run((ctx) => readOrdersSheet(ctx));
  assertUsable(state);
  const snapshot = parseSnapshot(state.snapshot);
  await readTypedPercents(deps, state, snapshot);
  const set = collectChanges(state.body, snapshot);
  const all: PublishEffects[] = [problemEffects(set.problems, state.body, state)];
  const report: PublishReport = { saved: 0, unchanged: 0, rejected: 0, conflicts: 0, notSent: 0, outcomes: [], layout: state };
  for (const row of set.unbound) {
    all.push({
      writes: [{ row, cells: {}, status: 'Not linked to an order: rows added by hand are not published (use Import for new orders)', tone: 'rejected' }],
      outcomes: [{ row, column: 'sync', tone: 'rejected', reference: '', message: 'Row added by hand: use Import for new orders' }],
      snapshots: new Map(),
    });
  }

  const batches = batchesOf(set.changes);
  let failure: string | null = null;
  for (const [b, batch] of batches.entries()) {
    if (failure) {
      for (const change of batch) all.push(notSent(change, failure));
      continue;
    }
    try {
      const { results } = await deps.api.batchUpdate(batch.map((c) => ({ id: c.orderId, version: c.version, patch: c.patch })));
      batch.forEach((change, i) => all.push(effectsOf(change, results[i]!, state.body, state)));
    } catch (e) {
      failure = e instanceof ApiError ? e.message : String(e);
      for (const change of batch) all.push(notSent(change, failure));
    }
    opts.onProgress?.(b + 1, batches.length);
  }

  report.outcomes = all.flatMap((e) => e.outcomes);
  const rejectedRows = new Set<number>();
  for (const o of report.outcomes) {
    if (o.tone === 'saved') report.saved++;
    else if (o.tone === 'conflict') report.conflicts++;
    else if (o.tone === 'neutral') report.unchanged++;
    else rejectedRows.add(o.row);
  }
  report.rejected = rejectedRows.size;
  report.notSent = failure ? all.filter((e) => e.writes.some((w) => w.status.startsWith('Not sent: the server'))).length : 0;

  const writes = all.flatMap((e) => e.writes);
  const replaced = new Map<string, Cell[][]>();
  for (const e of all) for (const [id, rows] of e.snapshots) replaced.set(id, rows);
  const newSnapshot = replaced.size ? [...state.snapshot.filter((r) => !replaced.has(String(r[1]))), ...[...replaced.values()].flat()] : undefined;
  if (writes.length || newSnapshot) await deps.run((ctx) => writeRowResults(ctx, state, writes, newSnapshot));
  return report;
}

/**
 * Typing "10%" into a cell makes Excel store 0.1 with a percent format. For edited Discount % cells only (one
 * extra sync, and only when there are some), read the format and use the percentage the user sees.
 */
async function readTypedPercents(deps: Deps, state: OrdersSheet, snapshot: ReturnType<typeof parseSnapshot>): Promise<void> {
  const c = col('discountPercent');
  const rows = state.body.flatMap((r, i) => {
    const pulled = snapshot.get(canonical(r[col('lineId')]));
    return typeof r[c] === 'number' && pulled && canonical(r[c]) !== pulled.values.discountPercent ? [i] : [];
  });
  if (!rows.length) return;
  const formats = await deps.run((ctx) => readColumnFormats(ctx, state, rows, 'discountPercent'));
  rows.forEach((r, i) => {
    if (isPercentFormat(formats[i])) state.body[r]![c] = asPercent(state.body[r]![c] as number);
  });
}

/** Request bodies stay under the API's limit, with room for the envelope around the orders. */
const MAX_BATCH_BYTES = MAX_BODY_BYTES - 100 * 1024;

/** Batches of at most MAX_BATCH_ITEMS orders and MAX_BATCH_BYTES of JSON (orders with many lines weigh more). */
export function batchesOf(changes: OrderChange[]): OrderChange[][] {
  const out: OrderChange[][] = [];
  let current: OrderChange[] = [];
  let bytes = 0;
  for (const c of changes) {
    const size = payloadBytes({ id: c.orderId, version: c.version, patch: c.patch });
    if (current.length && (current.length >= MAX_BATCH_ITEMS || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(c);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

function notSent(change: OrderChange, reason: string): PublishEffects {
  const status = `Not sent: the server could not be reached or refused the batch (${reason}). Publish again.`;
  return {
    writes: change.changedRows.map((row) => ({ row, cells: {}, status, tone: 'rejected' as const })),
    outcomes: [{ row: change.changedRows[0]!, column: 'sync', tone: 'rejected', reference: '', message: status }],
    snapshots: new Map(),
  };
}

export function assertUsable(state: OrdersSheet): void {
  if (!state.tableExists) throw new UserError('There is no ExportDesk orders table in this workbook yet: use "Pull orders" first.');
  if (!state.snapshotExists) throw new UserError('The pull snapshot is missing from this workbook, so edits cannot be told apart: pull the orders again.');
  if (state.missing.length) throw new UserError(`These columns were removed from the orders table: ${state.missing.join(', ')}. Put them back (or pull again) before publishing.`);
}
