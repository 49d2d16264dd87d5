import { z } from 'zod';
import type { TransportMode } from '../domain/incoterms.js';
import { isTimeZone } from '../domain/zoned-time.js';
import { Id, Timestamp } from './common.js';
import { Locode } from './orders.js';

export const BOOKING_STATUSES = ['requested', 'confirmed', 'cancelled'] as const;
export const BookingStatus = z.enum(BOOKING_STATUSES);
export type BookingStatus = z.infer<typeof BookingStatus>;

/** Containers (sea, rail, inland waterway, multimodal), air (ULD or loose) and road (full or part truck load). */
export const CONTAINER_TYPES = ['20GP', '40GP', '40HC', '20RF', '40RF', 'LCL'] as const;
export const EQUIPMENT_TYPES = [...CONTAINER_TYPES, 'ULD', 'loose', 'FTL', 'LTL'] as const;
export type EquipmentType = (typeof EQUIPMENT_TYPES)[number];

/** The equipment a transport mode can carry. */
export const EQUIPMENT_BY_MODE: Readonly<Record<TransportMode, readonly EquipmentType[]>> = {
  sea: CONTAINER_TYPES,
  inland_waterway: CONTAINER_TYPES,
  rail: CONTAINER_TYPES,
  multimodal: CONTAINER_TYPES,
  air: ['ULD', 'loose'],
  road: ['FTL', 'LTL'],
};

/** How a booking changed from its previous version. */
export const BOOKING_CHANGES = ['created', 'updated', 'rolled_over', 'etd_changed', 'eta_changed', 'cancelled'] as const;
export const BookingChange = z.enum(BOOKING_CHANGES).meta({
  description:
    'created; cancelled; rolled_over: vessel or voyage changed after confirmation; etd_changed / eta_changed: the departure / arrival moved; updated: anything else (confirmation included)',
});
export type BookingChange = z.infer<typeof BookingChange>;

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'Must be an IANA time zone such as "Asia/Kolkata"')
  .meta({ description: 'IANA time zone the times were given in; used to show them', example: 'Asia/Kolkata' });

/** A date-time with an explicit offset; stored as the UTC instant. */
export const OffsetDateTime = z.iso
  .datetime({ offset: true, error: 'Must be an ISO 8601 date-time with an offset, e.g. 2026-12-14T18:00:00+05:30' })
  .transform((t) => new Date(t).toISOString())
  .meta({ description: 'ISO 8601 date-time with offset (or Z); stored as a UTC instant', example: '2026-12-14T18:00:00+05:30' });

export const Equipment = z
  .strictObject({
    type: z.enum(EQUIPMENT_TYPES).meta({ description: 'Sea/rail: 20GP, 40GP, 40HC, 20RF, 40RF (reefers), LCL; air: ULD, loose; road: FTL, LTL' }),
    count: z.number().int().min(1).max(999),
  })
  .meta({ id: 'Equipment' });
export type Equipment = z.infer<typeof Equipment>;

const CUTOFFS = ['documents', 'vgm', 'cargo'] as const;
const CUTOFF_NAMES = { documents: 'documents (SI) cut-off', vgm: 'VGM cut-off', cargo: 'cargo (gate-in) cut-off' } as const;

export const BookingInput = z
  .strictObject({
    status: BookingStatus.default('requested'),
    forwarderId: Id('pty').nullable().optional().meta({ description: 'A party with the forwarder role' }),
    carrier: z.string().trim().min(1).max(80).nullable().optional().meta({ example: 'Maersk' }),
    bookingNumber: z.string().trim().min(1).max(40).nullable().optional().meta({ description: "The carrier's booking number; required once confirmed" }),
    vessel: z.string().trim().min(1).max(80).nullable().optional().meta({ description: 'Vessel, flight or truck', example: 'MAERSK KENSINGTON' }),
    voyage: z.string().trim().min(1).max(40).nullable().optional().meta({ example: '612W' }),
    equipment: z.array(Equipment).max(20).default([]),
    portOfLoading: Locode.optional().meta({ description: "UN/LOCODE; defaults to the shipment's" }),
    portOfDischarge: Locode.optional().meta({ description: "UN/LOCODE; defaults to the shipment's" }),
    cutoffs: z
      .strictObject({
        documents: OffsetDateTime.nullable().optional().meta({ description: 'Documents / shipping instructions (SI) cut-off' }),
        vgm: OffsetDateTime.nullable().optional().meta({ description: 'Verified gross mass (SOLAS VGM) cut-off' }),
        cargo: OffsetDateTime.nullable().optional().meta({ description: 'Cargo / gate-in cut-off' }),
      })
      .default({}),
    etd: OffsetDateTime.nullable().optional(),
    eta: OffsetDateTime.nullable().optional(),
    timeZone: TimeZone,
  })
  .superRefine((b, ctx) => {
    if (b.etd) {
      for (const k of CUTOFFS) {
        const at = b.cutoffs[k];
        if (at && at >= b.etd) ctx.addIssue({ code: 'custom', path: ['cutoffs', k], message: `The ${CUTOFF_NAMES[k]} must be before ETD` });
      }
      if (b.eta && b.eta <= b.etd) ctx.addIssue({ code: 'custom', path: ['eta'], message: 'ETA must be after ETD' });
    }
    if (b.status === 'confirmed' && !b.bookingNumber) ctx.addIssue({ code: 'custom', path: ['bookingNumber'], message: 'A confirmed booking needs the booking number' });
    const seen = new Set<string>();
    b.equipment.forEach((e, i) => {
      if (seen.has(e.type)) ctx.addIssue({ code: 'custom', path: ['equipment', i, 'type'], message: `${e.type} is listed twice; give one count` });
      seen.add(e.type);
    });
  })
  .meta({
    id: 'BookingInput',
    description: 'The whole booking (PUT replaces it). Date-times carry their offset; `timeZone` is the zone they were given in.',
  });
export type BookingInput = z.infer<typeof BookingInput>;

const Instant = Timestamp.nullable();
const Zoned = z.string().nullable().meta({ description: 'The same instant as local time with offset in `timeZone`', example: '2026-12-14T18:00:00+05:30' });

export const Booking = z
  .object({
    id: z.string(),
    shipmentId: z.string(),
    orderId: z.string(),
    status: BookingStatus,
    forwarderId: z.string().nullable(),
    carrier: z.string().nullable(),
    bookingNumber: z.string().nullable(),
    vessel: z.string().nullable(),
    voyage: z.string().nullable(),
    equipment: z.array(Equipment),
    portOfLoading: z.string().nullable(),
    portOfDischarge: z.string().nullable(),
    cutoffs: z.object({ documents: Instant, vgm: Instant, cargo: Instant }),
    etd: Instant,
    eta: Instant,
    timeZone: z.string().nullable(),
    local: z.object({ cutoffs: z.object({ documents: Zoned, vgm: Zoned, cargo: Zoned }), etd: Zoned, eta: Zoned }),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Booking', description: 'Times are UTC instants; `local` shows them in `timeZone`' });
export type Booking = z.infer<typeof Booking>;

export const Actor = z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable().meta({ id: 'Actor' });

export const BookingRevision = z
  .object({
    id: z.string(),
    version: z.number().int(),
    change: BookingChange,
    changedFields: z.array(z.string()).meta({ description: 'Fields that differ from the previous version (empty for created)' }),
    booking: Booking.meta({ description: 'The booking as it was at this version' }),
    changedBy: Actor,
    changedAt: Timestamp,
  })
  .meta({ id: 'BookingRevision' });
export type BookingRevision = z.infer<typeof BookingRevision>;

export const BookingRevisionList = z.object({ shipmentId: z.string(), items: z.array(BookingRevision) }).meta({ id: 'BookingRevisionList' });
export type BookingRevisionList = z.infer<typeof BookingRevisionList>;
