import { OpenAPIHono } from '@hono/zod-openapi';
import { OrderId } from '../../../shared/contracts/orders.js';
import {
  Inspection,
  InspectionCreate,
  InspectionId,
  InspectionList,
  InspectionUpdate,
  ProductionJob,
  ProductionJobCreate,
  ProductionJobId,
  ProductionJobList,
  ProductionJobUpdate,
} from '../../../shared/contracts/production.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { createInspection, getInspection, listInspections, updateInspection } from '../services/inspections.js';
import { createProductionJob, getProductionJob, listProductionJobs, updateProductionJob } from '../services/production.js';

const tags = ['Production and inspection'];

/** Production jobs per order line, and inspections of an order or one of its shipments. */
export function productionRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/production-jobs',
      tags,
      summary: 'Plan a production job for an order line',
      description: 'The quantities of a line\'s jobs that are not cancelled never exceed the line\'s quantity (422 PRODUCTION_EXCEEDED on `quantity`).',
      permission: ['execution:write'],
      errors: [409, 422],
      request: { params: IdParam(OrderId), body: jsonBody(ProductionJobCreate) },
      responses: { 201: jsonResponse(ProductionJob, 'Created', true) },
    }),
    async (c) => {
      const job = await createProductionJob(c.var.ctx, c.req.valid('param').id, c.req.valid('json'));
      c.header('Location', `/production-jobs/${job.id}`);
      return c.json(withEtag(c, job), 201);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/production-jobs',
      tags,
      summary: 'An order\'s production jobs, with per-line totals',
      permission: ['execution:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(ProductionJobList, 'Jobs, per-line scheduled/completed quantities, and whether the order is fully produced') },
    }),
    async (c) => c.json(await listProductionJobs(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/production-jobs/{id}', tags, summary: 'Get a production job', permission: ['execution:read'], request: { params: IdParam(ProductionJobId) }, responses: { 200: jsonResponse(ProductionJob, 'The job', true) } }),
    async (c) => c.json(withEtag(c, await getProductionJob(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/production-jobs/{id}',
      tags,
      summary: 'Update a production job (status, quantity, plan, actual completion)',
      description: 'Requires If-Match. planned → in_progress → completed (actualCompletionAt defaults to now); planned or in_progress → cancelled; completed → in_progress reopens.',
      permission: ['execution:write'],
      errors: [409, 412, 422, 428],
      request: { params: IdParam(ProductionJobId), headers: IfMatchHeader, body: jsonBody(ProductionJobUpdate) },
      responses: { 200: jsonResponse(ProductionJob, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateProductionJob(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );

  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/inspections',
      tags,
      summary: 'Schedule an inspection (pre-shipment, third party, in-line)',
      description: '`shipmentId`, when given, must be a shipment of this order. The result starts as pending.',
      permission: ['execution:write'],
      errors: [409, 422],
      request: { params: IdParam(OrderId), body: jsonBody(InspectionCreate) },
      responses: { 201: jsonResponse(Inspection, 'Created', true) },
    }),
    async (c) => {
      const inspection = await createInspection(c.var.ctx, c.req.valid('param').id, c.req.valid('json'));
      c.header('Location', `/inspections/${inspection.id}`);
      return c.json(withEtag(c, inspection), 201);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/inspections',
      tags,
      summary: 'An order\'s inspections',
      permission: ['execution:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(InspectionList, 'Inspections, oldest first') },
    }),
    async (c) => c.json(await listInspections(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/inspections/{id}', tags, summary: 'Get an inspection', permission: ['execution:read'], request: { params: IdParam(InspectionId) }, responses: { 200: jsonResponse(Inspection, 'The inspection', true) } }),
    async (c) => c.json(withEtag(c, await getInspection(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/inspections/{id}',
      tags,
      summary: 'Record an inspection\'s result, report and notes',
      description: 'Requires If-Match. A result other than pending records inspectedAt (default now); `reportDocumentId` must be a document of the same order.',
      permission: ['execution:write'],
      errors: [409, 412, 422, 428],
      request: { params: IdParam(InspectionId), headers: IfMatchHeader, body: jsonBody(InspectionUpdate) },
      responses: { 200: jsonResponse(Inspection, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateInspection(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
}
