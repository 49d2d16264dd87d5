import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { OrderId } from '../../../shared/contracts/orders.js';
import { TrackingLink, TrackingLinkCreate, TrackingLinkCreated, TrackingLinkId, TrackingLinkList } from '../../../shared/contracts/tracking.js';
import type { AppDeps, AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonBody, jsonResponse } from '../http/route.js';
import { issueTrackingLink, listTrackingLinks, resolveTrackingLink, revokeTrackingLink, trackingDocument, trackingPath, trackingView, type TrackingContext } from '../services/tracking.js';
import { renderNotFoundPage, renderTrackingPage, trackingCsp } from '../tracking/page.js';

const tags = ['Tracking'];

/** Headers of every public tracking response: never cached or indexed, the token never sent on as a Referer. */
const PRIVATE_HEADERS = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Tracking links for buyers (signed, expiring, revocable) and the read-only page they open.
 *
 * The authenticated routes go through `apiRoute` like every other. `GET /track/{token}` and
 * `GET /track/{token}/documents/{documentId}` are public (app.ts `isPublic`): the token is the credential. They
 * are browser pages, not API operations, so they are not in /openapi.json.
 *
 * The page uses the app's clock and document store (`deps`), as authenticated requests do (http/auth.ts).
 */
export function trackingRoutes(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'now' | 'documentStore'>) {
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/tracking-links',
      tags,
      summary: 'Issue a tracking link for the buyer',
      description:
        'A signed link to a read-only page of this order (status, shipments, milestones, ETA, final documents to download) that needs no login: ' +
        '`GET /track/{token}`. The token and url are in this response only (the server keeps a SHA-256 hash). Send `{}` for 30 days.',
      permission: ['buyers:notify'],
      errors: [409],
      request: { params: IdParam(OrderId), body: jsonBody(TrackingLinkCreate) },
      responses: { 201: jsonResponse(TrackingLinkCreated, 'The link, with its token (shown once)') },
    }),
    async (c) => {
      const link = await issueTrackingLink(c.var.ctx, c.req.valid('param').id, c.req.valid('json'));
      c.header('Cache-Control', 'no-store');
      return c.json({ ...link, url: `${new URL(c.req.url).origin}${trackingPath(link.token)}` }, 201);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/tracking-links',
      tags,
      summary: "An order's tracking links (never their tokens)",
      permission: ['orders:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(TrackingLinkList, 'Links, newest first, with status and last use') },
    }),
    async (c) => c.json({ items: await listTrackingLinks(c.var.ctx, c.req.valid('param').id) }, 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/tracking-links/{id}/revoke',
      tags,
      summary: 'Revoke a tracking link',
      description: 'The page and its downloads answer 404 from now on. Revoking a revoked link changes nothing.',
      permission: ['buyers:notify'],
      request: { params: IdParam(TrackingLinkId) },
      responses: { 200: jsonResponse(TrackingLink, 'The link, revoked') },
    }),
    async (c) => c.json(await revokeTrackingLink(c.var.ctx, c.req.valid('param').id), 200),
  );

  const contextOf = (c: Context<AppEnv>): TrackingContext => {
    const documentStore = deps.documentStore?.(c.env);
    return { database: c.var.database, now: deps.now ?? (() => new Date()), ...(documentStore ? { documentStore } : {}) };
  };
  const notFound = async (c: Context<AppEnv>) =>
    c.body(renderNotFoundPage(), 404, { ...PRIVATE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': await trackingCsp() });

  app.get('/track/:token', async (c) => {
    const ctx = contextOf(c);
    const link = await resolveTrackingLink(ctx, c.req.param('token'));
    const view = link && (await trackingView(ctx, link));
    if (!link || !view) return notFound(c);
    return c.body(renderTrackingPage(view, c.req.param('token')), 200, {
      ...PRIVATE_HEADERS,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': await trackingCsp(),
    });
  });

  app.get('/track/:token/documents/:documentId', async (c) => {
    const ctx = contextOf(c);
    const link = await resolveTrackingLink(ctx, c.req.param('token'));
    const file = link && (await trackingDocument(ctx, link, c.req.param('documentId')));
    if (!file) return notFound(c);
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      ...PRIVATE_HEADERS,
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'Content-Length': String(file.bytes.byteLength),
      ETag: `"${file.contentHash}"`,
    });
  });
}
