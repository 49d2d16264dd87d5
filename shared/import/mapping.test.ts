import { describe, expect, it } from 'vitest';
import { autoMapColumns, findHeaderRow, foldHeader, matchHeader } from './mapping.js';

describe('matchHeader', () => {
  it.each([
    ['Order No', 'reference'],
    ['Order No.', 'reference'],
    ['Order #', 'reference'],
    ['Our Ref', 'reference'],
    ['PO Ref', 'buyerPo'],
    ['PO#', 'buyerPo'],
    ['Buyer PO No.', 'buyerPo'],
    ['Qty', 'quantity'],
    ['Qty (pcs)', 'quantity'],
    ['Pcs', 'quantity'],
    ['Rate', 'unitPrice'],
    ['Rate/Pc', 'unitPrice'],
    ['Unit Price (USD)', 'unitPrice'],
    ['FOB Value', 'unitPrice'],
    ['Item Code', 'sku'],
    ['Article', 'sku'],
    ['Style No', 'sku'],
    ['HSN', 'hsCode'],
    ['HS Code', 'hsCode'],
    ['ITC HS', 'hsCode'],
    ['ITC-HS Code', 'hsCode'],
    ['Country', 'destinationCountry'],
    ['Destination', 'destinationCountry'],
    ['POL', 'portOfLoading'],
    ['POD', 'portOfDischarge'],
    ['Port of Discharge', 'portOfDischarge'],
    ['Terms', 'paymentTerms'],
    ['Payment Terms', 'paymentTerms'],
    ['Terms of Delivery', 'incoterm'],
    ['Delivery Date', 'requestedShipDate'],
    ['Ship Date', 'requestedShipDate'],
    ['ETD', 'requestedShipDate'],
    ['Buyer', 'buyer'],
    ['Customer', 'buyer'],
    ['Consignee', 'consignee'],
    ['Disc %', 'discountPercent'],
    ['UOM', 'unit'],
    ['Curr', 'currency'],
    ['Remarks', 'remarks'],
    ['  QTY  ', 'quantity'],
    ['Désignation', undefined],
  ])('%j → %s', (header, field) => {
    expect(matchHeader(header)?.field).toBe(field);
  });

  it('does not map computed or unrelated columns', () => {
    for (const h of ['Amount', 'Total Value', 'Sr No', 'Status', '']) expect(matchHeader(h), h).toBeUndefined();
  });

  it('reads a currency named in the header', () => {
    expect(foldHeader('Unit Price (USD)')).toEqual({ key: 'unit price', currency: 'USD' });
    expect(foldHeader('Rate in ₹')).toEqual({ key: 'rate', currency: 'INR' });
    expect(foldHeader('FOB US$')).toEqual({ key: 'fob', currency: 'USD' });
    expect(foldHeader('Price €')).toEqual({ key: 'price', currency: 'EUR' });
    expect(foldHeader('All items')).toEqual({ key: 'all items' });
  });
});

describe('autoMapColumns', () => {
  it('maps a typical exporter header row and lists what it leaves', () => {
    const headers = ['Sr No', 'Order No', 'Customer', 'PO Ref', 'Destination', 'POL', 'POD', 'Inco', 'Terms', 'ETD', 'Item Code', 'HSN', 'Qty', 'Unit Price (USD)', 'Amount', 'Remarks'];
    expect(autoMapColumns(headers)).toEqual({
      columns: {
        reference: 1, buyer: 2, buyerPo: 3, destinationCountry: 4, portOfLoading: 5, portOfDischarge: 6, incoterm: 7, paymentTerms: 8,
        requestedShipDate: 9, sku: 10, hsCode: 11, quantity: 12, unitPrice: 13, remarks: 15,
      },
      unmatched: ['Sr No', 'Amount'],
      currency: 'USD',
    });
  });

  it('gives each field one column: the stronger synonym wins, the leftmost on a tie', () => {
    const m = autoMapColumns(['FOB Value', 'Rate', 'Qty', 'Pcs']);
    expect(m.columns.unitPrice).toBe(1);
    expect(m.columns.quantity).toBe(2);
    expect(m.unmatched).toEqual(['FOB Value', 'Pcs']);
    expect(autoMapColumns(['Qty', 'Qty']).columns.quantity).toBe(0);
  });

  it('uses the buyer PO as the reference when a sheet has no order-number column', () => {
    const m = autoMapColumns(['PO No', 'Customer', 'Article', 'Pcs', 'FOB $']);
    expect(m.columns).toMatchObject({ reference: 0, buyerPo: 0, buyer: 1, sku: 2, quantity: 3, unitPrice: 4 });
    expect(m.currency).toBe('USD');
  });

  it('ignores blank headers and non-text headers', () => {
    expect(autoMapColumns(['', 'Qty', '  ']).columns).toEqual({ quantity: 1 });
    expect(autoMapColumns(['', 'Qty', '  ']).unmatched).toEqual([]);
  });
});

describe('findHeaderRow', () => {
  it('finds the header under title rows, a date line and blank rows', () => {
    const matrix = [
      ['Kaveri Knits Exports Pvt Ltd — Order Book FY 2026-27'],
      [],
      ['Printed on', '2026-11-27'],
      [null, null],
      ['Order No', 'Buyer', 'Item Code', 'Qty', 'Rate'],
      ['KK-1', 'Nordlicht', 'TS-1', 100, 2.5],
    ];
    expect(findHeaderRow(matrix)).toBe(4);
  });

  it('is row 0 for a plain sheet, and prefers the row naming the most fields', () => {
    expect(findHeaderRow([['Order No', 'Qty'], ['A', 1]])).toBe(0);
    expect(findHeaderRow([['Order', 'Qty'], ['Order No', 'Buyer', 'SKU', 'Qty'], ['A', 'B', 'C', 1]])).toBe(1);
  });

  it('needs two recognised headers, one of them a reference, PO, SKU or quantity', () => {
    expect(findHeaderRow([['Remarks', 'Country'], ['x', 'DE']])).toBeNull();
    expect(findHeaderRow([['Qty'], [1]])).toBeNull();
    expect(findHeaderRow([])).toBeNull();
    expect(findHeaderRow([[1, 2, 3], [new Date(), true, null]])).toBeNull();
  });

  it('does not mistake data rows for a header', () => {
    expect(findHeaderRow([['Title'], ['Order No', 'SKU', 'Qty'], ['Order', 'Item', 'Quantity']])).toBe(1);
  });
});
