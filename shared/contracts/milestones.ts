import { z } from 'zod';
import { MilestoneCode, PlannedRule } from '../milestones/schema.js';
import { Actor, OffsetDateTime, TimeZone } from './bookings.js';
import { Id, Timestamp } from './common.js';
import { TransportMode } from './orders.js';

export const MILESTONE_STATES = ['pending', 'overdue', 'done'] as const;

export const Milestone = z
  .object({
    id: z.string(),
    shipmentId: z.string(),
    code: z.string().meta({ example: 'gate_in' }),
    name: z.string(),
    seq: z.number().int(),
    source: z.string().meta({ description: "Template that adds it: the mode ('sea', 'air', 'road', 'rail') or a destination ('us')" }),
    state: z.enum(MILESTONE_STATES).meta({ description: 'done: actual recorded; overdue: planned time passed without an actual; else pending' }),
    plannedAt: Timestamp.nullable(),
    plannedRule: PlannedRule.nullable().meta({ description: "The template's rule the planned time follows, if any" }),
    plannedByHand: z.boolean().meta({ description: 'True when the planned time was set by hand and no longer follows the booking' }),
    actualAt: Timestamp.nullable(),
    timeZone: z.string().nullable(),
    local: z.object({ plannedAt: z.string().nullable(), actualAt: z.string().nullable() }).meta({ description: 'The same instants as local time with offset in `timeZone`' }),
    recordedBy: Actor,
    recordedAt: Timestamp.nullable(),
    documentId: z.string().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Milestone' });
export type Milestone = z.infer<typeof Milestone>;

export const MilestoneList = z
  .object({
    shipmentId: z.string(),
    shipmentReference: z.string(),
    transportMode: TransportMode,
    destinationCountry: z.string(),
    items: z.array(Milestone),
  })
  .meta({ id: 'MilestoneList' });
export type MilestoneList = z.infer<typeof MilestoneList>;

export const MilestoneUpdate = z
  .strictObject({
    plannedAt: OffsetDateTime.nullable().optional().meta({ description: "Planned time set by hand (it then stops following the booking); null: follow the template's rule again" }),
    actualAt: OffsetDateTime.nullable().optional().meta({ description: 'When it happened; null clears it' }),
    timeZone: TimeZone.optional(),
    notes: z.string().trim().max(2000).nullable().optional(),
    documentId: Id('doc').nullable().optional().meta({ description: 'A document of this order that evidences it (e.g. the bill of lading)' }),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Send at least one of plannedAt, actualAt, timeZone, notes, documentId' })
  .meta({ id: 'MilestoneUpdate' });
export type MilestoneUpdate = z.infer<typeof MilestoneUpdate>;

export const MilestoneParams = z.object({
  id: Id('shp').meta({ param: { name: 'id', in: 'path' } }),
  code: MilestoneCode.meta({ param: { name: 'code', in: 'path' }, example: 'gate_in' }),
});
