/**
 * The rule engine: pure, no I/O. `evaluate(snapshot, templates, { now, convert })` resolves the templates
 * that apply (the destination country's, or `default`, with its `extends` chain, plus the origin-side
 * template such as `in`) and turns their rules into findings, required documents and document wording.
 * See `./schema.ts` for paths, conditions and placeholders.
 */
import Big from 'big.js';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentSnapshot } from '../documents/snapshot.js';
import { incotermModeProblem, type Incoterm, type TransportMode } from '../domain/incoterms.js';
import { isValidHsCode, normaliseHsCode } from '../reference/hs.js';
import type { BuiltinCheck, Condition, DocumentRef, Rule, Severity, Template, Wording } from './schema.js';

export interface Finding {
  rule: string;
  severity: Severity;
  /** Snapshot path the finding is about (`consignee.taxIds[type=EORI].value`, `lines.1.hsCode`). */
  path: string;
  message: string;
  hint: string | null;
  source: string;
  /** Deadlines: when it is due (ISO 8601, UTC). */
  due?: string;
}

export interface RequiredDocument {
  code: string;
  name: string;
  kind?: string;
  rule: string;
  source: string;
}

export interface Evaluation {
  templateIds: string[];
  findings: Finding[];
  requiredDocuments: RequiredDocument[];
  wording: Record<DocumentKind, { id: string; text: string; source: string }[]>;
}

/**
 * Converts an amount (major units, decimal string) into currency `to`; a decimal string, or null when
 * there is no rate. Injected, so the engine stays pure and tests choose their rates.
 */
export type Converter = (amount: { currency: string; amount: string }, to: string) => string | null;

export interface EvaluateOptions {
  now: Date;
  convert?: Converter;
}

// ---------------------------------------------------------------------------------------------
// Currency: identical currencies and the official fixed pegs to the US dollar.
// ---------------------------------------------------------------------------------------------

/** Units of each currency per US dollar, for currencies with an official fixed peg. */
export const USD_PEGS: Readonly<Record<string, string>> = {
  AED: '3.6725',
  SAR: '3.75',
  OMR: '0.3845',
  BHD: '0.376',
  QAR: '3.64',
  JOD: '0.709',
};

/**
 * Converts between identical currencies and between USD and the pegged currencies above (and between two
 * pegged currencies, through USD). Exact decimal arithmetic with big.js; a conversion that divides by a
 * peg is carried to 20 decimal places. Anything else: null (no rate).
 */
export const peggedConverter: Converter = ({ currency, amount }, to) => {
  const value = new Big(amount);
  if (currency === to) return value.toFixed();
  const perUsd = (c: string) => (c === 'USD' ? '1' : USD_PEGS[c]);
  const from = perUsd(currency);
  const into = perUsd(to);
  if (!from || !into) return null;
  return value.times(into).div(from).toFixed();
};

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

type Segment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'any' } | { kind: 'select'; key: string; field: string; value: string; label: string };

const segmentCache = new Map<string, Segment[]>();

function parsePath(path: string): Segment[] {
  const cached = segmentCache.get(path);
  if (cached) return cached;
  const segments = path.split('.').map((s): Segment => {
    if (s === '*') return { kind: 'any' };
    if (/^\d+$/.test(s)) return { kind: 'index', index: Number(s) };
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\[([A-Za-z_][A-Za-z0-9_]*)=([^\]]+)\]$/.exec(s);
    if (m) return { kind: 'select', key: m[1]!, field: m[2]!, value: m[3]!, label: s };
    return { kind: 'key', key: s };
  });
  segmentCache.set(path, segments);
  return segments;
}

interface Resolved {
  /** Concrete path: `*` replaced by the index; selectors kept as written. */
  path: string;
  /** undefined when the path does not reach a value. */
  value: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (a: string, b: string) => (a ? `${a}.${b}` : b);

/**
 * Every place `path` reaches in `root`. Where it stops short (a missing key, no element matching a
 * selector) one entry with `value: undefined` and the rest of the path as written is returned; an empty
 * array under `*` yields nothing.
 */
export function resolvePath(root: unknown, path: string): Resolved[] {
  const segments = parsePath(path);
  const rest = (i: number) => path.split('.').slice(i).join('.');
  const walk = (node: unknown, i: number, at: string): Resolved[] => {
    if (i === segments.length) return [{ path: at, value: node }];
    if (node === null || node === undefined || typeof node !== 'object') return [{ path: join(at, rest(i)), value: undefined }];
    const seg = segments[i]!;
    switch (seg.kind) {
      case 'key':
        return walk((node as Record<string, unknown>)[seg.key], i + 1, join(at, seg.key));
      case 'index':
        return walk(Array.isArray(node) ? node[seg.index] : (node as Record<string, unknown>)[String(seg.index)], i + 1, join(at, String(seg.index)));
      case 'any': {
        const entries: [string, unknown][] = Array.isArray(node) ? node.map((v, j) => [String(j), v]) : Object.entries(node);
        return entries.flatMap(([k, v]) => walk(v, i + 1, join(at, k)));
      }
      case 'select': {
        const list = (node as Record<string, unknown>)[seg.key];
        const matches = Array.isArray(list) ? list.filter((el) => isRecord(el) && el[seg.field] !== undefined && String(el[seg.field]) === seg.value) : [];
        if (!matches.length) return [{ path: join(at, rest(i)), value: undefined }];
        return matches.flatMap((el) => walk(el, i + 1, join(at, seg.label)));
      }
    }
  };
  return walk(root, 0, '');
}

/** Present and not empty: not null/undefined, not a blank string, not [] nor {}. */
export function isPresent(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return true;
}

const valuesAt = (root: unknown, path: string) => resolvePath(root, path).filter((r) => r.value !== undefined).map((r) => r.value);

const DECIMAL = /^-?\d+(\.\d+)?$/;
const asBig = (v: unknown): Big | null => (typeof v === 'number' && Number.isFinite(v) ? new Big(v) : typeof v === 'string' && DECIMAL.test(v) ? new Big(v) : null);

/** Evaluate a condition. Paths that reach several values: true when any value matches. */
export function test(root: unknown, c: Condition): boolean {
  if ('all' in c) return c.all.every((x) => test(root, x));
  if ('any' in c) return c.any.some((x) => test(root, x));
  if ('not' in c) return !test(root, c.not);
  const values = valuesAt(root, c.path);
  if ('exists' in c) return values.some(isPresent);
  if ('eq' in c) return values.some((v) => same(v, c.eq));
  if ('in' in c) return values.some((v) => c.in.some((x) => same(v, x)));
  if ('startsWithAny' in c) return values.some((v) => typeof v === 'string' && c.startsWithAny.some((p) => v.startsWith(p)));
  return values.some((v) => {
    const n = asBig(v);
    if (!n) return false;
    return (c.gte === undefined || n.gte(c.gte)) && (c.lte === undefined || n.lte(c.lte));
  });
}

function same(v: unknown, x: unknown): boolean {
  if (v === x) return true;
  if (typeof x === 'number') {
    const n = asBig(v);
    return n !== null && n.eq(x);
  }
  return false;
}

function display(v: unknown): string {
  if (isRecord(v) && typeof v.currency === 'string' && typeof v.amount === 'string') return `${v.currency} ${v.amount}`;
  if (isRecord(v) || Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

/** Fill `{path}` placeholders from the snapshot; a missing value prints as "…". */
export function interpolate(text: string, root: unknown): string {
  return text.replace(/\{([A-Za-z0-9_.*[\]=]+)\}/g, (_, path: string) => {
    const values = valuesAt(root, path).filter(isPresent);
    return values.length ? values.map(display).join(', ') : '…';
  });
}

// ---------------------------------------------------------------------------------------------
// Template resolution
// ---------------------------------------------------------------------------------------------

export interface ResolvedTemplates {
  templateIds: string[];
  rules: Rule[];
  wording: Partial<Record<DocumentKind, Wording[]>>;
}

/** The template chain (root first) ending at `leaf`, following `extends`. */
function chain(leaf: Template, byId: Map<string, Template>): Template[] {
  const out: Template[] = [];
  const seen = new Set<string>();
  for (let t: Template | undefined = leaf; t; t = t.extends ? byId.get(t.extends) : undefined) {
    if (seen.has(t.id)) throw new Error(`Template "${t.id}" extends itself (cycle)`);
    seen.add(t.id);
    out.unshift(t);
  }
  return out;
}

/**
 * Templates for an export from `origin` to `destination`: the destination's template (by `countries`,
 * else `default`) with its `extends` chain merged root first — a child's rule or wording with the same id
 * replaces the parent's — then the origin-side templates (by `origin`), merged the same way.
 */
export function resolveTemplates(templates: readonly Template[], destination: string, origin: string): ResolvedTemplates {
  const byId = new Map(templates.map((t) => [t.id, t]));
  const destinationTemplate = templates.find((t) => t.countries.includes(destination)) ?? byId.get('default');
  const ordered: Template[] = destinationTemplate ? chain(destinationTemplate, byId) : [];
  for (const t of templates.filter((x) => x.origin?.includes(origin))) {
    for (const c of chain(t, byId)) if (!ordered.includes(c)) ordered.push(c);
  }
  const rules = new Map<string, Rule>();
  const wording = new Map<DocumentKind, Map<string, Wording>>();
  for (const t of ordered) {
    for (const r of t.rules) rules.set(r.id, r);
    for (const [kind, entries] of Object.entries(t.wording ?? {}) as [DocumentKind, Wording[]][]) {
      const m = wording.get(kind) ?? new Map<string, Wording>();
      for (const w of entries) m.set(w.id, w);
      wording.set(kind, m);
    }
  }
  return {
    templateIds: ordered.map((t) => t.id),
    rules: [...rules.values()],
    wording: Object.fromEntries([...wording].map(([k, m]) => [k, [...m.values()]])),
  };
}

// ---------------------------------------------------------------------------------------------
// Built-in checks
// ---------------------------------------------------------------------------------------------

interface CheckResult {
  path: string;
  detail?: string;
  /** Overrides the rule's severity for this result. */
  severity?: Severity;
}

/** Today's date in India (UTC+05:30), for Indian validity dates such as the LUT's. */
const indianDate = (now: Date) => new Date(now.getTime() + 330 * 60_000).toISOString().slice(0, 10);

const CHECKS: Record<Exclude<BuiltinCheck, 'assert'>, (s: DocumentSnapshot, now: Date) => CheckResult[]> = {
  'incoterm-transport': (s) => {
    const problem = incotermModeProblem(s.order.incoterm as Incoterm, s.route.transportMode as TransportMode);
    return problem ? [{ path: 'order.incoterm', detail: problem }] : [];
  },
  'hs-valid': (s) =>
    s.lines.flatMap((l, i) => (isValidHsCode(l.hsCode) ? [] : [{ path: `lines.${i}.hsCode`, detail: `line ${l.lineNo} (${l.sku}): ${l.hsCode} is not a valid HS 2022 code` }])),
  'hs-national-digits': (s) =>
    s.lines.flatMap((l, i) => {
      const digits = normaliseHsCode(l.hsCode);
      return digits.length >= 8 ? [] : [{ path: `lines.${i}.hsCode`, detail: `line ${l.lineNo} (${l.sku}) has the ${digits.length}-digit code ${l.hsCode}` }];
    }),
  totals: (s) => {
    const out: CheckResult[] = [];
    s.lines.forEach((l, i) => {
      if (l.amount.currency !== s.totals.amount.currency) out.push({ path: `lines.${i}.amount.currency`, detail: `line ${l.lineNo} is in ${l.amount.currency}, the total in ${s.totals.amount.currency}` });
    });
    const sum = s.lines.reduce((acc, l) => acc + BigInt(l.amount.minor), 0n);
    if (sum !== BigInt(s.totals.amount.minor)) out.push({ path: 'totals.amount', detail: `lines sum to ${sum} minor units, the total is ${s.totals.amount.minor}` });
    return out;
  },
  allocations: (s) => {
    if (s.scope !== 'shipment') return [];
    if (!s.lines.length) return [{ path: 'lines', detail: 'the shipment has no allocated lines' }];
    return s.lines.flatMap((l, i) => (new Big(l.quantity).gt(0) ? [] : [{ path: `lines.${i}.quantity`, detail: `line ${l.lineNo} (${l.sku}) has quantity ${l.quantity}` }]));
  },
  'parties-verified': (s) => {
    const out: CheckResult[] = [];
    const seen = new Set<string>();
    for (const [role, p] of [['buyer', s.buyer], ['consignee', s.consignee], ['notifyParty', s.notifyParty]] as const) {
      if (!p || seen.has(p.id)) continue;
      seen.add(p.id);
      if (!p.verified) out.push({ path: `${role}.verified`, detail: `${p.name} (${role === 'notifyParty' ? 'notify party' : role}) is not verified` });
    }
    return out;
  },
  'packaging-known': (s) =>
    s.totals.linesWithoutPackaging.length
      ? [{ path: 'totals.linesWithoutPackaging', detail: `line${s.totals.linesWithoutPackaging.length > 1 ? 's' : ''} ${s.totals.linesWithoutPackaging.join(', ')} without units per package` }]
      : [],
  'lut-valid': (s, now) => {
    const lut = s.exporter.lut;
    if (!lut) return [{ path: 'exporter.lut', detail: 'no LUT on file: goods can then be exported only on payment of IGST (refund claimed afterwards)', severity: 'warning' }];
    const shipped = s.shipment && (s.shipment.status === 'shipped' || s.shipment.status === 'delivered');
    const reference = (shipped ? (s.shipment!.blDate ?? s.shipment!.plannedShipDate) : null) ?? indianDate(now);
    if (lut.validUntil < reference) {
      return [{ path: 'exporter.lut.validUntil', detail: `the LUT ${lut.arn} for ${lut.financialYear} expired on ${lut.validUntil}; file a new LUT (GST RFD-11) or export on payment of IGST` }];
    }
    const shipDate = shipped ? null : (s.shipment?.plannedShipDate ?? s.order.requestedShipDate);
    if (shipDate && lut.validUntil < shipDate) {
      return [{ path: 'exporter.lut.validUntil', detail: `the LUT ${lut.arn} ends on ${lut.validUntil}, before the ship date ${shipDate}; file the next year's LUT before shipping`, severity: 'warning' }];
    }
    return [];
  },
};

/** First path named in a condition, to report an `assert` finding at. */
function firstPath(c: Condition): string {
  if ('all' in c) return firstPath(c.all[0]!);
  if ('any' in c) return firstPath(c.any[0]!);
  if ('not' in c) return firstPath(c.not);
  return c.path;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

const HOUR = 3_600_000;

/** A snapshot date ("2026-12-09", start or end of day UTC) or timestamp, as epoch milliseconds. */
function instant(value: unknown, boundary: 'start' | 'end'): number | null {
  if (typeof value !== 'string') return null;
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (d) {
    const start = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return boundary === 'end' ? start + 24 * HOUR - 1 : start;
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

function applies(rule: Rule, s: DocumentSnapshot): boolean {
  if (rule.appliesTo !== 'both' && rule.appliesTo !== s.scope) return false;
  return !rule.when || test(s, rule.when);
}

/** Evaluate the templates that apply to `snapshot`. Pure: the clock and exchange rates come in `options`. */
export function evaluate(snapshot: DocumentSnapshot, templates: readonly Template[], options: EvaluateOptions): Evaluation {
  const { now, convert = peggedConverter } = options;
  const resolved = resolveTemplates(templates, snapshot.route.destinationCountry, snapshot.route.originCountry);
  const findings: Finding[] = [];
  const requiredDocuments: RequiredDocument[] = [];
  const fill = (text: string) => interpolate(text, snapshot);

  const finding = (rule: Rule, path: string, extra: { severity?: Severity; detail?: string; message?: string; due?: string } = {}) => {
    const base = extra.message ?? fill(rule.message);
    findings.push({
      rule: rule.id,
      severity: extra.severity ?? rule.severity,
      path,
      message: extra.detail ? `${base}: ${extra.detail}` : base,
      hint: rule.hint ? fill(rule.hint) : null,
      source: rule.source,
      ...(extra.due ? { due: extra.due } : {}),
    });
  };
  const requireDocument = (rule: Rule, doc: DocumentRef) => {
    if (requiredDocuments.some((d) => d.code === doc.code && d.name === doc.name)) return;
    requiredDocuments.push({ code: doc.code, name: doc.name, ...(doc.kind ? { kind: doc.kind } : {}), rule: rule.id, source: rule.source });
  };

  for (const rule of resolved.rules) {
    if (!applies(rule, snapshot)) continue;
    switch (rule.kind) {
      case 'required': {
        for (const path of rule.paths) {
          const byPath = new Map<string, boolean>();
          for (const r of resolvePath(snapshot, path)) byPath.set(r.path, (byPath.get(r.path) ?? false) || isPresent(r.value));
          for (const [at, present] of byPath) if (!present) finding(rule, at);
        }
        break;
      }
      case 'document':
        finding(rule, `documents.${rule.document.code}`);
        requireDocument(rule, rule.document);
        break;
      case 'threshold': {
        const total = snapshot.totals.amount;
        const converted = convert({ currency: total.currency, amount: total.amount }, rule.amount.currency);
        if (converted === null) {
          finding(rule, 'totals.amount', {
            severity: 'warning',
            message: `Could not check "${fill(rule.message)}": no exchange rate from ${total.currency} to ${rule.amount.currency} for the threshold of ${rule.amount.currency} ${rule.amount.value}`,
          });
          break;
        }
        const cmp = new Big(converted).cmp(rule.amount.value);
        if (rule.comparison === 'gt' ? cmp > 0 : cmp >= 0) {
          finding(rule, 'totals.amount');
          if (rule.document) requireDocument(rule, rule.document);
        }
        break;
      }
      case 'deadline': {
        if (rule.satisfiedBy && valuesAt(snapshot, rule.satisfiedBy).some(isPresent)) break;
        const base = valuesAt(snapshot, rule.relativeTo).map((v) => instant(v, rule.dayBoundary)).find((v) => v !== null) ?? null;
        const path = rule.satisfiedBy ?? rule.relativeTo;
        if (base === null) {
          finding(rule, path, { severity: 'info', message: `${fill(rule.message)} (due date not known yet: ${rule.relativeTo} is not set)` });
          break;
        }
        const due = new Date(base + rule.offsetHours * HOUR).toISOString();
        if (now.getTime() > base + rule.offsetHours * HOUR) finding(rule, path, { severity: 'error', due, message: `${fill(rule.message)} — overdue since ${due}` });
        else finding(rule, path, { due, message: `${fill(rule.message)} — due by ${due}` });
        break;
      }
      case 'check': {
        if (rule.check === 'assert') {
          if (!test(snapshot, rule.assert!)) finding(rule, rule.path ?? firstPath(rule.assert!));
          break;
        }
        for (const r of CHECKS[rule.check](snapshot, now)) finding(rule, r.path, { ...(r.severity ? { severity: r.severity } : {}), ...(r.detail ? { detail: r.detail } : {}) });
        break;
      }
    }
  }

  const wording = Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, [] as { id: string; text: string; source: string }[]])) as Evaluation['wording'];
  for (const [kind, entries] of Object.entries(resolved.wording) as [DocumentKind, Wording[]][]) {
    for (const w of entries) if (!w.when || test(snapshot, w.when)) wording[kind].push({ id: w.id, text: fill(w.text), source: w.source });
  }

  return { templateIds: resolved.templateIds, findings, requiredDocuments, wording };
}
