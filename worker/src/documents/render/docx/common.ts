/**
 * Word building blocks: text runs, boxed blocks, the two-column grid of boxes and the goods table.
 * Only `docx` APIs that produce the same XML for the same input are used (no hyperlinks, numbering or
 * watermark shapes, which carry random ids).
 */
import {
  AlignmentType,
  BorderStyle,
  type IBorderOptions,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { TableCell as ModelCell } from '../columns.js';
import type { TableBlockModel, TextBlockModel, TextItem } from '../model.js';

export const FONT = 'Arial';
export const DRAFT_COLOUR = 'C00000';
const HEADING_COLOUR = '404040';
const LINE: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
const CELL_MARGINS = { top: 40, bottom: 40, left: 80, right: 80 };

/** Runs for a text; "\n" becomes a line break. */
export function runs(text: string, options: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}): TextRun[] {
  return text.split('\n').map((part, i) => new TextRun({ text: part, break: i > 0 ? 1 : undefined, ...options }));
}

const ALIGN = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER } as const;

function itemParagraph(item: TextItem, align: 'left' | 'right', size: number): Paragraph {
  const alignment = ALIGN[align];
  switch (item.kind) {
    case 'space':
      return new Paragraph({ alignment, spacing: { before: 200 }, children: [] });
    case 'line':
      return new Paragraph({ alignment, children: runs(item.text, { bold: item.bold, size }) });
    case 'field': {
      const children: ParagraphChild[] = [new TextRun({ text: `${item.label}: `, bold: true, size }), ...runs(item.values.join('\n'), { size })];
      return new Paragraph({ alignment, children });
    }
  }
}

/** The paragraphs of a text block: its heading, then its items. */
export function textBlockParagraphs(block: TextBlockModel, size: number): Paragraph[] {
  const out: Paragraph[] = [];
  if (block.heading) {
    out.push(new Paragraph({ alignment: ALIGN[block.align], spacing: { after: 40 }, children: [new TextRun({ text: block.heading, bold: true, size: size - 1, color: HEADING_COLOUR })] }));
  }
  for (const item of block.items) out.push(itemParagraph(item, block.align, size));
  return out;
}

/**
 * Rows of one or two boxed text blocks, as the boxes of an export invoice. `width` is the usable page width in
 * twips; a row with one block spans both columns.
 */
export function gridTable(rows: TextBlockModel[][], width: number, size: number): Table {
  const half = Math.floor(width / 2);
  const widths = [half, width - half];
  return boxedTable(
    width,
    widths,
    rows.map(
      (blocks) =>
        new TableRow({
          cantSplit: true,
          children: blocks.map(
            (b, i) =>
              new TableCell({
                width: { size: blocks.length === 1 ? width : widths[i]!, type: WidthType.DXA },
                columnSpan: blocks.length === 1 ? 2 : undefined,
                children: textBlockParagraphs(b, size),
              }),
          ),
        }),
    ),
  );
}

/** A fixed-layout table with every border drawn, as all tables of our documents are. */
function boxedTable(width: number, widths: number[], rows: TableRow[]): Table {
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    margins: CELL_MARGINS,
    borders: { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE },
    rows,
  });
}

function tableCell(cell: ModelCell, width: number, align: 'left' | 'right' | 'center', size: number, opts: { bold?: boolean; fill?: string } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    ...(opts.fill ? { shading: { type: ShadingType.CLEAR, fill: opts.fill, color: 'auto' } } : {}),
    children: [new Paragraph({ alignment: ALIGN[align], children: runs(cell.text, { bold: opts.bold, size }) })],
  });
}

/** Column widths of the goods table in twips: shares of `width`, the rounding remainder in the last column. */
export function goodsColumnWidths(block: TableBlockModel, width: number): number[] {
  const widths = block.columns.map((c) => Math.round((c.widthPercent / 100) * width));
  widths[widths.length - 1]! += width - widths.reduce((a, b) => a + b, 0);
  return widths;
}

/** The goods table's line rows built as `docx` objects (the reference for goodsRowsXml; see docx/render.ts). */
export function goodsBodyRows(block: TableBlockModel, widths: number[], size: number): TableRow[] {
  return block.rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children: row.map((cell, i) => tableCell(cell, widths[i]!, block.columns[i]!.align, size)),
      }),
  );
}

/**
 * The goods table: a heading row repeated on every page, one row per line, and the totals row.
 * `body` replaces the line rows (renderDocx passes one placeholder row, and writes the line rows as text).
 */
export function goodsTable(block: TableBlockModel, width: number, size: number, body?: TableRow[]): Table {
  const widths = goodsColumnWidths(block, width);
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: block.columns.map((c, i) => tableCell({ text: c.heading }, widths[i]!, 'center', size - 1, { bold: true, fill: 'D9D9D9' })),
  });
  const totals = block.totals
    ? [
        new TableRow({
          cantSplit: true,
          children: block.totals.map((cell, i) => tableCell(cell, widths[i]!, i === 0 ? 'left' : block.columns[i]!.align, size, { bold: true, fill: 'F2F2F2' })),
        }),
      ]
    : [];
  return boxedTable(width, widths, [header, ...(body ?? goodsBodyRows(block, widths, size)), ...totals]);
}

/** One row of a single cell holding `token`: stands in for the line rows until they are written as text. */
export function placeholderRow(token: string): TableRow {
  return new TableRow({ children: [new TableCell({ children: [new Paragraph({ children: [new TextRun(token)] })] })] });
}

/**
 * Text escaping exactly as docx 9 writes text and attribute values: the five XML entities, and C0 controls that
 * XML 1.0 cannot hold dropped.
 */
const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };
const XML_SPECIAL = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g;
const XML_SPECIAL_ANY = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/;
const escapeXml = (text: string) => (XML_SPECIAL_ANY.test(text) ? text.replace(XML_SPECIAL, (c) => XML_ESCAPES[c] ?? '') : text);

/**
 * The goods table's line rows as WordprocessingML text — the very bytes `docx` writes for goodsBodyRows
 * (docx-rows.test.ts holds the two to byte equality), made by string concatenation instead of one `docx` object per
 * row, cell, paragraph, run and property, which cost ~0.05 ms per cell to build, format and serialise (most of a
 * 200-line document's render time before).
 */
export function goodsRowsXml(block: TableBlockModel, widths: number[], size: number): string {
  const run = `<w:r><w:rPr><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr><w:t xml:space="preserve">`;
  const brokenRun = `<w:r><w:rPr><w:sz w:val="${size}"/><w:szCs w:val="${size}"/></w:rPr><w:br/><w:t xml:space="preserve">`;
  const cellOpen = block.columns.map((c, i) => `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${widths[i]!}"/></w:tcPr><w:p><w:pPr><w:jc w:val="${ALIGN[c.align]}"/></w:pPr>`);
  let xml = '';
  for (const row of block.rows) {
    xml += '<w:tr><w:trPr><w:cantSplit/></w:trPr>';
    for (let i = 0; i < row.length; i++) {
      const text = row[i]!.text;
      xml += cellOpen[i]!;
      if (text.includes('\n')) {
        const lines = text.split('\n');
        for (let l = 0; l < lines.length; l++) xml += `${l > 0 ? brokenRun : run}${escapeXml(lines[l]!)}</w:t></w:r>`;
      } else {
        xml += `${run}${escapeXml(text)}</w:t></w:r>`;
      }
      xml += '</w:p></w:tc>';
    }
    xml += '</w:tr>';
  }
  return xml;
}

/** A small gap between tables (Word joins tables that touch). */
export function gap(): Paragraph {
  return new Paragraph({ spacing: { before: 0, after: 0 }, children: [new TextRun({ text: '', size: 8 })] });
}

