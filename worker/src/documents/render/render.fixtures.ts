/**
 * Test fixtures for the renderers (imported by the *.test.ts files only): the demo snapshots, and variants
 * in INR (amounts over a crore) and KWD (three decimals) with amounts recomputed exactly as the server does.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromMinor, lineAmountMinor, sumMinor } from '../../../../shared/domain/money.js';
import type { DocumentFormat, DocumentKind, DocumentSnapshot } from '../../../../shared/documents/snapshot.js';
import type { RenderInput } from './types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const FIXTURES = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/demo-snapshots.json'), 'utf8')) as Record<string, DocumentSnapshot>;

export function demoSnapshot(reference: string): DocumentSnapshot {
  const s = FIXTURES[reference];
  if (!s) throw new Error(`No demo snapshot ${reference}`);
  return structuredClone(s);
}

/** The snapshot in another currency with new unit prices; line amounts and the total recomputed exactly. */
export function repriced(s: DocumentSnapshot, currency: string, unitPrices: string[]): DocumentSnapshot {
  const out = structuredClone(s);
  out.order.currency = currency;
  out.lines.forEach((l, i) => {
    l.unitPrice = unitPrices[i]!;
    const minor = lineAmountMinor(l.quantity, l.unitPrice, l.discountPercent, currency);
    l.amount = { currency, amount: fromMinor(minor, currency), minor };
  });
  const total = sumMinor(out.lines.map((l) => l.amount.minor));
  out.totals.amount = { currency, amount: fromMinor(total, currency), minor: total };
  return out;
}

export const PAIRS: readonly (readonly [DocumentKind, DocumentFormat])[] = [
  ['proforma_invoice', 'docx'],
  ['commercial_invoice', 'docx'],
  ['commercial_invoice', 'xlsx'],
  ['packing_list', 'docx'],
  ['packing_list', 'xlsx'],
  ['certificate_of_origin', 'docx'],
  ['shipping_instructions', 'docx'],
];

export interface Case {
  name: string;
  snapshot: DocumentSnapshot;
  /** Facts the rendered documents must show. */
  expect: {
    exporter: string;
    consignee: string;
    hsCodes: string[];
    portOfLoading: string;
    portOfDischarge: string;
    vessel: string | null;
    /** Printed total amount, e.g. "54,390.00". */
    total: string;
    totalNumber: number;
    words: string;
    freight: 'PREPAID' | 'COLLECT';
    toOrder: boolean;
    netWeight: string;
    grossWeight: string;
    packages: string;
    amountFormat: string;
  };
}

export const DECLARATIONS = [
  { id: 'lut', text: 'Supply meant for export under LUT without payment of integrated tax.' },
  { id: 'origin', text: 'We declare that the goods are of Indian origin.' },
];
export const REQUIRED_DOCUMENTS = [
  { code: 'BL', name: 'Full set of clean on board bills of lading' },
  { code: 'COO', name: 'Certificate of origin issued by FIEO' },
];

export function cases(): Case[] {
  const de = demoSnapshot('KK-2026-0141-S1');
  const us = demoSnapshot('KK-2026-0147');
  const inr = repriced(demoSnapshot('KK-2026-0147'), 'INR', ['310.25', '2456.3021']);
  const kwd = repriced(demoSnapshot('KK-2026-0133'), 'KWD', ['4.27513']);
  return [
    {
      name: 'DE shipment S1 (EUR, FOB)',
      snapshot: de,
      expect: {
        exporter: 'Kaveri Knits Exports Pvt Ltd',
        consignee: 'Nordlicht Textilhandel GmbH',
        hsCodes: ['61091000', '61051000'],
        portOfLoading: 'Tuticorin',
        portOfDischarge: 'Hamburg',
        vessel: 'MSC ANNA / FJ547W',
        total: '54,390.00',
        totalNumber: 54390,
        words: 'Euros Fifty-Four Thousand Three Hundred Ninety Only',
        freight: 'COLLECT',
        toOrder: false,
        netWeight: '2,940.000',
        grossWeight: '3,420.000',
        packages: '310 Cartons',
        amountFormat: '#,##0.00',
      },
    },
    {
      name: 'US order (USD, CIF, LC)',
      snapshot: us,
      expect: {
        exporter: 'Kaveri Knits Exports Pvt Ltd',
        consignee: 'Hudson & Pine Home Goods Inc.',
        hsCodes: ['63026000', '63023100'],
        portOfLoading: 'Tuticorin',
        portOfDischarge: 'New York',
        vessel: null,
        total: '98,520.00',
        totalNumber: 98520,
        words: 'US Dollars Ninety-Eight Thousand Five Hundred Twenty Only',
        freight: 'PREPAID',
        toOrder: true,
        netWeight: '13,040.000',
        grossWeight: '14,200.000',
        packages: '1,034 Cartons',
        amountFormat: '#,##0.00',
      },
    },
    {
      name: 'INR order over a crore',
      snapshot: inr,
      expect: {
        exporter: 'Kaveri Knits Exports Pvt Ltd',
        consignee: 'Hudson & Pine Home Goods Inc.',
        hsCodes: ['63026000', '63023100'],
        portOfLoading: 'Tuticorin',
        portOfDischarge: 'New York',
        vessel: null,
        total: '1,21,00,125.04',
        totalNumber: 12100125.04,
        words: 'Rupees One Crore Twenty-One Lakh One Hundred Twenty-Five and Paise Four Only',
        freight: 'PREPAID',
        toOrder: true,
        netWeight: '13,040.000',
        grossWeight: '14,200.000',
        packages: '1,034 Cartons',
        amountFormat: '[>=10000000]##\\,##\\,##\\,##0.00;[>=100000]##\\,##\\,##0.00;##,##0.00',
      },
    },
    {
      name: 'KWD order (three decimals)',
      snapshot: kwd,
      expect: {
        exporter: 'Kaveri Knits Exports Pvt Ltd',
        consignee: 'Al Noor General Trading LLC',
        hsCodes: ['63023100'],
        portOfLoading: 'Tuticorin',
        portOfDischarge: 'Jebel Ali',
        vessel: null,
        total: '5,130.156',
        totalNumber: 5130.156,
        words: 'Kuwaiti Dinars Five Thousand One Hundred Thirty and Fils One Hundred Fifty-Six Only',
        freight: 'COLLECT',
        toOrder: false,
        netWeight: '1,620.000',
        grossWeight: '1,800.000',
        packages: '100 Cartons',
        amountFormat: '#,##0.000',
      },
    },
  ];
}

export function input(kind: DocumentKind, format: DocumentFormat, snapshot: DocumentSnapshot, overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    kind,
    format,
    snapshot,
    documentNumber: `KK/${kind === 'commercial_invoice' ? 'CI' : kind.slice(0, 2).toUpperCase()}/2026-27/0042`,
    documentDate: '2026-11-20',
    declarations: DECLARATIONS,
    requiredDocuments: REQUIRED_DOCUMENTS,
    status: 'final',
    relatedDocuments: [{ kind: 'commercial_invoice', number: 'KK/CI/2026-27/0042', date: '2026-11-20' }],
    ...overrides,
  };
}

/** Whitespace collapsed, hyphens rejoined where a line was wrapped after them (PDF text). */
export function flat(text: string): string {
  return text.replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ');
}
