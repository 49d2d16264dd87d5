/**
 * Multi-row INSERTs for thousands of rows, run in the caller's transaction. drizzle's query builder visits
 * every bound parameter through its generic SQL chunk machinery, which for 10,000 order lines costs more
 * than SQLite's own work; here the statement text is built once per chunk and the values are converted with
 * the schema's own column mappers (JSON columns → JSON text, booleans → 0/1), exactly as drizzle would.
 */
import { getTableColumns, getTableName, is, SQL, type Table } from 'drizzle-orm';
import type { Executor } from './client.js';
import { rawRun } from './raw.js';

/** SQLite's default limit on bound parameters per statement is 32,766; stay well under it. */
const MAX_PARAMS = 30_000;

interface Shape {
  name: string;
  keys: string[];
  columnNames: string;
  width: number;
  toArgs: (row: Record<string, unknown>, out: unknown[]) => void;
}

const shapes = new WeakMap<Table, Shape>();
function shapeOf(table: Table): Shape {
  let s = shapes.get(table);
  if (s) return s;
  const cols = Object.entries(getTableColumns(table));
  const converters = cols.map(([key, c]) => {
    const fallback = (): unknown => {
      if (c.defaultFn) return c.defaultFn();
      if (c.default !== undefined && !is(c.default, SQL)) return c.default;
      return null;
    };
    return (row: Record<string, unknown>) => {
      const v = row[key] === undefined ? fallback() : row[key];
      return v === null || v === undefined ? null : c.mapToDriverValue(v);
    };
  });
  s = {
    name: getTableName(table),
    keys: cols.map(([key]) => key),
    columnNames: cols.map(([, c]) => `"${c.name}"`).join(', '),
    width: cols.length,
    toArgs: (row, out) => {
      for (const convert of converters) out.push(convert(row));
    },
  };
  shapes.set(table, s);
  return s;
}

/**
 * INSERT `rows` into `table`, `perStatement` rows per statement at most (fewer when the table is wide).
 * `upsertOn`: the primary-key column whose conflict turns the insert into an update of every other column.
 */
export async function bulkInsert<T extends Table>(
  tx: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: { perStatement?: number; upsertOn?: keyof T['$inferSelect'] & string } = {},
): Promise<void> {
  if (!rows.length) return;
  const s = shapeOf(table);
  const per = Math.max(1, Math.min(options.perStatement ?? 1000, Math.floor(MAX_PARAMS / s.width)));
  const tuple = `(${Array(s.width).fill('?').join(', ')})`;
  let conflict = '';
  if (options.upsertOn) {
    const cols = getTableColumns(table);
    const target = cols[options.upsertOn]!.name;
    const set = Object.values(cols)
      .filter((c) => c.name !== target)
      .map((c) => `"${c.name}" = excluded."${c.name}"`)
      .join(', ');
    conflict = ` ON CONFLICT ("${target}") DO UPDATE SET ${set}`;
  }
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    for (const row of chunk) s.toArgs(row as Record<string, unknown>, params);
    await rawRun(tx, `INSERT INTO "${s.name}" (${s.columnNames}) VALUES ${Array(chunk.length).fill(tuple).join(', ')}${conflict}`, params);
  }
}
