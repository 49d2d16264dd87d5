/**
 * Node entry: `npm start`. Serves the API on PORT (default 8787) over an embedded libSQL file
 * (DATABASE_URL, default file:./data/exportdesk.db), migrating on start. On an empty database it
 * creates a demo organisation and prints its admin key. Exception rules are swept every EXCEPTIONS_SWEEP_MINUTES
 * (default 15; 0 = off) over every organisation. Buyer e-mails queued in the outbox are delivered every
 * EMAIL_DELIVERY_SECONDS (default 30; 0 = off) when EMAIL_TRANSPORT names a transport (email-schedule.ts).
 *
 * The same origin serves the Excel task pane from dist/public at /addin/* (static.ts; `npm start` builds it
 * first when missing or stale). With development certificates (`npm run certs`, see tls.ts) it speaks HTTPS,
 * which Excel requires: https://localhost:8787/addin/taskpane.html is what manifest.xml opens.
 */
import { createServer as createHttpsServer } from 'node:https';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { databaseFromEnv, openDatabase } from '../db/open.js';
import { seedDemo } from '../demo/seed.js';
import { isEmpty } from '../services/organisations.js';
import { TASKPANE_PATH } from './addin-assets.js';
import { emailDeliveryFromNodeEnv, startEmailDelivery } from './email-schedule.js';
import { startExceptionSweeps } from './exception-schedule.js';
import { addinStatic, defaultPublicDir } from './static.js';
import { PROJECT_ROOT, serverTls } from './tls.js';

const { url, authToken } = databaseFromEnv();
const port = Number(process.env.PORT ?? 8787);
const hostname = process.env.HOST ?? '127.0.0.1';
const tls = (() => {
  try {
    return serverTls();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
})();
// Buyer e-mails: a wrong configuration stops the start, naming what to fix; none configured means they wait in the outbox.
const email = (() => {
  try {
    return emailDeliveryFromNodeEnv();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
})();
const database = await openDatabase(url, authToken);

if (await isEmpty(database)) {
  const demo = await seedDemo(database);
  console.log(`Created demo organisation "${demo.organisation.legalName}" with ${demo.orders} orders.`);
  console.log(`API key: ${demo.apiKey}`);
  console.log('Keep this key: it is stored hashed and will not be shown again (new keys: npm run cli -- key create).');
} else {
  console.log('Using existing database. Issue a key with: npm run cli -- key create --email <admin e-mail>');
}

const app = createApp({ database: () => database, email: () => email, version: process.env.npm_package_version });
// Exception rules on a schedule (EXCEPTIONS_SWEEP_MINUTES, default 15; 0 = off), besides on every change.
const stopSweeps = startExceptionSweeps(database);
// Buyer e-mails from the outbox (EMAIL_DELIVERY_SECONDS, default 30; 0 = off).
const stopDelivery = startEmailDelivery(database, email);
const publicDir = defaultPublicDir(PROJECT_ROOT);
const paneBuilt = existsSync(join(publicDir, 'addin', 'taskpane.html'));
const serveAddin = addinStatic(publicDir);
// The certificate names localhost and 127.0.0.1; show the name the manifest uses.
const loopback = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(hostname);
// HSTS (set by the API's secureHeaders) is host-wide, not per port: over HTTPS on localhost it would make the
// browser — and Excel for Mac's WebKit — upgrade every other http://localhost:<port> you use. Not sent here.
const dropHsts = tls.https && loopback;

async function handle(request: Request, env: unknown): Promise<Response> {
  const res = (await serveAddin(request)) ?? (await app.fetch(request, env as never));
  if (dropHsts && res.headers.has('strict-transport-security')) {
    const headers = new Headers(res.headers);
    headers.delete('strict-transport-security');
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  }
  return res;
}

const server = serve(
  {
    fetch: handle,
    port,
    hostname,
    ...(tls.https ? { createServer: createHttpsServer, serverOptions: { key: tls.key, cert: tls.cert } } : {}),
  },
  (info) => {
    const origin = tls.https ? `https://${loopback ? 'localhost' : hostname}:${info.port}` : `http://${info.address}:${info.port}`;
    const lines = [`ExportDesk API on ${origin}  (docs: /docs, OpenAPI: /openapi.json, database: ${url})`];
    if (paneBuilt) lines.push(`Excel task pane: ${origin}${TASKPANE_PATH}  (sideload manifest.xml: see README, "Excel add-in")`);
    else lines.push('Excel task pane not built (npm run build:addin): /addin/ answers 404.');
    if (tls.https) {
      lines.push(`HTTPS with the development certificate in ${tls.paths.dir} (valid until ${tls.validTo.toISOString().slice(0, 10)}).`);
      lines.push(...tls.warnings.map((w) => `Warning: ${w}`));
    } else lines.push(tls.hint);
    lines.push(email ? `Buyer e-mails: ${email.transport.name}, from ${email.sender.address}.` : 'Buyer e-mails: EMAIL_TRANSPORT not set, so they wait in the outbox (GET /orders/{id}/notifications).');
    console.log(lines.join('\n')); // one write, so a reader sees the whole block with the first line
  },
);

const stop = () => {
  stopSweeps();
  stopDelivery();
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
