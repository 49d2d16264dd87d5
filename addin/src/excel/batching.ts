/**
 * Writes that stay under Excel on the web's 5 MB request limit: operations are queued and the context is
 * synced only when the next one would take the current request over budget. Small operations therefore
 * cost no sync at all; a pull of thousands of rows costs one (or one per ~4 MB).
 */

/** Payload budget per `context.sync()`, below Excel on the web's 5 MB per-request limit. */
export const REQUEST_BUDGET_BYTES = 4 * 1024 * 1024;

/** Approximate request bytes of a value as Office.js serialises it (JSON). */
export function payloadBytes(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

export class WriteQueue {
  private used = 0;
  constructor(
    private readonly context: Excel.RequestContext,
    private readonly budget = REQUEST_BUDGET_BYTES,
  ) {}

  /** Queue `op` (which sets properties or calls methods) costing `bytes`; sync first if it would not fit. */
  async add(bytes: number, op: () => void): Promise<void> {
    if (this.used > 0 && this.used + bytes > this.budget) await this.flush();
    op();
    this.used += bytes + 64;
  }

  /**
   * Write a matrix at (top, left) of `sheet`, splitting it into row bands that each fit the budget.
   * `numberFormat`, when given, is set on each band before its values.
   */
  async writeMatrix(sheet: Excel.Worksheet, top: number, left: number, values: unknown[][], numberFormat?: string[][]): Promise<void> {
    if (!values.length) return;
    const width = values[0]!.length;
    let start = 0;
    while (start < values.length) {
      let end = start;
      let bytes = 0;
      const room = this.used > 0 ? this.budget - this.used : this.budget;
      while (end < values.length) {
        const rowBytes = payloadBytes(values[end]) + (numberFormat ? payloadBytes(numberFormat[end]) : 0);
        if (end > start && bytes + rowBytes > room) break;
        bytes += rowBytes;
        end++;
      }
      const band = values.slice(start, end);
      const formats = numberFormat?.slice(start, end);
      await this.add(bytes, () => {
        const range = sheet.getRangeByIndexes(top + start, left, band.length, width);
        if (formats) range.numberFormat = formats;
        range.values = band;
      });
      start = end;
    }
  }

  /** Sync what is queued, if anything. */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.context.sync();
    this.used = 0;
  }
}
