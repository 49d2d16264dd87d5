import type { DocumentKind, DocumentSnapshot, PartySnapshot } from '../../../../shared/documents/snapshot.js';
import { sha256Hex } from '../../lib/ids.js';

const party = (p: PartySnapshot | null) => (p ? { id: p.id, name: p.name, address: p.address, taxIds: p.taxIds } : null);

/**
 * The facts every document of one scope must agree on — parties, route, terms, goods, quantities,
 * weights, packages, amounts, HS codes, and the declarations the country rules put on each kind of document.
 * Status, versions and the snapshot time are left out, so a document is stale only when something printed
 * on it would change.
 */
export function documentFacts(s: DocumentSnapshot, wording: Wording) {
  return {
    declarations: Object.fromEntries(Object.entries(wording).map(([kind, items]) => [kind, (items ?? []).map((d) => d.text)])),
    exporter: { legalName: s.exporter.legalName, address: s.exporter.address, iec: s.exporter.iec, gstin: s.exporter.gstin, adCode: s.exporter.adCode, bankDetails: s.exporter.bankDetails, lut: s.exporter.lut },
    buyer: party(s.buyer),
    consignee: party(s.consignee),
    notifyParty: party(s.notifyParty),
    order: { reference: s.order.reference, buyerPo: s.order.buyerPo, currency: s.order.currency, incoterm: s.order.incoterm, incotermPlace: s.order.incotermPlace, paymentTerms: s.order.paymentTermsText },
    shipment: s.shipment
      ? { reference: s.shipment.reference, vessel: s.shipment.vessel, voyage: s.shipment.voyage, blNumber: s.shipment.blNumber, blDate: s.shipment.blDate, marks: s.shipment.marks, woodPackaging: s.shipment.woodPackaging }
      : null,
    route: s.route,
    lines: s.lines.map((l) => ({
      sku: l.sku,
      description: l.description,
      hsCode: l.hsCode,
      originCountry: l.originCountry,
      quantity: l.quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      discountPercent: l.discountPercent,
      amount: l.amount.amount,
      netWeightKg: l.netWeightKg,
      grossWeightKg: l.grossWeightKg,
      packages: l.packages,
    })),
    totals: { amount: s.totals.amount.amount, netWeightKg: s.totals.netWeightKg, grossWeightKg: s.totals.grossWeightKg, packageCount: s.totals.packageCount },
  };
}

/** JSON with object keys sorted, so equal facts always serialise the same way. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Declarations per document kind, as the rule engine words them for a snapshot. */
export type Wording = Partial<Record<DocumentKind, { id: string; text: string }[]>>;

export const factsHash = (s: DocumentSnapshot, wording: Wording) => sha256Hex(stableStringify(documentFacts(s, wording)));

/** Dotted paths whose values differ between two snapshots' facts, with old → new values (for "stale" reasons). */
export function factsDiff(before: { snapshot: DocumentSnapshot; wording: Wording }, after: { snapshot: DocumentSnapshot; wording: Wording }, max = 20): { path: string; before: unknown; after: unknown }[] {
  const out: { path: string; before: unknown; after: unknown }[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= max) return;
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (stableStringify(a) !== stableStringify(b)) {
      out.push({ path, before: a ?? null, after: b ?? null });
    }
  };
  walk(documentFacts(before.snapshot, before.wording), documentFacts(after.snapshot, after.wording), '');
  return out;
}
