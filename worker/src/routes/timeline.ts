import { OpenAPIHono } from '@hono/zod-openapi';
import { OrderId } from '../../../shared/contracts/orders.js';
import { Timeline } from '../../../shared/contracts/timeline.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonResponse } from '../http/route.js';
import { orderTimeline } from '../services/timeline.js';

/** "Where is my order?" */
export function timelineRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/timeline',
      tags: ['Execution'],
      summary: "The order's story, in time order",
      description:
        "Audit events of the order and its shipments, booking revisions, milestones (planned, and actual once recorded, as separate entries), documents generated / approved / made final, and exceptions raised and resolved — one list, oldest first, each with a title that reads as a sentence, the shipment it concerns and who did it.",
      permission: ['execution:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(Timeline, 'The timeline') },
    }),
    async (c) => c.json(await orderTimeline(c.var.ctx, c.req.valid('param').id), 200),
  );
}
