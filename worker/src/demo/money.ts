/**
 * The money demo: an order quoted in EUR, bought in INR, freighted in USD, paid in two receipts at different rates.
 * GET /orders/{id}/profitability shows its profit and FX gain in INR (the figures are in the README).
 */
import { FxRateBatch, OrderCostCreate } from '../../../shared/contracts/fx.js';
import { OrderCreate } from '../../../shared/contracts/orders.js';
import type { ServiceContext } from '../services/context.js';
import { createOrderCost } from '../services/money/costs.js';
import { putFxRates } from '../services/money/fx-rates.js';
import { getOrderPayments } from '../services/money/payments.js';
import { createReceipt } from '../services/money/receipts.js';
import { createOrder } from '../services/orders/orders.js';
import { transitionOrder } from '../services/orders/transitions.js';
import { createShipment, transitionShipment } from '../services/shipments.js';

const day = 86_400_000;

/** Order KK-2026-0139 to Hamburg: EUR 10,000.00, 30% advance / 70% against B/L, shipped, paid in full. */
export async function seedMoneyDemo(ctx: ServiceContext, ids: { buyer: string; product: string }, now: Date) {
  const at = (days: number) => new Date(now.getTime() + days * day);
  const date = (days: number) => at(days).toISOString().slice(0, 10);
  const asOf = (days: number): ServiceContext => ({ ...ctx, now: () => at(days) });

  await putFxRates(
    ctx,
    FxRateBatch.parse({
      rates: [
        { date: date(-60), base: 'EUR', quote: 'INR', rate: '89.50' },
        { date: date(-55), base: 'EUR', quote: 'INR', rate: '90.10' },
        { date: date(-12), base: 'EUR', quote: 'INR', rate: '91.25' },
        { date: date(-1), base: 'EUR', quote: 'INR', rate: '91.40' },
        { date: date(-25), base: 'USD', quote: 'INR', rate: '84.00' },
        { date: date(-1), base: 'USD', quote: 'INR', rate: '84.35' },
      ],
    }),
  );
  const order = await createOrder(
    asOf(-62),
    OrderCreate.parse({
      reference: 'KK-2026-0139',
      buyerPo: 'NL-PO-87990',
      buyerId: ids.buyer,
      portOfLoading: 'INTUT',
      portOfDischarge: 'DEHAM',
      destinationCountry: 'DE',
      incoterm: 'FOB',
      incotermPlace: 'Tuticorin',
      transportMode: 'sea',
      paymentTerms: { type: 'advance', percent: '30', balance: 'against_bl_copy' },
      currency: 'EUR',
      requestedShipDate: date(-20),
      lines: [{ productId: ids.product, quantity: '2000', unitPrice: '5.00' }],
    }),
  );
  let v = order.version;
  for (const [to, days] of [['confirmed', -60], ['in_production', -50], ['ready_to_ship', -24]] as const) v = (await transitionOrder(asOf(days), order.id, v, { to })).version;
  const shipment = await createShipment(asOf(-23), order.id, {
    plannedShipDate: date(-20),
    vessel: 'MSC ANNA',
    voyage: 'FJ541W',
    blNumber: 'MEDUTU118842',
    blDate: date(-20),
    marks: 'NORDLICHT / HAMBURG\nPO NL-PO-87990\nC/NO. 1-50\nMADE IN INDIA',
    allocations: [{ orderLineId: order.lines[0]!.id, quantity: '2000' }],
  });
  await transitionShipment(asOf(-20), shipment.id, shipment.version, { to: 'shipped', at: at(-20).toISOString() });

  await createOrderCost(asOf(-50), order.id, OrderCostCreate.parse({ category: 'supplier', description: 'Knitted fabric and stitching, Tiruppur', amount: '650000.00', currency: 'INR', date: date(-50), supplier: 'Sri Velavan Knit Fabrics' }));
  await createOrderCost(asOf(-25), order.id, OrderCostCreate.parse({ category: 'freight', description: 'Ocean freight Tuticorin–Hamburg, 1 × 20GP', amount: '1200.00', currency: 'USD', date: date(-25), supplier: 'Coromandel Freight Forwarders' }));

  const [advance, balance] = (await getOrderPayments(ctx, order.id)).milestones;
  await createReceipt(asOf(-55), { buyerId: ids.buyer, amount: '3000.00', currency: 'EUR', valueDate: date(-55), bankReference: 'FIRC/HDFC/2026/0918', bankCharges: '25.00', fxRate: '90.10', allocations: [{ milestoneId: advance!.id, amount: '3000.00' }] });
  await createReceipt(asOf(-12), { buyerId: ids.buyer, amount: '7000.00', currency: 'EUR', valueDate: date(-12), bankReference: 'FIRC/HDFC/2026/1187', bankCharges: '40.00', fxRate: '91.25', allocations: [{ milestoneId: balance!.id, amount: '7000.00' }] });
  return { orderId: order.id, shipmentId: shipment.id };
}
