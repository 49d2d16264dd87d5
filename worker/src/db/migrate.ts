import type { Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { fileURLToPath } from 'node:url';

/** The committed drizzle-kit migrations. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** Apply pending migrations (Node only: reads the migrations folder). Safe to run repeatedly. */
export async function migrateDatabase(client: Client): Promise<void> {
  if (client.protocol === 'file') {
    await client.execute('PRAGMA journal_mode = WAL');
  }
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
}
