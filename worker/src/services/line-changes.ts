import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { productionJobs, stockReservations } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';
import { unprocessable, type ErrorDetail } from './errors.js';
import { compareDecimal, sumDecimal } from '../../../shared/domain/money.js';
import { HOLDING_STATUSES, orderReservationRows, releaseLineStock, reserveNeeds, type StockLine, type StockNeed } from './stock/reservations.js';
import { toMilli } from './stock/quantity.js';

/**
 * What execution data needs when an order's lines are replaced (PATCH /orders/{id}, batch update, import):
 * production jobs must still fit their lines, and stock reservations follow the new quantities.
 * `beforeLinesReplaced` runs before old lines are deleted (rows that point at them are settled first);
 * `afterLinesReplaced` runs once the new lines exist.
 */

export interface LineChange {
  orderId: string;
  status: string;
  lines: StockLine[];
  oldLines: StockLine[];
}

const changed = (line: StockLine, old: StockLine | undefined) => !old || old.quantity !== line.quantity || old.productId !== line.productId;

/** Production jobs must fit the new lines; reservations and cancelled jobs of removed lines are settled. */
export async function beforeLinesReplaced(tx: Executor, ctx: ServiceContext, items: LineChange[]): Promise<void> {
  for (const item of items) {
    const kept = new Map(item.lines.map((l, i) => [l.id, { line: l, index: i }]));
    const removed = item.oldLines.filter((o) => !kept.has(o.id));
    const shrunk = item.oldLines.filter((o) => {
      const k = kept.get(o.id);
      return k && compareDecimal(k.line.quantity, o.quantity) < 0;
    });
    if (!removed.length && !shrunk.length) continue;

    const jobs = await tx
      .select({ lineId: productionJobs.orderLineId, quantity: productionJobs.quantity, status: productionJobs.status })
      .from(productionJobs)
      .where(and(eq(productionJobs.orgId, ctx.orgId), eq(productionJobs.orderId, item.orderId)));
    const problems: ErrorDetail[] = [];
    const liveJobs = (lineId: string) => jobs.filter((j) => j.lineId === lineId && j.status !== 'cancelled');
    for (const old of removed) {
      const live = liveJobs(old.id);
      if (live.length) problems.push({ path: 'lines', message: `Line ${old.lineNo} has ${live.length} production job(s); cancel them before removing the line`, code: 'LINE_IN_PRODUCTION' });
    }
    for (const old of shrunk) {
      const { line, index } = kept.get(old.id)!;
      const planned = sumDecimal(liveJobs(old.id).map((j) => j.quantity));
      if (compareDecimal(line.quantity, planned) < 0) {
        problems.push({ path: `lines.${index}.quantity`, message: `Quantity ${line.quantity} is below the ${planned} ${line.unit} in production jobs of this line`, code: 'LINE_IN_PRODUCTION' });
      }
    }
    if (problems.length) throw unprocessable('LINE_IN_PRODUCTION', 'The new lines do not cover their production jobs', problems);

    if (!removed.length) continue;
    const removedIds = removed.map((l) => l.id);
    await tx.delete(productionJobs).where(and(inArray(productionJobs.orderLineId, removedIds), eq(productionJobs.status, 'cancelled')));
    for (const old of removed) await releaseLineStock(tx, ctx, item.orderId, old.id, Number.MAX_SAFE_INTEGER, `Line ${old.lineNo} removed from the order`);
    // Reservation rows point at the line; its movements (kept) tell the story.
    await tx.delete(stockReservations).where(inArray(stockReservations.orderLineId, removedIds));
  }
}

/**
 * For an order holding stock: a line whose quantity changed keeps its reservation equal to what it still has to
 * ship (release the surplus, reserve the rest, 409 STOCK_INSUFFICIENT when stock is short); a new line, or one whose
 * product changed, is reserved when its product is stocked. A line made to order at confirmation stays so.
 */
export async function afterLinesReplaced(tx: Executor, ctx: ServiceContext, items: LineChange[]): Promise<void> {
  for (const item of items) {
    if (!HOLDING_STATUSES.has(item.status)) continue;
    const old = new Map(item.oldLines.map((l) => [l.id, l]));
    const touched = item.lines.map((line, index) => ({ line, index })).filter(({ line }) => changed(line, old.get(line.id)));
    if (!touched.length) continue;
    const rows = await orderReservationRows(tx, ctx, item.orderId);
    const needs: StockNeed[] = [];
    for (const { line, index } of touched) {
      const before = old.get(line.id);
      const productChanged = before !== undefined && before.productId !== line.productId;
      let mine = rows.filter((r) => r.orderLineId === line.id);
      if (productChanged) {
        await releaseLineStock(tx, ctx, item.orderId, line.id, Number.MAX_SAFE_INTEGER, `Line ${line.lineNo}: product changed`);
        mine = [];
      }
      const isNew = !before || productChanged;
      if (!isNew && !mine.length) continue; // made to order
      const sum = (status: string) => mine.filter((r) => r.status === status).reduce((s, r) => s + r.quantityMilli, 0);
      const reserved = sum('reserved');
      const target = Math.max(0, toMilli(line.quantity) - sum('consumed'));
      if (reserved > target) await releaseLineStock(tx, ctx, item.orderId, line.id, reserved - target, `Line ${line.lineNo}: quantity lowered to ${line.quantity}`);
      else if (reserved < target) needs.push({ line, index, milli: target - reserved });
    }
    await reserveNeeds(tx, ctx, item.orderId, needs);
  }
}
