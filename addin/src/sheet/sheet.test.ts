/** The add-in's pure sheet logic: cells, change detection, result mapping, finding targets. */
import { describe, expect, it } from 'vitest';
import { asPercent, canonical, importCell, isDateFormat, isPercentFormat, isoDateToSerial, serialToIsoDate } from './cells.js';
import { collectChanges, decimalText, parseSnapshot } from './changes.js';
import { COLUMNS, EDITABLE, SNAPSHOT_HEADERS, col, columnLetter, type Cell, type ColumnKey } from './columns.js';
import { findingTarget } from './findings.js';
import { locate } from './results.js';

describe('cells', () => {
  it('converts Excel date serials both ways (1900 system)', () => {
    expect(serialToIsoDate(46011)).toBe('2025-12-20');
    expect(isoDateToSerial('2026-12-15')).toBe(46371);
    expect(serialToIsoDate(isoDateToSerial('2024-02-29'))).toBe('2024-02-29');
  });
  it('recognises date number formats and not number or text formats', () => {
    for (const f of ['dd-mmm-yyyy', 'yyyy-mm-dd', 'm/d/yy', 'dd/mm/yyyy', 'mmm yyyy', '[$-409]d-mmm-yy']) expect(isDateFormat(f), f).toBe(true);
    for (const f of ['General', '@', '0.00', '#,##0', '"dd" 0', 'hh:mm', '0%']) expect(isDateFormat(f), f).toBe(false);
  });
  it('sends dates in date-formatted cells as ISO text, everything else as it is', () => {
    expect(importCell(46371, 'dd-mmm-yyyy')).toBe('2026-12-15');
    expect(importCell(46371, 'General')).toBe(46371);
    expect(importCell('', '@')).toBeNull();
    expect(importCell('1,20,000.50', '@')).toBe('1,20,000.50');
  });
  it('percent-formatted cells are read as the percentage shown', () => {
    expect(isPercentFormat('0%')).toBe(true);
    expect(isPercentFormat('0.00%')).toBe(true);
    expect(isPercentFormat('0.00"%"')).toBe(false);
    expect(isPercentFormat('General')).toBe(false);
    expect(asPercent(0.07)).toBe(7);
    expect(importCell(0.025, '0.0%')).toBe('2.5%');
  });
  it('canonical text compares pulled and edited values', () => {
    expect(canonical(12.5)).toBe('12.5');
    expect(canonical(' PO-1 ')).toBe('PO-1');
    expect(canonical('')).toBe('');
    expect(canonical(undefined)).toBe('');
  });
  it('writes numbers as plain decimals, never with an exponent', () => {
    expect(decimalText('1e-7')).toBe('0.0000001');
    expect(decimalText('2.5e3')).toBe('2500');
    expect(decimalText('12.75')).toBe('12.75');
  });
  it('names columns like Excel', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

/** A pulled two-line order plus a one-line order, as table rows and snapshot. */
function fixture() {
  const base: Partial<Record<ColumnKey, Cell>> = { reference: 'R1', buyerPo: 'PO-1', destinationCountry: 'DE', portOfLoading: 'INNSA', portOfDischarge: 'DEHAM', incoterm: 'FOB', incotermPlace: 'Nhava Sheva', transportMode: 'sea', currency: 'EUR', requestedShipDate: '2026-12-20', remarks: '', unit: 'PCS', discountPercent: 0 };
  const line = (orderId: string, lineId: string, lineNo: number, quantity: number, extra: Partial<Record<ColumnKey, Cell>> = {}) => {
    const v = { ...base, orderId, lineId, lineNo, quantity, unitPrice: 2.85, description: `Item ${lineNo}`, version: 3, ...extra };
    return COLUMNS.map((c) => v[c.key] ?? '');
  };
  const body = [line('ord_A', 'l1', 1, 100), line('ord_A', 'l2', 2, 200), line('ord_B', 'l3', 1, 50, { reference: 'R2' })];
  const snapshot = parseSnapshot(
    body.map((r) => [r[col('lineId')]!, r[col('orderId')]!, 3, `prd_${String(r[col('lineId')])}`, r[col('lineNo')]!, ...EDITABLE.map((c) => r[col(c.key)]!)]),
  );
  return { body, snapshot };
}

describe('collectChanges', () => {
  it('nothing edited → nothing to send', () => {
    const { body, snapshot } = fixture();
    expect(collectChanges(body, snapshot)).toEqual({ changes: [], problems: [], unbound: [] });
    expect(SNAPSHOT_HEADERS).toHaveLength(5 + EDITABLE.length);
  });

  it('a line edit sends the complete set of the order\'s lines with ids and product ids, under the pulled version', () => {
    const { body, snapshot } = fixture();
    body[1]![col('quantity')] = 250;
    const { changes, problems } = collectChanges(body, snapshot);
    expect(problems).toEqual([]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ orderId: 'ord_A', version: 3, changedRows: [1], lineRows: [0, 1] });
    expect(changes[0]!.patch).toEqual({
      lines: [
        { id: 'l1', productId: 'prd_l1', description: 'Item 1', quantity: '100', unit: 'PCS', unitPrice: '2.85', discountPercent: '0' },
        { id: 'l2', productId: 'prd_l2', description: 'Item 2', quantity: '250', unit: 'PCS', unitPrice: '2.85', discountPercent: '0' },
      ],
    });
    expect(changes[0]!.edits).toEqual([{ row: 1, column: 'quantity', mine: '250', pulled: '200' }]);
  });

  it('a header edit sends only that field, normalised; lines of another order are untouched', () => {
    const { body, snapshot } = fixture();
    body[2]![col('portOfDischarge')] = ' nl rtm ';
    body[2]![col('buyerPo')] = '';
    const { changes } = collectChanges(body, snapshot);
    expect(changes.map((c) => c.orderId)).toEqual(['ord_B']);
    expect(changes[0]!.patch).toEqual({ buyerPo: null, portOfDischarge: 'NLRTM' });
    expect(changes[0]!.fieldRows).toEqual({ buyerPo: 2, portOfDischarge: 2 });
  });

  it('lines of one order that disagree on a header field are a problem on each, and the order is not sent', () => {
    const { body, snapshot } = fixture();
    body[0]![col('incoterm')] = 'CIF';
    body[1]![col('incoterm')] = 'CFR';
    const { changes, problems } = collectChanges(body, snapshot);
    expect(changes).toEqual([]);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [0, 'incoterm'],
      [1, 'incoterm'],
    ]);
    expect(problems[0]!.message).toContain('CIF / CFR');
  });

  it('text that is not a number, or a date that is not ISO, is refused before sending', () => {
    const { body, snapshot } = fixture();
    body[0]![col('quantity')] = 'lots';
    body[2]![col('requestedShipDate')] = '20/12/2026';
    const { changes, problems } = collectChanges(body, snapshot);
    expect(changes).toEqual([]);
    expect(problems.map((p) => p.column).sort()).toEqual(['quantity', 'requestedShipDate']);
  });

  it('the other edited rows of an order that is not sent say why', () => {
    const { body, snapshot } = fixture();
    body[0]![col('quantity')] = 'lots';
    body[1]![col('description')] = 'New words';
    const { changes, problems } = collectChanges(body, snapshot);
    expect(changes).toEqual([]);
    expect(problems.find((p) => p.row === 1)).toMatchObject({ column: 'sync', message: expect.stringContaining('problem on row 1') });
  });

  it('a formula result with float noise is sent as Excel shows it', () => {
    const { body, snapshot } = fixture();
    body[0]![col('unitPrice')] = 1.1 * 100; // 110.00000000000001
    const { changes, problems } = collectChanges(body, snapshot);
    expect(problems).toEqual([]);
    expect((changes[0]!.patch.lines as { unitPrice: string }[])[0]!.unitPrice).toBe('110');
  });

  it('grouped thousands and a date typed as a date serial are accepted', () => {
    const { body, snapshot } = fixture();
    body[0]![col('quantity')] = '1,200';
    body[0]![col('requestedShipDate')] = 46371;
    const { changes, problems } = collectChanges(body, snapshot);
    expect(problems).toEqual([]);
    expect(changes[0]!.patch.requestedShipDate).toBe('2026-12-15');
    expect((changes[0]!.patch.lines as { quantity: string }[])[0]!.quantity).toBe('1200');
  });

  it('a copied row (same hidden Line ID) is a problem and its order is not sent', () => {
    const { body, snapshot } = fixture();
    const copy = [...body[1]!];
    copy[col('quantity')] = 99;
    body.push(copy);
    const { changes, problems } = collectChanges(body, snapshot);
    expect(changes).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ row: 3, column: 'sync' })]);
    expect(problems[0]!.message).toContain('copy of row 2');
  });

  it('rows added by hand are reported as unbound, not sent', () => {
    const { body, snapshot } = fixture();
    body.push(COLUMNS.map((c) => (c.key === 'quantity' ? 10 : c.key === 'reference' ? 'NEW' : '')));
    expect(collectChanges(body, snapshot).unbound).toEqual([3]);
  });
});

describe('mapping answers back to cells', () => {
  it('server field paths point at the row and column that carried them', () => {
    const { body, snapshot } = fixture();
    body[1]![col('quantity')] = -1;
    body[0]![col('portOfDischarge')] = 'ZZZZZ';
    const change = collectChanges(body, snapshot).changes[0]!;
    expect(locate(change, 'lines.1.quantity')).toEqual({ row: 1, column: 'quantity' });
    expect(locate(change, 'lines.0.productId')).toEqual({ row: 0, column: 'sku' });
    expect(locate(change, 'portOfDischarge')).toEqual({ row: 0, column: 'portOfDischarge' });
    expect(locate(change, 'paymentTerms.type')).toEqual({ row: 0, column: 'sync' });
    expect(locate(change, undefined)).toEqual({ row: 0, column: 'sync' });
  });
  it('validation finding paths point at a line or a header column', () => {
    expect(findingTarget('lines[2].hsCode')).toEqual({ lineIndex: 2, column: 'hsCode' });
    expect(findingTarget('lines.0.quantity')).toEqual({ lineIndex: 0, column: 'quantity' });
    expect(findingTarget('route.portOfDischarge.code')).toEqual({ lineIndex: null, column: 'portOfDischarge' });
    expect(findingTarget('order.incoterm')).toEqual({ lineIndex: null, column: 'incoterm' });
    expect(findingTarget('consignee.taxIds[type=EORI].value')).toEqual({ lineIndex: null, column: 'buyer' });
    expect(findingTarget('exporter.lut.arn')).toEqual({ lineIndex: null, column: 'reference' });
  });
});
