/**
 * Country templates as data: which rules apply to an export to a country (or from India), each with the
 * regulation it comes from, and the declarations documents must carry. Templates live as JSON in
 * `templates/countries/`, are validated with these schemas when loaded (`./registry.ts`) and are
 * evaluated against a DocumentSnapshot by the one small engine in `./engine.ts`.
 *
 * ## Paths
 * A path is a dotted path into the DocumentSnapshot (`shared/documents/snapshot.ts`):
 *  - `consignee.name`, `order.paymentTerms.type`, `lines.0.hsCode` — keys and array indexes;
 *  - `lines.*.hsChapter` — `*` stands for every element of an array (or every value of an object);
 *  - `consignee.taxIds[type=EORI].value` — `[field=value]` selects the array elements whose `field`
 *    equals `value` (compared as text).
 * A condition on a path that reaches several values (through `*` or a selector) is true when ANY of
 * them matches: `{ "path": "lines.*.hsChapter", "in": ["09"] }` is true when at least one line is in
 * chapter 09. Use `{ "not": … }` for "no line matches".
 *
 * ## Conditions
 * `{ all: [...] }`, `{ any: [...] }`, `{ not: c }`, and on a path: `exists: true` (present and not
 * empty: not null, not "", not [] nor {}), `eq` (a string, number, boolean or null), `in` (one of a
 * list), `startsWithAny` (a string starting with one of the prefixes), `gte` / `lte` (numbers; decimal
 * strings are compared exactly).
 *
 * ## Placeholders
 * `message`, `hint` and wording `text` may contain `{path}` placeholders, filled from the snapshot
 * (several values are joined with ", "; a missing value prints as "…").
 */
import { z } from 'zod';
import { CountryCode, CurrencyCode } from '../contracts/common.js';
import { DOCUMENT_KINDS } from '../documents/snapshot.js';
import { CountryMilestone, uniqueCodes } from '../milestones/schema.js';

const SEGMENT = String.raw`(?:\*|\d+|[A-Za-z_][A-Za-z0-9_]*(?:\[[A-Za-z_][A-Za-z0-9_]*=[^\]\s.]+\])?)`;
/** A path into the snapshot: `a.b`, `lines.*.hsCode`, `consignee.taxIds[type=EORI].value`. */
export const PATH_RE = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})*$`);

export const SnapshotPath = z
  .string()
  .regex(PATH_RE, 'Must be a dotted snapshot path such as "consignee.taxIds[type=EORI].value" or "lines.*.hsChapter"')
  .meta({ description: 'Dotted path into the document snapshot; `*` = every element; `[field=value]` selects elements' });

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type Scalar = z.infer<typeof Scalar>;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { path: string; exists: true }
  | { path: string; eq: Scalar }
  | { path: string; in: Scalar[] }
  | { path: string; startsWithAny: string[] }
  | { path: string; gte?: number; lte?: number };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ all: z.array(Condition).min(1) }),
      z.strictObject({ any: z.array(Condition).min(1) }),
      z.strictObject({ not: Condition }),
      z.strictObject({ path: SnapshotPath, exists: z.literal(true) }),
      z.strictObject({ path: SnapshotPath, eq: Scalar }),
      z.strictObject({ path: SnapshotPath, in: z.array(Scalar).min(1) }),
      z.strictObject({ path: SnapshotPath, startsWithAny: z.array(z.string().min(1)).min(1) }),
      z
        .strictObject({ path: SnapshotPath, gte: z.number().optional(), lte: z.number().optional() })
        .refine((c) => c.gte !== undefined || c.lte !== undefined, { message: 'A comparison needs gte or lte', when: (payload) => payload.issues.length === 0 }),
    ],
    { error: 'Not a valid condition: use {all}, {any}, {not}, or {path} with one of exists, eq, in, startsWithAny, gte/lte' },
  ),
);

/** Rule and wording ids: lower-case, dotted, e.g. `eu.consignee.eori`. */
export const RuleId = z.string().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, 'Must be a dotted lower-case id such as "eu.consignee.eori"');

/** A document a rule asks for. `kind` tells which variant, e.g. a certificate of origin's "EUR.1" or "non-preferential (chamber of commerce)". */
export const DocumentRef = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]+$/, 'Must be a snake_case code such as "insurance_certificate"'),
  name: z.string().min(1),
  kind: z.string().min(1).optional(),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

/** Built-in checks a `check` rule can name. `assert` evaluates the rule's own `assert` condition. */
export const BUILTIN_CHECKS = [
  'incoterm-transport',
  'hs-valid',
  'hs-national-digits',
  'totals',
  'allocations',
  'parties-verified',
  'packaging-known',
  'lut-valid',
  'assert',
] as const;
export type BuiltinCheck = (typeof BUILTIN_CHECKS)[number];

const ruleBase = {
  id: RuleId,
  severity: Severity,
  appliesTo: z.enum(['order', 'shipment', 'both']).meta({ description: 'Snapshot scope the rule is evaluated for' }),
  when: Condition.optional().meta({ description: 'The rule applies only when this holds' }),
  message: z.string().min(1),
  hint: z.string().min(1).optional(),
  source: z.string().min(5).meta({ description: 'The regulation or authority the rule comes from' }),
};

/** Paths that must be present and non-empty; one finding per missing path. */
export const RequiredRule = z.strictObject({ ...ruleBase, kind: z.literal('required'), paths: z.array(SnapshotPath).min(1) });
/** A document that must accompany the goods; listed in `requiredDocuments`. */
export const DocumentRule = z.strictObject({ ...ruleBase, kind: z.literal('document'), document: DocumentRef });
/** Applies when the snapshot total, converted to `amount.currency`, reaches `amount.value` (`gte`, default) or exceeds it (`gt`). */
export const ThresholdRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('threshold'),
  amount: z.strictObject({ currency: CurrencyCode, value: z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'Must be a decimal string such as "10000"') }),
  comparison: z.enum(['gte', 'gt']).default('gte'),
  document: DocumentRef.optional(),
});
/**
 * Due `offsetHours` after (negative: before) the date at `relativeTo`. A date without a time counts from
 * 00:00 UTC of that day (`dayBoundary: "start"`, default) or from its last moment (`"end"`: "within N days
 * after"). Done when `satisfiedBy` is present; an error once `now` is past due and it is not.
 */
export const DeadlineRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('deadline'),
  relativeTo: SnapshotPath,
  offsetHours: z.number().int(),
  dayBoundary: z.enum(['start', 'end']).default('start'),
  satisfiedBy: SnapshotPath.optional(),
});
/** A built-in check (see BUILTIN_CHECKS); `assert` with its condition, reported at `path`. */
export const CheckRule = z
  .strictObject({ ...ruleBase, kind: z.literal('check'), check: z.enum(BUILTIN_CHECKS), assert: Condition.optional(), path: SnapshotPath.optional() })
  .superRefine((r, ctx) => {
    if (r.check === 'assert' && !r.assert) ctx.addIssue({ code: 'custom', path: ['assert'], message: 'An "assert" check needs its condition' });
    if (r.check !== 'assert' && r.assert) ctx.addIssue({ code: 'custom', path: ['assert'], message: 'Only an "assert" check takes a condition' });
  });

export const Rule = z.discriminatedUnion('kind', [RequiredRule, DocumentRule, ThresholdRule, DeadlineRule, CheckRule], {
  error: 'kind must be one of required, document, threshold, deadline, check',
});
export type Rule = z.infer<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

/** A declaration printed on a document, with `{placeholders}` from the snapshot. */
export const Wording = z.strictObject({ id: RuleId, text: z.string().min(1), when: Condition.optional(), source: z.string().min(5) });
export type Wording = z.infer<typeof Wording>;

export const Template = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'Must be a lower-case id such as "de" or "eu"'),
    name: z.string().min(1),
    extends: z.string().min(1).optional().meta({ description: 'Id of the template whose rules and wording this one inherits (same ids are overridden)' }),
    countries: z.array(CountryCode).meta({ description: 'Destination countries (ISO alpha-2) this template applies to; none for `default` and base templates' }),
    origin: z.array(CountryCode).optional().meta({ description: 'For origin-side templates: applies to every export FROM these countries' }),
    sources: z.array(z.strictObject({ title: z.string().min(1), url: z.url().optional() })).optional(),
    rules: z.array(Rule),
    wording: z.partialRecord(z.enum(DOCUMENT_KINDS), z.array(Wording)).optional(),
    milestones: z
      .array(CountryMilestone)
      .optional()
      .meta({ description: "Milestones this destination adds to a shipment's transport-mode milestones (see shared/milestones), e.g. the US ISF filing" }),
  })
  .superRefine((t, ctx) => {
    const seen = new Map<string, number>();
    t.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `Duplicate rule id "${r.id}" (also rules.${seen.get(r.id)})` });
      else seen.set(r.id, i);
    });
    for (const [kind, entries] of Object.entries(t.wording ?? {})) {
      const ids = new Set<string>();
      entries?.forEach((w, i) => {
        if (ids.has(w.id)) ctx.addIssue({ code: 'custom', path: ['wording', kind, i, 'id'], message: `Duplicate wording id "${w.id}"` });
        ids.add(w.id);
      });
    }
    if (t.milestones) uniqueCodes(t.milestones, ctx, 'milestones');
  });
export type Template = z.infer<typeof Template>;
export type TemplateInput = z.input<typeof Template>;
