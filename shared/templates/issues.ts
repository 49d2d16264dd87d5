import type { z } from 'zod';

/** "Required" for a missing field rather than zod's "expected string, received undefined" (template files are edited by hand). */
export const templateErrorMap = (issue: { code?: string; input?: unknown }) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined);

/** One line per problem, naming the file and the field: `templates/countries/de.json: rules.3.source: Required`. */
export function describeIssues(file: string, issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `${file}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('\n');
}
