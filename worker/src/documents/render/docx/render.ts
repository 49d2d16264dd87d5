/**
 * Word (.docx) writer: draws a DocumentModel with `docx`, then makes the bytes reproducible.
 *
 * - Packed with `Packer.toArrayBuffer`, which returns plain bytes on every runtime (no Buffer, no streams),
 *   so it runs in workerd without nodejs_compat.
 * - `docx` writes the current time into docProps/core.xml and has no option for it, so core.xml is replaced
 *   through Packer's `overrides` parameter with one dated from the document date.
 * - The zip entries' timestamps (fflate uses the current time) are then rewritten to the document date.
 */
import { AlignmentType, Document, Footer, Header, ImageRun, PageNumber, Packer, Paragraph, TextRun } from 'docx';
import type { DocumentModel, TableBlockModel, TextBlockModel } from '../model.js';
import { withFixedTimestamps } from '../zip.js';
import { DRAFT_COLOUR, FONT, gap, goodsTable, gridTable, runs } from './common.js';

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

export function buildDocx(model: DocumentModel): Document {
  const size = Math.round(model.page.fontSize * 2); // half-points
  const page = PAGE[model.page.size];
  const usable = (model.page.orientation === 'landscape' ? page.height : page.width) - 2 * MARGIN;

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
    body.push(goodsTable(table, usable, size));
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

export async function renderDocx(model: DocumentModel): Promise<Uint8Array> {
  const doc = buildDocx(model);
  const bytes = new Uint8Array(await Packer.toArrayBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreProperties(model.meta) }]));
  return withFixedTimestamps(bytes, model.meta.date);
}
