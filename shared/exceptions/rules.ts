/**
 * The exception rules (`templates/exceptions/rules.json`), imported statically (no file system: this bundles for
 * Cloudflare Workers) and validated once when first used. A broken file fails loudly, naming the field.
 */
import rulesFile from '../../templates/exceptions/rules.json' with { type: 'json' };
import { describeIssues, templateErrorMap } from '../templates/issues.js';
import { ExceptionRuleSet, type ExceptionRule } from './schema.js';

export const RULES_FILE = 'templates/exceptions/rules.json';


/** Validate a rules file's parsed JSON: the schema, then unique ids. Throws an Error naming the file and the field. */
export function validateExceptionRules(data: unknown, file = RULES_FILE): ExceptionRule[] {
  const result = ExceptionRuleSet.safeParse(data, { error: templateErrorMap });
  if (!result.success) throw new Error(`Invalid exception rules\n${describeIssues(file, result.error.issues)}`);
  const seen = new Set<string>();
  result.data.rules.forEach((r, i) => {
    if (seen.has(r.id)) throw new Error(`Invalid exception rules\n${file}: rules.${i}.id: "${r.id}" is used twice`);
    seen.add(r.id);
  });
  return result.data.rules;
}

let cache: ExceptionRule[] | undefined;

/** The enabled rules, validated (once). */
export function loadExceptionRules(): ExceptionRule[] {
  cache ??= validateExceptionRules(rulesFile).filter((r) => r.enabled);
  return cache;
}
