/**
 * Exception rules as data: `templates/exceptions/rules.json`, validated by these schemas when loaded
 * (`./rules.ts`). Each rule names one evaluator of a small fixed set (`check.kind`) with its parameters;
 * the evaluators themselves are pure functions in `worker/src/services/exceptions/evaluators.ts`.
 *
 * ## Titles
 * `title` may contain `{placeholders}` filled by the evaluator: `{shipment}` (shipment reference), `{order}`
 * (order reference), `{days}`, `{hours}` and whatever else the evaluator names in its `vars`; an unknown
 * placeholder prints as "…".
 */
import { z } from 'zod';
import { DOCUMENT_KINDS } from '../documents/snapshot.js';
import { TRANSPORT_MODES } from '../domain/incoterms.js';
import { ORDER_STATUSES } from '../domain/order-status.js';

export const EXCEPTION_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type ExceptionSeverity = (typeof EXCEPTION_SEVERITIES)[number];

export const EXCEPTION_OWNER_ROLES = ['ops', 'documentation', 'finance', 'admin'] as const;
export type ExceptionOwnerRole = (typeof EXCEPTION_OWNER_ROLES)[number];

export const EXCEPTION_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

const DocumentKinds = z.array(z.enum(DOCUMENT_KINDS)).min(1);
const Hours = z.number().int().min(0).max(24 * 90);
const Days = z.number().min(0).max(90);
const MilestoneCode = z.string().regex(/^[a-z][a-z0-9_]*$/, 'Must be a snake_case milestone code such as "stuffing"');

/** The evaluators a rule can name, each with its parameters. */
export const RuleCheck = z.discriminatedUnion(
  'kind',
  [
    /** A planned shipment's booking has a documents cut-off within `days` (or past) while one of `documents` has no final version. */
    z.strictObject({ kind: z.literal('documents_not_final_before_cutoff'), days: Days, documents: DocumentKinds }),
    /** The booking is confirmed while one of `documents` exists only as a draft (no approved or final version). */
    z.strictObject({ kind: z.literal('booking_confirmed_documents_draft'), documents: DocumentKinds }),
    /** A production job of a line the shipment carries is planned to complete after the booking's cargo cut-off. */
    z.strictObject({ kind: z.literal('production_after_cargo_cutoff') }),
    /**
     * An inspection of the order or shipment failed (and none passed since), or the order requires one and none has
     * passed `hoursBeforeStuffing` before the stuffing milestone (planned, else actual). The order requires one when an
     * inspection is recorded for it (even pending), or its payment terms or destination are listed in `requiredFor`.
     */
    z.strictObject({
      kind: z.literal('inspection_failed_or_missing'),
      hoursBeforeStuffing: Hours,
      stuffingMilestone: MilestoneCode,
      requiredFor: z.strictObject({ paymentTermTypes: z.array(z.enum(['advance', 'lc', 'dp', 'da', 'open_account'])), destinationCountries: z.array(z.string().regex(/^[A-Z]{2}$/)) }),
    }),
    /** The booking's ETA is more than `days` later than the ETA of its first confirmed revision. */
    z.strictObject({ kind: z.literal('eta_slipped'), days: Days }),
    /**
     * A shipment to one of `countries` by one of `transportModes` without the `milestone` recorded (actual) nor the
     * shipment reference `reference`, within `warnHoursBeforeLoading` of its ETD; due `deadlineHoursBeforeLoading` before it.
     */
    z.strictObject({
      kind: z.literal('isf_missing_before_loading'),
      countries: z.array(z.string().regex(/^[A-Z]{2}$/)).min(1),
      transportModes: z.array(z.enum(TRANSPORT_MODES)).min(1),
      milestone: MilestoneCode,
      reference: z.string().min(1),
      warnHoursBeforeLoading: Hours,
      deadlineHoursBeforeLoading: Hours,
    }),
    /** The organisation's GST LUT has expired, or expires before the ETD of an open shipment (one exception per organisation). */
    z.strictObject({ kind: z.literal('lut_expired_or_expiring') }),
    /**
     * Validation (the country templates) finds errors on an order in one of `orderStatuses`. Validation is costly, so a
     * sweep reuses a result while the order's inputs are unchanged and it is younger than `revalidateHours`, and runs at
     * most `maxValidationsPerSweep` new validations (the others keep their previous state until a later sweep).
     */
    z.strictObject({
      kind: z.literal('validation_errors'),
      orderStatuses: z.array(z.enum(ORDER_STATUSES)).min(1),
      revalidateHours: Hours,
      maxValidationsPerSweep: z.number().int().min(0).max(100_000),
    }),
  ],
  { error: 'check.kind must be one of the built-in evaluators (see shared/exceptions/schema.ts)' },
);
export type RuleCheck = z.infer<typeof RuleCheck>;
export type RuleKind = RuleCheck['kind'];

export const ExceptionRule = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, 'Must be a dotted lower-case id such as "docs.not-final-before-cutoff"'),
  title: z.string().min(3).max(200),
  severity: z.enum(EXCEPTION_SEVERITIES),
  ownerRole: z.enum(EXCEPTION_OWNER_ROLES),
  check: RuleCheck,
  rationale: z.string().min(10).meta({ description: 'Why this is worth an exception: what goes wrong if it is ignored' }),
  source: z.string().min(5).meta({ description: 'The regulation, contract term or trade practice the rule comes from' }),
  enabled: z.boolean().default(true),
});
export type ExceptionRule = z.infer<typeof ExceptionRule>;

export const ExceptionRuleSet = z.strictObject({
  $comment: z.string().optional(),
  rules: z.array(ExceptionRule).min(1),
});
export type ExceptionRuleSet = z.infer<typeof ExceptionRuleSet>;
