/**
 * Milestone templates as data: the milestones a shipment goes through per transport mode
 * (`templates/milestones/{sea,air,road,rail}.json`), and the extra milestones a destination adds
 * (`milestones` in a country template, e.g. the US ISF filing). Validated by these schemas when loaded
 * (`./registry.ts`).
 *
 * A milestone's planned time can follow the booking: `planned: { relativeTo: "cutoffCargo", offsetHours: -24 }`
 * is "24 hours before the cargo cut-off". Anchors: etd, eta, cutoffDocuments, cutoffVgm, cutoffCargo.
 */
import { z } from 'zod';
import { TRANSPORT_MODES } from '../domain/incoterms.js';

export const PLANNED_ANCHORS = ['etd', 'eta', 'cutoffDocuments', 'cutoffVgm', 'cutoffCargo'] as const;
export type PlannedAnchor = (typeof PLANNED_ANCHORS)[number];

export const PlannedRule = z
  .strictObject({
    relativeTo: z.enum(PLANNED_ANCHORS).meta({ description: 'The booking time the planned time follows' }),
    offsetHours: z.number().int().min(-24 * 60).max(24 * 60).default(0).meta({ description: 'Hours after (negative: before) the anchor' }),
  })
  .meta({ id: 'MilestonePlannedRule' });
export type PlannedRule = z.infer<typeof PlannedRule>;

export const MilestoneCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'Must be a snake_case code such as "gate_in"');

export const MilestoneDefinition = z.strictObject({
  code: MilestoneCode,
  name: z.string().min(1).max(80),
  seq: z.number().int().min(1).max(10_000),
  planned: PlannedRule.optional(),
  description: z.string().min(1).optional(),
});
export type MilestoneDefinition = z.infer<typeof MilestoneDefinition>;

/** The modes that have a template; other modes use one of them (see MODE_TEMPLATE). */
export const TEMPLATE_MODES = ['sea', 'air', 'road', 'rail'] as const;
export type TemplateMode = (typeof TEMPLATE_MODES)[number];

export const MilestoneTemplate = z
  .strictObject({
    mode: z.enum(TEMPLATE_MODES),
    name: z.string().min(1),
    milestones: z.array(MilestoneDefinition).min(1),
  })
  .superRefine((t, ctx) => uniqueCodes(t.milestones, ctx, 'milestones'));
export type MilestoneTemplate = z.infer<typeof MilestoneTemplate>;

/** A destination's extra milestone (in a country template): for the listed modes only (all when omitted), with its legal source. */
export const CountryMilestone = MilestoneDefinition.extend({
  modes: z.array(z.enum(TRANSPORT_MODES)).min(1).optional().meta({ description: 'Transport modes it applies to; every mode when omitted' }),
  source: z.string().min(5).meta({ description: 'The regulation it comes from' }),
});
export type CountryMilestone = z.infer<typeof CountryMilestone>;

export function uniqueCodes(list: { code: string; seq: number }[], ctx: z.RefinementCtx, key: string) {
  const codes = new Map<string, number>();
  const seqs = new Map<number, number>();
  list.forEach((m, i) => {
    if (codes.has(m.code)) ctx.addIssue({ code: 'custom', path: [key, i, 'code'], message: `Duplicate milestone code "${m.code}" (also ${key}.${codes.get(m.code)})` });
    else codes.set(m.code, i);
    if (seqs.has(m.seq)) ctx.addIssue({ code: 'custom', path: [key, i, 'seq'], message: `Duplicate seq ${m.seq} (also ${key}.${seqs.get(m.seq)})` });
    else seqs.set(m.seq, i);
  });
}
