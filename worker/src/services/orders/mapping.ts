import type { Order, OrderCreate, OrderLine, OrderSummary } from '../../../../shared/contracts/orders.js';
import type { PaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { describePaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import { fromMinor } from '../../../../shared/domain/money.js';
import type { orders } from '../../db/schema/index.js';
import type { LineRow } from './lines.js';

export type OrderRow = typeof orders.$inferSelect;

/** The row a new (draft) order is stored as. */
export function newOrderRow(id: string, orgId: string, input: OrderCreate, totals: { totalMinor: number; lineCount: number }, createdBy: string, at: string): OrderRow {
  return {
    id,
    orgId,
    reference: input.reference,
    buyerPo: input.buyerPo ?? null,
    buyerId: input.buyerId,
    consigneeId: input.consigneeId ?? input.buyerId,
    notifyPartyId: input.notifyPartyId ?? null,
    portOfLoading: input.portOfLoading,
    portOfDischarge: input.portOfDischarge,
    destinationCountry: input.destinationCountry,
    incoterm: input.incoterm,
    incotermPlace: input.incotermPlace,
    transportMode: input.transportMode,
    paymentTerms: input.paymentTerms,
    currency: input.currency,
    requestedShipDate: input.requestedShipDate ?? null,
    remarks: input.remarks ?? null,
    status: 'draft',
    ...totals,
    version: 1,
    createdBy,
    createdAt: at,
    updatedAt: at,
  };
}

export const money = (minor: number, currency: string) => ({ currency, amount: fromMinor(minor, currency), minor });

/** Per-line allocated and shipped quantities, from the order's shipments. */
export interface LineProgress {
  allocated: string;
  shipped: string;
}

export function toOrderSummary(r: OrderRow): OrderSummary {
  return {
    id: r.id,
    reference: r.reference,
    buyerPo: r.buyerPo,
    buyerId: r.buyerId,
    consigneeId: r.consigneeId,
    notifyPartyId: r.notifyPartyId,
    portOfLoading: r.portOfLoading,
    portOfDischarge: r.portOfDischarge,
    destinationCountry: r.destinationCountry,
    incoterm: r.incoterm as Order['incoterm'],
    incotermPlace: r.incotermPlace,
    transportMode: r.transportMode as Order['transportMode'],
    paymentTermsText: describePaymentTerms(r.paymentTerms as PaymentTerms),
    currency: r.currency,
    requestedShipDate: r.requestedShipDate,
    remarks: r.remarks,
    status: r.status as Order['status'],
    total: money(r.totalMinor, r.currency),
    lineCount: r.lineCount,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toOrder(r: OrderRow, lines: LineRow[], skus: Map<string, string>, progress: Map<string, LineProgress>, shipmentIds: string[]): Order {
  const { lineCount: _lineCount, ...summary } = toOrderSummary(r);
  return {
    ...summary,
    paymentTerms: r.paymentTerms as PaymentTerms,
    lines: lines.map(
      (l): OrderLine => ({
        id: l.id,
        lineNo: l.lineNo,
        productId: l.productId,
        sku: skus.get(l.productId) ?? '',
        description: l.description,
        hsCode: l.hsCode,
        quantity: l.quantity,
        unit: l.unit as OrderLine['unit'],
        unitPrice: l.unitPrice,
        discountPercent: l.discountPercent,
        amount: money(l.amountMinor, r.currency),
        allocatedQuantity: progress.get(l.id)?.allocated ?? '0',
        shippedQuantity: progress.get(l.id)?.shipped ?? '0',
      }),
    ),
    shipmentIds,
  };
}

/** Compact, flat snapshot of an order for the audit trail. */
export function auditSnapshot(r: OrderRow, lines: LineRow[]): Record<string, unknown> {
  const { orgId: _o, createdAt: _c, updatedAt: _u, createdBy: _b, lineCount: _n, ...header } = r;
  return {
    ...header,
    lines: lines.map((l) => ({ id: l.id, productId: l.productId, description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, discountPercent: l.discountPercent, amountMinor: l.amountMinor })),
  };
}
