import type { Client, ResultSet } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Anything queries run on: the database or an open transaction. */
export type Executor = BaseSQLiteDatabase<'async', ResultSet, Schema>;

/** The database as services see it. */
export interface Database {
  /** For reads (and nothing else). */
  readonly db: Executor;
  /** Run `fn` in one write transaction (BEGIN IMMEDIATE): all of it commits, or none of it. */
  write<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  readonly client: Client;
}

/**
 * Wrap a libSQL client. With an embedded file (`serializeWrites`), write transactions are queued
 * in-process: SQLite waits for its write lock synchronously, which would stall Node's event loop
 * while another transaction of the same process holds it. Remote libSQL (Turso) serialises writers itself.
 */
export function createDatabase(client: Client, opts: { serializeWrites: boolean }): Database {
  const db = drizzle(client, { schema }) as unknown as Executor & { transaction: Executor['transaction'] };
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(fn: (tx: Executor) => Promise<T>) =>
    db.transaction(async (tx) => fn(tx as unknown as Executor), { behavior: 'immediate' });
  return {
    db,
    client,
    write<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
      if (!opts.serializeWrites) return run(fn);
      const result = tail.then(() => run(fn));
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/** True for URLs that open an embedded database file in this process. */
export function isEmbeddedUrl(url: string): boolean {
  return url.startsWith('file:') || url === ':memory:';
}
