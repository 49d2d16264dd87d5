/**
 * Publish, step 1 (pure): compare the table with the pull snapshot and turn edited rows into one patch per
 * order. Rows are matched to the snapshot by their hidden line id, so sorting or filtering the table is fine.
 */
import { COLUMNS, EDITABLE, col, type Cell, type ColumnKey } from './columns.js';
import { canonical, serialToIsoDate } from './cells.js';

/** One pulled line as the snapshot sheet holds it. */
export interface SnapshotLine {
  lineId: string;
  orderId: string;
  version: number;
  productId: string;
  lineNo: number;
  /** Canonical text of each editable column as pulled. */
  values: Partial<Record<ColumnKey, string>>;
}

export function parseSnapshot(rows: Cell[][]): Map<string, SnapshotLine> {
  const out = new Map<string, SnapshotLine>();
  for (const r of rows) {
    const lineId = canonical(r[0]);
    if (!lineId) continue;
    const values: SnapshotLine['values'] = {};
    EDITABLE.forEach((c, i) => (values[c.key] = canonical(r[5 + i])));
    out.set(lineId, { lineId, orderId: canonical(r[1]), version: Number(r[2]), productId: canonical(r[3]), lineNo: Number(r[4]), values });
  }
  return out;
}

/** A problem found before anything is sent: which row (0-based in the table body), which column. */
export interface RowProblem {
  row: number;
  column: ColumnKey;
  message: string;
}

/** What one order's publish sends, and how to map the answer back onto rows. */
export interface OrderChange {
  orderId: string;
  version: number;
  patch: Record<string, unknown>;
  /** Table body rows of this order present in the sheet, and those the user edited. */
  rows: number[];
  changedRows: number[];
  /** Body row of `patch.lines[i]` (-1 when that line is not in the sheet and was sent as pulled). */
  lineRows: number[];
  /** Body row that carried each changed header field. */
  fieldRows: Partial<Record<ColumnKey, number>>;
  /** Changed cells: the user's value against the pulled one. */
  edits: { row: number; column: ColumnKey; mine: string; pulled: string }[];
}

export interface ChangeSet {
  changes: OrderChange[];
  problems: RowProblem[];
  /** Edited rows not bound to a pulled line (added by hand, or pulled into another workbook). */
  unbound: number[];
}

const LINE_KEYS = EDITABLE.filter((c) => c.scope === 'line').map((c) => c.key);
const HEADER_KEYS = EDITABLE.filter((c) => c.scope === 'order').map((c) => c.key);

/** Find edited rows and build patches. `body` is the table's data body, columns in {@link COLUMNS} order. */
export function collectChanges(body: Cell[][], snapshot: Map<string, SnapshotLine>): ChangeSet {
  const problems: RowProblem[] = [];
  const unbound: number[] = [];
  const byOrder = new Map<string, { rows: number[]; changed: number[] }>();
  const seen = new Map<string, number>();
  const duplicated = new Set<string>();
  body.forEach((row, i) => {
    const lineId = canonical(row[col('lineId')]);
    if (lineId && seen.has(lineId)) {
      // A copied row carries the original's hidden Line ID: which one holds the user's intent is unknowable.
      problems.push({ row: i, column: 'sync', message: `This row is a copy of row ${seen.get(lineId)! + 1} of the table (same hidden Line ID): delete one of them; new lines are added with Import` });
      duplicated.add(snapshot.get(lineId)?.orderId ?? '');
      return;
    }
    if (lineId) seen.set(lineId, i);
    const pulled = lineId ? snapshot.get(lineId) : undefined;
    if (!pulled) {
      if (EDITABLE.some((c) => canonical(row[col(c.key)]) !== '')) unbound.push(i);
      return;
    }
    const entry = byOrder.get(pulled.orderId) ?? { rows: [], changed: [] };
    entry.rows.push(i);
    if (EDITABLE.some((c) => canonical(row[col(c.key)]) !== pulled.values[c.key])) entry.changed.push(i);
    byOrder.set(pulled.orderId, entry);
  });

  const changes: OrderChange[] = [];
  for (const [orderId, { rows, changed }] of byOrder) {
    if (!changed.length || duplicated.has(orderId)) continue;
    const lineOf = (r: number) => snapshot.get(canonical(body[r]![col('lineId')]))!;
    const first = lineOf(changed[0]!);
    const change: OrderChange = { orderId, version: first.version, patch: {}, rows, changedRows: changed, lineRows: [], fieldRows: {}, edits: [] };
    const before = problems.length;

    for (const key of HEADER_KEYS) {
      const edited = changed.filter((r) => canonical(body[r]![col(key)]) !== lineOf(r).values[key]);
      if (!edited.length) continue;
      const texts = new Set(edited.map((r) => canonical(body[r]![col(key)])));
      if (texts.size > 1) {
        const column = COLUMNS[col(key)]!.header;
        for (const r of edited) problems.push({ row: r, column: key, message: `${column} was changed to different values on lines of the same order (${[...texts].join(' / ')}); make them agree` });
        continue;
      }
      const r = edited[0]!;
      change.fieldRows[key] = r;
      for (const e of edited) change.edits.push({ row: e, column: key, mine: canonical(body[e]![col(key)]), pulled: lineOf(e).values[key] ?? '' });
      const value = headerValue(key, body[r]![col(key)]);
      if ('error' in value) problems.push({ row: r, column: key, message: value.error });
      else change.patch[key] = value.ok;
    }

    const linesEdited = changed.some((r) => LINE_KEYS.some((k) => canonical(body[r]![col(k)]) !== lineOf(r).values[k]));
    if (linesEdited) {
      // The complete set of the order's pulled lines: edited values where the row is in the sheet, pulled ones otherwise.
      const orderLines = [...snapshot.values()].filter((l) => l.orderId === orderId).sort((a, b) => a.lineNo - b.lineNo);
      const rowOfLine = new Map(rows.map((r) => [canonical(body[r]![col('lineId')]), r]));
      const lines: Record<string, unknown>[] = [];
      for (const l of orderLines) {
        const r = rowOfLine.get(l.lineId);
        change.lineRows.push(r ?? -1);
        const line: Record<string, unknown> = { id: l.lineId, productId: l.productId };
        for (const key of LINE_KEYS) {
          const cell = r === undefined ? l.values[key] : body[r]![col(key)];
          if (r !== undefined && canonical(cell) !== l.values[key]) change.edits.push({ row: r, column: key, mine: canonical(cell), pulled: l.values[key] ?? '' });
          const value = lineValue(key, cell);
          if ('error' in value) problems.push({ row: r ?? -1, column: key, message: value.error });
          else if (value.ok !== undefined) line[key] = value.ok;
        }
        lines.push(line);
      }
      change.patch.lines = lines;
    }
    if (problems.length === before) changes.push(change);
    else {
      // The order is not sent: its other edited rows say so too, instead of keeping an old status.
      const flagged = new Set(problems.slice(before).map((p) => p.row));
      const first = [...flagged].filter((r) => r >= 0).sort((a, b) => a - b)[0];
      for (const r of changed) {
        if (!flagged.has(r)) problems.push({ row: r, column: 'sync', message: `this order was not sent because of a problem on row ${first === undefined ? '?' : first + 1} of the table` });
      }
    }
  }
  return { changes, problems, unbound };
}

type Converted = { ok: unknown } | { error: string };

function headerValue(key: ColumnKey, cell: Cell | undefined): Converted {
  const text = canonical(cell);
  switch (key) {
    case 'buyerPo':
    case 'remarks':
      return { ok: text || null };
    case 'destinationCountry':
    case 'incoterm':
    case 'currency':
      return text ? { ok: text.toUpperCase() } : { error: 'Required' };
    case 'portOfLoading':
    case 'portOfDischarge':
      return text ? { ok: text.toUpperCase().replace(/\s+/g, '') } : { error: 'Required: a UN/LOCODE such as INNSA' };
    case 'transportMode':
      return text ? { ok: text.toLowerCase().replace(/\s+/g, '_') } : { error: 'Required: sea, air, road, rail…' };
    case 'requestedShipDate':
      if (!text) return { ok: null };
      if (typeof cell === 'number') return { ok: serialToIsoDate(cell) };
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? { ok: text } : { error: `"${text}" is not a date: use YYYY-MM-DD, e.g. 2026-12-15` };
    default:
      return { ok: text };
  }
}

function lineValue(key: ColumnKey, cell: Cell | string | undefined): Converted {
  const text = canonical(cell as Cell);
  switch (key) {
    case 'quantity':
    case 'unitPrice':
    case 'discountPercent': {
      if (!text) return key === 'discountPercent' ? { ok: '0' } : { error: 'Required: a number' };
      // Formula results carry float noise (110.00000000000001): 15 significant digits is what Excel shows.
      if (typeof cell === 'number') return { ok: decimalText(String(Number(cell.toPrecision(15)))) };
      const plain = text.replace(/,/g, '');
      if (/^-?\d*\.?\d+(?:[eE][-+]?\d+)?$/.test(plain)) return { ok: decimalText(plain) };
      return { error: `"${text}" is not a number` };
    }
    case 'unit':
      return text ? { ok: text.toUpperCase() } : { error: 'Required: PCS, KG, MT…' };
    case 'description':
      return text ? { ok: text } : { ok: undefined };
    default:
      return { ok: text };
  }
}

/** A JS number's text as a plain decimal (no exponent), as the API's decimal strings expect. */
export function decimalText(text: string): string {
  if (!/e/i.test(text)) return text;
  const n = Number(text);
  const digits = Math.max(0, -Math.floor(Math.log10(Math.abs(n) || 1)) + 15);
  return n.toFixed(Math.min(digits, 20)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
