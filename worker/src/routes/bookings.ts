import { OpenAPIHono } from '@hono/zod-openapi';
import { Booking, BookingInput, BookingRevisionList } from '../../../shared/contracts/bookings.js';
import { Milestone, MilestoneList, MilestoneParams, MilestoneUpdate } from '../../../shared/contracts/milestones.js';
import { ShipmentId } from '../../../shared/contracts/shipments.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { getBooking, listBookingRevisions, putBooking } from '../services/bookings.js';
import { listMilestones, updateMilestone } from '../services/milestones.js';

const tags = ['Execution'];
const Params = IdParam(ShipmentId);

/** A shipment's booking (with every revision) and its milestones. */
export function bookingRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'put',
      path: '/shipments/{id}/booking',
      tags,
      summary: "Create or replace a shipment's booking",
      description:
        'The whole booking: forwarder, carrier, booking number, status, vessel and voyage, equipment (must fit the shipment\'s transport mode), ports, cut-offs (documents/SI, VGM, cargo) and ETD/ETA as ISO 8601 date-times with offset plus the IANA `timeZone` they were given in. Cut-offs must be before ETD, ETA after ETD. Creating answers 201 and needs no If-Match; replacing needs If-Match with the booking\'s ETag. Every version is kept (`/revisions`); confirming records the booking_confirmed milestone; milestone plans follow the new dates.',
      permission: ['bookings:write'],
      errors: [409, 412, 422, 428],
      request: { params: Params, headers: IfMatchHeader, body: jsonBody(BookingInput) },
      responses: { 200: jsonResponse(Booking, 'Replaced', true), 201: jsonResponse(Booking, 'Created', true) },
    }),
    async (c) => {
      const version = c.req.header('If-Match') ? expectedVersion(c) : null;
      const { booking, created } = await putBooking(c.var.ctx, c.req.valid('param').id, c.req.valid('json'), version);
      if (created) c.header('Location', `/shipments/${booking.shipmentId}/booking`);
      return c.json(withEtag(c, booking), created ? 201 : 200);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/shipments/{id}/booking',
      tags,
      summary: "A shipment's booking",
      description: '404 when the shipment has no booking yet.',
      permission: ['shipments:read'],
      request: { params: Params },
      responses: { 200: jsonResponse(Booking, 'The booking', true) },
    }),
    async (c) => c.json(withEtag(c, await getBooking(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/shipments/{id}/booking/revisions',
      tags,
      summary: 'Every version of the booking as it was',
      description: 'Oldest first; `change` says how each version differs from the one before: created, updated, rolled_over (vessel or voyage changed after confirmation), etd_changed, eta_changed, cancelled.',
      permission: ['shipments:read'],
      request: { params: Params },
      responses: { 200: jsonResponse(BookingRevisionList, 'Revisions') },
    }),
    async (c) => c.json(await listBookingRevisions(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/shipments/{id}/milestones',
      tags,
      summary: "A shipment's milestones",
      description:
        "From the transport mode's template (templates/milestones) plus the destination's additions (e.g. ISF for the US), made the first time they are asked for. Planned times follow the booking's ETD, ETA and cut-offs unless set by hand.",
      permission: ['shipments:read'],
      request: { params: Params },
      responses: { 200: jsonResponse(MilestoneList, 'Milestones in sequence') },
    }),
    async (c) => c.json(await listMilestones(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/shipments/{id}/milestones/{code}',
      tags,
      summary: 'Record a milestone: planned or actual time, notes, evidence document',
      description:
        "Times are ISO 8601 with offset; `timeZone` is the zone to show them in. A planned time set here stops following the booking; `plannedAt: null` makes it follow the template's rule again. Needs If-Match with the milestone's `version`. Records who and when.",
      permission: ['milestones:write'],
      errors: [412, 422, 428],
      request: { params: MilestoneParams, headers: IfMatchHeader, body: jsonBody(MilestoneUpdate) },
      responses: { 200: jsonResponse(Milestone, 'The milestone', true) },
    }),
    async (c) => {
      const { id, code } = c.req.valid('param');
      return c.json(withEtag(c, await updateMilestone(c.var.ctx, id, code, expectedVersion(c), c.req.valid('json'))), 200);
    },
  );
}
