/**
 * The milestone templates, imported statically (bundles for Cloudflare Workers), validated once when first
 * used, and the milestones of a shipment: its transport mode's template plus its destination's additions
 * (the country template that claims the destination, and the templates it extends).
 */
import air from '../../templates/milestones/air.json' with { type: 'json' };
import rail from '../../templates/milestones/rail.json' with { type: 'json' };
import road from '../../templates/milestones/road.json' with { type: 'json' };
import sea from '../../templates/milestones/sea.json' with { type: 'json' };
import type { TransportMode } from '../domain/incoterms.js';
import { loadTemplates, templateFor } from '../templates/registry.js';
import { MilestoneTemplate, TEMPLATE_MODES, type PlannedRule, type TemplateMode } from './schema.js';
import { describeIssues, templateErrorMap } from '../templates/issues.js';

export const MILESTONE_TEMPLATE_FILES: Readonly<Record<string, unknown>> = {
  'templates/milestones/sea.json': sea,
  'templates/milestones/air.json': air,
  'templates/milestones/road.json': road,
  'templates/milestones/rail.json': rail,
};

/** The template a transport mode uses: inland waterway and multimodal shipments follow the sea template. */
export const MODE_TEMPLATE: Readonly<Record<TransportMode, TemplateMode>> = {
  sea: 'sea',
  inland_waterway: 'sea',
  multimodal: 'sea',
  air: 'air',
  road: 'road',
  rail: 'rail',
};


/** Validate milestone template files (path → parsed JSON): each against the schema, one per mode, every mode present. */
export function validateMilestoneTemplates(files: Readonly<Record<string, unknown>>): MilestoneTemplate[] {
  const byMode = new Map<string, string>();
  const out: MilestoneTemplate[] = [];
  for (const [file, data] of Object.entries(files)) {
    const result = MilestoneTemplate.safeParse(data, { error: templateErrorMap });
    if (!result.success) throw new Error(`Invalid milestone template\n${describeIssues(file, result.error.issues)}`);
    const other = byMode.get(result.data.mode);
    if (other) throw new Error(`Invalid milestone template\n${file}: mode: "${result.data.mode}" is also the mode of ${other}`);
    byMode.set(result.data.mode, file);
    out.push(result.data);
  }
  const missing = TEMPLATE_MODES.filter((m) => !byMode.has(m));
  if (missing.length) throw new Error(`Invalid milestone template set: no template for ${missing.join(', ')}`);
  return out;
}

let cache: MilestoneTemplate[] | undefined;
export function loadMilestoneTemplates(): MilestoneTemplate[] {
  cache ??= validateMilestoneTemplates(MILESTONE_TEMPLATE_FILES);
  return cache;
}

export function milestoneTemplateFor(mode: TransportMode): MilestoneTemplate {
  const want = MODE_TEMPLATE[mode] ?? 'sea';
  return loadMilestoneTemplates().find((t) => t.mode === want)!;
}

/** One milestone a shipment should have. `source` is the template that adds it: 'sea', 'air', … or a country template id ('us'). */
export interface ResolvedMilestone {
  code: string;
  name: string;
  seq: number;
  planned: PlannedRule | null;
  source: string;
  description: string | null;
}

/**
 * The milestones of a shipment going by `mode` to `destinationCountry`, in seq order: the mode's template,
 * then the destination template's additions (and those of the templates it extends; the nearest wins for a
 * code, and a destination milestone with the code of a mode milestone replaces it).
 */
export function milestonesFor(mode: TransportMode, destinationCountry: string): ResolvedMilestone[] {
  const template = milestoneTemplateFor(mode);
  const out = new Map<string, ResolvedMilestone>();
  for (const m of template.milestones) {
    out.set(m.code, { code: m.code, name: m.name, seq: m.seq, planned: m.planned ?? null, source: template.mode, description: m.description ?? null });
  }
  const all = loadTemplates();
  const chain = [];
  for (let t: ReturnType<typeof templateFor> | undefined = templateFor(destinationCountry); t; t = t.extends ? all.find((x) => x.id === t!.extends) : undefined) chain.push(t);
  const added = new Set<string>();
  for (const t of chain) {
    for (const m of t.milestones ?? []) {
      if (added.has(m.code)) continue; // a nearer template already set it
      if (m.modes && !m.modes.includes(mode)) continue;
      added.add(m.code);
      out.set(m.code, { code: m.code, name: m.name, seq: m.seq, planned: m.planned ?? null, source: t.id, description: m.description ?? null });
    }
  }
  return [...out.values()].sort((a, b) => a.seq - b.seq);
}
