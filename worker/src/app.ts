import { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { z } from 'zod';
import { MAX_BODY_BYTES } from '../../shared/domain/limits.js';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../../shared/domain/roles.js';
import { requireAuth } from './http/auth.js';
import type { AppDeps, AppEnv } from './http/env.js';
import { errorHandler, validationHook } from './http/errors.js';
import { exceptionTrigger } from './http/exception-trigger.js';
import { AppError } from './services/errors.js';
import { adminRoutes } from './routes/admin.js';
import { bookingRoutes } from './routes/bookings.js';
import { documentRoutes } from './routes/documents.js';
import { exceptionRoutes } from './routes/exceptions.js';
import { MAX_IMPORT_BODY_BYTES, importRoutes } from './routes/imports.js';
import { orderRoutes } from './routes/orders.js';
import { partyRoutes } from './routes/parties.js';
import { productionRoutes } from './routes/production.js';
import { paymentRoutes } from './routes/payments.js';
import { fxRoutes } from './routes/fx.js';
import { notificationRoutes } from './routes/notifications.js';
import { trackingRoutes } from './routes/tracking.js';
import { productRoutes } from './routes/products.js';
import { shipmentRoutes } from './routes/shipments.js';
import { stockRoutes } from './routes/stock.js';
import { timelineRoutes } from './routes/timeline.js';
import { validationRoutes } from './routes/validation.js';

/** Largest accepted request body (except POST /imports: MAX_IMPORT_BODY_BYTES). */
export { MAX_BODY_BYTES, MAX_IMPORT_BODY_BYTES };

const PUBLIC_PATHS = new Set(['/health', '/openapi.json', '/docs']);
/**
 * The task pane's files (served before the app by the runtime: static.ts on Node, Static Assets on Workers); a miss is a plain 404.
 * /track/{token}…: the buyer's tracking page and its downloads, where the token is the credential (routes/tracking.ts).
 */
const isPublic = (path: string) => PUBLIC_PATHS.has(path) || path.startsWith('/addin/') || path.startsWith('/track/');

/** Build the API. Runtime entries (Node, Workers) only say where the database is. */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });

  app.onError(errorHandler(deps));
  app.notFound((c) => {
    throw new AppError(404, 'NOT_FOUND', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`);
  });

  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false }));
  const apiBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${MAX_BODY_BYTES} bytes`);
    },
  });
  // POST /imports carries whole sheets: its own, larger limit instead of the global one.
  const importBodyLimit = bodyLimit({
    maxSize: MAX_IMPORT_BODY_BYTES,
    onError: () => {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `Request body over ${MAX_IMPORT_BODY_BYTES} bytes (${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MiB, the limit of POST /imports): split the sheet into several imports`);
    },
  });
  app.use('*', (c, next) => (c.req.path === '/imports' ? importBodyLimit : apiBodyLimit)(c, next));
  app.use('*', async (c, next) => {
    c.set('database', deps.database(c.env));
    await next();
  });
  const auth = requireAuth(deps);
  app.use('*', async (c, next) => (isPublic(c.req.path) ? next() : auth(c, next)));
  // After a successful change to an order or shipment (or what hangs off them), evaluate the exception rules for it.
  const evaluateExceptions = exceptionTrigger(deps);
  app.use('*', async (c, next) => (isPublic(c.req.path) ? next() : evaluateExceptions(c, next)));

  app.openapi(
    {
      method: 'get',
      path: '/health',
      tags: ['System'],
      summary: 'Liveness and database check',
      responses: { 200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('ok'), database: z.literal('ok'), version: z.string() }) } } } },
    },
    async (c) => {
      await c.var.database.client.execute('select 1');
      return c.json({ status: 'ok' as const, database: 'ok' as const, version: deps.version ?? 'dev' }, 200);
    },
  );

  adminRoutes(app);
  partyRoutes(app);
  productRoutes(app);
  orderRoutes(app);
  shipmentRoutes(app);
  bookingRoutes(app);
  timelineRoutes(app);
  validationRoutes(app);
  documentRoutes(app);
  importRoutes(app);
  exceptionRoutes(app);
  stockRoutes(app);
  productionRoutes(app);
  paymentRoutes(app);
  fxRoutes(app);
  notificationRoutes(app, deps);
  trackingRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key issued by `npm run cli -- key create` or POST /api-keys: `Authorization: Bearer exd_…`',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'ExportDesk API',
      version: deps.version ?? '0.1.0',
      description: [
        'System of record for export orders: parties, products, orders with lines, split shipments, status transitions and audit history.',
        '',
        '* Every route except /health, /openapi.json and /docs needs `Authorization: Bearer <API key>`; data is scoped to the key\'s organisation.',
        '* Updates need `If-Match` with the record\'s ETag; a stale one answers 412 with the current record.',
        '* POSTs honour `Idempotency-Key`.',
        '* Errors: `{ "error": { "code", "message", "details": [{ "path", "message" }], "requestId" } }`.',
        '',
        '| Role | Permissions |',
        '|---|---|',
        ...Object.entries(ROLE_PERMISSIONS).map(([role, perms]) => `| ${role} | ${perms.join(', ')} |`),
      ].join('\n'),
    },
    tags: [
      { name: 'Orders' },
      { name: 'Shipments' },
      { name: 'Parties' },
      { name: 'Products' },
      { name: 'Documents' },
      { name: 'Imports', description: 'Bulk import of existing order sheets' },
      { name: 'Exceptions', description: 'Early warnings raised by the rules in templates/exceptions/rules.json, per owning role' },
      { name: 'Organisation', description: Object.entries(PERMISSIONS).map(([p, d]) => `${p}: ${d}`).join('; ') },
      { name: 'System' },
    ],
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'ExportDesk API' }));
  return app;
}
