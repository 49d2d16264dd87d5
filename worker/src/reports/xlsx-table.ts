import ExcelJS from 'exceljs';
import { numberFormat } from '../documents/render/xlsx/cells.js';

/** A column of a report sheet (a money cell carries its own decimals, see ReportCell). */
export interface ReportColumn {
  header: string;
  width?: number;
}

/** A cell: text, a number, an exact money amount (major-unit string and its decimals), or empty. */
export type ReportCell = string | number | null | { amount: string; digits: number };

export interface ReportSheet {
  name: string;
  /** Lines above the table (title, "as of", notes). */
  heading?: string[];
  columns: ReportColumn[];
  rows: ReportCell[][];
  /** A last row in bold (totals). */
  totals?: ReportCell[][];
}

/**
 * A workbook of plain report tables (receivables) for finance to open in Excel: a heading, a bold
 * header row frozen under it, autofilter, money as numbers with the currency's decimals. Pure: data in, bytes out.
 */
export async function reportWorkbook(sheets: ReportSheet[], created: Date): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'ExportDesk';
  wb.created = created;
  wb.modified = created;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31));
    const heading = s.heading ?? [];
    heading.forEach((line, i) => {
      const cell = ws.getCell(i + 1, 1);
      cell.value = line;
      if (i === 0) cell.font = { bold: true, size: 14 };
    });
    const headerRow = heading.length ? heading.length + 2 : 1;
    s.columns.forEach((c, i) => {
      const cell = ws.getCell(headerRow, i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
      ws.getColumn(i + 1).width = c.width ?? Math.max(12, c.header.length + 2);
    });
    const put = (rowNo: number, values: ReportCell[], bold: boolean) =>
      values.forEach((v, i) => {
        const cell = ws.getCell(rowNo, i + 1);
        if (v === null) return;
        if (typeof v === 'object') {
          cell.value = Number(v.amount);
          cell.numFmt = numberFormat(v.digits);
        } else {
          cell.value = v;
        }
        if (bold) cell.font = { bold: true };
      });
    s.rows.forEach((r, i) => put(headerRow + 1 + i, r, false));
    (s.totals ?? []).forEach((r, i) => put(headerRow + 1 + s.rows.length + i, r, true));
    ws.views = [{ state: 'frozen', ySplit: headerRow }];
    if (s.rows.length) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow + s.rows.length, column: s.columns.length } };
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
