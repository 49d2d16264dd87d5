/**
 * The buyer's tracking page, rendered on the server as one small HTML document: no script, no external
 * resource, one <style> element allowed by its hash in the Content-Security-Policy. Every piece of data goes
 * through `esc()`. Web-standard only (crypto.subtle, Intl), so it renders the same on Node and Workers.
 */
import { countryName } from '../../../shared/domain/countries.js';
import { seaport } from '../../../shared/reference/ports.js';
import { longDateTime } from '../services/notifications/compose.js';
import type { Moment, TrackingView } from '../services/tracking.js';

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14 Dec 2026, 18:00 IST": the instant as read in its zone (UTC when unknown). */
export const formatMoment = (m: Moment): string => longDateTime(m.at, m.timeZone);

/** "20 Dec 2026" for an ISO date (or the date part of an instant, in UTC). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : iso;
}

/** "12000.5" → "12,000.5". */
export function formatQuantity(q: string): string {
  const [int = '', frac] = q.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

const ORDER_STATUS: Record<string, string> = {
  draft: 'Awaiting confirmation',
  confirmed: 'Confirmed',
  in_production: 'In production',
  ready_to_ship: 'Ready to ship',
  partially_shipped: 'Partly shipped',
  shipped: 'Shipped',
  delivered: 'Delivered',
  closed: 'Completed',
  cancelled: 'Cancelled',
};
const SHIPMENT_STATUS: Record<string, string> = { planned: 'Planned', shipped: 'On its way', delivered: 'Delivered' };
const MODE: Record<string, string> = { sea: 'Sea freight', air: 'Air freight', road: 'Road freight', rail: 'Rail freight', inland_waterway: 'Inland waterway', multimodal: 'Multimodal' };
const KIND: Record<string, string> = {
  proforma_invoice: 'Proforma invoice',
  commercial_invoice: 'Commercial invoice',
  packing_list: 'Packing list',
  certificate_of_origin: 'Certificate of origin (application)',
  shipping_instructions: 'Shipping instructions',
};
const FORMAT: Record<string, string> = { docx: 'Word', xlsx: 'Excel' };

const words = (map: Record<string, string>, key: string) => map[key] ?? key.replace(/_/g, ' ');
const port = (code: string) => {
  const p = seaport(code);
  return p ? `${p.name} (${code})` : code;
};
const time = (m: Moment) => `<time datetime="${esc(m.at)}">${esc(formatMoment(m))}</time>`;
const day = (iso: string) => `<time datetime="${esc(iso.slice(0, 10))}">${esc(formatDate(iso))}</time>`;

const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1f2937;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:760px;margin:0 auto;padding:16px}
header,section{background:#fff;border-radius:12px;padding:16px;margin:0 0 16px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0}
h2{font-size:1.15rem;margin:0 0 .75rem}
h3{font-size:1.05rem;margin:0 0 .5rem}
h4{font-size:.95rem;margin:1rem 0 .5rem;color:#4b5563}
p{margin:.25rem 0}
.exporter{color:#4b5563;font-weight:600;margin:0}
.meta{color:#4b5563}
.status{display:inline-block;margin-top:.5rem;padding:.2rem .7rem;border-radius:999px;background:#e0f2fe;color:#075985;font-weight:600}
.status.cancelled{background:#fee2e2;color:#991b1b}
.status.done{background:#dcfce7;color:#166534}
article{border-top:1px solid #e5e7eb;padding-top:12px;margin-top:12px}
article:first-of-type{border-top:0;padding-top:0;margin-top:0}
dl{display:grid;grid-template-columns:minmax(88px,auto) 1fr;gap:.25rem .75rem;margin:.5rem 0}
dt{color:#6b7280}
dd{margin:0}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.35rem 0;border-bottom:1px solid #f0f0f0;vertical-align:top}
th.q,td.q{text-align:right;white-space:nowrap;padding-left:.75rem}
ol.steps{list-style:none;margin:0;padding:0}
ol.steps li{position:relative;padding:0 0 .6rem 1.6rem}
ol.steps li::before{content:"";position:absolute;left:.2rem;top:.35rem;width:.75rem;height:.75rem;border-radius:50%;border:2px solid #9ca3af;background:#fff}
ol.steps li.done::before{border-color:#16a34a;background:#16a34a}
.when{display:block;color:#4b5563;font-size:.9rem}
ul.docs{list-style:none;margin:0;padding:0}
ul.docs li{padding:.4rem 0;border-bottom:1px solid #f0f0f0}
a{color:#1d4ed8}
.small{font-size:.85rem;color:#6b7280}
h1,h3,dd,td,li,p{overflow-wrap:anywhere}
`.trim();

let styleHash: Promise<string> | undefined;
/** `'sha256-…'` of the page's <style> content, for the CSP. */
function styleSource(): Promise<string> {
  styleHash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(STYLE)).then((d) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(d)))}'`);
  return styleHash;
}

/** The Content-Security-Policy of both pages: nothing but the one hashed <style> (and data: images). */
export async function trackingCsp(): Promise<string> {
  return [
    "default-src 'none'",
    `style-src ${await styleSource()}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function shipmentHtml(s: TrackingView['shipments'][number]): string {
  const rows: [string, string][] = [];
  rows.push(['Route', `${esc(port(s.portOfLoading))} → ${esc(port(s.portOfDischarge))}`]);
  rows.push(['Destination', esc(countryName(s.destinationCountry) ?? s.destinationCountry)]);
  rows.push(['Mode', esc(words(MODE, s.transportMode))]);
  if (s.carrier) rows.push(['Carrier', esc(s.carrier)]);
  const vessel = [s.vessel, s.voyage].filter(Boolean).join(' / ');
  if (vessel) rows.push([s.transportMode === 'air' ? 'Flight' : s.transportMode === 'sea' ? 'Vessel / voyage' : 'Vehicle', esc(vessel)]);
  const unconfirmed = s.etd && !s.bookingConfirmed ? ' <span class="small">(booking not yet confirmed)</span>' : '';
  if (s.shippedAt) rows.push(['Departed', day(s.shippedAt)]);
  else if (s.etd) rows.push(['ETD', time(s.etd) + unconfirmed]);
  else if (s.plannedShipDate) rows.push(['ETD', `${day(s.plannedShipDate)} <span class="small">(planned)</span>`]);
  if (s.deliveredAt) rows.push(['Delivered', day(s.deliveredAt)]);
  else if (s.eta) rows.push(['ETA', time(s.eta) + unconfirmed]);
  else if (s.plannedArrivalDate) rows.push(['ETA', `${day(s.plannedArrivalDate)} <span class="small">(planned)</span>`]);
  if (s.blNumber) rows.push([s.transportMode === 'air' ? 'Air waybill' : 'B/L number', esc(s.blNumber)]);

  const items = s.items.length
    ? `<h4>Goods in this shipment</h4><table><thead><tr><th>Item</th><th class="q">Quantity</th></tr></thead><tbody>${s.items
        .map((i) => `<tr><td>${esc(i.description)}</td><td class="q">${esc(formatQuantity(i.quantity))} ${esc(i.unit)}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const steps = s.milestones.length
    ? `<h4>Progress</h4><ol class="steps">${s.milestones
        .map((m) => {
          const when = m.actual ? `<span class="when">Done ${time(m.actual)}</span>` : m.planned ? `<span class="when">Planned ${time(m.planned)}</span>` : '';
          return `<li class="${m.actual ? 'done' : 'todo'}" data-milestone="${esc(m.code)}">${esc(m.name)}${when}</li>`;
        })
        .join('')}</ol>`
    : '';
  return `<article data-shipment="${esc(s.id)}">
<h3>Shipment ${esc(s.reference)} <span class="status${s.status === 'delivered' ? ' done' : ''}">${esc(words(SHIPMENT_STATUS, s.status))}</span></h3>
<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>
${items}
${steps}
</article>`;
}

/** The page for one order. `token` only builds the download links (same path as the page). */
export function renderTrackingPage(view: TrackingView, token: string): string {
  const o = view.order;
  const statusClass = o.status === 'cancelled' ? ' cancelled' : o.status === 'delivered' || o.status === 'closed' ? ' done' : '';
  const header = `<header>
<p class="exporter">${esc(view.exporter)}</p>
<h1>Order ${esc(o.reference)}</h1>
${o.buyerPo ? `<p class="meta">Your PO: <strong>${esc(o.buyerPo)}</strong></p>` : ''}
${o.buyer ? `<p class="meta">For ${esc(o.buyer)}</p>` : ''}
<p class="meta">${esc(o.incoterm)} ${esc(o.incotermPlace)}${o.requestedShipDate ? ` · requested shipment ${day(o.requestedShipDate)}` : ''}</p>
<p class="status${statusClass}" id="order-status">${esc(words(ORDER_STATUS, o.status))}</p>
</header>`;
  const goods = `<section aria-labelledby="goods-h"><h2 id="goods-h">Goods ordered</h2>${
    o.lines.length
      ? `<table><thead><tr><th>Item</th><th class="q">Quantity</th></tr></thead><tbody>${o.lines
          .map((l) => `<tr><td>${esc(l.description)}</td><td class="q">${esc(formatQuantity(l.quantity))} ${esc(l.unit)}</td></tr>`)
          .join('')}</tbody></table>`
      : '<p class="meta">No items yet.</p>'
  }</section>`;
  const ships = `<section aria-labelledby="shipments-h"><h2 id="shipments-h">Shipments</h2>${
    view.shipments.length ? view.shipments.map(shipmentHtml).join('\n') : '<p class="meta">No shipment is planned yet.</p>'
  }</section>`;
  const docs = `<section aria-labelledby="documents-h"><h2 id="documents-h">Documents</h2>${
    view.documents.length
      ? `<ul class="docs">${view.documents
          .map((d) => {
            const label = `${words(KIND, d.kind)} ${d.number} (${words(FORMAT, d.format)})`;
            const scope = d.shipmentReference ? ` <span class="small">shipment ${esc(d.shipmentReference)}</span>` : '';
            return `<li><a href="/track/${esc(encodeURIComponent(token))}/documents/${esc(d.id)}" download>${esc(label)}</a>${scope} <span class="small">${day(d.documentDate)}</span></li>`;
          })
          .join('')}</ul>`
      : '<p class="meta">Final documents appear here once they are issued.</p>'
  }</section>`;
  const footer = `<p class="small">This page is private to you: please do not forward the link. It shows the current state of this order only and works until ${day(view.expiresAt)}.</p>`;
  return layout(`Order ${o.reference} · ${view.exporter}`, [header, goods, ships, docs, footer].join('\n'));
}

/** The one answer for every link that does not open (unknown, tampered, expired or revoked — indistinguishable). */
export function renderNotFoundPage(): string {
  return layout(
    'Link not available',
    `<header>
<h1>This link is not available</h1>
<p>The tracking link you opened does not work (any more). Please ask your contact for a new link.</p>
</header>`,
  );
}
