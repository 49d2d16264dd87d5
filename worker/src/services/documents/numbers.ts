import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { documentCounters, documentNumbers } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';

/** Indian financial year (April–March) of an ISO date: 2026-11-27 → "2026-27". */
export function financialYear(isoDate: string): string {
  const year = Number(isoDate.slice(0, 4));
  const start = Number(isoDate.slice(5, 7)) >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * The number of a scope's documents in a series (INV, PI): given once, then reused by every format and
 * version, so retries and regenerations leave no gaps. Sequential per organisation and financial year, and
 * at most 16 characters, as GST invoice rules require: "INV/26-27/0042".
 */
export async function scopeNumber(tx: Executor, ctx: ServiceContext, scope: { orderId: string; shipmentId: string }, series: 'INV' | 'PI', isoDate: string): Promise<string> {
  const [existing] = await tx
    .select({ number: documentNumbers.number })
    .from(documentNumbers)
    .where(and(eq(documentNumbers.orderId, scope.orderId), eq(documentNumbers.shipmentId, scope.shipmentId), eq(documentNumbers.series, series)));
  if (existing) return existing.number;
  const fy = financialYear(isoDate);
  const [counter] = await tx
    .insert(documentCounters)
    .values({ orgId: ctx.orgId, series, financialYear: fy, last: 1 })
    .onConflictDoUpdate({ target: [documentCounters.orgId, documentCounters.series, documentCounters.financialYear], set: { last: sql`${documentCounters.last} + 1` } })
    .returning({ last: documentCounters.last });
  const number = `${series}/${fy.slice(2)}/${String(counter!.last).padStart(4, '0')}`;
  await tx.insert(documentNumbers).values({ orgId: ctx.orgId, ...scope, series, number });
  return number;
}
