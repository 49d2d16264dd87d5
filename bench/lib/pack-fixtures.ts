/**
 * Scenario C data: a 200-line export order of a home-textile and knitwear exporter — 24 products over 12 HS
 * headings (chapters 52, 61, 62, 63, 65), seven units (PCS, SET, PR, DZ, KG, M, ROL), six package types, and
 * a few products without units per package (their lines are left out of the package count, as in real packs).
 *
 *   packSnapshots(n)      — the DocumentSnapshots production would build for such an order: a demo fixture
 *                           (the Hamburg shipment KK-2026-0141-S1) cloned, its lines replaced by n lines with
 *                           amounts, weights and packages computed exactly as services/documents/snapshot.ts
 *                           computes them, and totals by its snapshotTotals; `order` is the order-scope twin (the
 *                           proforma's), `shipment` the shipping pack's.
 *   packOrderBody(ids, n) — the same order as a POST /orders body, for the workerd run (products created
 *                           with PACK_PRODUCTS through the service layer).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { OrderCreate } from '../../shared/contracts/orders.js';
import type { ProductCreate } from '../../shared/contracts/products.js';
import type { DocumentSnapshot, LineSnapshot } from '../../shared/documents/snapshot.js';
import { fromMinor, lineAmountMinor, multiplyDecimal, packagesFor } from '../../shared/domain/money.js';
import { snapshotTotals } from '../../worker/src/services/documents/snapshot.js';
import { pick, rng } from './fixtures.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'demo-snapshots.json');

type ProductSpec = z.input<typeof ProductCreate> & { prices: string[] };

/** 24 products; `prices` are the unit prices (EUR) a line picks from. */
export const PACK_PRODUCTS: ProductSpec[] = [
  { sku: 'KK-TS-180-WHT', description: "Men's cotton T-shirt, 180 GSM single jersey, white", hsCode: '61091000', unit: 'PCS', netWeightKg: '0.18', grossWeightKg: '0.21', packageType: 'CTN', unitsPerPackage: 50, prices: ['2.85', '2.90', '3.05'] },
  { sku: 'KK-TS-160-BLK', description: "Women's cotton V-neck T-shirt, 160 GSM, black", hsCode: '61091000', unit: 'PCS', netWeightKg: '0.16', grossWeightKg: '0.19', packageType: 'CTN', unitsPerPackage: 60, prices: ['2.70', '2.95'] },
  { sku: 'KK-TS-PES-SPT', description: 'Sports T-shirt, recycled polyester mesh, quick dry', hsCode: '61099090', unit: 'PCS', netWeightKg: '0.14', grossWeightKg: '0.17', packageType: 'CTN', unitsPerPackage: 80, prices: ['3.40', '3.65'] },
  { sku: 'KK-PL-220-NVY', description: "Men's cotton pique polo shirt, 220 GSM, navy, embroidered logo", hsCode: '61051000', unit: 'PCS', netWeightKg: '0.25', grossWeightKg: '0.29', packageType: 'CTN', unitsPerPackage: 40, prices: ['5.40', '5.75'] },
  { sku: 'KK-HD-320-GRY', description: 'Fleece hooded sweatshirt, 320 GSM brushed, grey melange', hsCode: '61102000', unit: 'PCS', netWeightKg: '0.52', grossWeightKg: '0.58', packageType: 'CTN', unitsPerPackage: 20, prices: ['9.75', '10.20'] },
  { sku: 'KK-SW-ACR-RED', description: 'Crew-neck pullover, acrylic knit, red', hsCode: '61103090', unit: 'PCS', netWeightKg: '0.41', grossWeightKg: '0.46', packageType: 'CTN', unitsPerPackage: 24, prices: ['7.10'] },
  { sku: 'KK-BB-ROM-SET', description: 'Baby romper set (3 pcs), organic cotton interlock', hsCode: '61112000', unit: 'SET', netWeightKg: '0.21', grossWeightKg: '0.25', packageType: 'CTN', unitsPerPackage: 48, prices: ['6.20', '6.45'] },
  { sku: 'KK-UW-BRF-3PK', description: "Men's cotton briefs, pack of 3", hsCode: '61071100', unit: 'SET', netWeightKg: '0.15', grossWeightKg: '0.18', packageType: 'CTN', unitsPerPackage: 100, prices: ['3.10', '3.25'] },
  { sku: 'KK-UW-LAD-5PK', description: "Women's cotton briefs, pack of 5, assorted colours", hsCode: '61082100', unit: 'SET', netWeightKg: '0.17', grossWeightKg: '0.2', packageType: 'CTN', unitsPerPackage: 100, prices: ['4.95'] },
  { sku: 'KK-SK-CTN-PR', description: 'Combed cotton crew socks, cushioned sole', hsCode: '61159500', unit: 'PR', netWeightKg: '0.06', grossWeightKg: '0.07', packageType: 'CTN', unitsPerPackage: 240, prices: ['0.85', '0.92'] },
  { sku: 'KK-GL-KNT-PR', description: 'Knitted work gloves, cotton with PVC dots', hsCode: '61161000', unit: 'PR', netWeightKg: '0.08', grossWeightKg: '0.09', packageType: 'BAL', unitsPerPackage: 600, prices: ['0.64'] },
  { sku: 'KK-HK-CTN-DZ', description: "Men's cotton handkerchiefs, white, hemstitched", hsCode: '62132000', unit: 'DZ', netWeightKg: '0.3', grossWeightKg: '0.33', packageType: 'CTN', unitsPerPackage: 50, prices: ['4.80'] },
  { sku: 'KK-TR-CHN-KHK', description: "Men's cotton chino trousers, twill, khaki", hsCode: '62034200', unit: 'PCS', netWeightKg: '0.55', grossWeightKg: '0.61', packageType: 'CTN', unitsPerPackage: 30, prices: ['11.50', '12.10'] },
  { sku: 'KK-TR-LIN-WMN', description: "Women's linen-cotton trousers, wide leg", hsCode: '62046200', unit: 'PCS', netWeightKg: '0.42', grossWeightKg: '0.48', packageType: 'CTN', unitsPerPackage: 30, prices: ['12.80'] },
  { sku: 'KK-CP-COT-BLU', description: 'Cotton baseball cap, washed twill, blue', hsCode: '65050090', unit: 'PCS', netWeightKg: '0.09', grossWeightKg: '0.11', packageType: 'BOX', unitsPerPackage: 144, prices: ['1.95'] },
  { sku: 'KK-BT-500-WHT', description: 'Terry bath towel 70x140 cm, 500 GSM, white', hsCode: '63026000', unit: 'PCS', netWeightKg: '0.49', grossWeightKg: '0.53', packageType: 'CTN', unitsPerPackage: 30, prices: ['4.20', '4.35'] },
  { sku: 'KK-KT-WAF-SET', description: 'Waffle kitchen towel set of 4, cotton', hsCode: '63029100', unit: 'SET', netWeightKg: '0.32', grossWeightKg: '0.36', packageType: 'CTN', unitsPerPackage: 50, prices: ['3.60'] },
  { sku: 'KK-BS-300-KNG', description: 'Bed sheet set, cotton percale 300 TC, king', hsCode: '63023100', unit: 'SET', netWeightKg: '1.35', grossWeightKg: '1.5', packageType: 'CTN', unitsPerPackage: 12, prices: ['13.95', '14.40'] },
  { sku: 'KK-BS-PRT-QN', description: 'Printed duvet cover set, cotton sateen, queen', hsCode: '63022100', unit: 'SET', netWeightKg: '1.2', grossWeightKg: '1.34', packageType: 'CTN', unitsPerPackage: 12, prices: ['16.50'] },
  { sku: 'KK-TL-LIN-RND', description: 'Round table cloth 180 cm, cotton, hemmed', hsCode: '63025100', unit: 'PCS', netWeightKg: '0.6', grossWeightKg: '0.66', packageType: 'CTN', unitsPerPackage: 25, prices: ['6.90'] },
  { sku: 'KK-FB-PPL-150', description: 'Cotton poplin fabric 150 cm, greige, 40x40 133x72', hsCode: '52081200', unit: 'M', netWeightKg: '0.15', grossWeightKg: '0.16', packageType: 'ROL', unitsPerPackage: 100, prices: ['1.18', '1.225'] },
  { sku: 'KK-YN-30S-CMB', description: 'Combed cotton yarn 30s Ne, single, on cones', hsCode: '52051200', unit: 'KG', netWeightKg: '1', grossWeightKg: '1.04', packageType: 'BAG', unitsPerPackage: 50, prices: ['3.3125', '3.42'] },
  { sku: 'KK-RG-PP-160', description: 'Machine-made rug 160x230, polypropylene, tufted', hsCode: '57024200', unit: 'PCS', netWeightKg: '4.8', grossWeightKg: '5.3', packageType: 'BDL', prices: ['21.40'] },
  { sku: 'KK-CU-CVR-45', description: 'Cushion cover 45x45, cotton canvas, block printed', hsCode: '63049200', unit: 'PCS', netWeightKg: '0.12', grossWeightKg: '0.14', packageType: 'PKG', prices: ['2.35'] },
];

/** Order lines: product index, quantity, unit price, discount — deterministic. */
function packLineSpecs(n: number, seed = 200): { product: number; quantity: string; unitPrice: string; discountPercent: string }[] {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const product = Math.floor(r() * PACK_PRODUCTS.length);
    const p = PACK_PRODUCTS[product]!;
    const quantity =
      p.unit === 'KG' ? `${200 + Math.floor(r() * 4000)}.${Math.floor(r() * 10)}` : p.unit === 'M' ? `${1000 + Math.floor(r() * 9000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}` : String(50 * (2 + Math.floor(r() * 120)));
    const x = r();
    out.push({ product, quantity, unitPrice: pick(r, p.prices), discountPercent: x < 0.15 ? '2.5' : x < 0.2 ? '5' : '0' });
  }
  return out;
}

/** The two snapshots of an n-line order in EUR shipped Tuticorin → Hamburg (order scope, shipment scope). */
export function packSnapshots(n: number): { order: DocumentSnapshot; shipment: DocumentSnapshot } {
  const fixture = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as Record<string, DocumentSnapshot>)['KK-2026-0141-S1']!;
  const s = structuredClone(fixture);
  const currency = s.order.currency;
  const lines: LineSnapshot[] = packLineSpecs(n).map((spec, i) => {
    const p = PACK_PRODUCTS[spec.product]!;
    const minor = lineAmountMinor(spec.quantity, spec.unitPrice, spec.discountPercent, currency);
    return {
      lineNo: i + 1,
      orderLineId: `oln_BENCH${String(i + 1).padStart(21, '0')}`,
      productId: `prd_BENCH${String(spec.product + 1).padStart(21, '0')}`,
      sku: p.sku,
      description: p.description,
      hsCode: p.hsCode,
      hsChapter: p.hsCode.slice(0, 2),
      originCountry: p.originCountry ?? 'IN',
      quantity: spec.quantity,
      unit: p.unit,
      unitPrice: spec.unitPrice,
      discountPercent: spec.discountPercent,
      amount: { currency, amount: fromMinor(minor, currency), minor },
      netWeightKg: multiplyDecimal(spec.quantity, p.netWeightKg, 3),
      grossWeightKg: multiplyDecimal(spec.quantity, p.grossWeightKg, 3),
      packages: p.unitsPerPackage ? { type: p.packageType ?? 'CTN', count: packagesFor(spec.quantity, p.unitsPerPackage) } : null,
    };
  });
  s.lines = lines;
  s.totals = snapshotTotals(lines, currency);
  s.shipment!.marks = `NORDLICHT / HAMBURG\nPO ${s.order.buyerPo}\nC/NO. 1-${s.totals.packageCount}\nMADE IN INDIA`;
  const order: DocumentSnapshot = { ...structuredClone(s), scope: 'order', shipment: null };
  return { order, shipment: s };
}

/** POST /orders body for the same n lines, given the ids of PACK_PRODUCTS as created. */
export function packOrderBody(productIds: string[], buyerId: string, n: number, reference = 'KK-2026-0200'): z.input<typeof OrderCreate> {
  return {
    reference,
    buyerPo: 'NL-PO-90200',
    buyerId,
    portOfLoading: 'INTUT',
    portOfDischarge: 'DEHAM',
    destinationCountry: 'DE',
    incoterm: 'FOB',
    incotermPlace: 'Tuticorin',
    paymentTerms: { type: 'advance', percent: '30', balance: 'against_bl_copy' },
    currency: 'EUR',
    requestedShipDate: '2026-12-20',
    lines: packLineSpecs(n).map((l) => ({
      productId: productIds[l.product]!,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      ...(l.discountPercent !== '0' ? { discountPercent: l.discountPercent } : {}),
    })),
  };
}

/** The product specs as ProductCreate inputs (without the bench-only `prices`). */
export function packProductInputs(): z.input<typeof ProductCreate>[] {
  return PACK_PRODUCTS.map(({ prices: _prices, ...p }) => p);
}
