import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AllocationTarget, allocateReceipt, prorateMinor, splitByPercents } from './allocation.js';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** Weight as an exact scaled BigInt, independent of the implementation: up to 3 decimals. */
const scaled3 = (w: number | bigint | string) => {
  const [i, f = ''] = String(w).split('.');
  return BigInt(`${i}${f.padEnd(3, '0')}`);
};
/** Weights written as integers, bigints or decimal strings with up to 3 decimals. */
const weight = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.bigInt({ min: 0n, max: 10n ** 6n }),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 999 })).map(([i, f]) => `${i}.${String(f).padStart(3, '0')}`),
);
const weights = fc.array(weight, { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => scaled3(w) > 0n));
const total = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

describe('prorateMinor', () => {
  it('splits by largest remainder, ties to the earlier index (hand-computed)', () => {
    expect(prorateMinor(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(prorateMinor(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(prorateMinor(4, [1, 2])).toEqual([1, 3]); // 1.33 / 2.67: the larger remainder gets the unit
    expect(prorateMinor(5, [1, 1, 2, 2])).toEqual([1, 1, 2, 1]); // 0.83, 0.83, 1.67, 1.67: remainders, not weights, decide
    expect(prorateMinor(101, ['30', '70'])).toEqual([30, 71]);
    expect(prorateMinor(1000, ['0.5', '0.25', '0.25'])).toEqual([500, 250, 250]);
    expect(prorateMinor(7, [1n, 2n])).toEqual([2, 5]);
    expect(prorateMinor(3, [0.1, 0.2])).toEqual([1, 2]); // numbers read as written, not as binary fractions
    expect(prorateMinor(10, [0, 1, 0])).toEqual([0, 10, 0]);
    expect(prorateMinor(0, [1, 2])).toEqual([0, 0]);
    expect(prorateMinor(Number.MAX_SAFE_INTEGER, [1, 1])).toEqual([4503599627370496, 4503599627370495]);
  });

  it('splits negative totals symmetrically', () => {
    expect(prorateMinor(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(prorateMinor(-4, [1, 2])).toEqual([-1, -3]);
    expect(prorateMinor(-1, [0, 1]).every((x) => !Object.is(x, -0))).toBe(true);
  });

  it('refuses bad weights and totals', () => {
    expect(() => prorateMinor(100, [])).toThrow(/At least one weight/);
    expect(() => prorateMinor(100, [0, 0])).toThrow(/not all be zero/);
    expect(() => prorateMinor(100, ['0', '0.000'])).toThrow(/not all be zero/);
    expect(() => prorateMinor(100, [1, -1])).toThrow(/weights\[1\]/);
    expect(() => prorateMinor(100, [-1n])).toThrow(/negative/);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1e-7, 1e21, '1e3', '-1', '', ' 1']) {
      expect(() => prorateMinor(100, [1, bad]), String(bad)).toThrow(RangeError);
    }
    expect(() => prorateMinor(1.5, [1])).toThrow(/safe integer/);
    expect(() => prorateMinor(Number.MAX_SAFE_INTEGER + 1, [1])).toThrow(/safe integer/);
  });

  it('shares add up to the total exactly, each within one minor unit of its exact quota', () => {
    fc.assert(
      fc.property(total, weights, (t, ws) => {
        const shares = prorateMinor(t, ws);
        expect(shares).toHaveLength(ws.length);
        expect(sum(shares)).toBe(t);
        const W = ws.reduce<bigint>((a, w) => a + scaled3(w), 0n);
        shares.forEach((s, i) => {
          expect(Number.isSafeInteger(s)).toBe(true);
          const diff = BigInt(s) * W - BigInt(t) * scaled3(ws[i]!); // (share − exact quota) × W
          expect(diff > -W && diff < W).toBe(true);
          if (scaled3(ws[i]!) === 0n) expect(s).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('hands the leftover units to the largest remainders, ties to the earlier index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), weights, (t, ws) => {
        const shares = prorateMinor(t, ws);
        const W = ws.reduce<bigint>((a, w) => a + scaled3(w), 0n);
        const rem = ws.map((w) => (BigInt(t) * scaled3(w)) % W);
        const extra = ws.map((w, i) => BigInt(shares[i]!) - (BigInt(t) * scaled3(w)) / W);
        extra.forEach((e) => expect(e === 0n || e === 1n).toBe(true));
        for (let i = 0; i < ws.length; i++) {
          for (let j = 0; j < ws.length; j++) {
            if (extra[i] === 1n && extra[j] === 0n) expect(rem[i]! > rem[j]! || (rem[i] === rem[j] && i < j)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is symmetric in the sign of the total and does not depend on the scale of the weights', () => {
    fc.assert(
      fc.property(total, weights, fc.integer({ min: 1, max: 1000 }), (t, ws, k) => {
        const shares = prorateMinor(t, ws);
        expect(prorateMinor(-t, ws)).toEqual(shares.map((s) => -s + 0));
        expect(prorateMinor(t, ws.map((w) => scaled3(w) * BigInt(k)))).toEqual(shares);
      }),
    );
  });
});

describe('splitByPercents', () => {
  it('splits by percentages adding up to 100 (hand-computed)', () => {
    expect(splitByPercents(100_000, ['30', '70'])).toEqual([30_000, 70_000]);
    expect(splitByPercents(101, ['30', '70'])).toEqual([30, 71]);
    expect(splitByPercents(100, ['33.33', '33.33', '33.34'])).toEqual([33, 33, 34]);
    expect(splitByPercents(1000, ['12.5', '87.50'])).toEqual([125, 875]);
    expect(splitByPercents(12345, ['100'])).toEqual([12345]);
    expect(splitByPercents(999, ['0', '100'])).toEqual([0, 999]);
    expect(splitByPercents(-101, ['30', '70'])).toEqual([-30, -71]);
  });

  it('refuses percentages that do not add up to 100 or are not decimals', () => {
    expect(() => splitByPercents(100, [])).toThrow(/At least one/);
    expect(() => splitByPercents(100, ['30', '60'])).toThrow(/add up to 100; they add up to 90/);
    expect(() => splitByPercents(100, ['50', '50.01'])).toThrow(/100\.01/);
    expect(() => splitByPercents(100, ['-10', '110'])).toThrow(/percents\[0\]/);
    expect(() => splitByPercents(100, ['30%', '70'])).toThrow(/percents\[0\]/);
  });

  it('parts add up to the total and stay within one minor unit of the exact share', () => {
    // Random partitions of 100.00% into basis points.
    const percents = fc
      .array(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 8 })
      .map((cuts) => [0, ...cuts.sort((a, b) => a - b), 10_000])
      .map((pts) => pts.slice(1).map((p, i) => p - pts[i]!));
    fc.assert(
      fc.property(total, percents, (t, bps) => {
        const parts = splitByPercents(t, bps.map((b) => (b / 100).toFixed(2)));
        expect(sum(parts)).toBe(t);
        parts.forEach((p, i) => {
          const diff = BigInt(p) * 10_000n - BigInt(t) * BigInt(bps[i]!);
          expect(diff > -10_000n && diff < 10_000n).toBe(true);
        });
      }),
    );
  });
});

const targets: AllocationTarget[] = [
  { id: 'a', outstandingMinor: 100 },
  { id: 'b', outstandingMinor: 100 },
  { id: 'c', outstandingMinor: 50 },
];

/** Targets t0, t1, … with random outstanding amounts (some zero). */
const targetList = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 12 }).map((os) => os.map((o, i) => ({ id: `t${i}`, outstandingMinor: o })));

function checkInvariants(receipt: number, ts: readonly AllocationTarget[], result: ReturnType<typeof allocateReceipt>) {
  const owed = new Map(ts.map((t) => [t.id, t.outstandingMinor]));
  for (const a of result.allocations) {
    expect(a.amountMinor).toBeGreaterThan(0);
    expect(a.amountMinor).toBeLessThanOrEqual(owed.get(a.id)!);
  }
  expect(new Set(result.allocations.map((a) => a.id)).size).toBe(result.allocations.length);
  expect(result.unallocatedMinor).toBeGreaterThanOrEqual(0);
  expect(sum(result.allocations.map((a) => a.amountMinor)) + result.unallocatedMinor).toBe(receipt);
}

describe('allocateReceipt, first in first out', () => {
  it('pays targets in order until the receipt is used up', () => {
    expect(allocateReceipt(150, targets)).toEqual({ allocations: [{ id: 'a', amountMinor: 100 }, { id: 'b', amountMinor: 50 }], unallocatedMinor: 0, problems: [] });
    expect(allocateReceipt(250, targets).allocations).toEqual([{ id: 'a', amountMinor: 100 }, { id: 'b', amountMinor: 100 }, { id: 'c', amountMinor: 50 }]);
    expect(allocateReceipt(0, targets)).toEqual({ allocations: [], unallocatedMinor: 0, problems: [] });
    expect(allocateReceipt(30, [{ id: 'x', outstandingMinor: 0 }, ...targets]).allocations).toEqual([{ id: 'a', amountMinor: 30 }]);
  });

  it('keeps an over-payment as unallocated credit', () => {
    expect(allocateReceipt(300, targets)).toMatchObject({ unallocatedMinor: 50, problems: [] });
    expect(allocateReceipt(300, [])).toEqual({ allocations: [], unallocatedMinor: 300, problems: [] });
  });

  it('throws on caller bugs', () => {
    expect(() => allocateReceipt(-1, targets)).toThrow(/receiptMinor/);
    expect(() => allocateReceipt(1.5, targets)).toThrow(/receiptMinor/);
    expect(() => allocateReceipt(100, [{ id: 'a', outstandingMinor: -1 }])).toThrow(/targets\[0\]\.outstandingMinor/);
    expect(() => allocateReceipt(100, [...targets, { id: 'a', outstandingMinor: 1 }])).toThrow(/targets\[3\]\.id a appears twice/);
  });

  it('never over-allocates, loses nothing, and fills earlier targets fully before later ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), targetList, (receipt, ts) => {
        const result = allocateReceipt(receipt, ts);
        checkInvariants(receipt, ts, result);
        expect(result.problems).toEqual([]);
        const paid = ts.map((t) => result.allocations.find((a) => a.id === t.id)?.amountMinor ?? 0);
        const firstShort = ts.findIndex((t, i) => paid[i]! < t.outstandingMinor);
        if (firstShort >= 0) {
          expect(paid.slice(firstShort + 1).every((p) => p === 0)).toBe(true);
          expect(result.unallocatedMinor).toBe(0);
        }
        expect(sum(paid)).toBe(Math.min(receipt, sum(ts.map((t) => t.outstandingMinor))));
        // listed in target order
        expect(result.allocations.map((a) => a.id)).toEqual(ts.filter((_, i) => paid[i]! > 0).map((t) => t.id));
      }),
      { numRuns: 500 },
    );
  });
});

describe('allocateReceipt, explicit allocations', () => {
  it('applies exactly the requested amounts', () => {
    expect(allocateReceipt(150, targets, [{ id: 'b', amountMinor: 100 }, { id: 'c', amountMinor: 50 }])).toEqual({
      allocations: [{ id: 'b', amountMinor: 100 }, { id: 'c', amountMinor: 50 }],
      unallocatedMinor: 0,
      problems: [],
    });
    expect(allocateReceipt(150, targets, [{ id: 'c', amountMinor: 20 }])).toEqual({ allocations: [{ id: 'c', amountMinor: 20 }], unallocatedMinor: 130, problems: [] });
    expect(allocateReceipt(150, targets, [])).toEqual({ allocations: [], unallocatedMinor: 150, problems: [] });
  });

  it('reports every problem with its path and allocates nothing', () => {
    const result = allocateReceipt(120, targets, [
      { id: 'zz', amountMinor: 10 },
      { id: 'a', amountMinor: 0 },
      { id: 'c', amountMinor: 60 },
      { id: 'b', amountMinor: 1.5 },
      { id: 'c', amountMinor: 10 },
      { id: 'b', amountMinor: -5 },
    ]);
    expect(result.allocations).toEqual([]);
    expect(result.unallocatedMinor).toBe(120);
    expect(result.problems.map((p) => p.path)).toEqual([
      'allocations[0].id',
      'allocations[1].amountMinor',
      'allocations[2].amountMinor',
      'allocations[3].amountMinor',
      'allocations[4].id',
      'allocations[5].id', // b again
      'allocations[5].amountMinor',
    ]);
    expect(result.problems[0]!.message).toMatch(/"zz"/);
    expect(result.problems[2]!.message).toMatch(/more than the 50 outstanding on c/);
    expect(result.problems[4]!.message).toMatch(/more than once/);
  });

  it('accepts amounts up to the outstanding and the receipt, not one minor unit more', () => {
    expect(allocateReceipt(150, targets, [{ id: 'c', amountMinor: 50 }]).problems).toEqual([]);
    expect(allocateReceipt(150, targets, [{ id: 'c', amountMinor: 51 }]).problems).toEqual([{ path: 'allocations[0].amountMinor', message: expect.stringMatching(/51 .*50 outstanding on c/) }]);
    expect(allocateReceipt(150, targets, [{ id: 'a', amountMinor: 100 }, { id: 'c', amountMinor: 50 }]).problems).toEqual([]);
    expect(allocateReceipt(149, targets, [{ id: 'a', amountMinor: 100 }, { id: 'c', amountMinor: 50 }]).problems.map((p) => p.path)).toEqual(['allocations']);
    expect(allocateReceipt(10, [{ id: 'z', outstandingMinor: 0 }], [{ id: 'z', amountMinor: 1 }]).problems.map((p) => p.path)).toEqual(['allocations[0].amountMinor']);
  });

  it('reports a total above the receipt', () => {
    const result = allocateReceipt(120, targets, [{ id: 'a', amountMinor: 100 }, { id: 'b', amountMinor: 30 }]);
    expect(result).toEqual({ allocations: [], unallocatedMinor: 120, problems: [{ path: 'allocations', message: expect.stringMatching(/130.*receipt of 120/) }] });
    expect(allocateReceipt(130, targets, [{ id: 'a', amountMinor: 100 }, { id: 'b', amountMinor: 30 }]).problems).toEqual([]);
  });

  it('accepts every valid request as given', () => {
    const request = targetList.chain((ts) =>
      fc.tuple(
        fc.constant(ts),
        fc.subarray(ts).chain((picked) => fc.tuple(...picked.map((t) => fc.integer({ min: 1, max: Math.max(1, t.outstandingMinor) }).map((amountMinor) => ({ id: t.id, amountMinor }))))),
        fc.integer({ min: 0, max: 1_000_000 }),
      ),
    );
    fc.assert(
      fc.property(request, ([ts, requested, spare]) => {
        fc.pre(requested.every((r) => r.amountMinor <= ts.find((t) => t.id === r.id)!.outstandingMinor));
        const receipt = sum(requested.map((r) => r.amountMinor)) + spare;
        const result = allocateReceipt(receipt, ts, requested);
        expect(result).toEqual({ allocations: requested, unallocatedMinor: spare, problems: [] });
      }),
    );
  });

  it('whatever is requested, allocates within outstanding and loses nothing; problems exactly when the request is invalid', () => {
    const ids = fc.constantFrom('t0', 't1', 't2', 't3', 'nope');
    const requested = fc.array(fc.record({ id: ids, amountMinor: fc.oneof(fc.integer({ min: -10, max: 600_000 }), fc.constant(0.5)) }), { maxLength: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_500_000 }), targetList, requested, (receipt, ts, req) => {
        const result = allocateReceipt(receipt, ts, req);
        checkInvariants(receipt, ts, result);
        const owed = new Map(ts.map((t) => [t.id, t.outstandingMinor]));
        const valid =
          req.every((r) => owed.has(r.id) && Number.isInteger(r.amountMinor) && r.amountMinor > 0 && r.amountMinor <= owed.get(r.id)!) &&
          new Set(req.map((r) => r.id)).size === req.length &&
          sum(req.map((r) => r.amountMinor)) <= receipt;
        expect(result.problems.length === 0).toBe(valid);
        if (valid) expect(result.allocations).toEqual(req);
        for (const p of result.problems) expect(p.path).toMatch(/^allocations(\[\d+\]\.(id|amountMinor))?$/);
      }),
      { numRuns: 500 },
    );
  });
});
