import { OpenAPIHono } from '@hono/zod-openapi';
import { Order, OrderCreate, OrderExpandedPage, OrderHistory, OrderId, OrderListQuery, OrderPage, OrderTransition, OrderUpdate } from '../../../shared/contracts/orders.js';
import { OrderBatchResponse, OrderBatchUpdate } from '../../../shared/contracts/order-batch.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { orderHistory } from '../services/audit.js';
import { batchUpdateOrders } from '../services/orders/batch.js';
import { listOrdersExpanded } from '../services/orders/expanded.js';
import { createOrder, getOrder, listOrders, updateOrder } from '../services/orders/orders.js';
import { transitionOrder } from '../services/orders/transitions.js';

const tags = ['Orders'];
const Params = IdParam(OrderId);

/** Export orders with lines, status transitions and their audit trail. */
export function orderRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders',
      tags,
      summary: 'List orders',
      description: 'Newest first. Filters combine with AND; pass `nextCursor` back as `cursor` for the next page.',
      permission: ['orders:read'],
      request: { query: OrderListQuery },
      responses: { 200: jsonResponse(OrderPage, 'A page of orders') },
    }),
    async (c) => c.json(await listOrders(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/expanded',
      tags,
      summary: 'List orders with their lines',
      description: 'The same filters and cursor as GET /orders, each order complete with its lines (what the Excel add-in pulls into a sheet).',
      permission: ['orders:read'],
      request: { query: OrderListQuery },
      responses: { 200: jsonResponse(OrderExpandedPage, 'A page of orders with lines') },
    }),
    async (c) => c.json(await listOrdersExpanded(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders',
      tags,
      summary: 'Create an order with its lines',
      description: 'Line amounts and the total are computed by the server, exactly, in the currency\'s minor units. Honours `Idempotency-Key`.',
      permission: ['orders:write'],
      errors: [409, 422],
      request: { body: jsonBody(OrderCreate) },
      responses: { 201: jsonResponse(Order, 'Created', true) },
    }),
    async (c) => {
      const order = await createOrder(c.var.ctx, c.req.valid('json'));
      c.header('Location', `/orders/${order.id}`);
      return c.json(withEtag(c, order), 201);
    },
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/batch-update',
      tags,
      summary: 'Update many orders, each under its own version',
      description:
        'What the Excel add-in\'s Publish sends: up to 100 patches, each with the version it edited. Each item is applied in its own transaction and answered on its own: saved, unchanged, rejected (with field paths) or conflict (with the current order). A failing item never blocks the others.',
      permission: ['orders:write'],
      request: { body: jsonBody(OrderBatchUpdate) },
      responses: { 200: jsonResponse(OrderBatchResponse, 'One result per item, in order') },
    }),
    async (c) => c.json({ results: await batchUpdateOrders(c.var.ctx, c.req.valid('json')) }, 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/orders/{id}', tags, summary: 'Get an order', permission: ['orders:read'], request: { params: Params }, responses: { 200: jsonResponse(Order, 'The order', true) } }),
    async (c) => c.json(withEtag(c, await getOrder(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/orders/{id}',
      tags,
      summary: 'Update an order',
      description: 'Requires If-Match. `lines`, when given, is the complete new set of lines. Quantities cannot drop below what shipments carry.',
      permission: ['orders:write'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(OrderUpdate) },
      responses: { 200: jsonResponse(Order, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateOrder(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/transitions',
      tags,
      summary: 'Change an order\'s status',
      description:
        'draft → confirmed → in_production → ready_to_ship; confirmed → draft; delivered → closed; cancel before shipping. partially_shipped, shipped and delivered follow from shipments. Confirming requires lines, a ship date and verified parties.',
      permission: ['orders:transition', 'orders:cancel', 'orders:close'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(OrderTransition) },
      responses: { 200: jsonResponse(Order, 'The order in its new status', true) },
    }),
    async (c) => c.json(withEtag(c, await transitionOrder(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/history',
      tags,
      summary: 'Audit trail of an order and its shipments',
      description: 'Who changed what and when, with before/after values, oldest first.',
      permission: ['orders:read'],
      request: { params: Params },
      responses: { 200: jsonResponse(OrderHistory, 'The history') },
    }),
    async (c) => c.json({ items: await orderHistory(c.var.ctx, c.req.valid('param').id) }, 200),
  );
}
