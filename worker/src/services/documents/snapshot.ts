import { and, eq, inArray } from 'drizzle-orm';
import type { Address } from '../../../../shared/contracts/common.js';
import type { PaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { describePaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { countryName } from '../../../../shared/domain/countries.js';
import { lineAmountMinor, multiplyDecimal, packagesFor, sumDecimal, sumMinor } from '../../../../shared/domain/money.js';
import type { DocumentSnapshot, LineSnapshot, PartySnapshot, PortSnapshot } from '../../../../shared/documents/snapshot.js';
import { seaport } from '../../../../shared/reference/ports.js';
import type { Executor } from '../../db/client.js';
import { organisations, parties, products, shipmentAllocations, shipments } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import { AppError, notFound, unprocessable } from '../errors.js';
import { money } from '../orders/mapping.js';
import { loadLines, loadOrderRow } from '../orders/orders.js';

type PartyRow = typeof parties.$inferSelect;

const partySnapshot = (p: PartyRow): PartySnapshot => ({
  id: p.id,
  name: p.name,
  address: p.address as Address,
  countryName: countryName(p.country) ?? p.country,
  taxIds: p.taxIds as PartySnapshot['taxIds'],
  contacts: p.contacts as PartySnapshot['contacts'],
  verified: p.verifiedAt !== null,
});

const port = (code: string): PortSnapshot => ({ code, name: seaport(code)?.name ?? null, country: code.slice(0, 2) });

/**
 * Freeze everything the documents of an order — or of one of its shipments — need, read in one
 * consistent view. For a shipment, lines carry the quantities allocated to it and amounts for those.
 */
export async function buildSnapshot(db: Executor, ctx: ServiceContext, target: { orderId: string; shipmentId?: string | null }): Promise<DocumentSnapshot> {
  const order = await loadOrderRow(db, ctx, target.orderId);
  let shipment: typeof shipments.$inferSelect | undefined;
  let allocations = new Map<string, string>();
  if (target.shipmentId) {
    [shipment] = await db.select().from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, target.shipmentId), eq(shipments.orderId, order.id)));
    if (!shipment) throw notFound('Shipment', target.shipmentId);
    const rows = await db.select().from(shipmentAllocations).where(eq(shipmentAllocations.shipmentId, shipment.id));
    allocations = new Map(rows.map((a) => [a.orderLineId, a.quantity]));
  }
  const [org] = await db.select().from(organisations).where(eq(organisations.id, ctx.orgId));
  if (!org) throw notFound('Organisation', ctx.orgId);
  const consigneeId = shipment?.consigneeId ?? order.consigneeId;
  const partyRows = await db
    .select()
    .from(parties)
    .where(and(eq(parties.orgId, ctx.orgId), inArray(parties.id, [order.buyerId, consigneeId, ...(order.notifyPartyId ? [order.notifyPartyId] : [])])));
  const party = (id: string) => {
    const row = partyRows.find((p) => p.id === id);
    if (!row) throw notFound('Party', id);
    return partySnapshot(row);
  };

  const orderLines = (await loadLines(db, order.id)).filter((l) => !shipment || allocations.has(l.id));
  if (!orderLines.length) {
    throw unprocessable('NOTHING_TO_DOCUMENT', shipment ? 'This shipment has no allocated lines' : 'This order has no lines', [{ path: shipment ? 'allocations' : 'lines', message: 'Add lines before making documents' }]);
  }
  const productRows = await db.select().from(products).where(inArray(products.id, [...new Set(orderLines.map((l) => l.productId))]));
  const productOf = (id: string) => productRows.find((p) => p.id === id)!;

  const lines: LineSnapshot[] = orderLines.map((l, i) => {
    const p = productOf(l.productId);
    const quantity = allocations.get(l.id) ?? l.quantity;
    const amountMinor = shipment ? lineAmountMinor(quantity, l.unitPrice, l.discountPercent, order.currency) : l.amountMinor;
    return {
      lineNo: i + 1,
      orderLineId: l.id,
      productId: l.productId,
      sku: p.sku,
      description: l.description,
      hsCode: l.hsCode,
      hsChapter: l.hsCode.slice(0, 2),
      originCountry: p.originCountry,
      quantity,
      unit: l.unit,
      unitPrice: l.unitPrice,
      discountPercent: l.discountPercent,
      amount: money(amountMinor, order.currency),
      netWeightKg: multiplyDecimal(quantity, p.netWeightKg, 3),
      grossWeightKg: multiplyDecimal(quantity, p.grossWeightKg, 3),
      packages: p.unitsPerPackage ? { type: p.packageType, count: packagesFor(quantity, p.unitsPerPackage) } : null,
    };
  });

  const destination = shipment?.destinationCountry ?? order.destinationCountry;

  return {
    scope: shipment ? 'shipment' : 'order',
    takenAt: ctx.now().toISOString(),
    exporter: {
      legalName: org.legalName,
      address: org.address as Address,
      iec: org.iec,
      gstin: org.gstin,
      adCode: org.adCode,
      baseCurrency: org.baseCurrency,
      bankDetails: (org.bankDetails as DocumentSnapshot['exporter']['bankDetails']) ?? null,
      lut: (org.lut as DocumentSnapshot['exporter']['lut']) ?? null,
      claimsRodtep: org.claimsRodtep,
      signatory: (org.signatory as DocumentSnapshot['exporter']['signatory']) ?? null,
      logo: org.logo,
    },
    buyer: party(order.buyerId),
    consignee: party(consigneeId),
    notifyParty: order.notifyPartyId ? party(order.notifyPartyId) : null,
    order: {
      id: order.id,
      reference: order.reference,
      buyerPo: order.buyerPo,
      orderDate: order.createdAt.slice(0, 10),
      status: order.status,
      currency: order.currency,
      incoterm: order.incoterm,
      incotermPlace: order.incotermPlace,
      transportMode: order.transportMode,
      paymentTerms: order.paymentTerms as DocumentSnapshot['order']['paymentTerms'],
      paymentTermsText: describePaymentTerms(order.paymentTerms as PaymentTerms),
      requestedShipDate: order.requestedShipDate,
      remarks: order.remarks,
      version: order.version,
    },
    shipment: shipment
      ? {
          id: shipment.id,
          reference: shipment.reference,
          status: shipment.status,
          plannedShipDate: shipment.plannedShipDate,
          plannedArrivalDate: shipment.plannedArrivalDate,
          vessel: shipment.vessel,
          voyage: shipment.voyage,
          blNumber: shipment.blNumber,
          blDate: shipment.blDate,
          marks: shipment.marks,
          woodPackaging: shipment.woodPackaging,
          references: shipment.references,
          version: shipment.version,
        }
      : null,
    route: {
      transportMode: shipment?.transportMode ?? order.transportMode,
      portOfLoading: port(shipment?.portOfLoading ?? order.portOfLoading),
      portOfDischarge: port(shipment?.portOfDischarge ?? order.portOfDischarge),
      destinationCountry: destination,
      destinationCountryName: countryName(destination) ?? destination,
      originCountry: (org.address as Address).country,
    },
    lines,
    totals: snapshotTotals(lines, order.currency),
  };
}

/** A snapshot's totals from its lines: amount, quantities per unit, weights, packages per type. */
export function snapshotTotals(lines: LineSnapshot[], currency: string): DocumentSnapshot['totals'] {
  const byUnit = new Map<string, string[]>();
  for (const l of lines) byUnit.set(l.unit, [...(byUnit.get(l.unit) ?? []), l.quantity]);
  const byPackage = new Map<string, number>();
  for (const l of lines) if (l.packages) byPackage.set(l.packages.type, (byPackage.get(l.packages.type) ?? 0) + l.packages.count);
  return {
    amount: money(sumMinor(lines.map((l) => l.amount.minor)), currency),
    quantities: [...byUnit].map(([unit, qs]) => ({ unit, quantity: sumDecimal(qs) })),
    netWeightKg: sumDecimal(lines.map((l) => l.netWeightKg)),
    grossWeightKg: sumDecimal(lines.map((l) => l.grossWeightKg)),
    packages: [...byPackage].map(([type, count]) => ({ type, count })),
    packageCount: [...byPackage.values()].reduce((a, b) => a + b, 0),
    linesWithoutPackaging: lines.filter((l) => !l.packages).map((l) => l.lineNo),
  };
}

/** A snapshot, or — when the scope can no longer be documented (shipment emptied, order lines gone) — why not. */
export async function snapshotOrProblem(db: Executor, ctx: ServiceContext, target: { orderId: string; shipmentId?: string | null }): Promise<{ snapshot: DocumentSnapshot } | { problem: string }> {
  try {
    return { snapshot: await buildSnapshot(db, ctx, target) };
  } catch (e) {
    if (e instanceof AppError && (e.status === 404 || e.status === 422)) return { problem: e.message };
    throw e;
  }
}
