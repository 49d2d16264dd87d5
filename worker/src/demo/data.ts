import type { z } from 'zod';
import { OrganisationCreate } from '../../../shared/contracts/organisations.js';
import { PartyCreate } from '../../../shared/contracts/parties.js';
import { ProductCreate } from '../../../shared/contracts/products.js';

/** A knitwear and home-textile exporter in Tiruppur, Tamil Nadu. */
export const DEMO_ORG: z.input<typeof OrganisationCreate> = {
  legalName: 'Kaveri Knits Exports Pvt Ltd',
  address: { lines: ['SF No. 214, Avinashi Road', 'Pooluvapatti'], city: 'Tiruppur', postcode: '641602', region: 'Tamil Nadu', country: 'IN' },
  iec: '0412345678',
  gstin: '33AABCK1234M1Z5',
  adCode: '6390005',
  baseCurrency: 'INR',
  lut: { arn: 'AD330426001234X', financialYear: '2026-27', validUntil: '2027-03-31' },
  claimsRodtep: true,
  signatory: { name: 'Meena Raghavan', designation: 'Director' },
  bankDetails: { bankName: 'State Bank of India', branch: 'Tiruppur Main', accountName: 'Kaveri Knits Exports Pvt Ltd', accountNumber: '38765432109', swift: 'SBININBB474', ifsc: 'SBIN0000917' },
};

export const DEMO_ADMIN = { email: 'admin@kaverik.example', name: 'Meena Raghavan' };

export const DEMO_USERS = [
  { email: 'ops@kaverik.example', name: 'Arjun Prakash', role: 'ops' as const },
  { email: 'docs@kaverik.example', name: 'Lakshmi Iyer', role: 'documentation' as const },
  { email: 'finance@kaverik.example', name: 'Suresh Kumar', role: 'finance' as const },
];

/** Staff of the demo forwarder and customs agent (`party`: a key of DEMO_PARTIES); they see only the UAE shipment. */
export const DEMO_OUTSIDE_USERS = [
  { email: 'ravi@coromandel.example', name: 'Ravi Shankar', role: 'forwarder' as const, party: 'forwarder' },
  { email: 'desk@srimurugan.example', name: 'Murugan Desk', role: 'customs_agent' as const, party: 'cha' },
];

/** Keys are referred to by the seed. */
export const DEMO_PARTIES: Record<string, z.input<typeof PartyCreate>> = {
  hamburg: {
    name: 'Nordlicht Textilhandel GmbH',
    roles: ['buyer', 'consignee'],
    address: { lines: ['Große Elbstraße 145'], city: 'Hamburg', postcode: '22767', country: 'DE' },
    taxIds: [{ type: 'VAT', value: 'DE287654321' }, { type: 'EORI', value: 'DE1234567890123' }],
    contacts: [{ name: 'Katrin Vogel', email: 'k.vogel@nordlicht.example', role: 'purchasing' }],
  },
  rotterdam: {
    name: 'Nordlicht Benelux B.V.',
    roles: ['consignee'],
    address: { lines: ['Waalhaven Zuidzijde 21'], city: 'Rotterdam', postcode: '3089 JH', country: 'NL' },
    taxIds: [{ type: 'VAT', value: 'NL859123456B01' }, { type: 'EORI', value: 'NL859123456' }],
    contacts: [{ name: 'Joost de Vries', email: 'j.devries@nordlicht.example', role: 'logistics' }],
  },
  newyork: {
    name: 'Hudson & Pine Home Goods Inc.',
    roles: ['buyer', 'consignee'],
    address: { lines: ['350 Fifth Avenue, Suite 4100'], city: 'New York', postcode: '10118', region: 'NY', country: 'US' },
    taxIds: [{ type: 'EIN', value: '13-4567890' }, { type: 'IOR', value: '13-456789000' }],
    contacts: [{ name: 'Dana Whitfield', email: 'dana@hudsonpine.example', role: 'sourcing' }],
  },
  sydney: {
    name: 'Coastline Apparel Pty Ltd',
    roles: ['buyer', 'consignee'],
    address: { lines: ['88 Bourke Road'], city: 'Alexandria', postcode: '2015', region: 'NSW', country: 'AU' },
    taxIds: [{ type: 'ABN', value: '51 824 753 556' }],
    contacts: [{ name: 'Liam O\u2019Connor', email: 'liam@coastline.example', role: 'buying' }],
  },
  dubai: {
    name: 'Al Noor General Trading LLC',
    roles: ['buyer', 'consignee'],
    address: { lines: ['Warehouse 12, Jebel Ali Free Zone South'], city: 'Dubai', country: 'AE' },
    taxIds: [{ type: 'TRN', value: '100234567800003' }],
    contacts: [{ name: 'Farah Haddad', email: 'farah@alnoor.example', role: 'procurement' }],
  },
  notifyHamburg: {
    name: 'Elbe Customs Brokers GmbH',
    roles: ['notify_party', 'customs_agent'],
    address: { lines: ['Am Sandtorkai 50'], city: 'Hamburg', postcode: '20457', country: 'DE' },
    taxIds: [{ type: 'EORI', value: 'DE9876543210987' }],
    contacts: [{ name: 'Jonas Brandt', email: 'ops@elbecustoms.example' }],
  },
  forwarder: {
    name: 'Coromandel Freight Forwarders Pvt Ltd',
    roles: ['forwarder'],
    address: { lines: ['12 Rajaji Salai'], city: 'Chennai', postcode: '600001', region: 'Tamil Nadu', country: 'IN' },
    taxIds: [{ type: 'GSTIN', value: '33AACCC4321F1Z9' }],
    contacts: [{ name: 'Ravi Shankar', email: 'bookings@coromandel.example' }],
  },
  cha: {
    name: 'Sri Murugan Customs Clearing Agency',
    roles: ['customs_agent'],
    address: { lines: ['45 Harbour Road'], city: 'Tuticorin', postcode: '628001', region: 'Tamil Nadu', country: 'IN' },
    taxIds: [{ type: 'GSTIN', value: '33AAFCS9876K1Z2' }],
    contacts: [{ name: 'K. Murugan', email: 'cha@srimurugan.example' }],
  },
};

export const DEMO_PRODUCTS: Record<string, z.input<typeof ProductCreate>> = {
  tee: { sku: 'KK-TS-180-WHT', description: "Men's cotton T-shirt, 180 GSM single jersey, white", hsCode: '6109.10.00', unit: 'PCS', netWeightKg: '0.18', grossWeightKg: '0.21', originCountry: 'IN', unitsPerPackage: 50 },
  polo: { sku: 'KK-PL-220-NVY', description: "Men's cotton pique polo shirt, 220 GSM, navy", hsCode: '61051000', unit: 'PCS', netWeightKg: '0.25', grossWeightKg: '0.29', originCountry: 'IN', unitsPerPackage: 40 },
  towel: { sku: 'KK-TW-500-70140', description: 'Terry bath towel, 100% cotton, 500 GSM, 70×140 cm', hsCode: '63026000', unit: 'PCS', netWeightKg: '0.49', grossWeightKg: '0.53', originCountry: 'IN', unitsPerPackage: 24 },
  sheet: { sku: 'KK-BS-300TC-Q', description: 'Bed sheet set, cotton percale 300 TC, queen', hsCode: '63023100', unit: 'SET', netWeightKg: '1.35', grossWeightKg: '1.5', originCountry: 'IN', unitsPerPackage: 12 },
  kids: { sku: 'KK-KT-160-AST', description: "Children's cotton T-shirt, 160 GSM, assorted prints", hsCode: '61091000', unit: 'PCS', netWeightKg: '0.11', grossWeightKg: '0.13', originCountry: 'IN', unitsPerPackage: 100 },
};

/**
 * The booking of the UAE order's shipment (KK-2026-0133-S1), with times relative to seeding: the documents cut-off
 * 36 hours away while the commercial invoice is still a draft, so the documentation role sees the exception
 * "commercial invoice not final 2 days before the documents cut-off" as soon as the demo starts.
 */
export function demoBooking(now: Date, forwarderId: string) {
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000).toISOString();
  return {
    status: 'confirmed' as const,
    forwarderId,
    carrier: 'Emirates Shipping Line',
    bookingNumber: 'ESL-TUT-260417',
    vessel: 'EMIRATES DANA',
    voyage: '0417W',
    equipment: [{ type: '20GP' as const, count: 1 }],
    cutoffs: { documents: at(36), vgm: at(44), cargo: at(48) },
    etd: at(72),
    eta: at(72 + 6 * 24),
    timeZone: 'Asia/Kolkata',
  };
}
