/**
 * `npm run db:migrate`: apply the committed migrations to DATABASE_URL (default: the embedded file).
 * For Turso: DATABASE_URL=libsql://<db>-<org>.turso.io DATABASE_AUTH_TOKEN=… npm run db:migrate
 */
import { databaseFromEnv, openDatabase } from './open.js';

const { url, authToken } = databaseFromEnv();
const database = await openDatabase(url, authToken);
const { rows } = await database.client.execute('select count(*) as n from __drizzle_migrations');
console.log(`Migrated ${url.replace(/\/\/[^@]*@/, '//')}: ${rows[0]?.n} migration(s) applied in total`);
database.client.close();
