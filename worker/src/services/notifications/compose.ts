/**
 * The text of buyer update e-mails: pure functions from a few facts to subject, plain text and HTML. The facts are
 * chosen for the buyer — references, route, vessel, dates, the attached documents — and carry nothing else, so
 * internal notes, costs and prices cannot reach a message. Every value is HTML-escaped in the HTML part.
 */
import { offsetMinutes, zoneAbbreviation, isTimeZone } from '../../../../shared/domain/zoned-time.js';
import { seaport } from '../../../../shared/reference/ports.js';

export interface AttachmentFacts {
  /** commercial_invoice, packing_list, … */
  kind: string;
  number: string;
  filename: string;
}

export interface ShipmentFacts {
  /** Our shipment reference (KK-2026-0133-S1). */
  reference: string;
  /** Our order reference (KK-2026-0133). */
  orderReference: string;
  /** The buyer's purchase order number. */
  buyerPo: string | null;
  portOfLoading: string;
  portOfDischarge: string;
  vessel: string | null;
  voyage: string | null;
  carrier: string | null;
  bookingNumber: string | null;
  blNumber: string | null;
  etd: string | null;
  eta: string | null;
  /** The booking's time zone: ETD/ETA are shown in it. */
  timeZone: string | null;
}

export interface MessageFacts {
  /** The exporter's name, for the signature. */
  exporter: string;
  /** Names of the recipients, for the greeting (empty: "Dear all"). */
  recipientNames: string[];
  attachments: AttachmentFacts[];
}

export interface MilestoneFacts extends MessageFacts {
  shipment: ShipmentFacts;
  milestone: { code: string; name: string; at: string; timeZone: string | null };
}

export interface DocumentsFacts extends MessageFacts {
  /** The shipment the documents belong to; null for documents of the order as a whole. */
  shipment: ShipmentFacts | null;
  orderReference: string;
  buyerPo: string | null;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function local(iso: string, tz: string | null): { d: Date; zone: string } {
  const zone = tz && isTimeZone(tz) ? tz : 'UTC';
  const instant = new Date(iso);
  return { d: new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000), zone };
}

/** "8 Jan" in `tz`. */
export function shortDate(iso: string, tz: string | null): string {
  const { d } = local(iso, tz);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "14 Dec 2026, 18:00 IST" in `tz` (UTC when none). */
export function longDateTime(iso: string, tz: string | null): string {
  const { d, zone } = local(iso, tz);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${zoneAbbreviation(new Date(iso), zone)}`;
}

/** A port's name from its UN/LOCODE ("INTUT" → "Tuticorin"); the code itself when it is not a known seaport. */
export function portName(locode: string): string {
  return seaport(locode)?.name ?? locode;
}

const KIND_LABELS: Record<string, string> = {
  proforma_invoice: 'Proforma invoice',
  commercial_invoice: 'Commercial invoice',
  packing_list: 'Packing list',
  certificate_of_origin: 'Certificate of origin',
  shipping_instructions: 'Shipping instructions',
};
export const kindLabel = (kind: string) => KIND_LABELS[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One line for a subject: no line breaks, no runs of spaces. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const vesselOf = (s: ShipmentFacts) => [s.vessel, s.voyage].filter(Boolean).join(' ');

/** "KK-2026-0133-S1 departed Tuticorin on MAERSK KENSINGTON 612W — ETA Jebel Ali 8 Jan" and the like. */
function milestoneHeadline(f: MilestoneFacts): { subject: string; sentence: string } {
  const s = f.shipment;
  const pol = portName(s.portOfLoading);
  const pod = portName(s.portOfDischarge);
  const vessel = vesselOf(s);
  const when = longDateTime(f.milestone.at, f.milestone.timeZone ?? s.timeZone);
  const eta = s.eta ? ` — ETA ${pod} ${shortDate(s.eta, s.timeZone)}` : '';
  const etd = s.etd ? ` — ETD ${pol} ${shortDate(s.etd, s.timeZone)}` : '';
  switch (f.milestone.code) {
    case 'booking_confirmed':
      return {
        subject: `${s.reference}: booking confirmed${vessel ? ` on ${vessel}` : ''}${etd}`,
        sentence: `The booking for shipment ${s.reference} was confirmed${s.carrier ? ` with ${s.carrier}` : ''}${vessel ? ` on ${vessel}` : ''} (${when}).`,
      };
    case 'departed':
      return {
        subject: `${s.reference} departed ${pol}${vessel ? ` on ${vessel}` : ''}${eta}`,
        sentence: `Shipment ${s.reference} departed ${pol}${vessel ? ` on ${vessel}` : ''} on ${when}.`,
      };
    case 'arrived':
      return { subject: `${s.reference} arrived at ${pod}`, sentence: `Shipment ${s.reference} arrived at ${pod} on ${when}.` };
    case 'cleared_destination':
      return { subject: `${s.reference} cleared customs at ${pod}`, sentence: `Shipment ${s.reference} was cleared by customs at ${pod} on ${when}.` };
    case 'delivered':
      return { subject: `${s.reference} delivered`, sentence: `Shipment ${s.reference} was delivered on ${when}.` };
    default:
      return { subject: `${s.reference}: ${f.milestone.name}`, sentence: `Shipment ${s.reference}: ${f.milestone.name} on ${when}.` };
  }
}

/** The shipment's particulars as label/value rows (only those known). */
function shipmentRows(s: ShipmentFacts): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['Shipment', s.reference]);
  rows.push(['Our order', s.orderReference]);
  if (s.buyerPo) rows.push(['Your order', s.buyerPo]);
  rows.push(['Port of loading', `${portName(s.portOfLoading)} (${s.portOfLoading})`]);
  rows.push(['Port of discharge', `${portName(s.portOfDischarge)} (${s.portOfDischarge})`]);
  const vessel = vesselOf(s);
  if (vessel) rows.push(['Vessel / voyage', vessel]);
  if (s.carrier || s.bookingNumber) rows.push(['Booking', [s.bookingNumber, s.carrier ? `(${s.carrier})` : null].filter(Boolean).join(' ')]);
  if (s.blNumber) rows.push(['Bill of lading', s.blNumber]);
  if (s.etd) rows.push(['ETD', longDateTime(s.etd, s.timeZone)]);
  if (s.eta) rows.push(['ETA', longDateTime(s.eta, s.timeZone)]);
  return rows;
}

const greeting = (names: string[]) => (names.length === 1 && names[0] ? `Dear ${names[0]},` : 'Dear all,');
const attachmentLine = (a: AttachmentFacts) => `${kindLabel(a.kind)} ${a.number} (${a.filename})`;

function render(subject: string, f: MessageFacts, paragraphs: string[], rows: [string, string][]): ComposedEmail {
  const text = [
    greeting(f.recipientNames),
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    ...(rows.length ? [...rows.map(([k, v]) => `${k}: ${v}`), ''] : []),
    ...(f.attachments.length ? ['Attached:', ...f.attachments.map((a) => `- ${attachmentLine(a)}`), ''] : []),
    'Kind regards,',
    f.exporter,
  ].join('\n');
  const e = escapeHtml;
  const html = [
    '<!DOCTYPE html>',
    `<html><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">`,
    `<p>${e(greeting(f.recipientNames))}</p>`,
    ...paragraphs.map((p) => `<p>${e(p)}</p>`),
    rows.length
      ? `<table style="border-collapse:collapse">${rows.map(([k, v]) => `<tr><td style="padding:2px 12px 2px 0;color:#666">${e(k)}</td><td style="padding:2px 0">${e(v)}</td></tr>`).join('')}</table>`
      : '',
    f.attachments.length ? `<p>Attached:</p><ul>${f.attachments.map((a) => `<li>${e(attachmentLine(a))}</li>`).join('')}</ul>` : '',
    `<p>Kind regards,<br>${e(f.exporter)}</p>`,
    '</body></html>',
  ]
    .filter(Boolean)
    .join('\n');
  return { subject: oneLine(subject), text, html };
}

/** The e-mail for a milestone of a shipment (departed, arrived, …). */
export function composeMilestoneEmail(f: MilestoneFacts): ComposedEmail {
  const { subject, sentence } = milestoneHeadline(f);
  const paragraphs = [sentence];
  if (f.attachments.length) paragraphs.push(`The final shipping documents issued so far are attached.`);
  return render(subject, f, paragraphs, shipmentRows(f.shipment));
}

/** The e-mail that sends documents that became final (one or more, of a shipment or of the order). */
export function composeDocumentsEmail(f: DocumentsFacts): ComposedEmail {
  const of = f.shipment ? `shipment ${f.shipment.reference}` : `order ${f.orderReference}${f.buyerPo ? ` (your order ${f.buyerPo})` : ''}`;
  const names = [...new Set(f.attachments.map((a) => kindLabel(a.kind).toLowerCase()))];
  const what = names.length ? names.join(', ').replace(/^./, (c) => c.toUpperCase()) : 'Documents';
  const subject = `${f.shipment?.reference ?? f.orderReference}: final documents — ${what}`;
  const paragraphs = [`The final documents for ${of} are attached.`];
  const rows = f.shipment ? shipmentRows(f.shipment) : ([['Our order', f.orderReference], ...(f.buyerPo ? [['Your order', f.buyerPo]] : [])] as [string, string][]);
  return render(subject, f, paragraphs, rows);
}
