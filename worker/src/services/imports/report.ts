/**
 * The per-row log of an import and the report built from it: every message is pinned to a sheet row and,
 * when it is about a mapped field, to its column letter and cell ("F12").
 */
import type { ImportAction, ImportMessage, ImportOrderResult, ImportReport, ImportRequest, ImportRowResult } from '../../../../shared/contracts/imports.js';
import { columnLetter, type ImportCell, type ImportField } from '../../../../shared/import/fields.js';

type Severity = ImportMessage['severity'];

export class ImportLog {
  readonly rows: ImportRowResult[];
  private errors = 0;
  private readonly letters: Partial<Record<ImportField, string>> = {};

  constructor(private readonly request: Pick<ImportRequest, 'rows' | 'firstRow' | 'firstColumn' | 'columns'>) {
    this.rows = request.rows.map((_, i) => ({ row: request.firstRow + i, status: 'ok', messages: [] }));
    for (const [field, index] of Object.entries(request.columns) as [ImportField, number | undefined][]) {
      if (index !== undefined) this.letters[field] = columnLetter(request.firstColumn + index);
    }
  }

  /** Sheet row number of row index `i`. */
  rowNumber(i: number): number {
    return this.request.firstRow + i;
  }

  /** The raw cell of a mapped field in row `i` (null when unmapped or beyond the row). */
  cell(i: number, field: ImportField): ImportCell {
    const index = this.request.columns[field];
    if (index === undefined) return null;
    return this.request.rows[i]?.[index] ?? null;
  }

  add(i: number, severity: Severity, message: string, field?: ImportField, options: { withValue?: boolean } = {}): void {
    const m: ImportMessage = { severity, message };
    if (field) {
      m.field = field;
      const column = this.letters[field];
      if (column) {
        m.column = column;
        m.cell = `${column}${this.rowNumber(i)}`;
        if (options.withValue !== false) {
          const value = this.cell(i, field);
          if (value !== null) m.value = value;
        }
      }
    }
    const row = this.rows[i]!;
    row.messages.push(m);
    if (severity === 'error') {
      if (row.status !== 'error') this.errors++;
      row.status = 'error';
    } else if (severity === 'warning' && row.status === 'ok') {
      row.status = 'warning';
    }
  }

  error(i: number, field: ImportField | undefined, message: string): void {
    this.add(i, 'error', message, field);
  }

  warn(i: number, field: ImportField | undefined, message: string): void {
    this.add(i, 'warning', message, field);
  }

  note(i: number, field: ImportField | undefined, message: string): void {
    this.add(i, 'note', message, field);
  }

  skip(i: number, reason: string): void {
    const row = this.rows[i]!;
    row.status = 'skipped';
    row.messages.push({ severity: 'note', message: reason });
  }

  hasErrors(): boolean {
    return this.errors > 0;
  }

  /** Mark rows as belonging to an order. */
  assign(rows: number[], reference: string, action: ImportAction, orderId?: string): void {
    for (const i of rows) {
      const row = this.rows[i]!;
      row.reference = reference;
      row.action = action;
      if (orderId) row.orderId = orderId;
    }
  }

  report(mode: ImportRequest['mode'], committed: boolean, orders: ImportOrderResult[]): ImportReport {
    let skipped = 0;
    let warnings = 0;
    for (const r of this.rows) {
      if (r.status === 'skipped') skipped++;
      else if (r.status === 'warning') warnings++;
    }
    const count = (a: ImportAction) => orders.filter((o) => o.action === a).length;
    return {
      mode,
      committed,
      summary: {
        rows: this.rows.length,
        lineRows: this.rows.length - skipped,
        skippedRows: skipped,
        orders: orders.length,
        toCreate: count('create'),
        toUpdate: count('update'),
        unchanged: count('unchanged'),
        errorRows: this.errors,
        warningRows: warnings,
      },
      rows: this.rows,
      orders,
    };
  }
}
