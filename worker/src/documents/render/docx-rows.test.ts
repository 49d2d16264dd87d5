/**
 * The Word writer writes the goods table's line rows as text (docx/common.ts goodsRowsXml) and splices them into
 * the document `docx` packs (docx/render.ts). These tests hold that to the bytes `docx` itself writes when it
 * builds every row as objects (renderDocxWithDocxRows): same file, byte for byte, for every layout, status and
 * demo case, for long tables, and for text that needs escaping or has line breaks.
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { DOCUMENT_LAYOUTS } from '../../../../templates/documents/index.js';
import type { DocumentSnapshot } from '../../../../shared/documents/snapshot.js';
import { buildDocx, coreProperties, documentXml, hasDocxCompiler, renderDocx, renderDocxWithDocxRows } from './docx/render.js';
import { buildModel } from './model.js';
import { PAIRS, cases, demoSnapshot, input } from './render.fixtures.js';
import { readZipText, ZipFormatError } from './zip.js';

const DOCX_KINDS = PAIRS.filter(([, f]) => f === 'docx').map(([k]) => k);

async function same(snapshot: DocumentSnapshot, kind: (typeof DOCX_KINDS)[number], status: 'draft' | 'final' = 'final'): Promise<Uint8Array> {
  const model = buildModel(input(kind, 'docx', snapshot, { status }), DOCUMENT_LAYOUTS[kind]);
  const fast = await renderDocx(model);
  const reference = await renderDocxWithDocxRows(model);
  expect(Buffer.from(fast).equals(Buffer.from(reference)), `${kind} ${status}: ${fast.length} vs ${reference.length} bytes`).toBe(true);
  return fast;
}

/** A snapshot with `n` lines, cycling through the demo order's lines (totals are not recomputed: not needed here). */
function longSnapshot(n: number): DocumentSnapshot {
  const s = demoSnapshot('KK-2026-0147');
  const base = s.lines;
  s.lines = Array.from({ length: n }, (_, i) => ({ ...structuredClone(base[i % base.length]!), lineNo: i + 1 }));
  return s;
}

/** A 2×1 PNG. */
const TINY_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGM4IQcEJwAHIwIJ5FiIOQAAAABJRU5ErkJggg==';

describe('goods rows written as text equal the rows docx writes', () => {
  it.each(cases().map((c) => [c.name, c.snapshot] as const))('%s: every Word document, draft and final', async (_name, snapshot) => {
    for (const kind of DOCX_KINDS) {
      await same(snapshot, kind, 'final');
      await same(snapshot, kind, 'draft');
    }
  });

  it('a long table (150 lines), with the exporter logo in the header; one line; no lines', async () => {
    for (const n of [150, 1, 0]) {
      const s = longSnapshot(n);
      s.exporter.logo = TINY_PNG;
      for (const kind of DOCX_KINDS) await same(s, kind);
    }
  });

  it('text that must be escaped, line breaks, spaces at the ends, empty and non-Latin text', async () => {
    const s = demoSnapshot('KK-2026-0141-S1');
    s.lines[0]!.description = `Tee "classic" <men's> & boys' \t tab, ctrl\u0001 removed,  two  spaces `;
    s.lines[0]!.sku = ' ';
    s.lines[1]!.description = 'Polo\nsecond line\r\nthird line — 😀 Ünïcödé 漢字';
    s.lines[1]!.unit = '';
    for (const kind of DOCX_KINDS) await same(s, kind);
    // the text is really there, escaped once
    const xml = await readZipText(await same(s, 'commercial_invoice'), 'word/document.xml');
    expect(xml).toContain('Tee &quot;classic&quot; &lt;men&apos;s&gt; &amp; boys&apos; \t tab, ctrl removed,  two  spaces ');
    expect(xml).toContain('<w:br/><w:t xml:space="preserve">third line — 😀 Ünïcödé 漢字</w:t>');
    expect(xml).not.toContain('\uFFFF');
  });
});

describe("word/document.xml from docx's compiler", () => {
  it('is there (else every document is packed twice: slower, same bytes)', () => {
    expect(hasDocxCompiler()).toBe(true);
  });

  it('is the text Packer zips, with and without the exporter logo', async () => {
    for (const logo of [null, TINY_PNG]) {
      const s = demoSnapshot('KK-2026-0141-S1');
      s.exporter.logo = logo;
      for (const kind of DOCX_KINDS) {
        const model = buildModel(input(kind, 'docx', s, { status: 'draft' }), DOCUMENT_LAYOUTS[kind]);
        const overrides = [{ path: 'docProps/core.xml', data: coreProperties(model.meta) }];
        const doc = buildDocx(model, 'placeholder');
        expect(await documentXml(doc, overrides, 'compiler')).toBe(await documentXml(doc, overrides, 'zip'));
      }
    }
  });
});

describe('readZipText', () => {
  it('reads a deflated entry of a docx and a stored or deflated one of an xlsx, and refuses what is not there', async () => {
    const model = buildModel(input('packing_list', 'docx', demoSnapshot('KK-2026-0141-S1')), DOCUMENT_LAYOUTS.packing_list);
    const docx = await renderDocx(model);
    expect(await readZipText(docx, 'docProps/core.xml')).toContain('<dc:creator>Kaveri Knits Exports Pvt Ltd</dc:creator>');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['stored']]), 'S');
    for (const compression of [false, true]) {
      const xlsx = XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression }) as ArrayBuffer;
      expect(await readZipText(new Uint8Array(xlsx), '[Content_Types].xml')).toContain('<Types');
    }
    await expect(readZipText(docx, 'word/nothing.xml')).rejects.toThrow(ZipFormatError);
    await expect(readZipText(new Uint8Array(100), 'word/document.xml')).rejects.toThrow(ZipFormatError);
  });
});
