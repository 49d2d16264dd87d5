import { z } from 'zod';
import { Actor } from './bookings.js';
import { Timestamp } from './common.js';

export const TIMELINE_KINDS = ['order', 'shipment', 'booking', 'milestone_planned', 'milestone_actual', 'document', 'exception_raised', 'exception_acknowledged', 'exception_resolved'] as const;

export const TimelineEntry = z
  .object({
    at: Timestamp,
    kind: z.enum(TIMELINE_KINDS).meta({
      description:
        'order / shipment: audit events; booking: a booking revision; milestone_planned / milestone_actual: a milestone\'s planned and (when recorded) actual time; document: documents generated, approved or made final; exception_*: the exception engine',
    }),
    title: z.string().meta({ example: 'Booking confirmed with Maersk on MAERSK KENSINGTON 612W, ETD 14 Dec 18:00 IST' }),
    shipmentId: z.string().nullable(),
    shipmentReference: z.string().nullable(),
    actor: Actor,
    planned: z.boolean().meta({ description: 'True for a planned time (it may still be ahead)' }),
    source: z.object({ type: z.enum(['audit', 'booking_revision', 'milestone', 'document', 'exception']), id: z.string() }).meta({ description: 'The record the entry comes from' }),
  })
  .meta({ id: 'TimelineEntry' });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Timeline = z
  .object({ orderId: z.string(), reference: z.string(), status: z.string(), items: z.array(TimelineEntry).meta({ description: 'In time order, oldest first' }) })
  .meta({ id: 'Timeline' });
export type Timeline = z.infer<typeof Timeline>;
