/**
 * The renderers, read back by second readers: Word files by mammoth, Excel files by SheetJS.
 */
import mammoth from 'mammoth';
import { describe, expect, it, vi } from 'vitest';
import * as XLSX from 'xlsx';
import { DOCUMENT_LAYOUTS } from '../../../../templates/documents/index.js';
import { renderDocument } from './index.js';
import { PAIRS, cases, demoSnapshot, flat, input, repriced } from './render.fixtures.js';
import { RenderError } from './types.js';

async function docxText(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return flat(value);
}

function readXlsx(bytes: Uint8Array): XLSX.WorkBook {
  return XLSX.read(bytes, { type: 'array', cellFormula: true, cellNF: true, cellText: true });
}

/** Every non-empty cell of the first sheet. */
function cells(wb: XLSX.WorkBook): { address: string; cell: XLSX.CellObject }[] {
  const ws = wb.Sheets[wb.SheetNames[0]!]!;
  return Object.keys(ws)
    .filter((k) => !k.startsWith('!'))
    .map((address) => ({ address, cell: ws[address] as XLSX.CellObject }));
}

function sheetText(wb: XLSX.WorkBook): string {
  return flat(
    cells(wb)
      .map(({ cell }) => String(cell.w ?? cell.v ?? ''))
      .join('\n'),
  );
}

const render = (kind: (typeof PAIRS)[number][0], format: (typeof PAIRS)[number][1], snapshot = demoSnapshot('KK-2026-0141-S1'), overrides = {}) =>
  renderDocument(input(kind, format, snapshot, overrides), DOCUMENT_LAYOUTS[kind]);

describe.each(cases())('$name', ({ snapshot, expect: e }) => {
  it.each(PAIRS.filter(([, f]) => f === 'docx'))('%s as Word shows the parties, route, goods and totals', async (kind) => {
    const text = await docxText(await render(kind, 'docx', snapshot));
    expect(text).toContain(e.exporter);
    expect(text).toContain(e.consignee);
    for (const hs of e.hsCodes) expect(text).toContain(hs);
    expect(text).toContain(e.portOfLoading);
    expect(text).toContain(e.portOfDischarge);
    expect(text).toContain(`${input(kind, 'docx', snapshot).documentNumber} dated 20 Nov 2026`);
    if (e.vessel && kind !== 'proforma_invoice') expect(text).toContain(e.vessel);
    if (kind !== 'proforma_invoice') {
      expect(text).toContain(e.packages);
      expect(text).toContain(e.grossWeight);
    }
    if (kind === 'proforma_invoice' || kind === 'commercial_invoice') {
      expect(text).toContain(e.total);
      expect(text).toContain(`Amount ${kind === 'commercial_invoice' ? 'Chargeable ' : ''}(in words): ${e.words}`);
      expect(text).toContain(`Rate (${snapshot.order.currency})`);
    } else {
      // documents without prices show none
      expect(text).not.toContain(e.total);
    }
    if (kind === 'packing_list') expect(text).toContain(e.netWeight);
    for (const d of ['Supply meant for export under LUT without payment of integrated tax.', 'We declare that the goods are of Indian origin.']) expect(text).toContain(d);
    expect(text).toContain('Authorised Signatory');
    expect(text).toContain('for Kaveri Knits Exports Pvt Ltd');
    expect(text).toContain('Meena Raghavan');
    expect(text).not.toMatch(/undefined|NaN|\[object Object\]|\{[a-zA-Z]+\}/);
  });

  it('commercial invoice as Word carries exporter registrations, terms and bank details', async () => {
    const text = await docxText(await render('commercial_invoice', 'docx', snapshot));
    expect(text).toContain('COMMERCIAL INVOICE');
    expect(text).toContain('IEC: 0412345678');
    expect(text).toContain('GSTIN: 33AABCK1234M1Z5');
    expect(text).toContain('AD Code: 6390005');
    expect(text).toContain(`Delivery: ${snapshot.order.incoterm} ${snapshot.order.incotermPlace} (Incoterms 2020)`);
    expect(text).toContain(`Payment: ${snapshot.order.paymentTermsText}`);
    expect(text).toContain('SWIFT: SBININBB474');
    expect(text).toContain(`Total ${snapshot.order.incoterm} ${snapshot.order.incotermPlace}`);
    for (const l of snapshot.lines) expect(text).toContain(l.description);
  });

  it('shipping instructions derive freight from the Incoterm and the B/L consignee from the payment terms', async () => {
    const text = await docxText(await render('shipping_instructions', 'docx', snapshot));
    expect(text).toContain(`Marked "FREIGHT ${e.freight}"`);
    expect(text).toContain(`Freight: ${e.freight === 'PREPAID' ? 'Prepaid' : 'Collect'}`);
    expect(text).toContain(e.toOrder ? 'Consignee on B/L: TO ORDER' : `Consignee on B/L: ${e.consignee}`);
    expect(text).toContain('Full set of 3 original bills of lading and 3 non-negotiable copies');
    expect(text).toContain('1. Full set of clean on board bills of lading');
    expect(text).toContain('2. Certificate of origin issued by FIEO');
  });

  it('certificate of origin data cites the invoice and leaves the origin criterion to complete', async () => {
    const text = await docxText(await render('certificate_of_origin', 'docx', snapshot));
    expect(text).toContain('Invoice No. & Date: KK/CI/2026-27/0042 dated 20 Nov 2026');
    expect(text).toContain('Origin Criterion: [to be completed per the applicable rules of origin');
    expect(text).toContain(`all the goods were produced in India, and that they comply with the origin requirements specified for those goods for export to ${snapshot.route.destinationCountryName}.`);
    expect(text).toContain(`${e.grossWeight} kg gross`);
  });

  it.each(PAIRS.filter(([, f]) => f === 'xlsx'))('%s as Excel has typed cells and exact totals', async (kind) => {
    const wb = readXlsx(await render(kind, 'xlsx', snapshot));
    const all = cells(wb);
    const text = sheetText(wb);
    expect(text).toContain(e.exporter);
    expect(text).toContain(e.consignee);
    expect(text).toContain(e.portOfLoading);
    expect(text).toContain(e.portOfDischarge);
    for (const d of ['Supply meant for export under LUT without payment of integrated tax.']) expect(text).toContain(d);
    // HS codes are text (leading zeros survive), never numbers
    for (const hs of e.hsCodes) {
      const found = all.filter(({ cell }) => cell.v === hs);
      expect(found.length, hs).toBeGreaterThan(0);
      for (const { cell } of found) expect(cell.t).toBe('s');
    }
    // no formula anywhere
    for (const { address, cell } of all) expect(cell.f, address).toBeUndefined();

    const ws = wb.Sheets[wb.SheetNames[0]!]!;
    const range = XLSX.utils.decode_range(ws['!ref']!);
    const at = (r: number, c: number) => ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
    // the goods table's heading row and its totals row
    let headerRow = -1;
    for (let r = range.s.r; r <= range.e.r && headerRow < 0; r++) if (at(r, 0)?.v === 'Sl.') headerRow = r;
    expect(headerRow).toBeGreaterThan(0);
    const headings = Array.from({ length: range.e.c + 1 }, (_, c) => String(at(headerRow, c)?.v ?? ''));
    const totalsRow = headerRow + snapshot.lines.length + 1;
    const col = (h: string) => headings.findIndex((x) => x.startsWith(h));

    snapshot.lines.forEach((l, i) => {
      const qty = at(headerRow + 1 + i, col('Quantity'))!;
      expect(qty.t).toBe('n');
      expect(qty.v).toBe(Number(l.quantity));
    });
    if (kind === 'commercial_invoice') {
      expect(String(at(totalsRow, col('Description'))?.v)).toMatch(/^Total /);
      const total = at(totalsRow, col('Amount'))!;
      expect(total.t).toBe('n');
      expect(total.v).toBe(e.totalNumber);
      expect(total.z).toBe(e.amountFormat);
      snapshot.lines.forEach((l, i) => {
        const amount = at(headerRow + 1 + i, col('Amount'))!;
        expect(amount.v).toBe(Number(l.amount.amount));
        expect(amount.z).toBe(e.amountFormat);
        expect(at(headerRow + 1 + i, col('Rate'))!.v).toBe(Number(l.unitPrice));
      });
      expect(text).toContain(`Amount Chargeable (in words): ${e.words}`);
    } else {
      const net = at(totalsRow, col('Net Wt'))!;
      const gross = at(totalsRow, col('Gross Wt'))!;
      expect([net.t, gross.t]).toEqual(['n', 'n']);
      expect(net.v).toBe(Number(snapshot.totals.netWeightKg));
      expect(gross.v).toBe(Number(snapshot.totals.grossWeightKg));
      expect(net.z).toBe('#,##0.000');
      expect(text).not.toContain(e.total);
      expect(text).toContain(e.packages);
    }
  });
});

describe('status, determinism and metadata', () => {
  it('a draft says DRAFT prominently; approved and final documents do not', async () => {
    for (const [kind, format] of PAIRS) {
      const draft = await render(kind, format, undefined, { status: 'draft' });
      const final = await render(kind, format, undefined, { status: 'final' });
      const approved = await render(kind, format, undefined, { status: 'approved' });
      const text = (b: Uint8Array) => (format === 'docx' ? docxText(b) : Promise.resolve(sheetText(readXlsx(b))));
      expect(await text(draft), kind).toMatch(/DRAFT — for checking only/);
      expect(await text(final), kind).not.toContain('DRAFT');
      expect(await text(approved), kind).not.toContain('DRAFT');
    }
  });

  it('renders the same bytes for the same input, whatever the clock says', async () => {
    const snapshot = demoSnapshot('KK-2026-0141-S1');
    snapshot.exporter.logo = TINY_PNG;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const [kind, format] of PAIRS) {
        vi.setSystemTime(new Date('2027-03-01T10:11:12Z'));
        const a = await render(kind, format, snapshot);
        vi.setSystemTime(new Date('2031-07-15T23:59:58Z'));
        const b = await render(kind, format, snapshot);
        expect(Buffer.from(a).equals(Buffer.from(b)), `${kind} ${format}`).toBe(true);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('dates the file metadata and every zip entry from the document date', async () => {
    for (const [kind, format] of PAIRS) {
      const bytes = await render(kind, format);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // every local file header carries 2026-11-20 00:00 (MS-DOS date/time)
      let headers = 0;
      for (let i = 0; i + 30 < bytes.length; i++) {
        if (view.getUint32(i, true) !== 0x04034b50) continue;
        headers++;
        expect(view.getUint16(i + 10, true)).toBe(0);
        expect(view.getUint16(i + 12, true)).toBe(((2026 - 1980) << 9) | (11 << 5) | 20);
      }
      expect(headers).toBeGreaterThan(5);
    }
    const docx = await render('commercial_invoice', 'docx', undefined, { status: 'draft' });
    const core = await unzipEntry(docx, 'docProps/core.xml');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-20T00:00:00Z</dcterms:created>');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-20T00:00:00Z</dcterms:modified>');
    expect(core).toContain('<dc:creator>Kaveri Knits Exports Pvt Ltd</dc:creator>');
    expect(core).toContain('<cp:contentStatus>Draft</cp:contentStatus>');
    const wb = readXlsx(await render('commercial_invoice', 'xlsx'));
    expect(wb.Props?.CreatedDate?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(wb.Props?.ModifiedDate?.toISOString()).toBe('2026-11-20T00:00:00.000Z');
    expect(wb.Props?.Author).toBe('Kaveri Knits Exports Pvt Ltd');
  });

  it('embeds the exporter logo in the Word header', async () => {
    const snapshot = demoSnapshot('KK-2026-0141-S1');
    snapshot.exporter.logo = TINY_PNG;
    const bytes = await render('commercial_invoice', 'docx', snapshot);
    const header = await unzipEntry(bytes, 'word/header1.xml');
    expect(header).toMatch(/<wp:docPr id="1" name="Logo"/);
    expect(await unzipEntry(bytes, 'word/_rels/header1.xml.rels')).toMatch(/Target="media\/image1\.png"/);
    // a logo that is not a PNG/JPEG data URL is left out rather than failing the document
    snapshot.exporter.logo = 'data:image/png;base64,bm90IGEgcG5n';
    const without = await render('commercial_invoice', 'docx', snapshot);
    expect(await docxText(without)).toContain('COMMERCIAL INVOICE');
  });
});

describe('inputs the renderers refuse or survive', () => {
  it('refuses a layout of another kind, a format the kind is not made in, and a bad date', async () => {
    const s = demoSnapshot('KK-2026-0141-S1');
    await expect(renderDocument(input('commercial_invoice', 'docx', s), DOCUMENT_LAYOUTS.packing_list)).rejects.toThrow(RenderError);
    await expect(renderDocument(input('proforma_invoice', 'xlsx', s), DOCUMENT_LAYOUTS.proforma_invoice)).rejects.toThrow(/not produced as xlsx/);
    await expect(renderDocument(input('commercial_invoice', 'docx', s, { documentDate: '20/11/2026' }), DOCUMENT_LAYOUTS.commercial_invoice)).rejects.toThrow(/ISO date/);
  });

  it('drops characters XML cannot hold instead of writing a corrupt file', async () => {
    const s = demoSnapshot('KK-2026-0141-S1');
    s.lines[0]!.description = 'T-shirt\u0001 with \u0008bell\u000B and \uFFFE';
    for (const format of ['docx', 'xlsx'] as const) {
      const bytes = await render('commercial_invoice', format, s);
      const text = format === 'docx' ? await docxText(bytes) : sheetText(readXlsx(bytes));
      expect(text).toContain('T-shirt with bell and');
    }
  });

  it('marks lines whose packages are unknown and numbers the packages of the others', async () => {
    const s = demoSnapshot('KK-2026-0147');
    s.lines[1]!.packages = null;
    s.totals.packages = [{ type: 'CTN', count: 834 }];
    s.totals.packageCount = 834;
    s.totals.linesWithoutPackaging = [2];
    const text = await docxText(await render('packing_list', 'docx', s));
    expect(text).toContain('1 1–834 834 CTN Terry bath towel');
    expect(text).toContain('2 — — Bed sheet set');
    expect(text).toContain('No. & Kind of Packages: 834 Cartons, excluding line 2');
    expect(text).toContain('Packages not counted for lines without units per package.');
    const wb = readXlsx(await render('packing_list', 'xlsx', s));
    expect(sheetText(wb)).toContain('Packages not counted for lines without units per package.');
  });

  it('shows each unit price with its own decimals in both formats', async () => {
    const s = repriced(demoSnapshot('KK-2026-0147'), 'USD', ['3.1575', '14.8']);
    const text = await docxText(await render('commercial_invoice', 'docx', s));
    expect(text).toContain(' 3.1575 ');
    expect(text).toContain(' 14.80 ');
    const ws = readXlsx(await render('commercial_invoice', 'xlsx', s)).Sheets['Commercial Invoice']!;
    const prices = Object.keys(ws)
      .map((k) => ws[k] as XLSX.CellObject)
      .filter((c) => c.v === 3.1575 || c.v === 14.8);
    expect(prices.map((c) => [c.v, c.z, c.w])).toEqual([
      [3.1575, '#,##0.0000', '3.1575'],
      [14.8, '#,##0.00', '14.80'],
    ]);
  });

  it('a party without a notify party, a buyer other than the consignee, no bank details, no signatory', async () => {
    const s = repriced(demoSnapshot('KK-2026-0133'), 'JPY', ['1500']);
    s.buyer = { ...s.buyer, id: 'pty_other', name: 'Al Noor Holding (Buyer)' };
    s.exporter.bankDetails = null;
    s.exporter.signatory = null;
    const text = await docxText(await render('commercial_invoice', 'docx', s));
    expect(text).toContain('Buyer (if other than consignee) Al Noor Holding (Buyer)');
    expect(text).toContain('Notify Party Same as consignee');
    expect(text).toContain('Bank details to be advised');
    expect(text).toContain('1,800,000');
    expect(text).toContain('Japanese Yen One Million Eight Hundred Thousand Only');
    expect(text).toContain('Authorised Signatory');
  });
});

/** A 2×1 PNG. */
const TINY_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGM4IQcEJwAHIwIJ5FiIOQAAAABJRU5ErkJggg==';

/** One entry of a zip file, inflated with the zip reader SheetJS bundles (CFB). */
async function unzipEntry(bytes: Uint8Array, path: string): Promise<string> {
  const zip = XLSX.CFB.read(bytes, { type: 'array' });
  const entry = XLSX.CFB.find(zip, `/${path}`);
  if (!entry?.content) throw new Error(`No ${path} in the package`);
  return new TextDecoder().decode(new Uint8Array(entry.content as ArrayLike<number>));
}
