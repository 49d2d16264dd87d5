/** Raw SQL on the database or inside a transaction, for the few hot paths where drizzle's builder costs more than SQLite (bulk inserts, the exception sweep). */
import type { SQLiteSession } from 'drizzle-orm/sqlite-core';
import type { Executor } from './client.js';

type Session = SQLiteSession<'async', unknown, Record<string, unknown>, never>;
const session = (x: Executor) => (x as unknown as { session: Session }).session;

/** Rows of a raw SELECT, as objects keyed by column name, on the database or inside a transaction. */
export async function rawAll<T = Record<string, unknown>>(x: Executor, text: string, params: unknown[]): Promise<T[]> {
  return (await session(x).prepareQuery({ sql: text, params }, undefined, 'all', false).all()) as T[];
}

/** Run a raw statement. */
export async function rawRun(x: Executor, text: string, params: unknown[]): Promise<void> {
  await session(x).prepareQuery({ sql: text, params }, undefined, 'run', false).run();
}

/** `?, ?, ?` for n values. */
export const placeholders = (n: number) => Array(n).fill('?').join(', ');

/** Split into chunks of at most `size`. */
export function chunks<T>(xs: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
