import { z } from 'zod';
import { Id, Quantity, Timestamp } from './common.js';

/** Production jobs per order line, and inspections (pre-shipment, third party, in-line) of an order or one of its shipments. */

export const ProductionJobId = Id('pjb');
export const InspectionId = Id('isp');

/** An instant given with its offset ("2026-11-20T18:00:00+05:30"), stored and answered in UTC. */
const Instant = (description: string) =>
  z.iso
    .datetime({ offset: true })
    .transform((t) => new Date(t).toISOString())
    .meta({ description: `${description} (ISO 8601 with offset; answered in UTC)` });

export const PRODUCTION_JOB_STATUSES = ['planned', 'in_progress', 'completed', 'cancelled'] as const;
export const ProductionJobStatus = z.enum(PRODUCTION_JOB_STATUSES);

/** Allowed status changes of a production job. */
export const PRODUCTION_JOB_TRANSITIONS: Record<(typeof PRODUCTION_JOB_STATUSES)[number], readonly (typeof PRODUCTION_JOB_STATUSES)[number][]> = {
  planned: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['planned', 'completed', 'cancelled'],
  completed: ['in_progress'],
  cancelled: [],
};

const positive = (q: string) => /[1-9]/.test(q);

function plannedOrder(j: { plannedStartAt?: string | null; plannedCompletionAt?: string | null }, ctx: z.RefinementCtx) {
  if (j.plannedStartAt && j.plannedCompletionAt && j.plannedCompletionAt < j.plannedStartAt) {
    ctx.addIssue({ code: 'custom', path: ['plannedCompletionAt'], message: 'Planned completion is before the planned start' });
  }
}

export const ProductionJobCreate = z
  .strictObject({
    orderLineId: Id('oln'),
    quantity: Quantity.refine(positive, 'Quantity must be above zero'),
    plannedStartAt: Instant('Planned start').optional(),
    plannedCompletionAt: Instant('Planned completion').optional(),
    notes: z.string().trim().max(2000).optional(),
  })
  .superRefine(plannedOrder)
  .meta({ id: 'ProductionJobCreate', description: 'The quantities of a line\'s jobs (except cancelled ones) together never exceed the line\'s quantity' });
export type ProductionJobCreate = z.infer<typeof ProductionJobCreate>;

export const ProductionJobUpdate = z
  .strictObject({
    status: ProductionJobStatus.optional().meta({ description: 'planned → in_progress → completed; planned/in_progress → cancelled (final); completed → in_progress reopens' }),
    quantity: Quantity.refine(positive, 'Quantity must be above zero').optional(),
    plannedStartAt: Instant('Planned start').nullable().optional(),
    plannedCompletionAt: Instant('Planned completion').nullable().optional(),
    actualCompletionAt: Instant('Actual completion; defaults to now when the job becomes completed').nullable().optional(),
    notes: z.string().trim().max(2000).nullable().optional(),
  })
  .superRefine(plannedOrder)
  .meta({ id: 'ProductionJobUpdate' });
export type ProductionJobUpdate = z.infer<typeof ProductionJobUpdate>;

export const ProductionJob = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderLineId: z.string(),
    lineNo: z.number().int(),
    quantity: z.string(),
    status: ProductionJobStatus,
    plannedStartAt: Timestamp.nullable(),
    plannedCompletionAt: Timestamp.nullable(),
    actualCompletionAt: Timestamp.nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'ProductionJob' });
export type ProductionJob = z.infer<typeof ProductionJob>;

export const ProductionLineSummary = z
  .object({
    orderLineId: z.string(),
    lineNo: z.number().int(),
    quantity: z.string().meta({ description: 'Ordered' }),
    scheduled: z.string().meta({ description: 'In jobs that are not cancelled' }),
    completed: z.string().meta({ description: 'In completed jobs' }),
    unscheduled: z.string().meta({ description: 'quantity − scheduled' }),
    plannedCompletionAt: Timestamp.nullable().meta({ description: 'Latest planned completion of its live jobs' }),
    actualCompletionAt: Timestamp.nullable().meta({ description: 'When the line was fully produced (latest actual completion), else null' }),
    complete: z.boolean().meta({ description: 'Completed jobs cover the whole quantity' }),
  })
  .meta({ id: 'ProductionLineSummary' });

export const ProductionJobList = z
  .object({
    items: z.array(ProductionJob),
    lines: z.array(ProductionLineSummary),
    complete: z.boolean().meta({ description: 'Every line of the order is fully produced' }),
  })
  .meta({ id: 'ProductionJobList' });
export type ProductionJobList = z.infer<typeof ProductionJobList>;

export const INSPECTION_KINDS = ['pre_shipment', 'third_party', 'in_line'] as const;
export const INSPECTION_RESULTS = ['pending', 'passed', 'passed_with_remarks', 'failed'] as const;
export const InspectionKind = z.enum(INSPECTION_KINDS);
export const InspectionResult = z.enum(INSPECTION_RESULTS);

export const InspectionCreate = z
  .strictObject({
    kind: InspectionKind,
    agency: z.string().trim().min(1).max(120).optional().meta({ example: 'SGS India' }),
    inspector: z.string().trim().min(1).max(120).optional(),
    scheduledAt: Instant('Scheduled for').optional(),
    shipmentId: Id('shp').optional().meta({ description: 'A shipment of this order, when the inspection covers only that shipment' }),
    notes: z.string().trim().max(4000).optional(),
  })
  .meta({ id: 'InspectionCreate' });
export type InspectionCreate = z.infer<typeof InspectionCreate>;

export const InspectionUpdate = z
  .strictObject({
    result: InspectionResult.optional().meta({ description: 'A result other than pending needs inspectedAt (defaults to now)' }),
    inspectedAt: Instant('Inspected at').nullable().optional(),
    notes: z.string().trim().max(4000).nullable().optional(),
    reportDocumentId: Id('doc').nullable().optional().meta({ description: 'The inspection report: a document of the same order' }),
    agency: z.string().trim().min(1).max(120).nullable().optional(),
    inspector: z.string().trim().min(1).max(120).nullable().optional(),
    scheduledAt: Instant('Scheduled for').nullable().optional(),
    shipmentId: Id('shp').nullable().optional(),
  })
  .meta({ id: 'InspectionUpdate' });
export type InspectionUpdate = z.infer<typeof InspectionUpdate>;

export const Inspection = z
  .object({
    id: z.string(),
    orderId: z.string(),
    shipmentId: z.string().nullable(),
    kind: InspectionKind,
    agency: z.string().nullable(),
    inspector: z.string().nullable(),
    scheduledAt: Timestamp.nullable(),
    inspectedAt: Timestamp.nullable(),
    result: InspectionResult,
    reportDocumentId: z.string().nullable(),
    notes: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Inspection' });
export type Inspection = z.infer<typeof Inspection>;
export const InspectionList = z.object({ items: z.array(Inspection) }).meta({ id: 'InspectionList' });
export type InspectionList = z.infer<typeof InspectionList>;
