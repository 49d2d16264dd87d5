/**
 * The facts a layout's `fields` blocks print, read from the snapshot and the render input. Each resolver gives
 * the value's lines, or null when the snapshot does not hold the fact (the layout's placeholder, or "—", is
 * printed instead).
 */
import { integerInWords } from '../../../../shared/domain/amount-in-words.js';
import { currencyName } from '../../../../shared/domain/currency.js';
import type { FieldKey, LayoutPlaceholder } from '../../../../shared/documents/layout.js';
import type { DocumentSnapshot, PortSnapshot } from '../../../../shared/documents/snapshot.js';
import {
  cleanText,
  country,
  formatAmount,
  formatDate,
  formatQuantity,
  formatWeight,
  packageKindName,
  packagesLong,
  transportModeName,
} from './format.js';
import type { RenderInput } from './types.js';

export interface RenderContext {
  input: RenderInput;
  snapshot: DocumentSnapshot;
  currency: string;
}

/**
 * Who pays the main carriage, from the Incoterm's group: the seller under C and D terms (freight prepaid),
 * the buyer under E and F terms (freight collect).
 */
export function freightPayment(incoterm: string): 'PREPAID' | 'COLLECT' {
  const group = incoterm.charAt(0).toUpperCase();
  if (group === 'C' || group === 'D') return 'PREPAID';
  if (group === 'E' || group === 'F') return 'COLLECT';
  throw new RangeError(`Unknown Incoterm: ${incoterm}`);
}

/** True when the order is paid by letter of credit: the B/L is then made out "to order". */
export function paidByLetterOfCredit(snapshot: DocumentSnapshot): boolean {
  return snapshot.order.paymentTerms.type === 'lc';
}

export function portName(port: PortSnapshot): string {
  return port.name ? `${port.name} (${port.code})` : port.code;
}

function portWithCountry(port: PortSnapshot): string {
  return `${portName(port)}, ${country(port.country)}`;
}

/** Number and date of this document, e.g. "KK/CI/0141-S1 dated 20 Nov 2026". */
function numberAndDate(number: string, date: string): string {
  return `${cleanText(number)} dated ${formatDate(date)}`;
}

function invoiceReference(ctx: RenderContext): string | null {
  const { input } = ctx;
  if (input.kind === 'commercial_invoice') return numberAndDate(input.documentNumber, input.documentDate);
  const ci = input.relatedDocuments?.find((d) => d.kind === 'commercial_invoice');
  return ci ? numberAndDate(ci.number, ci.date) : null;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** "310 Cartons" (one kind) or "300 Cartons + 10 Pallets (310 packages)". Null when nothing is counted. */
export function packagesText(snapshot: DocumentSnapshot): string | null {
  const { packages, packageCount, linesWithoutPackaging } = snapshot.totals;
  if (packageCount === 0) return null;
  let text = packages.map((p) => packagesLong(p.count, p.type)).join(' + ');
  if (packages.length > 1) text += ` (${packageCount} packages)`;
  if (linesWithoutPackaging.length > 0) text += `, excluding line${linesWithoutPackaging.length > 1 ? 's' : ''} ${linesWithoutPackaging.join(', ')}`;
  return text;
}

function packagesInWords(snapshot: DocumentSnapshot): string | null {
  const { packages, packageCount } = snapshot.totals;
  if (packageCount === 0) return null;
  const kind = packages.length === 1 ? packageKindName(packages[0]!.type, packageCount) : packageCount === 1 ? 'Package' : 'Packages';
  return `${integerInWords(BigInt(packageCount))} ${kind} Only`;
}

/** Values of the layout placeholders for this document (block-specific ones are added by the block). */
export function placeholderValues(ctx: RenderContext): Record<LayoutPlaceholder, string> {
  const { snapshot: s, input } = ctx;
  return {
    exporter: cleanText(s.exporter.legalName),
    currency: ctx.currency,
    incoterm: s.order.incoterm,
    incotermPlace: cleanText(s.order.incotermPlace),
    originCountry: country(s.route.originCountry),
    destinationCountry: s.route.destinationCountryName,
    portOfLoading: s.route.portOfLoading.name ?? s.route.portOfLoading.code,
    portOfDischarge: s.route.portOfDischarge.name ?? s.route.portOfDischarge.code,
    documentNumber: cleanText(input.documentNumber),
    documentDate: formatDate(input.documentDate),
    orderReference: cleanText(s.order.reference),
    shipmentReference: s.shipment ? cleanText(s.shipment.reference) : '',
    freight: freightPayment(s.order.incoterm),
    blConsignee: cleanText(s.consignee.name),
    notify: cleanText((s.notifyParty ?? s.consignee).name),
    originals: '',
    copies: '',
  };
}

/** The lines of a field's value, or null when the snapshot does not hold it. */
export function fieldValue(key: FieldKey, ctx: RenderContext): string[] | null {
  const { snapshot: s, input } = ctx;
  const one = (v: string | null | undefined): string[] | null => (v === null || v === undefined || v === '' ? null : [cleanText(v)]);
  switch (key) {
    case 'document_number':
      return one(input.documentNumber);
    case 'document_date':
      return one(formatDate(input.documentDate));
    case 'document_number_and_date':
      return one(numberAndDate(input.documentNumber, input.documentDate));
    case 'invoice_number_and_date':
      return one(invoiceReference(ctx));
    case 'order_reference_and_date':
      return one(`${s.order.reference} dated ${formatDate(s.order.orderDate)}`);
    case 'buyer_order':
      return one(s.order.buyerPo);
    case 'shipment_reference':
      return one(s.shipment?.reference);
    case 'other_references': {
      const refs = Object.entries(s.shipment?.references ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => cleanText(`${k}: ${v}`));
      if (s.shipment) refs.unshift(cleanText(`Shipment: ${s.shipment.reference}`));
      return refs.length ? refs : null;
    }
    case 'pre_carriage':
    case 'place_of_receipt':
    case 'origin_criterion':
      return null; // not in the snapshot
    case 'transport_mode':
      return one(transportModeName(s.route.transportMode));
    case 'transport_details': {
      const lines = [`By ${transportModeName(s.route.transportMode).toLowerCase()} from ${portWithCountry(s.route.portOfLoading)} to ${portWithCountry(s.route.portOfDischarge)}`];
      return lines.map(cleanText);
    }
    case 'port_of_loading':
      return one(portWithCountry(s.route.portOfLoading));
    case 'port_of_discharge':
      return one(portWithCountry(s.route.portOfDischarge));
    case 'final_destination':
      return one(`${s.route.portOfDischarge.name ?? s.route.portOfDischarge.code}, ${s.route.destinationCountryName}`);
    case 'country_of_origin':
      return one(unique((s.lines.length ? s.lines.map((l) => l.originCountry) : [s.route.originCountry]).map(country)).join(', '));
    case 'country_of_final_destination':
      return one(s.route.destinationCountryName);
    case 'vessel_voyage':
      return s.shipment?.vessel ? one(s.shipment.voyage ? `${s.shipment.vessel} / ${s.shipment.voyage}` : s.shipment.vessel) : null;
    case 'bl_number_and_date':
      return s.shipment?.blNumber ? one(s.shipment.blDate ? `${s.shipment.blNumber} dated ${formatDate(s.shipment.blDate)}` : s.shipment.blNumber) : null;
    case 'planned_ship_date': {
      const d = s.shipment?.plannedShipDate ?? s.order.requestedShipDate;
      return d ? one(formatDate(d)) : null;
    }
    case 'terms_of_delivery':
      return one(`${s.order.incoterm} ${s.order.incotermPlace} (Incoterms 2020)`);
    case 'payment_terms':
      return one(s.order.paymentTermsText);
    case 'currency': {
      const name = currencyName(ctx.currency);
      return one(name ? `${ctx.currency} (${name})` : ctx.currency);
    }
    case 'freight':
      return one(freightPayment(s.order.incoterm) === 'PREPAID' ? 'Prepaid' : 'Collect');
    case 'marks': {
      const marks = s.shipment?.marks;
      if (!marks) return null;
      const lines = cleanText(marks)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      return lines.length ? lines : null;
    }
    case 'packages':
      return one(packagesText(s));
    case 'packages_in_words':
      return one(packagesInWords(s));
    case 'total_quantity':
      return s.totals.quantities.length ? one(s.totals.quantities.map((q) => `${formatQuantity(q.quantity)} ${q.unit}`).join(', ')) : null;
    case 'total_net_weight':
      return one(`${formatWeight(s.totals.netWeightKg)} kg`);
    case 'total_gross_weight':
      return one(`${formatWeight(s.totals.grossWeightKg)} kg`);
    case 'total_amount':
      return one(`${ctx.currency} ${formatAmount(s.totals.amount.amount, ctx.currency)}`);
    case 'hs_codes':
      return s.lines.length ? one(unique(s.lines.map((l) => l.hsCode)).join(', ')) : null;
    case 'wood_packaging':
      return s.shipment ? one(s.shipment.woodPackaging ? 'Yes (ISPM 15 marking required)' : 'No') : null;
    case 'lut': {
      const lut = s.exporter.lut;
      return lut ? one(`ARN ${lut.arn} (FY ${lut.financialYear}, valid until ${formatDate(lut.validUntil)})`) : null;
    }
    case 'remarks':
      return s.order.remarks ? cleanText(s.order.remarks).split('\n').filter((l) => l.trim()) : null;
  }
}
