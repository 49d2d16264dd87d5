import { OpenAPIHono } from '@hono/zod-openapi';
import { OrderId } from '../../../shared/contracts/orders.js';
import { ShipmentId } from '../../../shared/contracts/shipments.js';
import { ValidationResult } from '../../../shared/contracts/validation.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonResponse } from '../http/route.js';
import { validateOrder, validateShipment } from '../services/validation.js';

const description =
  'Checks the order against the country templates (destination country, else `default`, plus the Indian origin rules): required data, documents, value thresholds and deadlines, each finding with the regulation it comes from. Changes nothing. `valid` is false when any finding is an error.';

/** Template validation of orders and shipments. */
export function validationRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/validate',
      tags: ['Orders'],
      summary: 'Validate an order and its shipments',
      description: `${description} The order as a whole and each shipment that is not cancelled are validated; findings name their shipment.`,
      permission: ['orders:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(ValidationResult, 'Findings, required documents and the templates applied') },
    }),
    async (c) => c.json(await validateOrder(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/shipments/{id}/validate',
      tags: ['Shipments'],
      summary: 'Validate a shipment',
      description: `${description} Uses the shipment's consignee, destination and allocated quantities.`,
      permission: ['shipments:read'],
      request: { params: IdParam(ShipmentId) },
      responses: { 200: jsonResponse(ValidationResult, 'Findings, required documents and the templates applied') },
    }),
    async (c) => c.json(await validateShipment(c.var.ctx, c.req.valid('param').id), 200),
  );
}
