import { describe, expect, it } from 'vitest';
import { PaymentTerms } from '../contracts/payment-terms.js';
import { parsePaymentTerms } from './payment-terms.js';

describe('parsePaymentTerms', () => {
  it.each([
    ['100% advance', { type: 'advance', percent: '100' }],
    ['Advance', { type: 'advance', percent: '100' }],
    ['T/T in advance', { type: 'advance', percent: '100' }],
    ['100% TT advance', { type: 'advance', percent: '100' }],
    ['CIA', { type: 'advance', percent: '100' }],
    ['30% advance, 70% against B/L copy', { type: 'advance', percent: '30', balance: 'against_bl_copy' }],
    ['30% TT advance, balance against scan copy of BL', { type: 'advance', percent: '30', balance: 'against_bl_copy' }],
    ['30% adv bal CAD', { type: 'advance', percent: '30', balance: 'cad' }],
    ['50% advance, balance D/P', { type: 'advance', percent: '50', balance: 'cad' }],
    ['20% advance, balance OA 60 days', { type: 'advance', percent: '20', balance: 'open_account', balanceDays: 60 }],
    ['30% advance balance 60 days', { type: 'advance', percent: '30', balance: 'open_account', balanceDays: 60 }],
    ['LC at sight', { type: 'lc', tenor: 'sight' }],
    ['L/C at sight', { type: 'lc', tenor: 'sight' }],
    ['Irrevocable letter of credit at sight', { type: 'lc', tenor: 'sight' }],
    ['LC 60 days from BL', { type: 'lc', tenor: 'usance', usanceDays: 60, usanceFrom: 'bl_date' }],
    ['usance LC 60 days from sight', { type: 'lc', tenor: 'usance', usanceDays: 60, usanceFrom: 'sight' }],
    ['L/C 90 days usance', { type: 'lc', tenor: 'usance', usanceDays: 90 }],
    ['D/P', { type: 'dp' }],
    ['DP at sight', { type: 'dp' }],
    ['CAD', { type: 'dp' }],
    ['Cash against documents', { type: 'dp' }],
    ['D/A 60 days', { type: 'da', days: 60, from: 'bl_date' }],
    ['Documents against acceptance 90 days from sight', { type: 'da', days: 90, from: 'sight' }],
    ['Open account 30 days', { type: 'open_account', days: 30, from: 'bl_date' }],
    ['OA 45', { type: 'open_account', days: 45, from: 'bl_date' }],
    ['O/A 60 days from invoice', { type: 'open_account', days: 60, from: 'invoice_date' }],
    ['Net 30', { type: 'open_account', days: 30, from: 'invoice_date' }],
    ['60 days credit', { type: 'open_account', days: 60, from: 'bl_date' }],
  ])('%j', (text, expected) => {
    const r = parsePaymentTerms(text);
    expect(r).toMatchObject({ ok: true, value: expected });
    if (r.ok) {
      expect(r.value).toEqual(expected);
      // what the parser gives is what the API accepts
      expect(PaymentTerms.safeParse(r.value).success).toBe(true);
    }
  });

  it('notes the readings that involve a judgement', () => {
    expect(parsePaymentTerms('Net 30')).toMatchObject({ note: 'read "Net 30" as open account 30 days from the invoice date' });
    expect(parsePaymentTerms('30% advance balance 60 days')).toMatchObject({ note: expect.stringContaining('open account 60 days') });
    expect(parsePaymentTerms('LC at sight')).not.toHaveProperty('note');
  });

  it.each([
    ['', /empty/],
    ['LC', /at sight or usance/],
    ['D/A', /needs its number of days/],
    ['30% advance', /how the balance is paid/],
    ['50% advance 40% against BL', /do not add up to 100%/],
    ['100% advance balance CAD', /no balance/],
    ['120% advance', /out of range/],
    ['Open account', /number of days/],
    ['OA 400 days', /out of range/],
    ['cheque', /unrecognised payment terms/],
  ])('rejects %j', (text, message) => {
    const r = parsePaymentTerms(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
