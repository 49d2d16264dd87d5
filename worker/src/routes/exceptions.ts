import { OpenAPIHono } from '@hono/zod-openapi';
import {
  Exception,
  ExceptionAcknowledge,
  ExceptionDigest,
  ExceptionDigestQuery,
  ExceptionId,
  ExceptionListQuery,
  ExceptionPage,
  ExceptionResolve,
  SweepResult,
} from '../../../shared/contracts/exceptions.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { acknowledgeException, exceptionDigest, getException, listExceptions, resolveException, runSweep } from '../services/exceptions/index.js';

const tags = ['Exceptions'];
const Params = IdParam(ExceptionId);

/** Exceptions raised by the rule engine (templates/exceptions/rules.json): list, digest, acknowledge, resolve, sweep now. */
export function exceptionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/exceptions',
      tags,
      summary: 'List exceptions',
      description: 'Newest first. Filter by state, severity (comma-separated), owning role, shipment, or order (the order and its shipments).',
      permission: ['exceptions:read'],
      request: { query: ExceptionListQuery },
      responses: { 200: jsonResponse(ExceptionPage, 'A page of exceptions') },
    }),
    async (c) => c.json(await listExceptions(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/exceptions/digest',
      tags,
      summary: 'Per-role digest of open exceptions',
      description: 'For each owning role (or the one asked for): open and acknowledged exceptions counted by severity and state, how many are overdue, and the most pressing ones (earliest due first).',
      permission: ['exceptions:read'],
      request: { query: ExceptionDigestQuery },
      responses: { 200: jsonResponse(ExceptionDigest, 'The digest') },
    }),
    async (c) => c.json(await exceptionDigest(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/exceptions/sweep',
      tags,
      summary: 'Evaluate every exception rule now',
      description: 'Runs the scheduled sweep immediately over all open shipments and confirmed orders; returns what it did. Admin and ops (execution:write).',
      permission: ['execution:write'],
      responses: { 200: jsonResponse(SweepResult, 'Counts of the sweep') },
    }),
    async (c) => c.json(await runSweep(c.var.ctx), 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/exceptions/{id}', tags, summary: 'Get an exception', permission: ['exceptions:read'], request: { params: Params }, responses: { 200: jsonResponse(Exception, 'The exception', true) } }),
    async (c) => c.json(withEtag(c, await getException(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/exceptions/{id}/acknowledge',
      tags,
      summary: 'Acknowledge an exception',
      description: 'open → acknowledged, with an optional note. It stays acknowledged while its cause persists and resolves itself when the cause goes away.',
      permission: ['exceptions:write'],
      errors: [409],
      request: { params: Params, body: jsonBody(ExceptionAcknowledge) },
      responses: { 200: jsonResponse(Exception, 'The acknowledged exception', true) },
    }),
    async (c) => c.json(withEtag(c, await acknowledgeException(c.var.ctx, c.req.valid('param').id, c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/exceptions/{id}/resolve',
      tags,
      summary: 'Resolve an exception by hand',
      description: 'Resolves with a note (resolution `manual`). If the cause is still there, the next evaluation (on change or the scheduled sweep) reopens it.',
      permission: ['exceptions:write'],
      errors: [409],
      request: { params: Params, body: jsonBody(ExceptionResolve) },
      responses: { 200: jsonResponse(Exception, 'The resolved exception', true) },
    }),
    async (c) => c.json(withEtag(c, await resolveException(c.var.ctx, c.req.valid('param').id, c.req.valid('json'))), 200),
  );
}
