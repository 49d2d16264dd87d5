/**
 * The document snapshot: every fact a document or a validation rule needs, frozen at one moment.
 * Validation rules read it by path (`consignee.taxIds`, `lines.0.hsCode`, `shipment.references.ISF`),
 * renderers lay it out; a final document stores the snapshot it was made from, so documents of one
 * pack can never disagree and a stale one can be detected by comparing snapshots.
 */
import type { Address, Money } from '../contracts/common.js';

export const DOCUMENT_KINDS = ['proforma_invoice', 'commercial_invoice', 'packing_list', 'certificate_of_origin', 'shipping_instructions'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_FORMATS = ['docx', 'xlsx'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
/** Which formats each kind is produced in. */
export const KIND_FORMATS: Record<DocumentKind, readonly DocumentFormat[]> = {
  proforma_invoice: ['docx'],
  commercial_invoice: ['docx', 'xlsx'],
  packing_list: ['docx', 'xlsx'],
  certificate_of_origin: ['docx'],
  shipping_instructions: ['docx'],
};

export interface PartySnapshot {
  id: string;
  name: string;
  address: Address;
  countryName: string;
  taxIds: { type: string; value: string; country?: string }[];
  contacts: { name: string; email?: string; phone?: string; role?: string }[];
  verified: boolean;
}

export interface PortSnapshot {
  code: string;
  name: string | null;
  country: string;
}

export interface LineSnapshot {
  lineNo: number;
  orderLineId: string;
  productId: string;
  sku: string;
  description: string;
  /** As on the order line (6, 8 or 10 digits). */
  hsCode: string;
  /** First two digits. */
  hsChapter: string;
  originCountry: string;
  /** For a shipment: the quantity allocated to it; for an order: the ordered quantity. */
  quantity: string;
  unit: string;
  unitPrice: string;
  discountPercent: string;
  amount: Money;
  netWeightKg: string;
  grossWeightKg: string;
  /** Outer packages for this line, when the product's units per package is known. */
  packages: { type: string; count: number } | null;
}

export interface DocumentSnapshot {
  /** 'order' for a whole order (proforma, or an order not yet split), 'shipment' for one shipment. */
  scope: 'order' | 'shipment';
  takenAt: string;
  exporter: {
    legalName: string;
    address: Address;
    iec: string | null;
    gstin: string | null;
    adCode: string | null;
    baseCurrency: string;
    bankDetails: { bankName: string; branch?: string; accountName: string; accountNumber: string; swift?: string; ifsc?: string; iban?: string } | null;
    lut: { arn: string; financialYear: string; validUntil: string } | null;
    claimsRodtep: boolean;
    signatory: { name: string; designation: string } | null;
    logo: string | null;
  };
  buyer: PartySnapshot;
  consignee: PartySnapshot;
  notifyParty: PartySnapshot | null;
  order: {
    id: string;
    reference: string;
    buyerPo: string | null;
    orderDate: string;
    status: string;
    currency: string;
    incoterm: string;
    incotermPlace: string;
    transportMode: string;
    paymentTerms: Record<string, unknown> & { type: string };
    paymentTermsText: string;
    requestedShipDate: string | null;
    remarks: string | null;
    version: number;
  };
  shipment: {
    id: string;
    reference: string;
    status: string;
    plannedShipDate: string | null;
    plannedArrivalDate: string | null;
    vessel: string | null;
    voyage: string | null;
    blNumber: string | null;
    blDate: string | null;
    marks: string | null;
    woodPackaging: boolean;
    references: Record<string, string>;
    version: number;
  } | null;
  /** Effective route: the shipment's when there is one, else the order's. */
  route: {
    transportMode: string;
    portOfLoading: PortSnapshot;
    portOfDischarge: PortSnapshot;
    destinationCountry: string;
    destinationCountryName: string;
    originCountry: string;
  };
  lines: LineSnapshot[];
  totals: {
    amount: Money;
    /** Line quantities summed per unit ("12000 PCS, 240 SET"). */
    quantities: { unit: string; quantity: string }[];
    netWeightKg: string;
    grossWeightKg: string;
    /** Outer packages per type; lines without units per package are not counted. */
    packages: { type: string; count: number }[];
    packageCount: number;
    /** Lines whose package count is unknown (no units per package on the product). */
    linesWithoutPackaging: number[];
  };
}
