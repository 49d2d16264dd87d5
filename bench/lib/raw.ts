/**
 * Raw libSQL inserts: rows prepared in memory up front, converted to driver values with the schema's own
 * column mappers (JSON columns → JSON text), and written as plain INSERT statements with args.
 */
import type { InStatement } from '@libsql/client';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { OrderCreate } from '../../shared/contracts/orders.js';
import { auditEvents, orderLines, orders } from '../../worker/src/db/schema/index.js';
import { newId } from '../../worker/src/lib/ids.js';
import { isoNow, type ServiceContext } from '../../worker/src/services/context.js';
import { buildLines, type LineRow } from '../../worker/src/services/orders/lines.js';
import { auditSnapshot, newOrderRow, type OrderRow } from '../../worker/src/services/orders/mapping.js';
import { sumMinor } from '../../shared/domain/money.js';

type Row = Record<string, unknown>;
type ProductMap = Parameters<typeof buildLines>[4];

/** Column SQL names and a row → args converter for a drizzle table. */
function shape(table: Table) {
  const cols = Object.entries(getTableColumns(table));
  const names = cols.map(([, c]) => `"${c.name}"`).join(', ');
  const toArgs = (row: Row) =>
    cols.map(([key, c]) => {
      const v = row[key];
      return v === null || v === undefined ? null : (c.mapToDriverValue(v) as string | number);
    });
  return { name: getTableName(table), names, width: cols.length, toArgs };
}

/** One INSERT per row (same SQL text each time). */
export function singleRowInserts(table: Table, rows: Row[]): InStatement[] {
  const s = shape(table);
  const sql = `INSERT INTO "${s.name}" (${s.names}) VALUES (${Array(s.width).fill('?').join(', ')})`;
  return rows.map((r) => ({ sql, args: s.toArgs(r) }));
}

/** Multi-row INSERTs of `perStatement` rows each. */
export function multiRowInserts(table: Table, rows: Row[], perStatement: number): InStatement[] {
  const s = shape(table);
  const tuple = `(${Array(s.width).fill('?').join(', ')})`;
  const out: InStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    out.push({ sql: `INSERT INTO "${s.name}" (${s.names}) VALUES ${Array(chunk.length).fill(tuple).join(', ')}`, args: chunk.flatMap(s.toArgs) });
  }
  return out;
}

export type AuditRow = typeof auditEvents.$inferInsert;
export interface PreparedRows {
  orders: OrderRow[];
  lines: LineRow[];
  audits: AuditRow[];
}

/**
 * The same rows `createOrders` would write for `inputs` (same id format, product snapshot, exact amounts,
 * totals, audit snapshot) — computed here, outside the timed section.
 */
export function prepareOrderRows(ctx: ServiceContext, inputs: OrderCreate[], productMap: ProductMap): PreparedRows {
  const at = isoNow(ctx);
  const out: PreparedRows = { orders: [], lines: [], audits: [] };
  for (const input of inputs) {
    const id = newId('ord');
    const lines = buildLines(id, ctx, input.currency, input.lines, productMap);
    const row = newOrderRow(id, ctx.orgId, input, { totalMinor: sumMinor(lines.map((l) => l.amountMinor)), lineCount: lines.length }, ctx.actor.userId, at);
    out.orders.push(row);
    out.lines.push(...lines);
    out.audits.push({
      id: newId('aud'),
      orgId: ctx.orgId,
      orderId: id,
      entityType: 'order',
      entityId: id,
      action: 'order.created',
      actorId: ctx.actor.userId,
      at,
      before: null,
      after: auditSnapshot(row, lines),
      note: null,
    });
  }
  return out;
}

/** Split prepared rows into groups of `ordersPerGroup` orders with their lines and audit rows. */
export function groupRows(rows: PreparedRows, ordersPerGroup: number): PreparedRows[] {
  const linesByOrder = new Map<string, LineRow[]>();
  for (const l of rows.lines) {
    let list = linesByOrder.get(l.orderId);
    if (!list) linesByOrder.set(l.orderId, (list = []));
    list.push(l);
  }
  const groups: PreparedRows[] = [];
  for (let i = 0; i < rows.orders.length; i += ordersPerGroup) {
    const os = rows.orders.slice(i, i + ordersPerGroup);
    groups.push({ orders: os, lines: os.flatMap((o) => linesByOrder.get(o.id) ?? []), audits: rows.audits.slice(i, i + ordersPerGroup) });
  }
  return groups;
}

export type InsertStyle = { kind: 'single' } | { kind: 'multi'; orders: number; lines: number; audits: number };

/** Statements for one group (one write transaction): orders first, then lines, then audit rows. */
export function groupStatements(g: PreparedRows, style: InsertStyle): InStatement[] {
  if (style.kind === 'single') {
    return [...singleRowInserts(orders, g.orders as Row[]), ...singleRowInserts(orderLines, g.lines as Row[]), ...singleRowInserts(auditEvents, g.audits as Row[])];
  }
  return [
    ...multiRowInserts(orders, g.orders as Row[], style.orders),
    ...multiRowInserts(orderLines, g.lines as Row[], style.lines),
    ...multiRowInserts(auditEvents, g.audits as Row[], style.audits),
  ];
}
