/**
 * Payment terms as exporters write them in their sheets ("30% adv bal CAD", "LC 60 days from BL", "Net 30")
 * → the {@link PaymentTerms} union of the API. Pure; no Node APIs. Like the other import normalisers it never
 * guesses: a bare "LC" (sight or usance?) or "D/A" without days is an error that says what is missing.
 */
import type { PaymentTerms } from '../contracts/payment-terms.js';
import type { ParseResult } from './normalise.js';

const ok = (value: PaymentTerms, notes: string[] = []): ParseResult<PaymentTerms> =>
  notes.length ? { ok: true, value, note: notes.join('; ') } : { ok: true, value };
const fail = (error: string): ParseResult<PaymentTerms> => ({ ok: false, error });

/** Lower case, the trade abbreviations written without slashes or dots, punctuation → spaces. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\bl\s*\/\s*c\b|\bl\.\s*c\.?/g, 'lc')
    .replace(/\bd\s*\/\s*p\b|\bd\.\s*p\.?(?=\s|$)/g, 'dp')
    .replace(/\bd\s*\/\s*a\b|\bd\.\s*a\.?(?=\s|$)/g, 'da')
    .replace(/\bb\s*\/\s*l\b|\bb\.\s*l\.?|\bbill of lading\b|\bbol\b/g, 'bl')
    .replace(/\bt\s*\/\s*t\b|\btelegraphic transfer\b/g, 'tt')
    .replace(/\bo\s*\/\s*a\b/g, 'oa')
    .replace(/\bc\.?\s*a\.?\s*d\.?(?=\s|$)/g, 'cad')
    .replace(/[^a-z0-9%.]+/g, ' ')
    .replace(/(?<!\d)\.|\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const DAYS = /(\d{1,3})\s*(?:days?|d)\b/;

function days(s: string, what: string): number | string {
  const m = DAYS.exec(s) ?? /\b(\d{1,3})\b/.exec(s);
  if (!m) return `${what} needs its number of days`;
  const n = Number(m[1]);
  if (n < 1 || n > 365) return `${what}: ${n} days is out of range (1–365)`;
  return n;
}

const CAD = /\b(cad|dp|cash against documents?|documents? against payment|against documents?)\b/;
const BL_COPY = /\b(copy|copies|scan|scanned|fax)\b.*\bbl\b|\bbl\b.*\b(copy|copies|scan|scanned|fax)\b|\bagainst bl\b/;
const OPEN = /\b(oa|open account|credit|net)\b|\d{1,3}\s*days?\b/;

/** The balance of a part-advance: against copy of B/L, cash against documents, or open account N days. */
function balance(rest: string, advance: number): { balance: 'against_bl_copy' | 'cad' | 'open_account'; balanceDays?: number; stated?: number } | string {
  let s = rest.replace(/^(and|with|\+|plus)\s+/, '');
  const pct = /^(\d{1,3}(?:\.\d{1,2})?)\s*%/.exec(s.replace(/^(balance|bal|rest|remaining)\s+/, ''));
  const stated = pct ? Number(pct[1]) : undefined;
  s = s.replace(/\b(balance|bal|rest|remaining|payment|payable|paid|by|tt|on|of|the|and)\b/g, ' ').replace(/\d{1,3}(?:\.\d{1,2})?\s*%/g, ' ').replace(/\s+/g, ' ').trim();
  if (stated !== undefined && Math.abs(stated + advance - 100) > 1e-9) {
    return `advance ${advance}% and balance ${stated}% do not add up to 100%`;
  }
  if (s === '') return 'say how the balance is paid (against copy of B/L, CAD, or open account N days)';
  if (BL_COPY.test(s)) return { balance: 'against_bl_copy', ...(stated !== undefined ? { stated } : {}) };
  if (CAD.test(s)) return { balance: 'cad', ...(stated !== undefined ? { stated } : {}) };
  if (OPEN.test(s)) {
    const d = days(s, 'an open-account balance');
    if (typeof d === 'string') return d;
    return { balance: 'open_account', balanceDays: d, ...(stated !== undefined ? { stated } : {}) };
  }
  return `unknown balance terms "${rest}" (expected against copy of B/L, CAD, or open account N days)`;
}

/**
 * Parses payment terms. Accepted forms (case-insensitive; slashes and dots in L/C, D/P, D/A, B/L, T/T, O/A optional):
 * - advance: "100% advance", "advance", "full advance", "T/T in advance", "CIA", "prepayment";
 *   "30% advance, 70% against B/L copy", "30% adv bal CAD", "30% TT advance, balance D/P",
 *   "30% advance, balance 60 days" / "… OA 60 days" (open account from the B/L date);
 * - letters of credit: "LC at sight", "sight L/C", "LC 60 days from BL", "usance LC 90 days", "LC 60 days from sight";
 * - "D/P", "DP at sight", "CAD", "cash against documents";
 * - "D/A 60 days", "DA 90 days from sight";
 * - open account: "Open account 30 days", "OA 45", "Net 30" (from the invoice date), "60 days credit".
 */
export function parsePaymentTerms(text: string): ParseResult<PaymentTerms> {
  const original = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (original === '') return fail('empty: expected payment terms such as "30% advance, 70% against B/L copy" or "LC at sight"');
  const s = normalise(original);

  // Advance, full or part.
  const adv = /^(?:(\d{1,3}(?:\.\d{1,2})?)\s*%\s*)?(?:tt\s+|cash\s+)?(?:in\s+)?(?:advance|adv|advanced|prepayment|prepaid|upfront)\b(?:\s+(?:payment|tt|by tt|through tt))?(.*)$/.exec(s) ??
    /^(?:tt|cash|payment)\s+(?:in\s+)?advance()(.*)$/.exec(s) ??
    /^(?:full|total)\s+(?:advance|prepayment)()(.*)$/.exec(s) ??
    /^(cia)()$/.exec(s);
  if (adv) {
    const percent = adv[1] && /^\d/.test(adv[1]) ? Number(adv[1]) : 100;
    if (!(percent > 0) || percent > 100) return fail(`advance of ${adv[1]}% is out of range (above 0, at most 100)`);
    const rest = (adv[2] ?? '').trim();
    if (percent === 100) {
      if (rest !== '' && !/^(payment|by tt|tt|before shipment|before dispatch|with order)$/.test(rest)) {
        return fail(`"${original}": a 100% advance has no balance, but "${rest}" follows`);
      }
      return ok({ type: 'advance', percent: '100' });
    }
    const b = balance(rest, percent);
    if (typeof b === 'string') return fail(`"${original}": ${b}`);
    const terms: PaymentTerms = { type: 'advance', percent: String(percent), balance: b.balance };
    if (b.balanceDays !== undefined) terms.balanceDays = b.balanceDays;
    return ok(terms, b.balance === 'open_account' ? [`balance read as open account ${b.balanceDays} days from the B/L date`] : []);
  }

  // Letters of credit.
  if (/\blc\b|\bletter of credit\b|\bdlc\b/.test(s)) {
    const hasDays = DAYS.test(s) || /\b\d{1,3}\b/.test(s.replace(/\b(at sight|sight)\b/g, ''));
    if (/\bsight\b/.test(s) && !hasDays) return ok({ type: 'lc', tenor: 'sight' });
    if (hasDays) {
      const d = days(s, 'a usance LC');
      if (typeof d === 'string') return fail(`"${original}": ${d}`);
      const from = /\b(from|after)\s+(the\s+)?(date\s+of\s+)?bl\b|\bbl\s+date\b|\bfrom\s+shipment\b/.test(s)
        ? 'bl_date'
        : /\b(from|after)\s+sight\b|\bsight\b/.test(s)
          ? 'sight'
          : /\binvoice\b/.test(s)
            ? 'invoice_date'
            : undefined;
      return ok({ type: 'lc', tenor: 'usance', usanceDays: d, ...(from ? { usanceFrom: from } : {}) });
    }
    return fail(`"${original}": say whether the LC is at sight or usance with its days ("LC at sight", "LC 60 days from BL")`);
  }

  // Documents against acceptance (before D/P: "da" never matches the D/P forms).
  if (/^(da|documents? against acceptance)\b/.test(s)) {
    const d = days(s, 'D/A');
    if (typeof d === 'string') return fail(`"${original}": ${d}`);
    return ok({ type: 'da', days: d, from: /\bsight\b/.test(s) ? 'sight' : 'bl_date' });
  }

  // Documents against payment / cash against documents.
  if (/^(dp|cad|cash against documents?|documents? against payment)(\s+at\s+sight|\s+sight)?$/.test(s)) return ok({ type: 'dp' });

  // Open account.
  const net = /^net\s*(\d{1,3})(?:\s*days?)?$/.exec(s);
  if (net) {
    const d = days(net[1]!, 'Net');
    if (typeof d === 'string') return fail(`"${original}": ${d}`);
    return ok({ type: 'open_account', days: d, from: 'invoice_date' }, [`read "${original}" as open account ${d} days from the invoice date`]);
  }
  if (/^(oa|open account|open acct|credit)\b|^\d{1,3}\s*days?\s+(credit|open account|oa)\b|^\d{1,3}\s*days?\s+from\s+(invoice|bl)/.test(s)) {
    const d = days(s, 'open account');
    if (typeof d === 'string') return fail(`"${original}": ${d}`);
    return ok({ type: 'open_account', days: d, from: /\binvoice\b/.test(s) ? 'invoice_date' : 'bl_date' });
  }

  return fail(
    `unrecognised payment terms "${original}" (examples: "100% advance", "30% advance, 70% against B/L copy", "LC at sight", "LC 60 days from BL", "D/P", "D/A 60 days", "Open account 30 days")`,
  );
}
