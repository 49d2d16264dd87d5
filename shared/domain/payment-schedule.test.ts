import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaymentTerms } from '../contracts/payment-terms.js';
import { sumDecimal } from './money.js';
import {
  type DueRule,
  type LcDates,
  addCalendarDays,
  daysBetween,
  deriveSchedule,
  lcChecks,
  paymentStatus,
  presentationDeadline,
  resolveDueDate,
} from './payment-schedule.js';

/** Terms as the API would hand them over: validated by the contract first. */
const terms = (t: unknown) => PaymentTerms.parse(t);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('deriveSchedule', () => {
  it('advance with the balance against copy of B/L', () => {
    expect(deriveSchedule(terms({ type: 'advance', percent: '30', balance: 'against_bl_copy' }), 1_000_000, 'EUR')).toEqual([
      { sequence: 1, kind: 'advance', label: '30% advance', percent: '30', amountMinor: 300_000, due: { anchor: 'order_confirmed', days: 0 } },
      { sequence: 2, kind: 'balance', label: '70% against copy of B/L', percent: '70', amountMinor: 700_000, due: { anchor: 'bl_date', days: 0 } },
    ]);
  });

  it('advance with the balance cash against documents or on open account', () => {
    // 33.33% of 101 = 33.6633, 66.67% = 67.3367: floors 33 + 67, the spare unit to the larger remainder (0.6633).
    expect(deriveSchedule(terms({ type: 'advance', percent: '33.33', balance: 'cad' }), 101, 'USD')).toEqual([
      { sequence: 1, kind: 'advance', label: '33.33% advance', percent: '33.33', amountMinor: 34, due: { anchor: 'order_confirmed', days: 0 } },
      { sequence: 2, kind: 'balance', label: '66.67% cash against documents', percent: '66.67', amountMinor: 67, due: { anchor: 'documents_presented', days: 0 } },
    ]);
    const [advance, balance] = deriveSchedule(terms({ type: 'advance', percent: '20.50', balance: 'open_account', balanceDays: 60 }), 1_000, 'KWD');
    expect(advance).toMatchObject({ label: '20.5% advance', percent: '20.5', amountMinor: 205 });
    expect(balance).toMatchObject({ kind: 'balance', label: '79.5% open account 60 days from B/L date', percent: '79.5', amountMinor: 795, due: { anchor: 'bl_date', days: 60 } });
  });

  it('full advance is a single milestone', () => {
    const expected = [{ sequence: 1, kind: 'advance', label: '100% advance', percent: '100', amountMinor: 54_321, due: { anchor: 'order_confirmed', days: 0 } }];
    expect(deriveSchedule(terms({ type: 'advance', percent: '100' }), 54_321, 'JPY')).toEqual(expected);
    expect(deriveSchedule(terms({ type: 'advance', percent: '100.00' }), 54_321, 'JPY')).toEqual(expected);
  });

  it('letters of credit', () => {
    expect(deriveSchedule(terms({ type: 'lc', tenor: 'sight' }), 500_000, 'USD')).toEqual([
      { sequence: 1, kind: 'lc', label: '100% by LC at sight', percent: '100', amountMinor: 500_000, due: { anchor: 'documents_presented', days: 0 } },
    ]);
    expect(deriveSchedule(terms({ type: 'lc', tenor: 'usance', usanceDays: 90 }), 500_000, 'USD')).toEqual([
      { sequence: 1, kind: 'lc', label: '100% by LC usance 90 days from B/L date', percent: '100', amountMinor: 500_000, due: { anchor: 'bl_date', days: 90 } },
    ]);
    expect(deriveSchedule(terms({ type: 'lc', tenor: 'usance', usanceDays: 60, usanceFrom: 'sight' }), 1, 'USD')[0]).toMatchObject({
      label: '100% by LC usance 60 days from sight',
      due: { anchor: 'sight', days: 60 },
    });
    expect(deriveSchedule(terms({ type: 'lc', tenor: 'usance', usanceDays: 30, usanceFrom: 'invoice_date' }), 1, 'USD')[0]!.due).toEqual({ anchor: 'invoice_date', days: 30 });
  });

  it('collections and open account', () => {
    expect(deriveSchedule(terms({ type: 'dp' }), 700, 'AED')).toEqual([
      { sequence: 1, kind: 'dp', label: '100% documents against payment (D/P at sight)', percent: '100', amountMinor: 700, due: { anchor: 'documents_presented', days: 0 } },
    ]);
    expect(deriveSchedule(terms({ type: 'da', days: 60, from: 'sight' }), 700, 'AED')).toEqual([
      { sequence: 1, kind: 'da', label: '100% documents against acceptance (D/A) 60 days from sight', percent: '100', amountMinor: 700, due: { anchor: 'sight', days: 60 } },
    ]);
    expect(deriveSchedule(terms({ type: 'da', days: 90 }), 700, 'AED')[0]!.due).toEqual({ anchor: 'bl_date', days: 90 }); // contract default
    expect(deriveSchedule({ type: 'da', days: 90 } as PaymentTerms, 700, 'AED')[0]!.due).toEqual({ anchor: 'bl_date', days: 90 }); // unparsed
    expect(deriveSchedule(terms({ type: 'open_account', days: 45, from: 'invoice_date' }), 700, 'AED')).toEqual([
      { sequence: 1, kind: 'open_account', label: '100% open account 45 days from invoice date', percent: '100', amountMinor: 700, due: { anchor: 'invoice_date', days: 45 } },
    ]);
    expect(deriveSchedule(terms({ type: 'open_account', days: 30 }), 700, 'AED')[0]!.label).toBe('100% open account 30 days from B/L date');
  });

  it('refuses what the contract would refuse, bad totals and currencies', () => {
    const raw = (t: object) => t as PaymentTerms;
    expect(() => deriveSchedule(raw({ type: 'advance', percent: '50' }), 100, 'USD')).toThrow(/balance/);
    expect(() => deriveSchedule(raw({ type: 'advance', percent: '50', balance: 'open_account' }), 100, 'USD')).toThrow(/balanceDays/);
    expect(() => deriveSchedule(raw({ type: 'advance', percent: '0', balance: 'cad' }), 100, 'USD')).toThrow(/above 0%/);
    expect(() => deriveSchedule(raw({ type: 'advance', percent: '100.5', balance: 'cad' }), 100, 'USD')).toThrow(/at most 100%/);
    expect(() => deriveSchedule(raw({ type: 'advance', percent: 'abc', balance: 'cad' }), 100, 'USD')).toThrow(/decimal string/);
    expect(() => deriveSchedule(raw({ type: 'lc', tenor: 'usance' }), 100, 'USD')).toThrow(/usanceDays/);
    expect(() => deriveSchedule(raw({ type: 'open_account', days: 1.5 }), 100, 'USD')).toThrow(/days/);
    expect(() => deriveSchedule(raw({ type: 'barter' }), 100, 'USD')).toThrow(/Unknown payment terms type: "barter"/);
    expect(() => deriveSchedule(terms({ type: 'dp' }), -1, 'USD')).toThrow(/non-negative/);
    expect(() => deriveSchedule(terms({ type: 'dp' }), 1.5, 'USD')).toThrow(/non-negative/);
    expect(() => deriveSchedule(terms({ type: 'dp' }), 100, 'XYZ')).toThrow(/Unknown ISO 4217/);
  });

  it('milestones add up to the total and to 100%, in sequence', () => {
    const advancePercent = fc.integer({ min: 1, max: 10_000 }).map((bp) => (bp / 100).toFixed(bp % 100 === 0 ? 0 : 2));
    const days = fc.integer({ min: 1, max: 365 });
    const anyTerms = fc.oneof(
      fc.record({ type: fc.constant('advance'), percent: advancePercent, balance: fc.constantFrom('against_bl_copy', 'cad', 'open_account'), balanceDays: days }),
      fc.record({ type: fc.constant('lc'), tenor: fc.constant('sight') }),
      fc.record({ type: fc.constant('lc'), tenor: fc.constant('usance'), usanceDays: days, usanceFrom: fc.constantFrom('bl_date', 'sight', 'invoice_date') }),
      fc.record({ type: fc.constant('dp') }),
      fc.record({ type: fc.constant('da'), days, from: fc.constantFrom('bl_date', 'sight') }),
      fc.record({ type: fc.constant('open_account'), days, from: fc.constantFrom('bl_date', 'invoice_date') }),
    );
    fc.assert(
      fc.property(anyTerms, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('INR', 'USD', 'JPY', 'KWD'), (t, total, currency) => {
        const schedule = deriveSchedule(terms(t), total, currency);
        expect(sum(schedule.map((p) => p.amountMinor))).toBe(total);
        expect(sumDecimal(schedule.map((p) => p.percent))).toBe('100');
        expect(schedule.map((p) => p.sequence)).toEqual(schedule.map((_, i) => i + 1));
        for (const p of schedule) {
          expect(p.label.startsWith(`${p.percent}% `)).toBe(true);
          // within one minor unit of percent × total
          const [int, frac = ''] = p.percent.split('.');
          const diff = BigInt(p.amountMinor) * 10_000n - BigInt(total) * BigInt(`${int}${frac.padEnd(2, '0')}`);
          expect(diff > -10_000n && diff < 10_000n).toBe(true);
          expect(Number.isInteger(p.due.days) && p.due.days >= 0).toBe(true);
        }
        expect(schedule).toHaveLength(t.type === 'advance' && t.percent !== '100' ? 2 : 1);
      }),
      { numRuns: 500 },
    );
  });
});

/** Independent calendar: step one day at a time with the Gregorian month lengths. */
function stepDays(date: string, n: number): string {
  let [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthLength = (yy: number, mm: number) => (mm === 2 ? ((yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(mm) ? 30 : 31);
  for (let i = 0; i < n; i++) {
    if (++d > monthLength(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        y++;
      }
    }
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
const isoDate = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('due dates', () => {
  it('adds calendar days to the anchor date', () => {
    const anchors = { order_confirmed: '2026-09-01', bl_date: '2026-12-20', invoice_date: '2026-12-18' };
    expect(resolveDueDate({ anchor: 'bl_date', days: 45 }, anchors)).toBe('2027-02-03');
    expect(resolveDueDate({ anchor: 'order_confirmed', days: 0 }, anchors)).toBe('2026-09-01');
    expect(resolveDueDate({ anchor: 'invoice_date', days: 14 }, anchors)).toBe('2027-01-01');
    expect(resolveDueDate({ anchor: 'bl_date', days: 70 }, { bl_date: '2027-12-21' })).toBe('2028-02-29'); // leap day
    expect(resolveDueDate({ anchor: 'bl_date', days: 70 }, { bl_date: '2026-12-21' })).toBe('2027-03-01');
    expect(resolveDueDate({ anchor: 'bl_date', days: 1 }, { bl_date: '2026-03-28' })).toBe('2026-03-29'); // across European DST: calendar days, not 24 h in a local zone
  });

  it('is null until the anchor event has happened', () => {
    expect(resolveDueDate({ anchor: 'documents_presented', days: 0 }, { bl_date: '2026-12-20' })).toBeNull();
    expect(resolveDueDate({ anchor: 'sight', days: 60 }, { sight: null })).toBeNull();
    expect(resolveDueDate({ anchor: 'sight', days: 60 }, {})).toBeNull();
  });

  it('refuses dates that are not real calendar days and bad day counts', () => {
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-2-3', '20261220', '2026-12-20T00:00:00Z', '']) {
      expect(() => resolveDueDate({ anchor: 'bl_date', days: 0 }, { bl_date: bad }), bad).toThrow(/bl_date must be a calendar date/);
    }
    expect(() => resolveDueDate({ anchor: 'bl_date', days: -1 }, { bl_date: '2026-12-20' })).toThrow(/non-negative/);
    expect(() => resolveDueDate({ anchor: 'bl_date', days: 1.5 } as DueRule, { bl_date: '2026-12-20' })).toThrow(/non-negative/);
    expect(() => addCalendarDays('9999-12-31', 1)).toThrow(/out of range/);
    expect(addCalendarDays('0050-03-01', -1)).toBe('0050-02-28'); // years below 100 are not read as 19xx
  });

  it('agrees with a day-by-day calendar and with daysBetween', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 800 }), (date, n) => {
        const due = resolveDueDate({ anchor: 'bl_date', days: n }, { bl_date: date });
        expect(due).toBe(stepDays(date, n));
        expect(daysBetween(date, due!)).toBe(n);
        expect(daysBetween(due!, date)).toBe(0 - n);
        expect(addCalendarDays(due!, -n)).toBe(date);
      }),
      { numRuns: 300 },
    );
  });
});

describe('paymentStatus', () => {
  const base = { amountMinor: 100_000, paidMinor: 0, dueDate: '2026-12-20' as string | null, today: '2026-12-20' };

  it('paid in full, or more', () => {
    expect(paymentStatus({ ...base, paidMinor: 100_000, today: '2027-06-01' })).toEqual({ status: 'paid', partlyPaid: false, outstandingMinor: 0, daysOverdue: 0 });
    expect(paymentStatus({ ...base, paidMinor: 120_000 })).toEqual({ status: 'paid', partlyPaid: false, outstandingMinor: 0, daysOverdue: 0 });
    expect(paymentStatus({ ...base, amountMinor: 0, dueDate: null }).status).toBe('paid');
  });

  it('overdue after the due date, partly paid or not', () => {
    expect(paymentStatus({ ...base, today: '2026-12-21' })).toEqual({ status: 'overdue', partlyPaid: false, outstandingMinor: 100_000, daysOverdue: 1 });
    expect(paymentStatus({ ...base, paidMinor: 40_000, today: '2027-01-19' })).toEqual({ status: 'overdue', partlyPaid: true, outstandingMinor: 60_000, daysOverdue: 30 });
  });

  it('due, partly paid or pending while not overdue', () => {
    expect(paymentStatus(base)).toEqual({ status: 'due', partlyPaid: false, outstandingMinor: 100_000, daysOverdue: 0 }); // due today is not overdue
    expect(paymentStatus({ ...base, today: '2026-11-01' }).status).toBe('due');
    expect(paymentStatus({ ...base, paidMinor: 1 })).toEqual({ status: 'partly_paid', partlyPaid: true, outstandingMinor: 99_999, daysOverdue: 0 });
    expect(paymentStatus({ ...base, paidMinor: 1, dueDate: null }).status).toBe('partly_paid');
    expect(paymentStatus({ ...base, dueDate: null, today: '2030-01-01' })).toEqual({ status: 'pending', partlyPaid: false, outstandingMinor: 100_000, daysOverdue: 0 });
  });

  it('refuses bad amounts and dates', () => {
    expect(() => paymentStatus({ ...base, paidMinor: -1 })).toThrow(/paidMinor/);
    expect(() => paymentStatus({ ...base, amountMinor: 1.5 })).toThrow(/amountMinor/);
    expect(() => paymentStatus({ ...base, today: '2026-12-32' })).toThrow(/today/);
    expect(() => paymentStatus({ ...base, dueDate: null, today: 'today' })).toThrow(/today/);
    expect(() => paymentStatus({ ...base, dueDate: '20.12.2026' })).toThrow(/calendar date/);
  });

  it('follows its definition for every combination', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_200_000 }),
        fc.option(isoDate),
        isoDate,
        (amountMinor, paidMinor, dueDate, today) => {
          const s = paymentStatus({ amountMinor, paidMinor, dueDate, today });
          const paid = paidMinor >= amountMinor;
          const late = dueDate !== null && dueDate < today; // ISO dates sort as strings
          const expected = paid ? 'paid' : late ? 'overdue' : paidMinor > 0 ? 'partly_paid' : dueDate === null ? 'pending' : 'due';
          expect(s.status).toBe(expected);
          expect(s.partlyPaid).toBe(paidMinor > 0 && paidMinor < amountMinor);
          expect(s.outstandingMinor).toBe(paid ? 0 : amountMinor - paidMinor);
          expect(s.daysOverdue > 0).toBe(expected === 'overdue');
          if (expected === 'overdue') expect(addCalendarDays(dueDate!, s.daysOverdue)).toBe(today);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('letters of credit', () => {
  const lc: LcDates = { expiryDate: '2026-12-21', latestShipmentDate: '2026-11-30', today: '2026-10-01' };
  const codes = (d: LcDates) => lcChecks(d).map((w) => w.code);

  it('presentation deadline is the earlier of B/L date + presentation days and expiry', () => {
    expect(presentationDeadline('2026-11-28', '2026-12-21')).toBe('2026-12-19'); // 21 days (UCP 600 art. 14(c))
    expect(presentationDeadline('2026-12-10', '2026-12-21')).toBe('2026-12-21'); // expiry comes first
    expect(presentationDeadline('2026-11-28', '2026-12-21', 10)).toBe('2026-12-08');
  });

  it('no warning when everything is far off', () => {
    expect(lcChecks(lc)).toEqual([]);
    expect(lcChecks({ ...lc, blDate: '2026-11-28', today: '2026-12-10' })).toEqual([]); // deadline 12-19, 9 days left
  });

  it('before shipment: latest shipment date and expiry near or passed', () => {
    expect(codes({ ...lc, today: '2026-11-22' })).toEqual([]); // 8 days left
    expect(lcChecks({ ...lc, today: '2026-11-23' })).toEqual([{ code: 'latest_shipment_date_near', message: expect.stringMatching(/2026-11-30 \(7 day\(s\) left\)/) }]);
    expect(codes({ ...lc, today: '2026-11-30' })).toEqual(['latest_shipment_date_near']);
    expect(codes({ ...lc, today: '2026-12-01' })).toEqual(['latest_shipment_date_passed']);
    expect(codes({ ...lc, today: '2026-12-14' })).toEqual(['latest_shipment_date_passed', 'lc_expiry_near']);
    expect(codes({ ...lc, today: '2026-12-22' })).toEqual(['latest_shipment_date_passed', 'lc_expired']);
    expect(codes({ ...lc, today: '2026-11-23', nearDays: 3 })).toEqual([]);
  });

  it('after shipment: late shipment and the presentation deadline', () => {
    const shipped = { ...lc, blDate: '2026-11-28' };
    expect(codes({ ...shipped, today: '2026-12-11' })).toEqual([]); // 8 days left
    expect(lcChecks({ ...shipped, today: '2026-12-12' })).toEqual([
      { code: 'presentation_deadline_near', message: expect.stringMatching(/by 2026-12-19 \(21 days after the B\/L date; 7 day\(s\) left\)/) },
    ]);
    expect(codes({ ...shipped, today: '2026-12-19' })).toEqual(['presentation_deadline_near']);
    expect(lcChecks({ ...shipped, today: '2026-12-20' })).toEqual([{ code: 'presentation_deadline_passed', message: expect.stringMatching(/by 2026-12-19/) }]);
    expect(codes({ ...shipped, presentationDays: 10, today: '2026-12-09' })).toEqual(['presentation_deadline_passed']);
    // shipped late and close to expiry: the deadline is the expiry
    const late = lcChecks({ ...lc, blDate: '2026-12-02', today: '2026-12-15' });
    expect(late.map((w) => w.code)).toEqual(['shipped_after_latest_date', 'presentation_deadline_near']);
    expect(late[1]!.message).toMatch(/by 2026-12-21 \(the LC expiry; 6 day\(s\) left\)/);
  });

  it('flags an LC whose latest shipment date is after its expiry, and bad input', () => {
    expect(codes({ ...lc, latestShipmentDate: '2026-12-31' })).toEqual(['latest_shipment_after_expiry']);
    expect(() => lcChecks({ ...lc, presentationDays: 0 })).toThrow(/presentationDays/);
    expect(() => lcChecks({ ...lc, nearDays: -1 })).toThrow(/nearDays/);
    expect(() => lcChecks({ ...lc, expiryDate: '2026-12-32' })).toThrow(/calendar date/);
  });

  it('warns exactly when a deadline is within nearDays or past', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 120 }), fc.option(fc.integer({ min: -60, max: 60 })), fc.integer({ min: -200, max: 200 }), (lsd, lsdToExpiry, presentationDays, blOffset, todayOffset) => {
        fc.pre(presentationDays > 0);
        const d: LcDates = {
          latestShipmentDate: lsd,
          expiryDate: addCalendarDays(lsd, lsdToExpiry),
          presentationDays,
          blDate: blOffset === null ? null : addCalendarDays(lsd, blOffset),
          today: addCalendarDays(lsd, todayOffset),
        };
        const got = codes(d);
        const deadline = d.blDate ? presentationDeadline(d.blDate, d.expiryDate, presentationDays) : d.expiryDate;
        const left = daysBetween(d.today, deadline);
        expect(got.includes(d.blDate ? 'presentation_deadline_passed' : 'lc_expired')).toBe(left < 0);
        expect(got.includes(d.blDate ? 'presentation_deadline_near' : 'lc_expiry_near')).toBe(left >= 0 && left <= 7);
        expect(got.includes('shipped_after_latest_date')).toBe(blOffset !== null && blOffset > 0);
        expect(got.includes('latest_shipment_date_passed')).toBe(blOffset === null && todayOffset > 0);
        expect(deadline <= d.expiryDate).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
