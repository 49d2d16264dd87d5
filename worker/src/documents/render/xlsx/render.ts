/**
 * Excel (.xlsx) writer: draws a DocumentModel on one sheet with exceljs.
 *
 * The sheet's columns are the goods table's columns, so the table is a plain grid of typed cells (numbers with
 * the right decimals) that can be copied or summed; the boxes above and below it are merged text cells, the
 * left box over the left half of the columns and the right box over the rest.
 *
 * Totals are written as the snapshot's exact values, not as SUM formulas: the document is a picture of one
 * frozen snapshot, a cached formula result could be recalculated (in binary floating point) by the reader, and a
 * sheet without any formula can be checked to hold none. Line amounts are exact per line, so a user's own SUM
 * over the column gives the same total to the cent.
 *
 * Workers: only `workbook.xlsx.writeBuffer()` is used (no files, no streams). Timestamps: the workbook's
 * `created`/`modified` are set from the document date, and the zip entries' times are fixed afterwards.
 */
import ExcelJS from 'exceljs';
import type { Borders, Cell, Fill, PaperSize, Style, Worksheet } from 'exceljs';
import type { DocumentModel, TableBlockModel, TextBlockModel, TextItem } from '../model.js';
import { withFixedTimestamps } from '../zip.js';
import { font, headerFooterText, setDecimal, setText } from './cells.js';

const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BOX: Partial<Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
const DRAFT_ARGB = 'FFC00000';
/** Total width of the sheet's columns, in Excel character units (fits an A4 page across at ~9pt). */
const SHEET_WIDTH = 110;

/** Characters Excel refuses in sheet names. */
function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, ' ').replace(/^'+|'+$/g, '').slice(0, 31).trim() || 'Sheet1';
}

function itemText(item: TextItem): string[] {
  switch (item.kind) {
    case 'space':
      return [''];
    case 'line':
      return item.text.split('\n');
    case 'field': {
      const values = item.values.flatMap((v) => v.split('\n'));
      return [`${item.label}: ${values[0] ?? ''}`, ...values.slice(1)];
    }
  }
}

interface Line {
  text: string;
  bold: boolean;
  heading: boolean;
}

function blockLines(block: TextBlockModel): Line[] {
  const lines: Line[] = [];
  if (block.heading) lines.push({ text: block.heading, bold: true, heading: true });
  for (const item of block.items) {
    const bold = item.kind === 'line' && !!item.bold;
    for (const text of itemText(item)) lines.push({ text, bold, heading: false });
  }
  return lines;
}

class SheetWriter {
  row = 1;
  constructor(
    readonly ws: Worksheet,
    readonly columnCount: number,
    readonly split: number,
    readonly size: number,
    readonly charsPerColumn: number[],
  ) {}

  /** Merge columns [from, to] of the current row and return the first cell. */
  span(row: number, from: number, to: number): Cell {
    if (to > from) this.ws.mergeCells(row, from + 1, row, to + 1);
    return this.ws.getCell(row, from + 1);
  }

  /** A row of one text across the sheet (title, banners). */
  banner(text: string, opts: { size: number; bold?: boolean; italic?: boolean; argb?: string }): void {
    const cell = this.span(this.row, 0, this.columnCount - 1);
    setText(cell, text);
    cell.font = font(opts.size, { bold: opts.bold, italic: opts.italic, ...(opts.argb ? { color: { argb: opts.argb } } : {}) });
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    this.fitHeight(this.row, text, 0, this.columnCount - 1, opts.size);
    this.row++;
  }

  /**
   * Height for a wrapped text in merged cells: Excel does not fit merged rows itself. A column's width counts
   * characters of the 11-point default font, so a smaller font fits proportionally more.
   */
  fitHeight(rowNumber: number, text: string, from: number, to: number, size = this.size): void {
    const chars = this.charsPerColumn.slice(from, to + 1).reduce((a, b) => a + b, 0);
    const capacity = Math.max(1, chars * (11 / size) * 0.95);
    const lines = Math.ceil(text.length / capacity);
    if (lines <= 1 && size <= this.size) return;
    const row = this.ws.getRow(rowNumber);
    row.height = Math.max(row.height ?? 0, Math.max(lines, 1) * size * 1.4);
  }

  /** One or two boxed text blocks side by side. */
  textRow(blocks: TextBlockModel[]): void {
    const ranges: [number, number][] = blocks.length === 1 ? [[0, this.columnCount - 1]] : [[0, this.split - 1], [this.split, this.columnCount - 1]];
    const lines = blocks.map(blockLines);
    const height = Math.max(...lines.map((l) => l.length));
    const top = this.row;
    for (let i = 0; i < height; i++) {
      blocks.forEach((block, b) => {
        const [from, to] = ranges[b]!;
        const line = lines[b]![i];
        const cell = this.span(top + i, from, to);
        if (line) setText(cell, line.text);
        cell.font = font(line?.heading ? this.size - 0.5 : this.size, { bold: line?.bold, ...(line?.heading ? { color: { argb: 'FF404040' } } : {}) });
        cell.alignment = { horizontal: block.align, vertical: 'top', wrapText: true };
        // box: borders on every cell of the block's area
        for (let c = from; c <= to; c++) {
          const border: Partial<Borders> = {};
          if (i === 0) border.top = THIN;
          if (i === height - 1) border.bottom = THIN;
          if (c === from) border.left = THIN;
          if (c === to) border.right = THIN;
          this.ws.getCell(top + i, c + 1).border = border;
        }
        if (line) this.fitHeight(top + i, line.text, from, to);
      });
    }
    this.row = top + height;
  }

  table(block: TableBlockModel): number {
    if (block.heading) {
      const cell = this.span(this.row, 0, this.columnCount - 1);
      setText(cell, block.heading);
      cell.font = font(this.size, { bold: true });
      this.row++;
    }
    const headerRow = this.row;
    block.columns.forEach((c, i) => {
      const cell = this.ws.getCell(this.row, i + 1);
      setText(cell, c.heading);
      cell.font = font(this.size - 0.5, { bold: true });
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
      cell.border = BOX;
    });
    this.row++;
    // One style object per look (column, weight, number format), shared by every cell that has it: exceljs resolves
    // a style object once (it keeps a WeakMap of them) instead of serialising the font, border, fill and alignment
    // of each cell to XML to look them up, which was most of a long sheet's write time. A cell without a number
    // format has its own key: exceljs gives a number cell "General" and a text cell no format.
    const styles = new Map<string, Partial<Style>>();
    const write = (cells: TableBlockModel['rows'][number], bold: boolean) => {
      cells.forEach((m, i) => {
        const col = block.columns[i]!;
        const cell = this.ws.getCell(this.row, i + 1);
        const isNumber = m.value !== undefined && setDecimal(cell, m.value, m.text, m.digits ?? col.digits, col.indian);
        if (m.value === undefined) setText(cell, m.text);
        const numFmt = isNumber ? cell.numFmt : undefined;
        const key = `${i}|${bold}|${numFmt ?? ''}`;
        let style = styles.get(key);
        if (!style) {
          style = {
            ...(numFmt !== undefined ? { numFmt } : {}),
            font: font(this.size, { bold }),
            alignment: { horizontal: bold && i === 0 ? 'left' : col.align, vertical: 'top', wrapText: true },
            border: BOX,
            ...(bold ? { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } } as Fill } : {}),
          };
          styles.set(key, style);
        }
        cell.style = style;
      });
      this.row++;
    };
    for (const cells of block.rows) write(cells, false);
    if (block.totals) write(block.totals, true);
    for (const note of block.notes) {
      const cell = this.span(this.row, 0, this.columnCount - 1);
      setText(cell, note);
      cell.font = font(this.size - 0.5, { italic: true });
      this.row++;
    }
    return headerRow;
  }
}

export function buildWorkbook(model: DocumentModel): ExcelJS.Workbook {
  const when = new Date(`${model.meta.date}T00:00:00Z`);
  const wb = new ExcelJS.Workbook();
  wb.creator = model.meta.creator;
  wb.lastModifiedBy = model.meta.creator;
  wb.created = when;
  wb.modified = when;
  wb.title = model.meta.title;
  wb.subject = model.meta.subject;
  wb.keywords = model.meta.keywords;

  const table = model.rows.flat().find((b): b is TableBlockModel => b.type === 'table');
  const columns = table?.columns ?? [{ widthPercent: 50 }, { widthPercent: 50 }];
  const chars = columns.map((c) => Math.max(4, Math.round((c.widthPercent / 100) * SHEET_WIDTH)));
  // the left box ends at the column where half the width is reached
  let acc = 0;
  let split = 1;
  for (let i = 0; i < columns.length; i++) {
    acc += columns[i]!.widthPercent;
    if (acc >= 50) {
      split = Math.min(Math.max(i + 1, 1), columns.length - 1);
      break;
    }
  }

  const size = model.page.fontSize;
  const ws = wb.addWorksheet(sheetName(model.sheetName), {
    views: [{ showGridLines: false }],
    pageSetup: {
      // 9 = A4, 1 = Letter (ECMA-376 paper codes; exceljs's enum lacks Letter)
      paperSize: (model.page.size === 'A4' ? 9 : 1) as PaperSize,
      orientation: model.page.orientation,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.25, footer: 0.25 },
    },
    headerFooter: {
      oddHeader: model.draft ? `&R&"Arial,Bold"&18&KC00000${headerFooterText(model.draft.mark)}` : '',
      oddFooter: `&C&8${headerFooterText(model.meta.title)} - Page &P of &N`,
    },
  });
  ws.columns = chars.map((width) => ({ width }));

  const w = new SheetWriter(ws, columns.length, split, size, chars);
  w.banner(model.title, { size: size + 6, bold: true });
  if (model.subtitle) w.banner(model.subtitle, { size: size - 0.5, italic: true });
  if (model.draft) w.banner(`${model.draft.mark} — ${model.draft.banner}`, { size: size + 2, bold: true, argb: DRAFT_ARGB });
  w.row++;

  let headerRow: number | null = null;
  for (const row of model.rows) {
    const t = row.find((b): b is TableBlockModel => b.type === 'table');
    if (t) headerRow = w.table(t);
    else w.textRow(row as TextBlockModel[]);
  }
  if (model.footer) {
    w.row++;
    w.banner(model.footer, { size: size - 1, italic: true });
  }
  if (headerRow !== null) ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  return wb;
}

export async function renderXlsx(model: DocumentModel): Promise<Uint8Array> {
  const wb = buildWorkbook(model);
  const buffer = await wb.xlsx.writeBuffer();
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer as ArrayBuffer);
  return withFixedTimestamps(bytes, model.meta.date);
}
