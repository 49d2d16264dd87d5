import { z } from 'zod';
import { Percent } from './common.js';

const Days = z.number().int().min(1).max(365);

/** Payment terms an Indian exporter agrees with a buyer. */
export const PaymentTerms = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('advance'),
        percent: Percent.meta({ description: 'Share paid in advance, e.g. "30"' }),
        balance: z
          .enum(['against_bl_copy', 'cad', 'open_account'])
          .optional()
          .meta({ description: 'How the rest is paid when the advance is under 100%: against copy of B/L, cash against documents, or open account' }),
        balanceDays: Days.optional().meta({ description: 'Days after B/L date for an open-account balance' }),
      })
      .superRefine((t, ctx) => {
        const full = Number(t.percent) === 100;
        if (!full && !t.balance) ctx.addIssue({ code: 'custom', path: ['balance'], message: 'Say how the balance is paid when the advance is under 100%' });
        if (t.balance === 'open_account' && !t.balanceDays) ctx.addIssue({ code: 'custom', path: ['balanceDays'], message: 'Open-account balance needs its number of days' });
        if (Number(t.percent) <= 0) ctx.addIssue({ code: 'custom', path: ['percent'], message: 'Advance must be above 0%' });
      }),
    z
      .strictObject({
        type: z.literal('lc'),
        tenor: z.enum(['sight', 'usance']),
        usanceDays: Days.optional(),
        usanceFrom: z.enum(['bl_date', 'sight', 'invoice_date']).optional(),
      })
      .superRefine((t, ctx) => {
        if (t.tenor === 'usance' && !t.usanceDays) ctx.addIssue({ code: 'custom', path: ['usanceDays'], message: 'A usance LC needs its number of days' });
        if (t.tenor === 'sight' && t.usanceDays) ctx.addIssue({ code: 'custom', path: ['usanceDays'], message: 'A sight LC has no usance days' });
      }),
    z.strictObject({ type: z.literal('dp') }).meta({ description: 'Documents against payment (CAD at sight)' }),
    z.strictObject({ type: z.literal('da'), days: Days, from: z.enum(['bl_date', 'sight']).default('bl_date') }),
    z.strictObject({ type: z.literal('open_account'), days: Days, from: z.enum(['bl_date', 'invoice_date']).default('bl_date') }),
  ])
  .meta({ id: 'PaymentTerms' });
export type PaymentTerms = z.infer<typeof PaymentTerms>;

/** One-line wording of payment terms for documents and lists. */
export function describePaymentTerms(t: PaymentTerms): string {
  switch (t.type) {
    case 'advance': {
      const pct = Number(t.percent);
      if (pct === 100) return '100% advance payment';
      const rest = (100 - pct).toString();
      const balance =
        t.balance === 'against_bl_copy' ? 'against copy of bill of lading' : t.balance === 'cad' ? 'cash against documents' : `open account ${t.balanceDays} days from B/L date`;
      return `${t.percent}% advance, ${rest}% ${balance}`;
    }
    case 'lc':
      return t.tenor === 'sight' ? 'Irrevocable letter of credit at sight' : `Irrevocable letter of credit, usance ${t.usanceDays} days from ${(t.usanceFrom ?? 'bl_date').replace('_', ' ').replace('bl', 'B/L')}`;
    case 'dp':
      return 'Documents against payment (D/P at sight)';
    case 'da':
      return `Documents against acceptance (D/A) ${t.days} days from ${t.from === 'sight' ? 'sight' : 'B/L date'}`;
    case 'open_account':
      return `Open account ${t.days} days from ${t.from === 'invoice_date' ? 'invoice date' : 'B/L date'}`;
  }
}
