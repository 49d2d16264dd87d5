import { OpenAPIHono } from '@hono/zod-openapi';
import { OrderId } from '../../../shared/contracts/orders.js';
import { Shipment, ShipmentCreate, ShipmentId, ShipmentListQuery, ShipmentPage, ShipmentTransition, ShipmentUpdate } from '../../../shared/contracts/shipments.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { ShipmentParties, ShipmentPartiesUpdate } from '../../../shared/contracts/shipment-parties.js';
import { getShipmentParties, setShipmentParties } from '../services/shipment-parties.js';
import { createShipment, getShipment, listShipments, transitionShipment, updateShipment } from '../services/shipments.js';

const tags = ['Shipments'];
const Params = IdParam(ShipmentId);

/** Split shipments with allocated line quantities. */
export function shipmentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({ method: 'get', path: '/shipments', tags, summary: 'List shipments', permission: ['shipments:read'], request: { query: ShipmentListQuery }, responses: { 200: jsonResponse(ShipmentPage, 'A page of shipments') } }),
    async (c) => c.json(await listShipments(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/shipments',
      tags,
      summary: 'Add a shipment to an order (split)',
      description: 'Consignee, destination, ports and mode default to the order\'s. Allocations across all non-cancelled shipments never exceed the ordered quantity.',
      permission: ['shipments:write'],
      errors: [409, 422],
      request: { params: IdParam(OrderId), body: jsonBody(ShipmentCreate) },
      responses: { 201: jsonResponse(Shipment, 'Created', true) },
    }),
    async (c) => {
      const shipment = await createShipment(c.var.ctx, c.req.valid('param').id, c.req.valid('json'));
      c.header('Location', `/shipments/${shipment.id}`);
      return c.json(withEtag(c, shipment), 201);
    },
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/shipments/{id}', tags, summary: 'Get a shipment', permission: ['shipments:read'], request: { params: Params }, responses: { 200: jsonResponse(Shipment, 'The shipment', true) } }),
    async (c) => c.json(withEtag(c, await getShipment(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/shipments/{id}',
      tags,
      summary: 'Update a planned shipment',
      description: 'Requires If-Match. `allocations`, when given, is the complete new set.',
      permission: ['shipments:write'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(ShipmentUpdate) },
      responses: { 200: jsonResponse(Shipment, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateShipment(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/shipments/{id}/transitions',
      tags,
      summary: 'Ship, deliver or cancel a shipment',
      description: 'planned → shipped → delivered; planned → cancelled. The order becomes partially_shipped, shipped or delivered accordingly.',
      permission: ['shipments:write'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(ShipmentTransition) },
      responses: { 200: jsonResponse(Shipment, 'The shipment in its new status', true) },
    }),
    async (c) => c.json(withEtag(c, await transitionShipment(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/shipments/{id}/parties',
      tags,
      summary: "A shipment's forwarder and customs agent",
      description: 'The ETag is the shipment\'s version.',
      permission: ['shipments:read'],
      request: { params: Params },
      responses: { 200: jsonResponse(ShipmentParties, 'Who works on the shipment', true) },
    }),
    async (c) => c.json(withEtag(c, await getShipmentParties(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'put',
      path: '/shipments/{id}/parties',
      tags,
      summary: 'Assign the forwarder and customs agent',
      description:
        "Requires If-Match with the shipment's ETag. Each party must have the role of its place. Users of forwarder and customs-agent parties see exactly the shipments assigned to their party (with bookings, milestones, documents and exceptions); removing the party removes their access at once. Confirming a booking with a forwarder assigns that forwarder too.",
      permission: ['shipments:write'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(ShipmentPartiesUpdate) },
      responses: { 200: jsonResponse(ShipmentParties, 'Assigned', true) },
    }),
    async (c) => c.json(withEtag(c, await setShipmentParties(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
}
