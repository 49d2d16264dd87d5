/**
 * Realistic master data and order inputs for the benchmarks: a knitwear exporter shipping from
 * Indian ports to 15 destination countries, 10 buyers, 5 products.
 */
import type { z } from 'zod';
import type { OrderCreate } from '../../shared/contracts/orders.js';
import { PartyCreate } from '../../shared/contracts/parties.js';
import { ProductCreate } from '../../shared/contracts/products.js';
import type { ServiceContext } from '../../worker/src/services/context.js';
import { createParty, verifyParty } from '../../worker/src/services/parties.js';
import { createProduct } from '../../worker/src/services/products.js';

export type OrderInput = z.input<typeof OrderCreate>;

/** 15 destinations: country, discharge port (seaport UN/LOCODE), incoterm place, invoice currency. */
export const DESTINATIONS = [
  { country: 'DE', port: 'DEHAM', city: 'Hamburg', currency: 'EUR' },
  { country: 'NL', port: 'NLRTM', city: 'Rotterdam', currency: 'EUR' },
  { country: 'GB', port: 'GBFXT', city: 'Felixstowe', currency: 'GBP' },
  { country: 'US', port: 'USNYC', city: 'New York', currency: 'USD' },
  { country: 'AE', port: 'AEJEA', city: 'Jebel Ali', currency: 'USD' },
  { country: 'AU', port: 'AUSYD', city: 'Sydney', currency: 'AUD' },
  { country: 'JP', port: 'JPYOK', city: 'Yokohama', currency: 'USD' },
  { country: 'FR', port: 'FRLEH', city: 'Le Havre', currency: 'EUR' },
  { country: 'IT', port: 'ITGOA', city: 'Genoa', currency: 'EUR' },
  { country: 'ES', port: 'ESVLC', city: 'Valencia', currency: 'EUR' },
  { country: 'BE', port: 'BEANR', city: 'Antwerp', currency: 'EUR' },
  { country: 'SG', port: 'SGSIN', city: 'Singapore', currency: 'USD' },
  { country: 'CA', port: 'CAVAN', city: 'Vancouver', currency: 'CAD' },
  { country: 'ZA', port: 'ZADUR', city: 'Durban', currency: 'USD' },
  { country: 'SA', port: 'SAJED', city: 'Jeddah', currency: 'USD' },
] as const;

export const LOADING_PORTS = [
  { port: 'INNSA', city: 'Nhava Sheva' },
  { port: 'INMAA', city: 'Chennai' },
  { port: 'INTUT', city: 'Tuticorin' },
  { port: 'INCOK', city: 'Cochin' },
] as const;

/** The 8 statuses used in the listing data set (partially_shipped left out). */
export const LIST_STATUSES = ['draft', 'confirmed', 'in_production', 'ready_to_ship', 'shipped', 'delivered', 'closed', 'cancelled'] as const;

const BUYER_NAMES = [
  'Nordlicht Textilhandel GmbH',
  'Waalhaven Home B.V.',
  'Thistle & Loom Ltd',
  'Hudson & Pine Home Goods Inc.',
  'Al Noor General Trading LLC',
  'Coastline Apparel Pty Ltd',
  'Sakura Lifestyle K.K.',
  'Maison Lumière SARL',
  'Tessuti Bellini S.r.l.',
  'Casa Mediterránea S.L.',
];

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export interface Buyer {
  id: string;
  code: string;
  country: string;
  destination: (typeof DESTINATIONS)[number];
}
export interface MasterData {
  buyers: Buyer[];
  notifyPartyId: string;
  productIds: string[];
}

/** 10 verified buyers (one per the first 10 destinations), a notify party and 5 products, created through the services. */
export async function createMasterData(ctx: ServiceContext): Promise<MasterData> {
  const buyers: Buyer[] = [];
  for (let i = 0; i < BUYER_NAMES.length; i++) {
    const d = DESTINATIONS[i]!;
    const p = await createParty(
      ctx,
      PartyCreate.parse({
        name: BUYER_NAMES[i],
        roles: ['buyer', 'consignee'],
        address: { lines: [`${10 + i} Harbour Street`], city: d.city, country: d.country },
        taxIds: [{ type: 'OTHER', value: `TAX-${d.country}-${1000 + i}` }],
        contacts: [{ name: `Buyer ${i + 1}`, email: `buyer${i + 1}@example.com` }],
      }),
    );
    await verifyParty(ctx, p.id, p.version);
    buyers.push({ id: p.id, code: BUYER_NAMES[i]!.replace(/[^A-Z]/g, '').slice(0, 3).padEnd(3, 'X'), country: d.country, destination: d });
  }
  const notify = await createParty(
    ctx,
    PartyCreate.parse({
      name: 'Elbe Customs Brokers GmbH',
      roles: ['notify_party', 'customs_agent'],
      address: { lines: ['Am Sandtorkai 50'], city: 'Hamburg', country: 'DE' },
    }),
  );
  const productSpecs = [
    { sku: 'TS-180-WHT', description: 'Cotton crew-neck T-shirt, 180 gsm, white', hsCode: '6109.10.00', unit: 'PCS', netWeightKg: '0.18', grossWeightKg: '0.21' },
    { sku: 'PL-220-NVY', description: 'Cotton pique polo shirt, navy', hsCode: '610510', unit: 'PCS', netWeightKg: '0.25', grossWeightKg: '0.29' },
    { sku: 'HD-320-GRY', description: 'Fleece hooded sweatshirt, grey melange', hsCode: '611020', unit: 'PCS', netWeightKg: '0.52', grossWeightKg: '0.58' },
    { sku: 'BT-500-WHT', description: 'Terry bath towel 70x140, 500 gsm', hsCode: '630260', unit: 'PCS', netWeightKg: '0.49', grossWeightKg: '0.53' },
    { sku: 'BS-300-KNG', description: 'Percale bed sheet set, king', hsCode: '630231', unit: 'PCS', netWeightKg: '1.10', grossWeightKg: '1.25' },
  ];
  const productIds: string[] = [];
  for (const s of productSpecs) productIds.push((await createProduct(ctx, ProductCreate.parse(s))).id);
  return { buyers, notifyPartyId: notify.id, productIds };
}

const PAYMENT_TERMS: OrderInput['paymentTerms'][] = [
  { type: 'advance', percent: '30', balance: 'against_bl_copy' },
  { type: 'lc', tenor: 'sight' },
  { type: 'lc', tenor: 'usance', usanceDays: 60, usanceFrom: 'bl_date' },
  { type: 'dp' },
  { type: 'da', days: 90, from: 'bl_date' },
  { type: 'open_account', days: 60, from: 'invoice_date' },
];
const SEA_INCOTERMS = ['FOB', 'CIF', 'CFR', 'FCA', 'DAP'] as const;
const UNIT_PRICES = ['2.85', '5.40', '9.75', '6.20', '18.50', '3.10', '4.95'];
const DISCOUNTS = [undefined, undefined, '2.5', '5', undefined];

export const reference = (year: number, seq: number) => `EXP-${year}-${String(seq).padStart(6, '0')}`;

/**
 * Order bodies in the API input shape (what a client POSTs), with `lineCount` lines each.
 * `refStart` lets separate runs use distinct references.
 */
export function orderInputs(m: MasterData, count: number, lineCount: number, opts: { seed?: number; refStart?: number; year?: number } = {}): OrderInput[] {
  const r = rng(opts.seed ?? 42);
  const out: OrderInput[] = [];
  for (let i = 0; i < count; i++) {
    const seq = (opts.refStart ?? 1) + i;
    const buyer = pick(r, m.buyers);
    const load = pick(r, LOADING_PORTS);
    const dest = r() < 0.8 ? buyer.destination : pick(r, DESTINATIONS);
    const incoterm = pick(r, SEA_INCOTERMS);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    const lines: NonNullable<OrderInput['lines']> = [];
    for (let l = 0; l < lineCount; l++) {
      const discount = pick(r, DISCOUNTS);
      lines.push({
        productId: m.productIds[(i + l) % m.productIds.length]!,
        quantity: String(100 * (1 + Math.floor(r() * 60))),
        unitPrice: pick(r, UNIT_PRICES),
        ...(discount ? { discountPercent: discount } : {}),
      });
    }
    out.push({
      reference: reference(opts.year ?? 2026, seq),
      buyerPo: `${buyer.code}-PO-${10000 + Math.floor(r() * 89999)}`,
      buyerId: buyer.id,
      ...(r() < 0.2 ? { notifyPartyId: m.notifyPartyId } : {}),
      portOfLoading: load.port,
      portOfDischarge: dest.port,
      destinationCountry: dest.country,
      incoterm,
      incotermPlace: incoterm === 'FOB' || incoterm === 'FCA' ? load.city : dest.city,
      transportMode: 'sea',
      paymentTerms: pick(r, PAYMENT_TERMS),
      currency: dest.currency,
      requestedShipDate: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      ...(r() < 0.3 ? { remarks: 'Shipping marks as per buyer artwork; cartons on pallets, max 1.8 m.' } : {}),
      lines,
    });
  }
  return out;
}
