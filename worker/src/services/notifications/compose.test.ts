import { describe, expect, it } from 'vitest';
import { composeDocumentsEmail, composeMilestoneEmail, escapeHtml, longDateTime, portName, shortDate, type ShipmentFacts } from './compose.js';

const shipment: ShipmentFacts = {
  reference: 'KK-2026-0133-S1',
  orderReference: 'KK-2026-0133',
  buyerPo: 'ANT/PO/2026/287',
  portOfLoading: 'INTUT',
  portOfDischarge: 'AEJEA',
  vessel: 'MAERSK KENSINGTON',
  voyage: '612W',
  carrier: 'Maersk',
  bookingNumber: 'MAEU262104981',
  blNumber: null,
  etd: '2026-12-14T12:30:00.000Z', // 18:00 IST
  eta: '2027-01-08T02:00:00.000Z', // 07:30 IST on 8 Jan
  timeZone: 'Asia/Kolkata',
};
const invoice = { kind: 'commercial_invoice', number: 'INV/26-27/0007', filename: 'INV-26-27-0007_commercial-invoice_v1.docx' };
const base = { exporter: 'Kaveri Knits Exports', recipientNames: ['Farah Haddad'], attachments: [invoice] };

describe('composeMilestoneEmail', () => {
  it('departed: the subject names shipment, port, vessel and ETA; the body lists route, dates in the booking zone and the attachments', () => {
    const m = composeMilestoneEmail({ ...base, shipment, milestone: { code: 'departed', name: 'Vessel departed', at: '2026-12-14T13:10:00.000Z', timeZone: 'Asia/Kolkata' } });
    expect(m.subject).toBe('KK-2026-0133-S1 departed Tuticorin on MAERSK KENSINGTON 612W — ETA Jebel Ali 8 Jan');
    expect(m.text).toMatch(/^Dear Farah Haddad,\n/);
    expect(m.text).toContain('Shipment KK-2026-0133-S1 departed Tuticorin on MAERSK KENSINGTON 612W on 14 Dec 2026, 18:40 IST.');
    expect(m.text).toContain('Your order: ANT/PO/2026/287');
    expect(m.text).toContain('Port of discharge: Jebel Ali (AEJEA)');
    expect(m.text).toContain('ETD: 14 Dec 2026, 18:00 IST');
    expect(m.text).toContain('ETA: 8 Jan 2027, 07:30 IST');
    expect(m.text).toContain('- Commercial invoice INV/26-27/0007 (INV-26-27-0007_commercial-invoice_v1.docx)');
    expect(m.text.trimEnd().endsWith('Kind regards,\nKaveri Knits Exports')).toBe(true);
    expect(m.html).toContain('<td style="padding:2px 0">MAERSK KENSINGTON 612W</td>');
  });

  it('other milestones: arrived, cleared, delivered, booking confirmed, and any other by its name', () => {
    const at = '2027-01-08T08:00:00.000Z';
    const subject = (code: string, name = code) => composeMilestoneEmail({ ...base, shipment, milestone: { code, name, at, timeZone: null } }).subject;
    expect(subject('arrived')).toBe('KK-2026-0133-S1 arrived at Jebel Ali');
    expect(subject('cleared_destination')).toBe('KK-2026-0133-S1 cleared customs at Jebel Ali');
    expect(subject('delivered')).toBe('KK-2026-0133-S1 delivered');
    expect(subject('booking_confirmed')).toBe('KK-2026-0133-S1: booking confirmed on MAERSK KENSINGTON 612W — ETD Tuticorin 14 Dec');
    expect(subject('bl_issued', 'Bill of lading issued')).toBe('KK-2026-0133-S1: Bill of lading issued');
  });

  it('escapes HTML and keeps subjects on one line', () => {
    const hostile = { ...shipment, vessel: '<script>alert(1)</script> & "Co"', voyage: '1\r\nBcc: x@evil.example' };
    const m = composeMilestoneEmail({ ...base, recipientNames: ['<b>Farah</b>'], shipment: hostile, milestone: { code: 'departed', name: 'Departed', at: shipment.etd!, timeZone: null } });
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>Farah</b>');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(m.html).toContain('Dear &lt;b&gt;Farah&lt;/b&gt;,');
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject).toContain('1 Bcc: x@evil.example');
  });

  it('greets everyone when there are several recipients, and leaves out what is unknown', () => {
    const bare: ShipmentFacts = { ...shipment, vessel: null, voyage: null, carrier: null, bookingNumber: null, etd: null, eta: null, buyerPo: null };
    const m = composeMilestoneEmail({ ...base, recipientNames: ['A', 'B'], attachments: [], shipment: bare, milestone: { code: 'departed', name: 'Departed', at: '2026-12-14T12:30:00.000Z', timeZone: 'UTC' } });
    expect(m.subject).toBe('KK-2026-0133-S1 departed Tuticorin');
    expect(m.text).toMatch(/^Dear all,/);
    expect(m.text).not.toMatch(/ETA|ETD|Vessel|Booking|Your order|Attached/);
  });
});

describe('composeDocumentsEmail', () => {
  it('names the documents in the subject and lists each attachment', () => {
    const m = composeDocumentsEmail({
      ...base,
      attachments: [invoice, { kind: 'packing_list', number: 'INV/26-27/0007', filename: 'INV-26-27-0007_packing-list_v1.docx' }, { kind: 'certificate_of_origin', number: 'INV/26-27/0007', filename: 'INV-26-27-0007_certificate-of-origin_v1.docx' }],
      shipment,
      orderReference: shipment.orderReference,
      buyerPo: shipment.buyerPo,
    });
    expect(m.subject).toBe('KK-2026-0133-S1: final documents — Commercial invoice, packing list, certificate of origin');
    expect(m.text).toContain('The final documents for shipment KK-2026-0133-S1 are attached.');
    expect(m.text.match(/^- /gm)).toHaveLength(3);
  });

  it('documents of the order as a whole (no shipment)', () => {
    const m = composeDocumentsEmail({ ...base, attachments: [{ kind: 'proforma_invoice', number: 'PI/26-27/0003', filename: 'PI-26-27-0003_proforma-invoice_v1.docx' }], shipment: null, orderReference: 'KK-2026-0158', buyerPo: 'ANT/PO/2026/311' });
    expect(m.subject).toBe('KK-2026-0158: final documents — Proforma invoice');
    expect(m.text).toContain('The final documents for order KK-2026-0158 (your order ANT/PO/2026/311) are attached.');
  });
});

describe('helpers', () => {
  it('dates in a zone, port names, escaping', () => {
    expect(shortDate('2027-01-07T20:00:00.000Z', 'Asia/Dubai')).toBe('8 Jan');
    expect(shortDate('2027-01-07T20:00:00.000Z', null)).toBe('7 Jan');
    expect(longDateTime('2026-12-14T12:30:00.000Z', 'Europe/Berlin')).toBe('14 Dec 2026, 13:30 CET');
    expect(portName('INTUT')).toBe('Tuticorin');
    expect(portName('USJFK')).toBe('USJFK'); // an airport: not a seaport, shown as its code
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
