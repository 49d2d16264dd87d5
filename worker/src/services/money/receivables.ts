/** Receivables: what each buyer owes, per currency, aged by days overdue; with unapplied credit from receipts. */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { AGING_BUCKETS, type Receivables, type ReceivablesQuery } from '../../../../shared/contracts/payments.js';
import { orders, organisations, parties, receiptAllocations, receipts } from '../../db/schema/index.js';
import { currencyExponent } from '../../../../shared/domain/currency.js';
import { reportWorkbook, type ReportSheet } from '../../reports/xlsx-table.js';
import type { ServiceContext } from '../context.js';
import { money } from '../orders/mapping.js';
import { requirePermission } from '../permissions.js';
import { RECEIVABLE_STATUSES, readMilestones, syncStaleSchedules, todayOf } from './schedule.js';

type Bucket = (typeof AGING_BUCKETS)[number];

/** The aging bucket of an outstanding amount: pending (no due date yet), not due, or days overdue 1–30, 31–60, 61–90, 90+. */
export function bucketOf(dueDate: string | null, daysOverdue: number): Bucket {
  if (dueDate === null) return 'pending';
  if (daysOverdue <= 0) return 'not_due';
  if (daysOverdue <= 30) return 'd1_30';
  if (daysOverdue <= 60) return 'd31_60';
  if (daysOverdue <= 90) return 'd61_90';
  return 'd90_plus';
}

/** Outstanding payment milestones of confirmed (not cancelled) orders, per buyer and currency, aged as of `asOf`. */
export async function receivables(ctx: ServiceContext, q: Pick<ReceivablesQuery, 'asOf' | 'buyerId'>): Promise<Receivables> {
  requirePermission(ctx, 'payments:read');
  const db = ctx.database.db;
  const asOf = q.asOf ?? todayOf(ctx);
  await ctx.database.write((tx) => syncStaleSchedules(tx, ctx, q.buyerId));
  const orderRows = await db
    .select({ id: orders.id, reference: orders.reference })
    .from(orders)
    .where(
      and(
        eq(orders.orgId, ctx.orgId),
        inArray(orders.status, [...RECEIVABLE_STATUSES]),
        q.buyerId ? eq(orders.buyerId, q.buyerId) : undefined,
        lte(orders.createdAt, `${asOf}T23:59:59.999Z`),
      ),
    )
    .orderBy(asc(orders.id));
  const milestones: Awaited<ReturnType<typeof readMilestones>> = [];
  for (let i = 0; i < orderRows.length; i += 500) milestones.push(...(await readMilestones(db, ctx, orderRows.slice(i, i + 500), asOf, { asOf: true })));
  // Unapplied credit: receipts valued by `asOf`, less what is allocated from them (summed per receipt, then per buyer).
  const receiptRows = await db
    .select({ id: receipts.id, buyerId: receipts.buyerId, currency: receipts.currency, amountMinor: receipts.amountMinor })
    .from(receipts)
    .where(and(eq(receipts.orgId, ctx.orgId), lte(receipts.valueDate, asOf), q.buyerId ? eq(receipts.buyerId, q.buyerId) : undefined));
  const used = new Map<string, number>();
  for (let i = 0; i < receiptRows.length; i += 500) {
    const sums = await db
      .select({ receiptId: receiptAllocations.receiptId, n: sql<number>`sum(${receiptAllocations.amountMinor})` })
      .from(receiptAllocations)
      .where(inArray(receiptAllocations.receiptId, receiptRows.slice(i, i + 500).map((r) => r.id)))
      .groupBy(receiptAllocations.receiptId);
    for (const x of sums) used.set(x.receiptId!, Number(x.n));
  }
  const credit = receiptRows.map((r) => ({ buyerId: r.buyerId, currency: r.currency, left: r.amountMinor - (used.get(r.id) ?? 0) })).filter((c) => c.left > 0);

  type Acc = { buyerId: string; currency: string; outstanding: number; overdue: number; buckets: Record<Bucket, number>; milestones: number; oldestDueDate: string | null; credit: number };
  const empty = (): Record<Bucket, number> => Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
  const rows = new Map<string, Acc>();
  const rowOf = (buyerId: string, currency: string) => {
    const key = `${buyerId}|${currency}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { buyerId, currency, outstanding: 0, overdue: 0, buckets: empty(), milestones: 0, oldestDueDate: null, credit: 0 }));
    return r;
  };
  for (const m of milestones) {
    if (m.outstanding.minor === 0) continue;
    const r = rowOf(m.buyerId, m.amount.currency);
    r.outstanding += m.outstanding.minor;
    r.buckets[bucketOf(m.dueDate, m.daysOverdue)] += m.outstanding.minor;
    if (m.status === 'overdue') r.overdue += m.outstanding.minor;
    r.milestones += 1;
    if (m.dueDate && (!r.oldestDueDate || m.dueDate < r.oldestDueDate)) r.oldestDueDate = m.dueDate;
  }
  for (const c of credit) rowOf(c.buyerId, c.currency).credit += Number(c.left);

  const names = rows.size ? await db.select({ id: parties.id, name: parties.name }).from(parties).where(inArray(parties.id, [...new Set([...rows.values()].map((r) => r.buyerId))])) : [];
  const nameById = new Map(names.map((n) => [n.id, n.name]));
  const nameOf = (id: string) => nameById.get(id) ?? id;
  const asMoney = (b: Record<Bucket, number>, c: string) => Object.fromEntries(AGING_BUCKETS.map((k) => [k, money(b[k], c)])) as Receivables['rows'][number]['buckets'];
  const sorted = [...rows.values()].sort((a, b) => nameOf(a.buyerId).localeCompare(nameOf(b.buyerId)) || a.currency.localeCompare(b.currency));
  const totals = new Map<string, { outstanding: number; overdue: number; buckets: Record<Bucket, number> }>();
  for (const r of sorted) {
    const t = totals.get(r.currency) ?? { outstanding: 0, overdue: 0, buckets: empty() };
    t.outstanding += r.outstanding;
    t.overdue += r.overdue;
    for (const b of AGING_BUCKETS) t.buckets[b] += r.buckets[b];
    totals.set(r.currency, t);
  }
  return {
    asOf,
    rows: sorted.map((r) => ({
      buyerId: r.buyerId,
      buyerName: nameOf(r.buyerId),
      currency: r.currency,
      outstanding: money(r.outstanding, r.currency),
      overdue: money(r.overdue, r.currency),
      buckets: asMoney(r.buckets, r.currency),
      unappliedCredit: money(r.credit, r.currency),
      milestones: r.milestones,
      oldestDueDate: r.oldestDueDate,
    })),
    totals: [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => ({ currency, outstanding: money(t.outstanding, currency), overdue: money(t.overdue, currency), buckets: asMoney(t.buckets, currency) })),
  };
}

const BUCKET_TITLES: Record<Bucket, string> = { pending: 'Due date not known', not_due: 'Not yet due', d1_30: '1–30 days', d31_60: '31–60 days', d61_90: '61–90 days', d90_plus: 'Over 90 days' };

/** The receivables report as sheets for reportWorkbook: one row per buyer and currency, totals per currency. */
export function receivablesSheet(r: Receivables, organisation: string): ReportSheet {
  const cell = (m: { amount: string; currency: string }) => ({ amount: m.amount, digits: currencyExponent(m.currency) });
  return {
    name: 'Receivables',
    heading: [`Receivables — ${organisation}`, `As of ${r.asOf}; outstanding payment milestones of confirmed orders, aged by days overdue`],
    columns: [
      { header: 'Buyer', width: 34 },
      { header: 'Currency', width: 10 },
      { header: 'Outstanding', width: 16 },
      { header: 'Overdue', width: 16 },
      ...AGING_BUCKETS.map((b) => ({ header: BUCKET_TITLES[b], width: 16 })),
      { header: 'Unapplied credit', width: 16 },
      { header: 'Milestones', width: 11 },
      { header: 'Oldest due date', width: 15 },
    ],
    rows: r.rows.map((x) => [x.buyerName, x.currency, cell(x.outstanding), cell(x.overdue), ...AGING_BUCKETS.map((b) => cell(x.buckets[b])), cell(x.unappliedCredit), x.milestones, x.oldestDueDate]),
    totals: r.totals.map((t) => [`Total ${t.currency}`, t.currency, cell(t.outstanding), cell(t.overdue), ...AGING_BUCKETS.map((b) => cell(t.buckets[b])), null, null, null]),
  };
}

/** The receivables report as an .xlsx file. */
export async function receivablesXlsx(ctx: ServiceContext, q: Pick<ReceivablesQuery, 'asOf' | 'buyerId'>): Promise<{ bytes: Uint8Array; filename: string }> {
  const report = await receivables(ctx, q);
  const [org] = await ctx.database.db.select({ name: organisations.legalName }).from(organisations).where(eq(organisations.id, ctx.orgId));
  return { bytes: await reportWorkbook([receivablesSheet(report, org?.name ?? '')], ctx.now()), filename: `receivables-${report.asOf}.xlsx` };
}
