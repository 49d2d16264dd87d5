/**
 * Node entry: `npm start`. Serves the API on PORT (default 8787) over an embedded libSQL file
 * (DATABASE_URL, default file:./data/exportdesk.db), migrating on start. On an empty database it
 * creates a demo organisation and prints its admin key.
 */
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { databaseFromEnv, openDatabase } from '../db/open.js';
import { seedDemo } from '../demo/seed.js';
import { isEmpty } from '../services/organisations.js';

const { url, authToken } = databaseFromEnv();
const port = Number(process.env.PORT ?? 8787);
const database = await openDatabase(url, authToken);

if (await isEmpty(database)) {
  const demo = await seedDemo(database);
  console.log(`Created demo organisation "${demo.organisation.legalName}" with ${demo.orders} orders.`);
  console.log(`API key: ${demo.apiKey}`);
  console.log('Keep this key: it is stored hashed and will not be shown again (new keys: npm run cli -- key create).');
} else {
  console.log('Using existing database. Issue a key with: npm run cli -- key create --email <admin e-mail>');
}

const app = createApp({ database: () => database, version: process.env.npm_package_version });
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`ExportDesk API on http://${info.address}:${info.port}  (docs: /docs, OpenAPI: /openapi.json, database: ${url})`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
