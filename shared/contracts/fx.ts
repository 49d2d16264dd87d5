import { z } from 'zod';
import { FX_RATE_RE, parseRate } from '../domain/fx.js';
import { isCurrency } from '../domain/currency.js';
import { toMinor } from '../domain/money.js';
import { AmountInput, CurrencyCode, Decimal, Id, IsoDate, Money, Timestamp } from './common.js';

/**
 * FX rates (per day and pair), order costs in their own currencies, and an order's profitability in the
 * organisation's base currency. Amounts go in as decimal strings in major units next to their currency and come
 * back as Money ({ currency, amount, minor }); rates are decimal strings, never JS numbers.
 */

export const OrderCostId = Id('cst');

/** An FX rate: units of the quote (to) currency per 1 unit of the base (from) currency. */
export const FxRateValue = z
  .string()
  .regex(FX_RATE_RE, 'Must be a positive decimal string with at most 10 decimals, e.g. "89.4375"')
  .refine((r) => {
    try {
      parseRate(r);
      return true;
    } catch {
      return false;
    }
  }, 'Must be above zero')
  .meta({ description: 'Units of the quote currency per 1 unit of the base currency, a decimal string (up to 12 integer and 10 fractional digits)', example: '89.4375' });

export const FX_RATE_DERIVATIONS = ['direct', 'inverse', 'cross'] as const;
export const FxRateDerivation = z.enum(FX_RATE_DERIVATIONS).meta({
  description: 'direct: the pair as entered; inverse: 1 / the reverse pair (10 decimals); cross: through the organisation\'s base currency (10 decimals)',
});

// ---------------------------------------------------------------------------------------------
// Rates: entry, CSV import, list, convert
// ---------------------------------------------------------------------------------------------

export const FxRateItem = z
  .strictObject({
    date: IsoDate,
    base: CurrencyCode.meta({ description: 'The currency one unit of which the rate prices', example: 'EUR' }),
    quote: CurrencyCode.meta({ description: 'The currency the rate is in', example: 'INR' }),
    rate: FxRateValue,
  })
  .superRefine((r, ctx) => {
    if (r.base === r.quote) ctx.addIssue({ code: 'custom', path: ['quote'], message: `A rate needs two different currencies; got ${r.base}/${r.quote}` });
  })
  .meta({ id: 'FxRateItem' });
export type FxRateItem = z.infer<typeof FxRateItem>;

/** Largest batch of PUT /fx-rates. */
export const MAX_FX_BATCH = 1000;

export const FxRateBatch = z
  .strictObject({ rates: z.array(FxRateItem).min(1).max(MAX_FX_BATCH) })
  .superRefine(
    (b, ctx) => {
      // Runs even when some items are invalid (`when`), so a duplicate is reported with the other problems: read defensively.
      if (!Array.isArray(b?.rates)) return;
      const seen = new Map<string, number>();
      b.rates.forEach((r: unknown, i: number) => {
        const { date, base, quote } = (r ?? {}) as Partial<FxRateItem>;
        if (typeof date !== 'string' || typeof base !== 'string' || typeof quote !== 'string') return;
        const key = `${date}|${base}|${quote}`;
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['rates', i, 'date'], message: `${base}/${quote} on ${date} is also given at rates.${first}: give each pair and date once` });
        else seen.set(key, i);
      });
    },
    { when: () => true },
  )
  .meta({ id: 'FxRateBatch', description: `Up to ${MAX_FX_BATCH} rates, each set (inserted or replaced) for its date and pair; all or nothing` });
export type FxRateBatch = z.infer<typeof FxRateBatch>;

export const FxRate = z
  .object({
    date: IsoDate,
    base: z.string(),
    quote: z.string(),
    rate: z.string(),
    source: z.enum(['manual', 'csv']),
    updatedBy: z.string(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'FxRate' });
export type FxRate = z.infer<typeof FxRate>;

export const FxRateUpsertResult = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int().meta({ description: 'Already stored with the same rate: not written again' }),
    items: z.array(FxRate),
  })
  .meta({ id: 'FxRateUpsertResult' });
export type FxRateUpsertResult = z.infer<typeof FxRateUpsertResult>;

export const FxImportMode = z.enum(['dry_run', 'commit']).meta({ description: 'dry_run checks and counts, writing nothing; commit writes every row or, on any error, none' });

export const FxCsvImport = z
  .strictObject({
    csv: z.string().min(1).max(1_000_000).meta({ description: 'CSV text with a header row naming the columns date, base, quote, rate (any order; other columns are ignored)' }),
    mode: FxImportMode.optional().meta({ description: 'Default commit (or the `mode` query parameter)' }),
  })
  .meta({ id: 'FxCsvImport' });
export type FxCsvImport = z.infer<typeof FxCsvImport>;

export const FxImportQuery = z.object({ mode: FxImportMode.optional() });

export const FxCsvError = z
  .object({
    line: z.number().int().meta({ description: 'Line of the CSV text, 1 = the header' }),
    column: z.string().nullable().meta({ description: 'date, base, quote or rate; null for the whole line' }),
    message: z.string(),
  })
  .meta({ id: 'FxCsvError' });
export type FxCsvError = z.infer<typeof FxCsvError>;

/** Largest number of data rows in one CSV import. */
export const MAX_FX_CSV_ROWS = 20_000;

export const FxCsvImportResult = z
  .object({
    mode: FxImportMode,
    rows: z.number().int().meta({ description: 'Data rows read (blank lines are skipped)' }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    ignoredColumns: z.array(z.string()),
    errors: z.array(FxCsvError).meta({ description: 'Empty when the import is (or would be) applied' }),
  })
  .meta({ id: 'FxCsvImportResult' });
export type FxCsvImportResult = z.infer<typeof FxCsvImportResult>;

export const FxRateQuery = z.object({
  base: CurrencyCode.optional(),
  quote: CurrencyCode.optional(),
  from: IsoDate.optional().meta({ description: 'Dates from (inclusive)' }),
  to: IsoDate.optional().meta({ description: 'Dates to (inclusive)' }),
  limit: z.coerce.number().int().min(1).max(1000).default(200).meta({ description: 'Page size, 1–1000 (default 200)' }),
  cursor: z.string().max(200).optional().meta({ description: 'Opaque cursor from the previous page\'s `nextCursor`' }),
});
export type FxRateQuery = z.infer<typeof FxRateQuery>;

export const FxRatePage = z.object({ items: z.array(FxRate), nextCursor: z.string().nullable() }).meta({ id: 'FxRatePage', description: 'Newest date first, then by pair' });

/** Why `amount` does not fit `currency` (too many decimals, too large), or null. */
export function amountProblem(amount: string, currency: string): string | null {
  if (!isCurrency(currency)) return null; // reported on the currency field
  try {
    toMinor(amount, currency);
    return null;
  } catch (e) {
    return e instanceof RangeError ? e.message : 'Not a valid amount';
  }
}

export const FxConvertQuery = z
  .object({
    amount: AmountInput,
    from: CurrencyCode,
    to: CurrencyCode,
    date: IsoDate.optional().meta({ description: 'Rate on or before this date (default today, UTC)' }),
  })
  .superRefine((q, ctx) => {
    const problem = amountProblem(q.amount, q.from);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  });
export type FxConvertQuery = z.infer<typeof FxConvertQuery>;

/** A rate as used in a conversion: which pair, which day's rate, and how it was found. */
export const RateUsed = z
  .object({
    from: z.string(),
    to: z.string(),
    rate: z.string().meta({ description: 'Units of `to` per 1 unit of `from`' }),
    date: IsoDate.meta({ description: 'The date of the rate (on or before the date asked for)' }),
    derived: z.enum([...FX_RATE_DERIVATIONS, 'fixed', 'bank']).meta({
      description: 'direct / inverse / cross: from the FX table; fixed: the rate entered on the cost; bank: the rate the bank applied to the receipt',
    }),
  })
  .meta({ id: 'RateUsed' });
export type RateUsed = z.infer<typeof RateUsed>;

export const FxConversion = z
  .object({ amount: Money, converted: Money, rate: RateUsed })
  .meta({ id: 'FxConversion', description: 'amount × rate, rounded half-up once to the target currency\'s minor unit' });
export type FxConversion = z.infer<typeof FxConversion>;

// ---------------------------------------------------------------------------------------------
// Order costs
// ---------------------------------------------------------------------------------------------

export const COST_CATEGORIES = ['supplier', 'freight', 'insurance', 'bank_charges', 'other'] as const;
export const CostCategory = z.enum(COST_CATEGORIES);
export type CostCategory = z.infer<typeof CostCategory>;

const costFields = {
  category: CostCategory,
  description: z.string().trim().min(1).max(200).meta({ description: 'Defaults to the category (e.g. "Freight")', example: 'Fabric and knitting, PO 4471' }),
  amount: AmountInput.refine((a) => /[1-9]/.test(a), 'Amount must be above zero'),
  currency: CurrencyCode,
  date: IsoDate.meta({ description: 'When the cost was incurred or paid: the FX table\'s rate on or before this date converts it unless `fxRate` is set' }),
  fxRate: FxRateValue.meta({ description: 'Fixed rate, base-currency units per 1 unit of `currency` (e.g. the rate the payment was made at)' }),
  supplier: z.string().trim().min(1).max(200),
  reference: z.string().trim().min(1).max(100).meta({ description: 'Invoice or bill number' }),
  shipmentId: Id('shp').meta({ description: 'A shipment of the same order this cost belongs to' }),
};

export const OrderCostCreate = z
  .strictObject({
    category: costFields.category,
    description: costFields.description.optional(),
    amount: costFields.amount,
    currency: costFields.currency,
    date: costFields.date,
    fxRate: costFields.fxRate.optional(),
    supplier: costFields.supplier.optional(),
    reference: costFields.reference.optional(),
    shipmentId: costFields.shipmentId.optional(),
  })
  .superRefine((c, ctx) => {
    const problem = amountProblem(c.amount, c.currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  })
  .meta({ id: 'OrderCostCreate' });
export type OrderCostCreate = z.infer<typeof OrderCostCreate>;

export const OrderCostUpdate = z
  .strictObject({
    category: costFields.category.optional(),
    description: costFields.description.optional(),
    amount: costFields.amount.optional().meta({ description: 'Checked against `currency` (the new one when both change)' }),
    currency: costFields.currency.optional(),
    date: costFields.date.optional(),
    fxRate: costFields.fxRate.nullable().optional().meta({ description: 'null: use the FX table again' }),
    supplier: costFields.supplier.nullable().optional(),
    reference: costFields.reference.nullable().optional(),
    shipmentId: costFields.shipmentId.nullable().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.amount !== undefined && c.currency !== undefined) {
      const problem = amountProblem(c.amount, c.currency);
      if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
    }
  })
  .meta({ id: 'OrderCostUpdate' });
export type OrderCostUpdate = z.infer<typeof OrderCostUpdate>;

export const OrderCost = z
  .object({
    id: z.string(),
    orderId: z.string(),
    shipmentId: z.string().nullable(),
    category: CostCategory,
    description: z.string(),
    amount: Money,
    date: IsoDate,
    fxRate: z.string().nullable(),
    supplier: z.string().nullable(),
    reference: z.string().nullable(),
    version: z.number().int(),
    createdBy: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'OrderCost' });
export type OrderCost = z.infer<typeof OrderCost>;

export const OrderCostList = z.object({ items: z.array(OrderCost) }).meta({ id: 'OrderCostList', description: 'By date, then by entry' });

// ---------------------------------------------------------------------------------------------
// Profitability
// ---------------------------------------------------------------------------------------------

export const ProfitabilityQuery = z.object({
  format: z.enum(['json', 'xlsx']).optional().meta({ description: 'xlsx: the same figures as a spreadsheet (also chosen by `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`)' }),
});

const Base = (description: string) => Money.nullable().meta({ description: `${description}; in the base currency, null when a rate it needs is missing (see problems)` });

export const ProfitabilityReceipt = z
  .object({
    receiptId: z.string(),
    bankReference: z.string(),
    valueDate: IsoDate,
    amount: Money.meta({ description: 'What this receipt paid on this order (its payment allocations to the order)' }),
    rate: RateUsed.meta({ description: 'The rate the bank applied' }),
    atRealisedRate: Base('amount × the bank\'s rate'),
    atBookedRate: Base('amount × the booked rate'),
    fxGain: Base('atRealisedRate − atBookedRate'),
    bankCharges: Money.meta({ description: 'All charges on the receipt, in its currency' }),
    bankChargesShare: Base('This order\'s share of the charges: charges × bank rate, split over the receipt\'s allocations (and any unallocated rest) by largest remainder'),
  })
  .meta({ id: 'ProfitabilityReceipt' });

export const ProfitabilityWriteOff = z
  .object({
    allocationId: z.string(),
    date: IsoDate,
    note: z.string().nullable(),
    amount: Money,
    atBookedRate: Base('amount × the booked rate'),
  })
  .meta({ id: 'ProfitabilityWriteOff' });

export const ProfitabilityCostLine = z
  .object({
    id: z.string().meta({ description: 'The cost id, or the receipt id for a share of a receipt\'s bank charges' }),
    source: z.enum(['cost', 'receipt']),
    category: CostCategory,
    description: z.string(),
    amount: Money,
    date: IsoDate,
    supplier: z.string().nullable(),
    reference: z.string().nullable(),
    shipmentId: z.string().nullable(),
    rate: RateUsed.nullable(),
    base: Base('amount × rate'),
  })
  .meta({ id: 'ProfitabilityCostLine' });

export const ProfitabilityProblem = z
  .object({ code: z.string(), message: z.string(), path: z.string().nullable() })
  .meta({ id: 'ProfitabilityProblem' });

export const Profitability = z
  .object({
    orderId: z.string(),
    reference: z.string(),
    status: z.string(),
    currency: z.string().meta({ description: 'The order currency' }),
    baseCurrency: z.string().meta({ description: 'The organisation\'s base currency: every figure below marked "base" is in it' }),
    asOf: IsoDate.meta({ description: 'Today (UTC): the date of the rate outstanding amounts are valued at' }),
    orderDate: IsoDate,
    orderDateBasis: z.enum(['confirmed', 'created']).meta({ description: 'The date the order was first confirmed, or its creation date while it never was' }),
    bookedRate: RateUsed.nullable(),
    todayRate: RateUsed.nullable().meta({ description: 'Only looked up while something is outstanding' }),
    revenue: z.object({
      orderTotal: Money,
      orderTotalAtBookedRate: Base('The order total × the booked rate'),
      received: Money,
      writtenOff: Money,
      outstanding: Money.meta({ description: 'total − received − written off' }),
      receivedAtBookedRate: Base('Σ receipts at the booked rate'),
      receivedAtRealisedRate: Base('Σ receipts at the bank\'s rates'),
      writtenOffAtBookedRate: Base('Σ write-offs at the booked rate (revenue given up)'),
      outstandingAtBookedRate: Base('outstanding × the booked rate'),
      outstandingAtTodayRate: Base('outstanding × today\'s rate'),
      atBookedRate: Base('receivedAtBookedRate + outstandingAtBookedRate (net of write-offs)'),
      atRealisedRate: Base('receivedAtRealisedRate + outstandingAtTodayRate'),
      conversionRounding: Base('orderTotalAtBookedRate − writtenOffAtBookedRate − atBookedRate: the rounding of converting the parts one by one (a few minor units at most, usually 0)'),
    }),
    receipts: z.array(ProfitabilityReceipt),
    writeOffs: z.array(ProfitabilityWriteOff),
    costs: z.object({
      lines: z.array(ProfitabilityCostLine),
      byCategory: z.object(Object.fromEntries(COST_CATEGORIES.map((c) => [c, Base(`Σ ${c} lines`)])) as Record<CostCategory, ReturnType<typeof Base>>),
      total: Base('Σ categories'),
    }),
    fx: z.object({
      realisedGain: Base('receivedAtRealisedRate − receivedAtBookedRate (negative: a loss)'),
      unrealisedGain: Base('outstandingAtTodayRate − outstandingAtBookedRate'),
      total: Base('realisedGain + unrealisedGain = revenue.atRealisedRate − revenue.atBookedRate'),
    }),
    margin: z.object({
      atRealisedRate: Base('revenue.atRealisedRate − costs.total'),
      atBookedRate: Base('revenue.atBookedRate − costs.total'),
      percent: z.string().nullable().meta({ description: 'margin.atRealisedRate / revenue.atRealisedRate × 100, two decimals, half-up', example: '16.76' }),
      percentAtBookedRate: z.string().nullable(),
    }),
    problems: z.array(ProfitabilityProblem).meta({ description: 'What could not be computed and why (a missing rate names the pair and date)' }),
  })
  .meta({ id: 'Profitability' });
export type Profitability = z.infer<typeof Profitability>;
