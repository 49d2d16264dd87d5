import { DECIMAL_RE, MAX_MINOR, compareDecimal, fractionDigits, sumDecimal } from './money.js';

/**
 * Splitting and allocating money in integer minor units, without losing or inventing a single minor unit:
 * pro-rating by weights or percentages (largest-remainder method) and applying a buyer's receipt to
 * outstanding milestones (FIFO or explicit).
 */

function checkMinor(value: number, name: string, min = -MAX_MINOR): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be ${min === 0 ? 'a non-negative' : 'a'} safe integer of minor units; got ${value}`);
  }
}

/** Weights as BigInt integers on one common decimal scale ("0.5", 2, 3n → 5, 20, 30). */
function weightUnits(weights: readonly (number | bigint | string)[]): bigint[] {
  const written = weights.map((w, i) => {
    if (typeof w === 'bigint') {
      if (w < 0n) throw new RangeError(`weights[${i}] must not be negative; got ${w}`);
      return w.toString();
    }
    // A number is read as its shortest decimal form (0.3 → "0.3"); exponent forms (1e-7, 1e21) are refused.
    const s = typeof w === 'number' && Number.isFinite(w) ? String(w) : w;
    if (typeof s !== 'string' || !DECIMAL_RE.test(s)) {
      throw new RangeError(`weights[${i}] must be a non-negative plain decimal; got ${String(w)}`);
    }
    return s;
  });
  const scale = written.reduce((max, s) => Math.max(max, fractionDigits(s)), 0);
  return written.map((s) => BigInt(s.replace('.', '')) * 10n ** BigInt(scale - fractionDigits(s)));
}

/**
 * Split an integer total by weights with the largest-remainder (Hamilton) method: each share is
 * floor(total × weight / Σweights), then the minor units still missing go one each to the shares with the
 * largest remainders, ties to the earlier index. The shares always add up to `totalMinor` exactly, each is
 * within one minor unit of its exact quota, and a zero weight gets zero. A negative total is split as
 * −prorateMinor(−total). Weights are non-negative numbers, bigints or decimal strings, not all zero.
 */
export function prorateMinor(totalMinor: number, weights: readonly (number | bigint | string)[]): number[] {
  checkMinor(totalMinor, 'totalMinor');
  if (weights.length === 0) throw new RangeError('At least one weight is needed');
  const units = weightUnits(weights);
  const sum = units.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new RangeError('Weights must not all be zero');
  const negative = totalMinor < 0;
  const total = BigInt(Math.abs(totalMinor));
  const shares = units.map((w) => (total * w) / sum);
  const remainders = units.map((w) => (total * w) % sum);
  let missing = Number(total - shares.reduce((a, b) => a + b, 0n)); // < weights.length
  if (missing > 0) {
    // Stable sort: equal remainders keep index order, so ties go to the earlier index.
    const order = units.map((_, i) => i).sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : 0));
    for (const i of order) {
      if (missing-- === 0) break;
      shares[i]! += 1n;
    }
  }
  return shares.map((s) => Number(negative ? -s : s));
}

/**
 * Split an integer total by percentages that add up to exactly 100 (["30", "70"]), with `prorateMinor`:
 * the parts add up to the total exactly. Throws RangeError when a percentage is not a plain decimal or the
 * sum is not 100.
 */
export function splitByPercents(totalMinor: number, percents: readonly string[]): number[] {
  if (percents.length === 0) throw new RangeError('At least one percentage is needed');
  percents.forEach((p, i) => {
    if (typeof p !== 'string' || !DECIMAL_RE.test(p)) throw new RangeError(`percents[${i}] must be a plain decimal string, e.g. "30"; got ${JSON.stringify(p)}`);
  });
  const sum = sumDecimal(percents);
  if (compareDecimal(sum, '100') !== 0) throw new RangeError(`Percentages must add up to 100; they add up to ${sum}`);
  return prorateMinor(totalMinor, percents);
}

/** Something a receipt can pay: a milestone or invoice with what is still owed on it. */
export interface AllocationTarget {
  id: string;
  outstandingMinor: number;
}

/** Part of a receipt applied to one target. */
export interface Allocation {
  id: string;
  amountMinor: number;
}

/** A problem with requested allocations, with the path of the offending field (`allocations[1].amountMinor`). */
export interface AllocationProblem {
  path: string;
  message: string;
}

/** Outcome of `allocateReceipt`. */
export interface ReceiptAllocation {
  allocations: Allocation[];
  /** Receipt minus allocations: an over-payment stays visible as unallocated credit. Never negative. */
  unallocatedMinor: number;
  problems: AllocationProblem[];
}

/**
 * Apply a receipt of `receiptMinor` to outstanding `targets`.
 *
 * - Without `requested` (FIFO): pays the targets in the order given (putting the oldest due first is the
 *   caller's job), each in full before the next, until the receipt is used up. Only non-zero allocations are listed.
 * - With `requested` (explicit, even an empty list): exactly those allocations, after checking each: unknown or
 *   repeated id, amount not a positive whole number, amount above the target's outstanding, and the total above
 *   the receipt. Each is reported as a problem with its path (`allocations[1].amountMinor`) rather than thrown;
 *   when there is any problem nothing is allocated (allocations empty, the whole receipt unallocated).
 *
 * Always `sum(allocations) + unallocatedMinor === receiptMinor` and no target gets more than its outstanding.
 * Throws RangeError only for caller bugs: a negative or non-integer receipt or outstanding, duplicate target ids.
 */
export function allocateReceipt(receiptMinor: number, targets: readonly AllocationTarget[], requested?: readonly Allocation[]): ReceiptAllocation {
  checkMinor(receiptMinor, 'receiptMinor', 0);
  const outstanding = new Map<string, number>();
  targets.forEach((t, i) => {
    checkMinor(t.outstandingMinor, `targets[${i}].outstandingMinor`, 0);
    if (outstanding.has(t.id)) throw new RangeError(`targets[${i}].id ${t.id} appears twice`);
    outstanding.set(t.id, t.outstandingMinor);
  });

  if (!requested) {
    const allocations: Allocation[] = [];
    let left = receiptMinor;
    for (const t of targets) {
      if (left === 0) break;
      const amountMinor = Math.min(left, t.outstandingMinor);
      if (amountMinor > 0) {
        allocations.push({ id: t.id, amountMinor });
        left -= amountMinor;
      }
    }
    return { allocations, unallocatedMinor: left, problems: [] };
  }

  const problems: AllocationProblem[] = [];
  const seen = new Set<string>();
  let total = 0n;
  requested.forEach((r, i) => {
    const owed = outstanding.get(r.id);
    if (owed === undefined) problems.push({ path: `allocations[${i}].id`, message: `No outstanding payment ${JSON.stringify(r.id)} to allocate to` });
    else if (seen.has(r.id)) problems.push({ path: `allocations[${i}].id`, message: `${r.id} is allocated more than once; give one amount per payment` });
    seen.add(r.id);
    if (!Number.isSafeInteger(r.amountMinor) || r.amountMinor <= 0) {
      problems.push({ path: `allocations[${i}].amountMinor`, message: `Amount must be a positive whole number of minor units; got ${r.amountMinor}` });
      return;
    }
    total += BigInt(r.amountMinor);
    if (owed !== undefined && r.amountMinor > owed) {
      problems.push({ path: `allocations[${i}].amountMinor`, message: `${r.amountMinor} minor units is more than the ${owed} outstanding on ${r.id}` });
    }
  });
  if (total > BigInt(receiptMinor)) {
    problems.push({ path: 'allocations', message: `Allocations add up to ${total} minor units, more than the receipt of ${receiptMinor}` });
  }
  if (problems.length > 0) return { allocations: [], unallocatedMinor: receiptMinor, problems };
  const allocations = requested.map((r) => ({ id: r.id, amountMinor: r.amountMinor }));
  return { allocations, unallocatedMinor: receiptMinor - Number(total), problems };
}
