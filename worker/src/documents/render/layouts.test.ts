/**
 * Layout templates and the small pure helpers of the renderers.
 */
import { describe, expect, it } from 'vitest';
import { DocumentLayout, fillPlaceholders } from '../../../../shared/documents/layout.js';
import { DOCUMENT_KINDS } from '../../../../shared/documents/snapshot.js';
import commercialInvoice from '../../../../templates/documents/commercial-invoice.json' with { type: 'json' };
import { DOCUMENT_LAYOUTS, documentLayout } from '../../../../templates/documents/index.js';
import { freightPayment } from './fields.js';
import { formatAmount, formatDate, formatDecimal, groupDigits } from './format.js';
import { decodeLogo } from './logo.js';
import { exactNumber, headerFooterText, numberFormat } from './xlsx/cells.js';
import { ZipFormatError, withFixedTimestamps } from './zip.js';

const clone = <T>(v: T): T => structuredClone(v);
const issues = (value: unknown) => {
  const r = DocumentLayout.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('layout templates', () => {
  it('has a valid layout for every document kind', () => {
    for (const kind of DOCUMENT_KINDS) {
      expect(documentLayout(kind).kind).toBe(kind);
      expect(DOCUMENT_LAYOUTS[kind].body.length).toBeGreaterThan(0);
    }
    // the spreadsheet kinds name their sheet and have a goods table
    for (const kind of ['commercial_invoice', 'packing_list'] as const) {
      expect(DOCUMENT_LAYOUTS[kind].xlsx?.sheetName).toBeTruthy();
      expect(DOCUMENT_LAYOUTS[kind].body.flat().some((b) => b.type === 'lines')).toBe(true);
    }
  });

  it('the commercial invoice shows what an Indian export invoice needs', () => {
    const ci = DOCUMENT_LAYOUTS.commercial_invoice;
    const blocks = ci.body.flat();
    const fields = blocks.flatMap((b) => (b.type === 'fields' ? b.fields.map((f) => f.field) : []));
    for (const f of ['document_number_and_date', 'buyer_order', 'pre_carriage', 'port_of_loading', 'port_of_discharge', 'final_destination', 'country_of_origin', 'country_of_final_destination', 'vessel_voyage', 'terms_of_delivery', 'payment_terms', 'marks', 'packages'] as const) {
      expect(fields, f).toContain(f);
    }
    const exporter = blocks.find((b) => b.type === 'party' && b.party === 'exporter');
    expect(exporter?.type === 'party' && exporter.details).toEqual(['iec', 'gstin', 'ad_code', 'lut']);
    const types = blocks.map((b) => b.type);
    for (const t of ['amount_in_words', 'declarations', 'bank_details', 'signature'] as const) expect(types).toContain(t);
    const lines = blocks.find((b) => b.type === 'lines');
    expect(lines?.type === 'lines' && lines.columns.map((c) => c.key)).toEqual(['line_no', 'description', 'hs_code', 'quantity', 'unit', 'unit_price', 'amount']);
  });

  it('refuses unknown placeholders, fields and columns', () => {
    const bad = clone(commercialInvoice) as { title: string };
    bad.title = 'INVOICE {exporterName}';
    expect(issues(bad).join()).toMatch(/Unknown placeholder \{exporterName\}/);

    const badField = clone(commercialInvoice) as any;
    badField.body[0][1].fields[0].field = 'invoice_no';
    expect(issues(badField).length).toBeGreaterThan(0);

    const badColumn = clone(commercialInvoice) as any;
    badColumn.body[5][0].columns.push({ key: 'placeholder', heading: 'X' });
    expect(issues(badColumn).join()).toMatch(/placeholder column needs/);
  });

  it('refuses a goods table sharing its row, a bad sheet name, unknown keys and duplicate signatures', () => {
    const shared = clone(commercialInvoice) as any;
    shared.body[5].push({ type: 'amount_in_words', label: 'Words' });
    expect(issues(shared).join()).toMatch(/row of its own/);

    const sheet = clone(commercialInvoice) as any;
    sheet.xlsx.sheetName = 'Invoice: 1/2';
    expect(issues(sheet).join()).toMatch(/sheet name/);

    const extra = clone(commercialInvoice) as any;
    extra.colour = 'red';
    expect(issues(extra).length).toBeGreaterThan(0);

    const twice = clone(commercialInvoice) as any;
    twice.body.push([{ type: 'signature', forText: 'for {exporter}', authorisedText: 'Signed' }]);
    expect(issues(twice).join()).toMatch(/At most one signature/);

    const details = clone(commercialInvoice) as any;
    details.body[1][0].details = ['iec'];
    expect(issues(details).join()).toMatch(/Only the exporter/);
  });

  it('fills placeholders once, without reading placeholders inside values', () => {
    expect(fillPlaceholders('for {exporter} ({currency})', { exporter: 'A {currency} B', currency: 'EUR' })).toBe('for A {currency} B (EUR)');
  });
});

describe('formatting helpers', () => {
  it('groups digits internationally and in lakh/crore', () => {
    expect(groupDigits('12050000')).toBe('12,050,000');
    expect(groupDigits('12050000', true)).toBe('1,20,50,000');
    expect(groupDigits('100000', true)).toBe('1,00,000');
    expect(groupDigits('999', true)).toBe('999');
    expect(formatAmount('12050000.50', 'INR')).toBe('1,20,50,000.50');
    expect(formatAmount('1200', 'JPY')).toBe('1,200');
    expect(formatAmount('0.005', 'KWD')).toBe('0.005');
    expect(formatDecimal('5.4', 2)).toBe('5.40');
    expect(formatDecimal('2.855', 2)).toBe('2.855');
    expect(formatDecimal('007', 0)).toBe('7');
    expect(() => formatDecimal('1e5', 2)).toThrow();
    expect(formatDate('2026-11-20')).toBe('20 Nov 2026');
    expect(formatDate('2027-01-05T10:00:00Z')).toBe('5 Jan 2027');
  });

  it('derives freight payment from the Incoterm group', () => {
    for (const t of ['EXW', 'FCA', 'FAS', 'FOB']) expect(freightPayment(t)).toBe('COLLECT');
    for (const t of ['CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP']) expect(freightPayment(t)).toBe('PREPAID');
  });

  it('writes spreadsheet numbers only when they are exact', () => {
    expect(exactNumber('54390.00')).toBe(54390);
    expect(exactNumber('31590.15')).toBe(31590.15);
    expect(exactNumber('0.005')).toBe(0.005);
    expect(exactNumber('123456789012345')).toBe(123456789012345);
    expect(exactNumber('1234567890123456')).toBeNull(); // 16 significant digits: beyond Excel
    expect(exactNumber('90071992547409.91')).toBeNull();
    expect(numberFormat(2)).toBe('#,##0.00');
    expect(numberFormat(0)).toBe('#,##0');
    expect(numberFormat(3)).toBe('#,##0.000');
    expect(headerFooterText('A&B\nC')).toBe('A&&B C');
  });

  it('reads logo sizes and refuses what is not a PNG or JPEG', () => {
    const png = decodeLogo('data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGM4IQcEJwAHIwIJ5FiIOQAAAABJRU5ErkJggg==');
    expect(png).toMatchObject({ type: 'png', width: 2, height: 1 });
    expect(decodeLogo('data:image/jpeg;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGM4IQcEJwAHIwIJ5FiIOQAAAABJRU5ErkJggg==')).toBeNull();
    expect(decodeLogo('data:image/svg+xml;base64,PHN2Zy8+')).toBeNull();
    expect(decodeLogo('https://example.com/logo.png')).toBeNull();
    expect(decodeLogo(null)).toBeNull();
  });

  it('refuses to patch what is not a zip', () => {
    expect(() => withFixedTimestamps(new Uint8Array(100), '2026-11-20')).toThrow(ZipFormatError);
  });
});
