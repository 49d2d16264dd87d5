import type { PaymentTerms } from '../contracts/payment-terms.js';
import { splitByPercents } from './allocation.js';
import { currencyExponent } from './currency.js';
import { DECIMAL_RE, MAX_MINOR, compareDecimal, normaliseDecimal, subtractDecimal } from './money.js';

/**
 * Payment milestones derived from an order's payment terms, their due dates once the anchoring event
 * (order confirmation, B/L, invoice, presentation of documents, sight) has happened, their status, and
 * warnings for letters of credit. Dates are ISO calendar days (YYYY-MM-DD), counted in UTC.
 */

/** The event a milestone falls due from. */
export type DueAnchor = 'order_confirmed' | 'bl_date' | 'invoice_date' | 'documents_presented' | 'sight';

/** When a milestone is due: `days` calendar days after its anchor event. */
export interface DueRule {
  anchor: DueAnchor;
  days: number;
}

/** One expected payment of an order. */
export interface ScheduledPayment {
  /** 1, 2, … in the order the payments fall due. */
  sequence: number;
  kind: 'advance' | 'balance' | 'lc' | 'dp' | 'da' | 'open_account';
  /** Wording for documents and lists: "30% advance", "70% against copy of B/L". */
  label: string;
  /** Share of the order total, canonical decimal string ("30", "33.33"). */
  percent: string;
  /** Amount in the order currency's minor units; the milestones add up to the total exactly. */
  amountMinor: number;
  due: DueRule;
}

const FROM_WORDS: Record<'bl_date' | 'sight' | 'invoice_date', string> = { bl_date: 'B/L date', sight: 'sight', invoice_date: 'invoice date' };

/** One milestone for the whole amount. */
function single(kind: ScheduledPayment['kind'], label: string, totalMinor: number, due: DueRule): ScheduledPayment[] {
  return [{ sequence: 1, kind, label: `100% ${label}`, percent: '100', amountMinor: totalMinor, due }];
}

/**
 * Payment milestones for `terms` on an order of `totalMinor` (minor units of `currency`, which is checked).
 * Shares are split with `splitByPercents` (largest remainder), so the amounts add up to the total exactly.
 *
 * - advance 100 → one milestone due on order confirmation; advance P with a balance → P% on order confirmation,
 *   then the rest against copy of B/L (B/L date), cash against documents (presentation) or open account
 *   (B/L date + balanceDays);
 * - lc sight → on presentation of documents; lc usance N → N days from B/L date (default), sight or invoice date;
 * - dp → on presentation of documents; da N → N days from B/L date or sight; open_account N → N days from B/L or invoice date.
 *
 * Throws RangeError on terms the PaymentTerms contract would reject (missing balance, advance outside 0–100, …).
 */
export function deriveSchedule(terms: PaymentTerms, totalMinor: number, currency: string): ScheduledPayment[] {
  currencyExponent(currency);
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) throw new RangeError(`Order total must be a non-negative safe integer of minor units; got ${totalMinor}`);
  switch (terms.type) {
    case 'advance': {
      if (typeof terms.percent !== 'string' || !DECIMAL_RE.test(terms.percent)) throw new RangeError(`Advance percent must be a decimal string; got ${JSON.stringify(terms.percent)}`);
      const advance = normaliseDecimal(terms.percent);
      if (compareDecimal(advance, '0') <= 0 || compareDecimal(advance, '100') > 0) throw new RangeError(`Advance must be above 0% and at most 100%; got ${terms.percent}`);
      if (advance === '100') return single('advance', 'advance', totalMinor, { anchor: 'order_confirmed', days: 0 });
      const rest = subtractDecimal('100', advance);
      let balanceLabel: string;
      let due: DueRule;
      switch (terms.balance) {
        case 'against_bl_copy':
          balanceLabel = 'against copy of B/L';
          due = { anchor: 'bl_date', days: 0 };
          break;
        case 'cad':
          balanceLabel = 'cash against documents';
          due = { anchor: 'documents_presented', days: 0 };
          break;
        case 'open_account':
          checkDays(terms.balanceDays, 'balanceDays');
          balanceLabel = `open account ${terms.balanceDays} days from B/L date`;
          due = { anchor: 'bl_date', days: terms.balanceDays! };
          break;
        default:
          throw new RangeError(`Say how the balance is paid when the advance is under 100%`);
      }
      const [advanceMinor, balanceMinor] = splitByPercents(totalMinor, [advance, rest]) as [number, number];
      return [
        { sequence: 1, kind: 'advance', label: `${advance}% advance`, percent: advance, amountMinor: advanceMinor, due: { anchor: 'order_confirmed', days: 0 } },
        { sequence: 2, kind: 'balance', label: `${rest}% ${balanceLabel}`, percent: rest, amountMinor: balanceMinor, due },
      ];
    }
    case 'lc': {
      // Documents must be presented within the LC's presentation period: by default no later than 21 calendar days
      // after the date of shipment (UCP 600 art. 14(c)) and in any case before the LC expires — see `lcChecks`.
      if (terms.tenor === 'sight') return single('lc', 'by LC at sight', totalMinor, { anchor: 'documents_presented', days: 0 });
      checkDays(terms.usanceDays, 'usanceDays');
      const from = terms.usanceFrom ?? 'bl_date';
      return single('lc', `by LC usance ${terms.usanceDays} days from ${FROM_WORDS[from]}`, totalMinor, { anchor: from, days: terms.usanceDays! });
    }
    case 'dp':
      return single('dp', 'documents against payment (D/P at sight)', totalMinor, { anchor: 'documents_presented', days: 0 });
    case 'da': {
      checkDays(terms.days, 'days');
      const from = terms.from ?? 'bl_date';
      return single('da', `documents against acceptance (D/A) ${terms.days} days from ${FROM_WORDS[from]}`, totalMinor, { anchor: from, days: terms.days });
    }
    case 'open_account': {
      checkDays(terms.days, 'days');
      const from = terms.from ?? 'bl_date';
      return single('open_account', `open account ${terms.days} days from ${FROM_WORDS[from]}`, totalMinor, { anchor: from, days: terms.days });
    }
    default:
      throw new RangeError(`Unknown payment terms type: ${JSON.stringify((terms as { type?: unknown }).type)}`);
  }
}

function checkDays(days: number | undefined, name: string): void {
  if (!Number.isInteger(days) || days! < 0) throw new RangeError(`${name} must be a whole number of days; got ${days}`);
}

const DAY_MS = 86_400_000;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar date "YYYY-MM-DD"; RangeError otherwise (2026-02-30 included). */
function dayNumber(date: string, name: string): number {
  const m = typeof date === 'string' ? ISO_DATE_RE.exec(date) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d); // not Date.UTC, which reads years 0–99 as 1900–1999
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) return t.getTime() / DAY_MS;
  }
  throw new RangeError(`${name} must be a calendar date YYYY-MM-DD; got ${JSON.stringify(date)}`);
}

function isoDate(dayNo: number): string {
  const t = new Date(dayNo * DAY_MS);
  const y = t.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) throw new RangeError('Date out of range');
  return `${String(y).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** `date` plus `days` calendar days (negative to go back): "2026-12-20" + 45 → "2027-02-03". */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be a whole number; got ${days}`);
  return isoDate(dayNumber(date, 'date') + days);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to, 'to') - dayNumber(from, 'from');
}

/** Dates of the anchor events that have happened so far. */
export type DueAnchors = Partial<Record<DueAnchor, string | null>>;

/** Due date of a milestone: its anchor's date plus its days, or null while the anchor event has not happened. */
export function resolveDueDate(due: DueRule, anchors: DueAnchors): string | null {
  const date = anchors[due.anchor];
  if (date === undefined || date === null) return null;
  if (!Number.isSafeInteger(due.days) || due.days < 0) throw new RangeError(`Due days must be a non-negative whole number; got ${due.days}`);
  return isoDate(dayNumber(date, due.anchor) + due.days);
}

/**
 * Where a milestone stands, in order of precedence:
 * - `paid`: paid in full (or more);
 * - `overdue`: due date before today and not paid in full — also when partly paid (then `partlyPaid` is true);
 * - `partly_paid`: something but not all paid, and not overdue (due date today or later, or not known yet);
 * - `due`: nothing paid, due date known and today or later;
 * - `pending`: nothing paid and the due date not known yet (its anchor event has not happened).
 */
export type PaymentStatus = 'paid' | 'overdue' | 'partly_paid' | 'due' | 'pending';

/** Status of a milestone with the figures behind it. */
export interface PaymentStatusInfo {
  status: PaymentStatus;
  /** Something but not all paid, whatever the status (an overdue milestone may be partly paid). */
  partlyPaid: boolean;
  /** Still owed, never negative. */
  outstandingMinor: number;
  /** Days past the due date when overdue, else 0. */
  daysOverdue: number;
}

/** Status of a milestone of `amountMinor` with `paidMinor` received, on `today` (see PaymentStatus for the rules). */
export function paymentStatus({ amountMinor, paidMinor, dueDate, today }: { amountMinor: number; paidMinor: number; dueDate: string | null; today: string }): PaymentStatusInfo {
  for (const [name, v] of [['amountMinor', amountMinor], ['paidMinor', paidMinor]] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_MINOR) throw new RangeError(`${name} must be a non-negative safe integer; got ${v}`);
  }
  dayNumber(today, 'today');
  const late = dueDate === null ? 0 : daysBetween(dueDate, today);
  const outstandingMinor = Math.max(0, amountMinor - paidMinor);
  const partlyPaid = paidMinor > 0 && outstandingMinor > 0;
  const status: PaymentStatus =
    outstandingMinor === 0 ? 'paid' : late > 0 ? 'overdue' : partlyPaid ? 'partly_paid' : dueDate === null ? 'pending' : 'due';
  return { status, partlyPaid, outstandingMinor, daysOverdue: status === 'overdue' ? late : 0 };
}

/** Presentation period of UCP 600 art. 14(c) when the LC states none: 21 calendar days after shipment. */
export const UCP_PRESENTATION_DAYS = 21;

/** Last day to present documents under an LC: the earlier of B/L date + presentation days and the expiry date. */
export function presentationDeadline(blDate: string, expiryDate: string, presentationDays = UCP_PRESENTATION_DAYS): string {
  const byPeriod = addCalendarDays(blDate, presentationDays);
  return daysBetween(byPeriod, expiryDate) < 0 ? expiryDate : byPeriod;
}

/** Something to act on under a letter of credit. */
export interface LcWarning {
  code:
    | 'latest_shipment_after_expiry'
    | 'shipped_after_latest_date'
    | 'latest_shipment_date_passed'
    | 'latest_shipment_date_near'
    | 'presentation_deadline_passed'
    | 'presentation_deadline_near'
    | 'lc_expired'
    | 'lc_expiry_near';
  message: string;
}

/** Dates of a letter of credit and its shipment, for `lcChecks`. */
export interface LcDates {
  expiryDate: string;
  latestShipmentDate: string;
  /** Days after shipment to present documents; UCP 600 art. 14(c) default 21. */
  presentationDays?: number;
  /** Date of the bill of lading (shipment), once shipped. */
  blDate?: string | null;
  today: string;
  /** A deadline this many days ahead or fewer is "near" (default 7). */
  nearDays?: number;
}

/**
 * Warnings for an LC on `today`:
 * - the latest shipment date is after the expiry (the LC needs amending);
 * - before shipment: the latest shipment date has passed, or is within `nearDays`; the LC has expired or expires within `nearDays`;
 * - after shipment (blDate given): shipped after the latest shipment date (discrepant documents); the presentation
 *   deadline — the earlier of blDate + presentationDays and the expiry — has passed, or is within `nearDays`.
 */
export function lcChecks({ expiryDate, latestShipmentDate, presentationDays = UCP_PRESENTATION_DAYS, blDate, today, nearDays = 7 }: LcDates): LcWarning[] {
  if (!Number.isInteger(presentationDays) || presentationDays < 1) throw new RangeError(`presentationDays must be a whole number of days, at least 1; got ${presentationDays}`);
  if (!Number.isInteger(nearDays) || nearDays < 0) throw new RangeError(`nearDays must be a non-negative whole number; got ${nearDays}`);
  const warnings: LcWarning[] = [];
  const ahead = (date: string) => daysBetween(today, date); // negative once passed
  if (daysBetween(latestShipmentDate, expiryDate) < 0) {
    warnings.push({ code: 'latest_shipment_after_expiry', message: `Latest shipment date ${latestShipmentDate} is after the LC expiry ${expiryDate}: ask for an amendment` });
  }
  if (blDate === undefined || blDate === null) {
    const toShip = ahead(latestShipmentDate);
    if (toShip < 0) warnings.push({ code: 'latest_shipment_date_passed', message: `Latest shipment date ${latestShipmentDate} has passed and nothing is shipped: the LC needs an amendment` });
    else if (toShip <= nearDays) warnings.push({ code: 'latest_shipment_date_near', message: `Ship by ${latestShipmentDate} (${toShip} day(s) left) to comply with the LC` });
    const toExpiry = ahead(expiryDate);
    if (toExpiry < 0) warnings.push({ code: 'lc_expired', message: `The LC expired on ${expiryDate}` });
    else if (toExpiry <= nearDays) warnings.push({ code: 'lc_expiry_near', message: `The LC expires on ${expiryDate} (${toExpiry} day(s) left)` });
    return warnings;
  }
  if (daysBetween(latestShipmentDate, blDate) > 0) {
    warnings.push({ code: 'shipped_after_latest_date', message: `B/L date ${blDate} is after the LC's latest shipment date ${latestShipmentDate}: the documents are discrepant unless the LC is amended` });
  }
  const deadline = presentationDeadline(blDate, expiryDate, presentationDays);
  const why = deadline === expiryDate ? `the LC expiry` : `${presentationDays} days after the B/L date`;
  const left = ahead(deadline);
  if (left < 0) warnings.push({ code: 'presentation_deadline_passed', message: `Documents had to be presented by ${deadline} (${why})` });
  else if (left <= nearDays) warnings.push({ code: 'presentation_deadline_near', message: `Present the documents by ${deadline} (${why}; ${left} day(s) left)` });
  return warnings;
}
