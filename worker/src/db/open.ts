import { createClient } from '@libsql/client';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createDatabase, isEmbeddedUrl, type Database } from './client.js';
import { migrateDatabase } from './migrate.js';

/** Default embedded database for `npm start`. */
export const DEFAULT_DATABASE_URL = 'file:./data/exportdesk.db';

/**
 * Open (and migrate) a database on Node: an embedded libSQL file by default, or any libSQL URL
 * (`libsql://…` Turso, `http://…` sqld) with an auth token.
 */
export async function openDatabase(url = DEFAULT_DATABASE_URL, authToken?: string, opts: { migrate?: boolean } = {}): Promise<Database> {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, ...(authToken ? { authToken } : {}) });
  if (opts.migrate !== false) await migrateDatabase(client);
  return createDatabase(client, { serializeWrites: isEmbeddedUrl(url) });
}

/** Database settings from the environment: DATABASE_URL, DATABASE_AUTH_TOKEN. */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env) {
  return { url: env.DATABASE_URL || DEFAULT_DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN || undefined };
}
