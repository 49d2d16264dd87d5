/**
 * Every country template, imported statically (no file system: this bundles for Cloudflare Workers),
 * validated once when first used. A broken template fails loudly, naming the file and the field.
 */
import { describeIssues, templateErrorMap } from './issues.js';
import ae from '../../templates/countries/ae.json' with { type: 'json' };
import au from '../../templates/countries/au.json' with { type: 'json' };
import cn from '../../templates/countries/cn.json' with { type: 'json' };
import de from '../../templates/countries/de.json' with { type: 'json' };
import defaultTemplate from '../../templates/countries/default.json' with { type: 'json' };
import eu from '../../templates/countries/eu.json' with { type: 'json' };
import gb from '../../templates/countries/gb.json' with { type: 'json' };
import india from '../../templates/countries/in.json' with { type: 'json' };
import jp from '../../templates/countries/jp.json' with { type: 'json' };
import nl from '../../templates/countries/nl.json' with { type: 'json' };
import sa from '../../templates/countries/sa.json' with { type: 'json' };
import us from '../../templates/countries/us.json' with { type: 'json' };
import { Template } from './schema.js';

/** The template files, by path from the repository root. */
export const TEMPLATE_FILES: Readonly<Record<string, unknown>> = {
  'templates/countries/default.json': defaultTemplate,
  'templates/countries/eu.json': eu,
  'templates/countries/de.json': de,
  'templates/countries/nl.json': nl,
  'templates/countries/us.json': us,
  'templates/countries/gb.json': gb,
  'templates/countries/au.json': au,
  'templates/countries/ae.json': ae,
  'templates/countries/sa.json': sa,
  'templates/countries/jp.json': jp,
  'templates/countries/cn.json': cn,
  'templates/countries/in.json': india,
};


/**
 * Validate a set of template files (path → parsed JSON): each against the schema, then together —
 * ids unique, `extends` targets present and acyclic, `default` present, no destination or origin
 * country claimed by two templates. Throws an Error naming the file and the path of the first problems,
 * e.g. `templates/countries/de.json: rules.3.source: Required`.
 */
export function validateTemplates(files: Readonly<Record<string, unknown>>): Template[] {
  const parsed: { file: string; template: Template }[] = [];
  for (const [file, data] of Object.entries(files)) {
    const result = Template.safeParse(data, { error: templateErrorMap });
    if (!result.success) throw new Error(`Invalid country template\n${describeIssues(file, result.error.issues)}`);
    parsed.push({ file, template: result.data });
  }
  const fail = (file: string, path: string, message: string): never => {
    throw new Error(`Invalid country template\n${file}: ${path}: ${message}`);
  };
  const byId = new Map<string, string>();
  for (const { file, template } of parsed) {
    const other = byId.get(template.id);
    if (other) fail(file, 'id', `"${template.id}" is also the id of ${other}`);
    byId.set(template.id, file);
  }
  if (!byId.has('default')) throw new Error('Invalid country template set: no "default" template');
  const templates = new Map(parsed.map((p) => [p.template.id, p.template]));
  for (const { file, template } of parsed) {
    if (template.extends !== undefined && !templates.has(template.extends)) fail(file, 'extends', `no template with id "${template.extends}"`);
    const seen = new Set<string>([template.id]);
    for (let t = template.extends ? templates.get(template.extends) : undefined; t; t = t.extends ? templates.get(t.extends) : undefined) {
      if (seen.has(t.id)) fail(file, 'extends', `cycle through "${t.id}"`);
      seen.add(t.id);
    }
  }
  for (const key of ['countries', 'origin'] as const) {
    const claimed = new Map<string, string>();
    for (const { file, template } of parsed) {
      (template[key] ?? []).forEach((country, i) => {
        const other = claimed.get(country);
        if (other) fail(file, `${key}.${i}`, `${country} is already claimed by ${other}`);
        claimed.set(country, file);
      });
    }
  }
  return parsed.map((p) => p.template);
}

let cache: Template[] | undefined;

/** All templates, validated (once). Throws on a broken template. */
export function loadTemplates(): Template[] {
  cache ??= validateTemplates(TEMPLATE_FILES);
  return cache;
}

export const allTemplates = (): readonly Template[] => loadTemplates();

/** The template that applies to exports to `country` (ISO alpha-2): the one claiming it, else `default`. */
export function templateFor(country: string): Template {
  const all = loadTemplates();
  return all.find((t) => t.countries.includes(country.toUpperCase())) ?? all.find((t) => t.id === 'default')!;
}
