/**
 * The exception engine: load facts in bulk → evaluate every rule (pure) → reconcile with the stored exceptions,
 * all writes of one run in one transaction.
 *
 * Reconcile, per (organisation, rule, subject):
 *   firing, no row            → new row, state open
 *   firing, open/acknowledged → lastSeenAt (and detail, due time, facts when they changed); acknowledged stays acknowledged
 *   firing, resolved          → reopened: state open, version + 1 (also after a manual resolve: the cause is still there)
 *   not firing, open/ack.     → resolved, resolution 'auto', version + 1
 *   not known (null)          → left as it is
 * In a whole-organisation sweep, an open exception whose subject is no longer open (shipment delivered or cancelled,
 * order closed) or whose rule is gone is resolved automatically too.
 */
import { exceptions } from '../../db/schema/index.js';
import { bulkInsert } from '../../db/bulk.js';
import type { Executor } from '../../db/client.js';
import { newId } from '../../lib/ids.js';
import { loadExceptionRules } from '../../../../shared/exceptions/rules.js';
import type { ExceptionRule } from '../../../../shared/exceptions/schema.js';
import { isoNow, type ServiceContext } from '../context.js';
import { evaluateOrder, evaluateOrganisation, evaluateShipment, fillTitle, scopeOf } from './evaluators.js';
import { loadFacts, type FactsScope } from './facts.js';
import { chunks, placeholders, rawAll, rawRun } from '../../db/raw.js';
import type { Facts, Outcome } from './types.js';
import { attachValidation } from './validation-cache.js';

export interface SweepResult {
  /** Subjects looked at. */
  evaluated: { shipments: number; orders: number; organisation: boolean };
  validations: number;
  raised: number;
  reopened: number;
  updated: number;
  unchanged: number;
  resolved: number;
  /** Open and acknowledged exceptions of the organisation afterwards. */
  active: number;
  ms: number;
  /** Where the time went: loading facts, validating orders, evaluating the rules, writing (ms). */
  timings: { loadMs: number; validationMs: number; evaluateMs: number; writeMs: number };
}

const keyOf = (ruleId: string, subject: string) => `${ruleId}\u001e${subject}`;

/** Evaluate the rules over the facts. Subjects whose shipment is not open only ever resolve. */
export function evaluateAll(facts: Facts, rules: ExceptionRule[], now: Date, opts: { organisation: boolean }): Outcome[] {
  const out: Outcome[] = [];
  for (const rule of rules) {
    const scope = scopeOf(rule);
    if (scope === 'shipment') {
      for (const s of facts.shipments) {
        const evaluation = s.open ? evaluateShipment(s, rule, now) : { raise: false, detail: `Shipment is ${s.status}`, dueAt: null, facts: {} };
        out.push({ ruleId: rule.id, subject: `shipment:${s.id}`, orderId: s.orderId, shipmentId: s.id, evaluation: evaluation && { ...evaluation, vars: { shipment: s.reference, order: s.order.reference, ...evaluation.vars } } });
      }
    } else if (scope === 'order') {
      for (const o of facts.orders) {
        const evaluation = evaluateOrder(o, rule, now);
        out.push({ ruleId: rule.id, subject: `order:${o.id}`, orderId: o.id, shipmentId: null, evaluation: evaluation && { ...evaluation, vars: { order: o.reference, ...evaluation.vars } } });
      }
    } else if (opts.organisation) {
      out.push({ ruleId: rule.id, subject: 'organisation', orderId: null, shipmentId: null, evaluation: evaluateOrganisation(facts.organisation, facts.shipments, rule, now) });
    }
  }
  return out;
}

interface Existing {
  id: string;
  /** rule id, RS (U+001E), subject */
  k: string;
  state: string;
  /** severity, owner role, title, detail, due time and facts as stored, joined (see fingerprint) */
  fp: string;
}

const SEP = '\u001f';
/** What the engine writes and compares, as one string (SQL builds the same from the stored row). */
const fingerprint = (severity: string, ownerRole: string, title: string, detail: string, dueAt: string | null, factsJson: string) =>
  [severity, ownerRole, title, detail, dueAt ?? '', factsJson].join(SEP);
const FINGERPRINT_SQL = `severity || char(31) || owner_role || char(31) || title || char(31) || detail || char(31) || coalesce(due_at, '') || char(31) || facts`;

/** Write the outcomes. `scope`: which stored exceptions the outcomes cover completely (others in it resolve). */
async function reconcile(tx: Executor, ctx: ServiceContext, rules: ExceptionRule[], outcomes: Outcome[], scope: FactsScope & { organisation: boolean }) {
  const now = isoNow(ctx);
  const byRule = new Map(rules.map((r) => [r.id, r]));
  const where = 'all' in scope ? 'org_id = ?' : `org_id = ? AND (order_id = ?${scope.organisation ? " OR subject = 'organisation'" : ''})`;
  const rows = await rawAll<Existing>(
    tx,
    `SELECT id, rule_id || char(30) || subject AS k, state, ${FINGERPRINT_SQL} AS fp FROM exceptions WHERE ${where}`,
    'all' in scope ? [ctx.orgId] : [ctx.orgId, scope.orderId],
  );
  const existing = new Map(rows.map((r) => [r.k, r]));
  const seen = new Set<string>();
  const inserts: (typeof exceptions.$inferInsert)[] = [];
  const touch: string[] = [];
  const resolve: string[] = [];
  const counts = { raised: 0, reopened: 0, updated: 0, unchanged: 0, resolved: 0 };

  for (const o of outcomes) {
    const key = keyOf(o.ruleId, o.subject);
    seen.add(key);
    const e = o.evaluation;
    if (!e) continue; // not known now: leave it
    const row = existing.get(key);
    const rule = byRule.get(o.ruleId)!;
    if (!e.raise) {
      if (row && row.state !== 'resolved') resolve.push(row.id);
      continue;
    }
    const title = fillTitle(rule.title, e.vars ?? {});
    // Notes (acknowledge/resolve) survive the engine's updates; facts are compared as the JSON text written before.
    const oldNotes = row && row.fp.includes('"notes"') ? (JSON.parse(row.fp.slice(row.fp.lastIndexOf(SEP) + 1)) as { notes?: unknown }).notes : undefined;
    const facts = oldNotes ? { ...e.facts, notes: oldNotes } : e.facts;
    if (!row) {
      inserts.push({
        id: newId('exc'),
        orgId: ctx.orgId,
        ruleId: o.ruleId,
        subject: o.subject,
        orderId: o.orderId,
        shipmentId: o.shipmentId,
        severity: rule.severity,
        ownerRole: rule.ownerRole,
        title,
        detail: e.detail,
        dueAt: e.dueAt,
        state: 'open',
        facts,
        raisedAt: now,
        lastSeenAt: now,
        version: 1,
      });
      counts.raised++;
    } else if (row.state === 'resolved') {
      await rawRun(
        tx,
        `UPDATE exceptions SET state = 'open', version = version + 1, severity = ?, owner_role = ?, title = ?, detail = ?, due_at = ?, facts = ?, raised_at = ?, last_seen_at = ?,
                acknowledged_at = NULL, acknowledged_by = NULL, resolved_at = NULL, resolved_by = NULL, resolution = NULL WHERE id = ?`,
        [rule.severity, rule.ownerRole, title, e.detail, e.dueAt, JSON.stringify(facts), now, now, row.id],
      );
      counts.reopened++;
    } else if (row.fp !== fingerprint(rule.severity, rule.ownerRole, title, e.detail, e.dueAt, JSON.stringify(facts))) {
      await rawRun(tx, 'UPDATE exceptions SET severity = ?, owner_role = ?, title = ?, detail = ?, due_at = ?, facts = ?, last_seen_at = ? WHERE id = ?', [
        rule.severity,
        rule.ownerRole,
        title,
        e.detail,
        e.dueAt,
        JSON.stringify(facts),
        now,
        row.id,
      ]);
      counts.updated++;
    } else {
      touch.push(row.id);
      counts.unchanged++;
    }
  }
  // Stored exceptions the run covered but did not evaluate: their subject is closed or gone, or their rule is.
  for (const [key, row] of existing) {
    if (seen.has(key) || row.state === 'resolved') continue;
    const covered = 'all' in scope || !row.k.endsWith('\u001eorganisation') || scope.organisation;
    if (covered) resolve.push(row.id);
  }
  await bulkInsert(tx, exceptions, inserts, { perStatement: 500 });
  for (const ids of chunks(touch, 5000)) await rawRun(tx, `UPDATE exceptions SET last_seen_at = ? WHERE id IN (${placeholders(ids.length)})`, [now, ...ids]);
  for (const ids of chunks(resolve, 5000)) {
    await rawRun(tx, `UPDATE exceptions SET state = 'resolved', resolution = 'auto', resolved_at = ?, resolved_by = NULL, version = version + 1 WHERE id IN (${placeholders(ids.length)})`, [now, ...ids]);
  }
  counts.resolved = resolve.length;
  return counts;
}

async function run(ctx: ServiceContext, scope: FactsScope & { organisation: boolean }, force: boolean): Promise<SweepResult> {
  const t0 = performance.now();
  const lap = (() => {
    let last = t0;
    return () => {
      const t = performance.now();
      const ms = Math.round((t - last) * 10) / 10;
      last = t;
      return ms;
    };
  })();
  const rules = loadExceptionRules();
  const now = ctx.now();
  const facts = await loadFacts(ctx.database.db, ctx.orgId, scope, rules);
  const loadMs = lap();
  let validations = 0;
  for (const rule of rules) {
    if (rule.check.kind !== 'validation_errors') continue;
    validations += await attachValidation(ctx, facts.orders, {
      statuses: rule.check.orderStatuses,
      force,
      revalidateHours: rule.check.revalidateHours,
      maxValidations: rule.check.maxValidationsPerSweep,
    });
  }
  const validationMs = lap();
  const outcomes = evaluateAll(facts, rules, now, { organisation: scope.organisation });
  const evaluateMs = lap();
  const counts = await ctx.database.write(async (tx) => {
    const c = await reconcile(tx, ctx, rules, outcomes, scope);
    const [active] = await rawAll<{ n: number }>(tx, "SELECT count(*) AS n FROM exceptions WHERE org_id = ? AND state IN ('open', 'acknowledged')", [ctx.orgId]);
    return { ...c, active: Number(active?.n ?? 0) };
  });
  const writeMs = lap();
  return {
    evaluated: { shipments: facts.shipments.length, orders: facts.orders.length, organisation: scope.organisation },
    validations,
    ...counts,
    ms: Math.round((performance.now() - t0) * 10) / 10,
    timings: { loadMs, validationMs, evaluateMs, writeMs },
  };
}

/** Evaluate every rule over all open shipments and confirmed orders of the organisation (the scheduled sweep). */
export function sweepExceptions(ctx: ServiceContext): Promise<SweepResult> {
  return run(ctx, { all: true, organisation: true }, false);
}

/**
 * Evaluate the rules for what one change concerns: an order (the order and all its shipments) or a shipment (the
 * same, for its order), with validation run afresh for the order; `organisation`: a change of the organisation's
 * profile (its LUT), whose rule looks at every open shipment, so this runs a whole sweep.
 */
export async function evaluateSubjects(ctx: ServiceContext, target: { orderId?: string; shipmentId?: string; organisation?: boolean }): Promise<SweepResult | null> {
  if (target.organisation) return run(ctx, { all: true, organisation: true }, false);
  let orderId = target.orderId;
  if (!orderId && target.shipmentId) {
    const [row] = await rawAll<{ order_id: string }>(ctx.database.db, 'SELECT order_id FROM shipments WHERE org_id = ? AND id = ?', [ctx.orgId, target.shipmentId]);
    orderId = row?.order_id;
  }
  return orderId ? run(ctx, { orderId, organisation: false }, true) : null;
}

/**
 * The scheduled sweep of every organisation (Node timer, Workers cron): each in its own transaction, as the system
 * (no user). An organisation that fails is logged and the others still run.
 */
export async function sweepAllOrganisations(
  database: ServiceContext['database'],
  opts: { now?: () => Date; log?: (message: string, err?: unknown) => void } = {},
): Promise<{ organisations: number; failed: number; raised: number; resolved: number; active: number; ms: number }> {
  const t0 = performance.now();
  const now = opts.now ?? (() => new Date());
  const orgs = await rawAll<{ id: string }>(database.db, 'SELECT id FROM organisations ORDER BY id', []);
  const total = { organisations: orgs.length, failed: 0, raised: 0, resolved: 0, active: 0, ms: 0 };
  for (const { id } of orgs) {
    try {
      const r = await sweepExceptions({ database, orgId: id, actor: { userId: 'system', role: 'admin' }, now });
      total.raised += r.raised + r.reopened;
      total.resolved += r.resolved;
      total.active += r.active;
    } catch (err) {
      total.failed++;
      opts.log?.(`exception sweep of organisation ${id} failed`, err);
    }
  }
  total.ms = Math.round(performance.now() - t0);
  return total;
}
