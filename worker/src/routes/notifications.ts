import type { OpenAPIHono } from '@hono/zod-openapi';
import { DeliveryRun, NotificationPreferences, NotificationPreferencesInput, OrderNotifications, OutboxId, OutboxMessage } from '../../../shared/contracts/notifications.js';
import { OrderId } from '../../../shared/contracts/orders.js';
import { PartyId } from '../../../shared/contracts/parties.js';
import type { AppDeps, AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { getNotificationPreferences, listOrderNotifications, putNotificationPreferences, retryOutboxMessage, runDelivery } from '../services/notifications/index.js';

const tags = ['Notifications'];

/** Buyer e-mail preferences, the outbox and delivery status. */
export function notificationRoutes(app: OpenAPIHono<AppEnv>, deps?: Pick<AppDeps, 'email'>) {
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/parties/{id}/notification-preferences',
      tags,
      summary: "A buyer's e-mail preferences",
      description: "Which events the buyer is told about by e-mail and which contacts receive them (`sendsTo`: who would now). Version 0 while never set. Buyers only (422 for other parties).",
      permission: ['parties:read'],
      errors: [422],
      request: { params: IdParam(PartyId) },
      responses: { 200: jsonResponse(NotificationPreferences, 'The preferences', true) },
    }),
    async (c) => {
      const prefs = await getNotificationPreferences(c.var.ctx, c.req.valid('param').id);
      return c.json(prefs.version ? withEtag(c, prefs) : prefs, 200);
    },
  );
  app.openapi(
    apiRoute({
      method: 'put',
      path: '/parties/{id}/notification-preferences',
      tags,
      summary: "Set a buyer's e-mail preferences",
      description:
        "The whole preferences: `enabled`, `events` (milestone codes such as booking_confirmed, departed, arrived, cleared_destination, delivered, and documents_final) and `recipients` (e-mails of the buyer's contacts; empty = every contact with an e-mail). Creating answers 201 and needs no If-Match; replacing needs If-Match with their ETag. Messages not tried yet that the new preferences no longer want are cancelled.",
      permission: ['buyers:notify'],
      errors: [412, 422, 428],
      request: { params: IdParam(PartyId), headers: IfMatchHeader, body: jsonBody(NotificationPreferencesInput) },
      responses: { 200: jsonResponse(NotificationPreferences, 'Replaced', true), 201: jsonResponse(NotificationPreferences, 'Created', true) },
    }),
    async (c) => {
      const version = c.req.header('If-Match') ? expectedVersion(c) : null;
      const { prefs, created } = await putNotificationPreferences(c.var.ctx, c.req.valid('param').id, c.req.valid('json'), version);
      return c.json(withEtag(c, prefs), created ? 201 : 200);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/notifications',
      tags,
      summary: "E-mails to the order's buyer, with delivery status",
      description:
        'Every message queued for the order: event, recipients, subject, body text, status (pending, sending, sent, failed, cancelled), attempts, the last error, when it was sent, and the documents attached.',
      permission: ['orders:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(OrderNotifications, 'The messages, oldest first') },
    }),
    async (c) => c.json(await listOrderNotifications(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/outbox/deliver',
      tags,
      summary: 'Deliver due e-mails now',
      description:
        "Sends the organisation's due messages now, as the schedule does (Node: every EMAIL_DELIVERY_SECONDS; Workers: the cron trigger). 409 EMAIL_NOT_CONFIGURED when the deployment has no e-mail transport.",
      permission: ['buyers:notify'],
      errors: [409],
      responses: { 200: jsonResponse(DeliveryRun, 'What the run did') },
    }),
    async (c) => c.json(await runDelivery(c.var.ctx, deps?.email?.(c.env) ?? null), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/outbox/{id}/retry',
      tags,
      summary: 'Try an e-mail again',
      description:
        'A failed or cancelled message goes back to pending, due now, its attempts counted afresh; a pending one waiting for its backoff is made due now. It goes out with the next delivery run (or POST /outbox/deliver). 409 for a message already sent or being sent.',
      permission: ['buyers:notify'],
      errors: [409],
      request: { params: IdParam(OutboxId) },
      responses: { 200: jsonResponse(OutboxMessage, 'The message, pending') },
    }),
    async (c) => c.json(await retryOutboxMessage(c.var.ctx, c.req.valid('param').id), 200),
  );
}
