import { z } from 'zod';
import { EXCEPTION_OWNER_ROLES, EXCEPTION_SEVERITIES, EXCEPTION_STATES } from '../exceptions/schema.js';
import { Id, Page, PageQuery, Timestamp } from './common.js';

export const ExceptionId = Id('exc').meta({ description: 'Exception id', example: 'exc_01JD7Z3K8Q2W9V4N6M5R1T0Y3X' });
export const ExceptionSeverity = z.enum(EXCEPTION_SEVERITIES);
export const ExceptionOwnerRole = z.enum(EXCEPTION_OWNER_ROLES);
export const ExceptionState = z.enum(EXCEPTION_STATES);

export const Exception = z
  .object({
    id: ExceptionId,
    ruleId: z.string().meta({ description: 'The rule in templates/exceptions/rules.json that raised it' }),
    subject: z.string().meta({ description: "What the rule looked at: 'shipment:shp_…', 'order:ord_…' or 'organisation'" }),
    orderId: z.string().nullable(),
    shipmentId: z.string().nullable(),
    severity: ExceptionSeverity,
    ownerRole: ExceptionOwnerRole,
    title: z.string(),
    detail: z.string(),
    dueAt: Timestamp.nullable().meta({ description: 'By when it must be dealt with (a cut-off, a filing deadline…)' }),
    state: ExceptionState,
    facts: z.record(z.string(), z.unknown()).meta({ description: 'The facts the rule saw; `notes` holds acknowledge/resolve notes' }),
    raisedAt: Timestamp.meta({ description: 'When it was raised (or last reopened)' }),
    lastSeenAt: Timestamp.meta({ description: 'When an evaluation last found the cause' }),
    acknowledgedAt: Timestamp.nullable(),
    acknowledgedBy: z.string().nullable(),
    resolvedAt: Timestamp.nullable(),
    resolvedBy: z.string().nullable(),
    resolution: z.enum(['auto', 'manual']).nullable().meta({ description: 'auto: the cause went away; manual: someone resolved it (a later evaluation reopens it if the cause persists)' }),
    version: z.number().int().meta({ description: 'Raised as 1; + 1 on every change of state' }),
  })
  .meta({ id: 'Exception' });
export type Exception = z.infer<typeof Exception>;

const csvList = () => z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const ExceptionListQuery = PageQuery.extend({
  state: csvList().pipe(z.array(ExceptionState).min(1).max(10)).optional().meta({ description: 'One or more states, comma-separated (default: all)' }),
  severity: csvList().pipe(z.array(ExceptionSeverity).min(1).max(10)).optional().meta({ description: 'One or more severities, comma-separated' }),
  role: ExceptionOwnerRole.optional().meta({ description: 'Owning role' }),
  shipmentId: Id('shp').optional(),
  orderId: Id('ord').optional().meta({ description: 'The order and its shipments' }),
});
export type ExceptionListQuery = z.infer<typeof ExceptionListQuery>;
export const ExceptionPage = Page(Exception, 'ExceptionPage');

export const ExceptionAcknowledge = z.strictObject({ note: z.string().trim().min(1).max(1000).optional() }).meta({ id: 'ExceptionAcknowledge' });
export type ExceptionAcknowledge = z.infer<typeof ExceptionAcknowledge>;
export const ExceptionResolve = z
  .strictObject({ note: z.string().trim().min(1).max(1000).meta({ description: 'What was done' }) })
  .meta({ id: 'ExceptionResolve' });
export type ExceptionResolve = z.infer<typeof ExceptionResolve>;

export const ExceptionDigestQuery = z.object({
  role: ExceptionOwnerRole.optional().meta({ description: 'Only this role (default: every role)' }),
  limit: z.coerce.number().int().min(1).max(50).default(5).meta({ description: 'Top items per role, 1–50 (default 5)' }),
});
export type ExceptionDigestQuery = z.infer<typeof ExceptionDigestQuery>;

export const ExceptionDigest = z
  .object({
    generatedAt: Timestamp,
    roles: z.array(
      z.object({
        role: ExceptionOwnerRole,
        total: z.number().int().meta({ description: 'Open and acknowledged exceptions' }),
        open: z.number().int(),
        acknowledged: z.number().int(),
        overdue: z.number().int().meta({ description: 'Due time passed' }),
        bySeverity: z.object({ critical: z.number().int(), high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
        top: z.array(Exception).meta({ description: 'The most pressing: earliest due first (undated last), then by severity' }),
      }),
    ),
  })
  .meta({ id: 'ExceptionDigest' });
export type ExceptionDigest = z.infer<typeof ExceptionDigest>;

export const SweepResult = z
  .object({
    evaluated: z.object({ shipments: z.number().int(), orders: z.number().int(), organisation: z.boolean() }),
    validations: z.number().int().meta({ description: 'Orders validated in this run (others reused a cached result)' }),
    raised: z.number().int(),
    reopened: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    resolved: z.number().int(),
    active: z.number().int().meta({ description: 'Open and acknowledged exceptions afterwards' }),
    ms: z.number(),
    timings: z.object({ loadMs: z.number(), validationMs: z.number(), evaluateMs: z.number(), writeMs: z.number() }).meta({ description: 'Where the time went (ms)' }),
  })
  .meta({ id: 'SweepResult' });
