/**
 * Word (.docx) writer: draws a DocumentModel with `docx`, then makes the bytes reproducible.
 *
 * - The goods table's line rows are written as text (docx/common.ts goodsRowsXml), not as `docx` objects: the
 *   document is built with one placeholder row per goods table, its word/document.xml written by docx, the
 *   placeholders replaced by the rows' XML, and the document packed with that XML as an override. The bytes are
 *   the ones `docx` writes when it builds every row itself (renderDocxWithDocxRows; docx-rows.test.ts holds the
 *   two equal), in a fraction of the time for long orders: docx spends ~0.05 ms per table cell building,
 *   formatting and serialising its objects, most of a 200-line document's render time.
 *
 * - Packed with `Packer.toArrayBuffer`, which returns plain bytes on every runtime (no Buffer, no streams),
 *   so it runs in workerd without nodejs_compat.
 * - `docx` writes the current time into docProps/core.xml and has no option for it, so core.xml is replaced
 *   through Packer's `overrides` parameter with one dated from the document date.
 * - The zip entries' timestamps (fflate uses the current time) are then rewritten to the document date.
 */
import { AlignmentType, Document, Footer, Header, ImageRun, PageNumber, Packer, Paragraph, TextRun } from 'docx';
import type { DocumentModel, TableBlockModel, TextBlockModel } from '../model.js';
import { readZipText, withFixedTimestamps } from '../zip.js';
import { DRAFT_COLOUR, FONT, gap, goodsColumnWidths, goodsRowsXml, goodsTable, gridTable, placeholderRow, runs } from './common.js';

/** Page sizes in twips (portrait); `docx` swaps them for landscape. */
const PAGE = { A4: { width: 11906, height: 16838 }, LETTER: { width: 12240, height: 15840 } } as const;
const MARGIN = 720; // 0.5 inch

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** docProps/core.xml with fixed timestamps (docx always writes `new Date()`). */
export function coreProperties(meta: DocumentModel['meta']): string {
  const when = `${meta.date}T00:00:00Z`;
  const status = meta.status.charAt(0).toUpperCase() + meta.status.slice(1);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(meta.title)}</dc:title>` +
    `<dc:subject>${escapeXml(meta.subject)}</dc:subject>` +
    `<dc:creator>${escapeXml(meta.creator)}</dc:creator>` +
    `<cp:keywords>${escapeXml(meta.keywords)}</cp:keywords>` +
    `<cp:lastModifiedBy>${escapeXml(meta.creator)}</cp:lastModifiedBy>` +
    '<cp:revision>1</cp:revision>' +
    `<cp:contentStatus>${status}</cp:contentStatus>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** Width between the page margins, in twips. */
function usableWidth(model: DocumentModel): number {
  const page = PAGE[model.page.size];
  return (model.page.orientation === 'landscape' ? page.height : page.width) - 2 * MARGIN;
}

function header(model: DocumentModel): Header | undefined {
  const children: Paragraph[] = [];
  if (model.logo) {
    children.push(
      new Paragraph({
        children: [
          new ImageRun({
            type: model.logo.type,
            data: model.logo.data,
            transformation: { width: model.logo.width, height: model.logo.height },
            // a fixed drawing id: the default comes from a counter shared by every document in the process
            altText: { id: '1', name: 'Logo', description: `Logo of ${model.meta.creator}`, title: 'Logo' },
          }),
        ],
      }),
    );
  }
  if (model.draft) {
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: model.draft.mark, bold: true, size: 40, color: DRAFT_COLOUR })] }));
  }
  if (children.length === 0) return undefined;
  return new Header({ children });
}

function footer(model: DocumentModel, size: number): Footer {
  const small = size - 2;
  const children: Paragraph[] = [];
  if (model.footer) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: runs(model.footer, { size: small, italics: true }) }));
  children.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ size: small, children: [`${model.meta.title}${model.draft ? ` (${model.draft.mark})` : ''} · Page `, PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] })],
    }),
  );
  return new Footer({ children });
}

/**
 * Stands for the line rows of the i-th goods table. U+FFFF cannot occur in document text (cleanText drops it from
 * user text; layouts do not use it), so the token is found only where it was put.
 */
const rowsToken = (i: number) => `\uFFFFgoods-rows-${i}\uFFFF`;

/**
 * The Word document of a model. With `goodsRows: 'placeholder'` each goods table gets one placeholder row instead
 * of its line rows; `tables` then lists those tables in order, for the caller to write their rows.
 */
export function buildDocx(model: DocumentModel, goodsRows: 'docx' | 'placeholder' = 'docx', tables: TableBlockModel[] = []): Document {
  const size = Math.round(model.page.fontSize * 2); // half-points
  const page = PAGE[model.page.size];
  const usable = usableWidth(model);

  const body: (Paragraph | ReturnType<typeof gridTable>)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 60 }, children: [new TextRun({ text: model.title, bold: true, size: size + 12 })] }),
  ];
  if (model.subtitle) body.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 60 }, children: runs(model.subtitle, { italics: true, size: size - 1 }) }));
  if (model.draft) {
    body.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 60 }, children: [new TextRun({ text: `${model.draft.mark} — ${model.draft.banner}`, bold: true, size: size + 4, color: DRAFT_COLOUR })] }));
  }

  // consecutive rows of text blocks share one grid table; a goods table stands alone
  let pending: TextBlockModel[][] = [];
  const flush = () => {
    if (pending.length) body.push(gridTable(pending, usable, size), gap());
    pending = [];
  };
  for (const row of model.rows) {
    const table = row.find((b): b is TableBlockModel => b.type === 'table');
    if (!table) {
      pending.push(row as TextBlockModel[]);
      continue;
    }
    flush();
    if (table.heading) body.push(new Paragraph({ spacing: { before: 60, after: 40 }, keepNext: true, children: [new TextRun({ text: table.heading, bold: true, size })] }));
    if (goodsRows === 'placeholder') {
      body.push(goodsTable(table, usable, size, [placeholderRow(rowsToken(tables.length))]));
      tables.push(table);
    } else {
      body.push(goodsTable(table, usable, size));
    }
    for (const note of table.notes) body.push(new Paragraph({ children: runs(note, { italics: true, size: size - 1 }) }));
    body.push(gap());
  }
  flush();

  const head = header(model);
  return new Document({
    creator: model.meta.creator,
    lastModifiedBy: model.meta.creator,
    title: model.meta.title,
    subject: model.meta.subject,
    keywords: model.meta.keywords,
    revision: 1,
    styles: { default: { document: { run: { font: FONT, size } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: page.width, height: page.height, orientation: model.page.orientation },
            margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 360, footer: 360 },
          },
        },
        ...(head ? { headers: { default: head } } : {}),
        footers: { default: footer(model, size) },
        children: body,
      },
    ],
  });
}

type Overrides = { path: string; data: string }[];

const pack = async (doc: Document, overrides: Overrides) => new Uint8Array(await Packer.toArrayBuffer(doc, false, overrides));

/**
 * The compiler Packer zips the output of: the package's parts as text, by path. It is not public API (a static
 * member of Packer that TypeScript declares private), so it is looked up defensively: without it, word/document.xml
 * is read back from a packed copy instead — the same text, ~4 ms slower for each document (docx-rows.test.ts checks
 * both give the same and that the compiler is found).
 */
type Compile = (file: Document, prettify: undefined, overrides: Overrides) => Map<string, unknown>;
const docxCompiler = (Packer as unknown as { compiler?: { compile?: Compile } }).compiler;

/** word/document.xml of `doc` exactly as Packer would zip it. */
export async function documentXml(doc: Document, overrides: Overrides, via: 'compiler' | 'zip' = 'compiler'): Promise<string> {
  if (via === 'compiler' && typeof docxCompiler?.compile === 'function') {
    const xml = docxCompiler.compile(doc, undefined, overrides).get('word/document.xml');
    if (typeof xml === 'string') return xml;
  }
  return readZipText(await pack(doc, overrides), 'word/document.xml');
}

/** Whether documentXml can use docx's compiler (the quick way). */
export const hasDocxCompiler = () => typeof docxCompiler?.compile === 'function';

export async function renderDocx(model: DocumentModel): Promise<Uint8Array> {
  const tables: TableBlockModel[] = [];
  const doc = buildDocx(model, 'placeholder', tables);
  const core = { path: 'docProps/core.xml', data: coreProperties(model.meta) };
  if (tables.length === 0) return withFixedTimestamps(await pack(doc, [core]), model.meta.date);
  // 1. word/document.xml with the placeholder rows (small and quick)
  let xml = await documentXml(doc, [core]);
  // 2. each placeholder row → the table's line rows, as docx would have written them
  const size = Math.round(model.page.fontSize * 2);
  const usable = usableWidth(model);
  tables.forEach((table, i) => {
    const token = xml.indexOf(rowsToken(i));
    const start = token < 0 ? -1 : xml.lastIndexOf('<w:tr>', token);
    const end = xml.indexOf('</w:tr>', token) + '</w:tr>'.length;
    if (start < 0 || end < token || xml.indexOf(rowsToken(i), token + 1) >= 0) throw new Error(`docx writer: goods table ${i} placeholder not found once`);
    xml = xml.slice(0, start) + goodsRowsXml(table, goodsColumnWidths(table, usable), size) + xml.slice(end);
  });
  // 3. pack with that document.xml (every other part is written as in step 1)
  return withFixedTimestamps(await pack(doc, [core, { path: 'word/document.xml', data: xml }]), model.meta.date);
}

/** The same file with every row built as a `docx` object: slower; the reference renderDocx must equal (tests). */
export async function renderDocxWithDocxRows(model: DocumentModel): Promise<Uint8Array> {
  return withFixedTimestamps(await pack(buildDocx(model), [{ path: 'docProps/core.xml', data: coreProperties(model.meta) }]), model.meta.date);
}
