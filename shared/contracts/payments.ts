import { z } from 'zod';
import { FxRateValue } from './fx.js';
import { AmountInput, CurrencyCode, Id, IsoDate, Money, Page, PageQuery, Timestamp } from './common.js';

/** Payment milestones, letters of credit, receipts with their allocations, e-BRC and receivables. */

export const PaymentMilestoneId = Id('pms');
export const ReceiptId = Id('rcp');
export const AllocationId = Id('ral');

/** A rate as entered: positive (zero is refused by field, not a 500), at most 10 decimals. */
export const FxRateInput = FxRateValue;

export const PAYMENT_STATUSES = ['pending', 'due', 'partly_paid', 'overdue', 'paid'] as const;
export const DUE_ANCHORS = ['order_confirmed', 'bl_date', 'invoice_date', 'documents_presented', 'sight'] as const;

export const PaymentAllocation = z
  .object({
    id: z.string(),
    kind: z.enum(['payment', 'write_off']),
    receiptId: z.string().nullable(),
    bankReference: z.string().nullable(),
    valueDate: IsoDate.nullable(),
    amount: Money,
    note: z.string().nullable(),
    createdAt: Timestamp,
    createdBy: z.string(),
  })
  .meta({ id: 'PaymentAllocation' });

export const PaymentMilestone = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderReference: z.string(),
    buyerId: z.string(),
    seq: z.number().int(),
    kind: z.enum(['advance', 'balance', 'lc', 'dp', 'da', 'open_account']),
    label: z.string().meta({ example: '70% against copy of B/L' }),
    percent: z.string(),
    amount: Money,
    due: z.object({ anchor: z.enum(DUE_ANCHORS), days: z.number().int() }).meta({ description: 'What the due date follows: e.g. B/L date + 0 days' }),
    dueDate: IsoDate.nullable().meta({ description: 'Null while the anchor has not happened (status pending)' }),
    dueDateManual: z.boolean(),
    paid: Money,
    writtenOff: Money,
    outstanding: Money,
    status: z.enum(PAYMENT_STATUSES),
    daysOverdue: z.number().int(),
    allocations: z.array(PaymentAllocation),
    version: z.number().int(),
  })
  .meta({ id: 'PaymentMilestone' });
export type PaymentMilestone = z.infer<typeof PaymentMilestone>;

export const LetterOfCreditInput = z
  .strictObject({
    number: z.string().trim().min(1).max(40),
    issuingBank: z.string().trim().max(200).nullable().optional(),
    advisingBank: z.string().trim().max(200).nullable().optional(),
    amount: AmountInput.nullable().optional().meta({ description: 'LC amount in the order currency' }),
    expiryDate: IsoDate,
    expiryPlace: z.string().trim().max(80).nullable().optional(),
    latestShipmentDate: IsoDate,
    presentationDays: z.number().int().min(1).max(90).default(21).meta({ description: 'Days after shipment to present documents (UCP 600 art. 14(c): 21 when the LC is silent)' }),
  })
  .superRefine((lc, ctx) => {
    if (lc.latestShipmentDate > lc.expiryDate) ctx.addIssue({ code: 'custom', path: ['latestShipmentDate'], message: 'The latest shipment date is after the LC expiry' });
  })
  .meta({ id: 'LetterOfCreditInput' });
export type LetterOfCreditInput = z.infer<typeof LetterOfCreditInput>;

export const LetterOfCredit = z
  .object({
    orderId: z.string(),
    number: z.string(),
    issuingBank: z.string().nullable(),
    advisingBank: z.string().nullable(),
    amount: Money.nullable(),
    expiryDate: IsoDate,
    expiryPlace: z.string().nullable(),
    latestShipmentDate: IsoDate,
    presentationDays: z.number().int(),
    presentationDeadline: IsoDate.nullable().meta({ description: 'min(B/L date + presentation days, expiry), once shipped' }),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
    version: z.number().int(),
  })
  .meta({ id: 'LetterOfCredit' });
export type LetterOfCredit = z.infer<typeof LetterOfCredit>;

export const OrderPayments = z
  .object({
    orderId: z.string(),
    reference: z.string(),
    paymentTerms: z.string().meta({ description: 'The terms in words' }),
    total: Money,
    paid: Money,
    writtenOff: Money,
    outstanding: Money,
    overdue: Money,
    milestones: z.array(PaymentMilestone),
    letterOfCredit: LetterOfCredit.nullable(),
  })
  .meta({ id: 'OrderPayments' });
export type OrderPayments = z.infer<typeof OrderPayments>;

export const PaymentMilestoneUpdate = z
  .strictObject({ dueDate: IsoDate.nullable().meta({ description: 'Set the due date by hand (e.g. the bank\'s maturity date); null follows the terms again' }) })
  .meta({ id: 'PaymentMilestoneUpdate' });
export type PaymentMilestoneUpdate = z.infer<typeof PaymentMilestoneUpdate>;

export const WriteOffInput = z
  .strictObject({ amount: AmountInput, note: z.string().trim().min(1).max(500).meta({ description: 'Why (e.g. "buyer\'s bank deducted charges")' }) })
  .meta({ id: 'WriteOffInput' });
export type WriteOffInput = z.infer<typeof WriteOffInput>;

export const AllocationInput = z.strictObject({ milestoneId: PaymentMilestoneId, amount: AmountInput });
export type AllocationInput = z.infer<typeof AllocationInput>;

export const ReceiptCreate = z
  .strictObject({
    buyerId: Id('pty'),
    amount: AmountInput.meta({ description: 'What the buyer paid, before our bank\'s charges' }),
    currency: CurrencyCode,
    valueDate: IsoDate,
    bankReference: z.string().trim().min(1).max(60).meta({ description: 'Bank credit advice / FIRC reference; unique in the organisation' }),
    bankCharges: AmountInput.optional().meta({ description: 'Charges the banks deducted, in the receipt currency' }),
    fxRate: FxRateInput.optional().meta({ description: 'Base-currency units per 1 unit of `currency` the bank applied; required unless the receipt is in the base currency' }),
    notes: z.string().trim().max(1000).optional(),
    allocations: z
      .array(AllocationInput)
      .max(200)
      .optional()
      .meta({ description: 'Where the money goes. Omitted: oldest due milestones of this buyer in this currency first. []: keep it all as unapplied credit' }),
  })
  .meta({ id: 'ReceiptCreate' });
export type ReceiptCreate = z.infer<typeof ReceiptCreate>;

export const ReceiptAllocate = z.strictObject({ allocations: z.array(AllocationInput).min(1).max(200) }).meta({ id: 'ReceiptAllocate' });
export type ReceiptAllocate = z.infer<typeof ReceiptAllocate>;

export const Receipt = z
  .object({
    id: z.string(),
    buyerId: z.string(),
    buyerName: z.string(),
    amount: Money,
    valueDate: IsoDate,
    bankReference: z.string(),
    bankCharges: Money,
    fxRate: z.string(),
    baseAmount: Money,
    allocated: Money,
    unallocated: Money.meta({ description: 'Over-payment or not yet applied: the buyer\'s credit' }),
    allocations: z.array(
      z.object({ id: z.string(), milestoneId: z.string(), orderId: z.string(), orderReference: z.string(), label: z.string(), amount: Money, createdAt: Timestamp }),
    ),
    notes: z.string().nullable(),
    createdAt: Timestamp,
    createdBy: z.string(),
  })
  .meta({ id: 'Receipt' });
export type Receipt = z.infer<typeof Receipt>;

export const ReceiptListQuery = PageQuery.extend({
  buyerId: Id('pty').optional(),
  from: IsoDate.optional().meta({ description: 'Value date from' }),
  to: IsoDate.optional().meta({ description: 'Value date to' }),
  unallocated: z.enum(['true', 'false']).optional().meta({ description: 'Only receipts with unapplied credit' }),
});
export type ReceiptListQuery = z.infer<typeof ReceiptListQuery>;
export const ReceiptPage = Page(Receipt, 'ReceiptPage');

export const RealisationInput = z
  .strictObject({
    ebrcNumber: z.string().trim().min(1).max(40),
    ebrcDate: IsoDate,
    realisedAmount: AmountInput.meta({ description: 'Realised in the shipment\'s invoice currency' }),
    currency: CurrencyCode,
    baseAmount: AmountInput.optional().meta({ description: 'Realised value in the base currency, as on the e-BRC' }),
  })
  .meta({ id: 'RealisationInput' });
export type RealisationInput = z.infer<typeof RealisationInput>;

export const Realisation = z
  .object({
    shipmentId: z.string(),
    ebrcNumber: z.string().nullable().meta({ description: 'Null until the e-BRC is recorded' }),
    ebrcDate: IsoDate.nullable(),
    realised: Money.nullable(),
    baseAmount: Money.nullable(),
    invoiceValue: Money.meta({ description: 'Value of the goods on the shipment (allocated quantities × prices)' }),
    shortfall: Money.nullable().meta({ description: 'Invoice value not (yet) realised — what the bank will ask about; null when the e-BRC is in another currency than the invoice' }),
    version: z.number().int().meta({ description: '0 until recorded' }),
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'Realisation' });
export type Realisation = z.infer<typeof Realisation>;

export const AGING_BUCKETS = ['pending', 'not_due', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;

export const ReceivablesQuery = z.object({
  asOf: IsoDate.optional().meta({ description: 'Age as of this date (default: today)' }),
  buyerId: Id('pty').optional(),
  format: z.enum(['json', 'xlsx']).default('json'),
});
export type ReceivablesQuery = z.infer<typeof ReceivablesQuery>;

const Buckets = z.object(Object.fromEntries(AGING_BUCKETS.map((b) => [b, Money])) as Record<(typeof AGING_BUCKETS)[number], typeof Money>);
export const Receivables = z
  .object({
    asOf: IsoDate,
    rows: z.array(
      z.object({
        buyerId: z.string(),
        buyerName: z.string(),
        currency: z.string(),
        outstanding: Money,
        overdue: Money,
        buckets: Buckets.meta({ description: 'pending: due date not known yet; not_due; then days overdue 1–30, 31–60, 61–90, over 90' }),
        unappliedCredit: Money.meta({ description: 'Receipts of this buyer in this currency not yet allocated' }),
        milestones: z.number().int(),
        oldestDueDate: IsoDate.nullable(),
      }),
    ),
    totals: z.array(z.object({ currency: z.string(), outstanding: Money, overdue: Money, buckets: Buckets })),
  })
  .meta({ id: 'Receivables' });
export type Receivables = z.infer<typeof Receivables>;
