import type { z } from 'zod';
import { OrderCreate } from '../../../shared/contracts/orders.js';
import { OrganisationCreate } from '../../../shared/contracts/organisations.js';
import { PartyCreate } from '../../../shared/contracts/parties.js';
import { ProductCreate } from '../../../shared/contracts/products.js';
import type { Role } from '../../../shared/domain/roles.js';
import type { Database } from '../db/client.js';
import type { ServiceContext } from '../services/context.js';
import { createOrder } from '../services/orders/orders.js';
import { transitionOrder } from '../services/orders/transitions.js';
import { createOrganisation, createUser } from '../services/organisations.js';
import { setShipmentParties } from '../services/shipment-parties.js';
import { createParty, verifyParty } from '../services/parties.js';
import { createProduct } from '../services/products.js';
import { createShipment, getShipment, transitionShipment } from '../services/shipments.js';
import { BookingInput } from '../../../shared/contracts/bookings.js';
import { putBooking } from '../services/bookings.js';
import { generateDocuments } from '../services/documents/documents.js';
import { sweepExceptions } from '../services/exceptions/index.js';
import { putNotificationPreferences } from '../services/notifications/prefs.js';
import { seedMoneyDemo } from './money.js';
import { DEMO_ADMIN, DEMO_ORG, DEMO_PARTIES, DEMO_PRODUCTS, DEMO_OUTSIDE_USERS, DEMO_USERS, demoBooking } from './data.js';

const day = 86_400_000;

/** The demo LUT for the Indian financial year (1 April – 31 March) that contains `now`, so the demo never starts expired. */
function currentLut(now: Date) {
  const y = now.getUTCMonth() >= 3 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return { ...DEMO_ORG.lut!, financialYear: `${y}-${String((y + 1) % 100).padStart(2, '0')}`, validUntil: `${y + 1}-03-31` };
}
const date = (now: Date, days: number) => new Date(now.getTime() + days * day).toISOString().slice(0, 10);

/**
 * Demo data for a first run: a Tiruppur exporter with buyers in Germany, the USA, Australia and the
 * UAE, and orders in several states — one split across Hamburg and Rotterdam, partly shipped.
 */
export async function seedDemo(database: Database, now = new Date()) {
  const { organisation, user, apiKey } = await createOrganisation(database, OrganisationCreate.parse({ ...DEMO_ORG, lut: currentLut(now) }), DEMO_ADMIN, now);
  const ctx: ServiceContext = { database, orgId: organisation.id, actor: { userId: user.id, role: 'admin' as Role }, now: () => new Date() };
  for (const u of DEMO_USERS) await createUser(ctx, u);

  const party: Record<string, string> = {};
  for (const [key, input] of Object.entries(DEMO_PARTIES)) {
    const p = await createParty(ctx, PartyCreate.parse(input));
    party[key] = (await verifyParty(ctx, p.id, p.version)).id;
  }
  // Outside users: the forwarder's and the customs agent's staff see only the shipments assigned to their company.
  for (const u of DEMO_OUTSIDE_USERS) await createUser(ctx, { email: u.email, name: u.name, role: u.role, partyId: party[u.party]! });
  const product: Record<string, string> = {};
  for (const [key, input] of Object.entries(DEMO_PRODUCTS)) product[key] = (await createProduct(ctx, ProductCreate.parse(input))).id;

  const base = {
    portOfLoading: 'INTUT',
    transportMode: 'sea' as const,
  };
  let count = 0;
  const make = async (input: z.input<typeof OrderCreate>) => {
    count++;
    return createOrder(ctx, OrderCreate.parse(input));
  };
  const step = async (orderId: string, version: number, ...targets: ('confirmed' | 'in_production' | 'ready_to_ship')[]) => {
    let v = version;
    for (const to of targets) v = (await transitionOrder(ctx, orderId, v, { to })).version;
    return v;
  };

  // 1. Germany, split: Hamburg and Rotterdam; first shipment has sailed.
  const de = await make({
    ...base,
    reference: 'KK-2026-0141',
    buyerPo: 'NL-PO-88231',
    buyerId: party.hamburg!,
    notifyPartyId: party.notifyHamburg!,
    portOfDischarge: 'DEHAM',
    destinationCountry: 'DE',
    incoterm: 'FOB',
    incotermPlace: 'Tuticorin',
    paymentTerms: { type: 'advance', percent: '30', balance: 'against_bl_copy' },
    currency: 'EUR',
    requestedShipDate: date(now, -10),
    lines: [
      { productId: product.tee!, quantity: '12000', unitPrice: '2.85', discountPercent: '0' },
      { productId: product.polo!, quantity: '6000', unitPrice: '5.40', discountPercent: '2.5' },
    ],
  });
  await step(de.id, de.version, 'confirmed', 'in_production', 'ready_to_ship');
  const [tee, polo] = de.lines;
  const s1 = await createShipment(ctx, de.id, {
    plannedShipDate: date(now, -8),
    plannedArrivalDate: date(now, 18),
    marks: 'NORDLICHT / HAMBURG\nPO NL-PO-88231\nC/NO. 1-310\nMADE IN INDIA',
    vessel: 'MSC ANNA',
    voyage: 'FJ547W',
    blNumber: 'MEDUTU123456',
    blDate: date(now, -7),
    allocations: [{ orderLineId: tee!.id, quantity: '8000' }, { orderLineId: polo!.id, quantity: '6000' }],
  });
  await createShipment(ctx, de.id, {
    consigneeId: party.rotterdam!,
    destinationCountry: 'NL',
    portOfDischarge: 'NLRTM',
    plannedShipDate: date(now, 12),
    plannedArrivalDate: date(now, 40),
    marks: 'NORDLICHT BENELUX / ROTTERDAM\nPO NL-PO-88231\nC/NO. 1-80\nMADE IN INDIA',
    allocations: [{ orderLineId: tee!.id, quantity: '4000' }],
  });
  await transitionShipment(ctx, s1.id, s1.version, { to: 'shipped', at: new Date(now.getTime() - 7 * day).toISOString() });

  // 2. USA, confirmed, CIF New York under a sight LC.
  const us = await make({
    ...base,
    reference: 'KK-2026-0147',
    buyerPo: 'HP-45521',
    buyerId: party.newyork!,
    portOfDischarge: 'USNYC',
    destinationCountry: 'US',
    incoterm: 'CIF',
    incotermPlace: 'New York',
    paymentTerms: { type: 'lc', tenor: 'sight' },
    currency: 'USD',
    requestedShipDate: date(now, 21),
    lines: [
      { productId: product.towel!, quantity: '20000', unitPrice: '3.15' },
      { productId: product.sheet!, quantity: '2400', unitPrice: '14.80' },
    ],
  });
  await step(us.id, us.version, 'confirmed');

  // 3. Australia, in production, open account 60 days.
  const au = await make({
    ...base,
    reference: 'KK-2026-0152',
    buyerPo: 'CA-7781',
    buyerId: party.sydney!,
    portOfDischarge: 'AUSYD',
    destinationCountry: 'AU',
    incoterm: 'CFR',
    incotermPlace: 'Sydney',
    paymentTerms: { type: 'open_account', days: 60, from: 'bl_date' },
    currency: 'AUD',
    requestedShipDate: date(now, 30),
    lines: [
      { productId: product.kids!, quantity: '15000', unitPrice: '2.10' },
      { productId: product.tee!, quantity: '5000', unitPrice: '3.95' },
    ],
  });
  await step(au.id, au.version, 'confirmed', 'in_production');

  // 4. UAE, draft, D/P, awaiting the buyer's final quantities.
  await make({
    ...base,
    reference: 'KK-2026-0158',
    buyerPo: 'ANT/PO/2026/311',
    buyerId: party.dubai!,
    portOfDischarge: 'AEJEA',
    destinationCountry: 'AE',
    incoterm: 'CFR',
    incotermPlace: 'Jebel Ali',
    paymentTerms: { type: 'dp' },
    currency: 'USD',
    requestedShipDate: date(now, 45),
    remarks: 'Buyer to confirm colour split before production.',
    lines: [{ productId: product.towel!, quantity: '8000', unitPrice: '3.05' }],
  });

  // 5. UAE, ready to ship, 100% advance.
  const ae = await make({
    ...base,
    reference: 'KK-2026-0133',
    buyerPo: 'ANT/PO/2026/287',
    buyerId: party.dubai!,
    portOfDischarge: 'AEJEA',
    destinationCountry: 'AE',
    incoterm: 'FOB',
    incotermPlace: 'Tuticorin',
    paymentTerms: { type: 'advance', percent: '100' },
    currency: 'USD',
    requestedShipDate: date(now, 5),
    lines: [{ productId: product.sheet!, quantity: '1200', unitPrice: '13.95' }],
  });
  await step(ae.id, ae.version, 'confirmed', 'in_production', 'ready_to_ship');

  // The early warning: the UAE shipment is booked, its documents cut-off 36 h away, its commercial invoice a draft.
  // The sweep below raises "commercial invoice not final 2 days before the documents cut-off" for documentation;
  // approving and finalising the invoice (POST /documents/{id}/transitions) resolves it.
  const aeShipment = await createShipment(ctx, ae.id, {
    marks: 'AL NOOR / JEBEL ALI\nPO ANT/PO/2026/287\nC/NO. 1-60\nMADE IN INDIA',
    allocations: ae.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })),
  });
  await putBooking(ctx, aeShipment.id, BookingInput.parse(demoBooking(now, party.forwarder!)), null); // assigns the forwarder
  await setShipmentParties(ctx, aeShipment.id, (await getShipment(ctx, aeShipment.id)).version, { customsAgentId: party.cha! });
  await generateDocuments(ctx, ae.id, { shipmentId: aeShipment.id, kinds: ['commercial_invoice'] });

  // Buyer e-mails: Al Noor (UAE) hears when a shipment departs and gets its documents once final (sent when
  // EMAIL_TRANSPORT is configured; until then they wait in the outbox, GET /orders/{id}/notifications).
  await putNotificationPreferences(ctx, party.dubai!, { enabled: true, events: ['departed', 'documents_final'], recipients: [] }, null);

  // Money: an order quoted in EUR, bought in INR, freighted in USD, paid at two rates (GET /orders/{id}/profitability).
  const money = await seedMoneyDemo(ctx, { buyer: party.hamburg!, product: product.polo! }, now);
  count++;

  const exceptions = await sweepExceptions({ ...ctx, now: () => now });
  return { organisation, user, apiKey: apiKey.key, orders: count, parties: party, products: product, demoShipmentId: aeShipment.id, money, exceptions };
}
