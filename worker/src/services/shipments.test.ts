import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../../../shared/contracts/orders.js';
import { compareDecimal, sumDecimal } from '../../../shared/domain/money.js';
import { orderInput, seedMasterData, seedOrg, tempDatabase } from '../../../test/support/harness.js';
import { AppError } from './errors.js';
import { createOrder, getOrder } from './orders/orders.js';
import { createShipment, listShipments, transitionShipment, updateShipment } from './shipments.js';

let env: Awaited<ReturnType<typeof tempDatabase>>;
let org: Awaited<ReturnType<typeof seedOrg>>;
let master: Awaited<ReturnType<typeof seedMasterData>>;

beforeAll(async () => {
  env = await tempDatabase();
  org = await seedOrg(env.database);
  master = await seedMasterData(org.admin);
});
afterAll(() => env.cleanup());

type Op = { kind: 'create'; line: 0 | 1; qty: string } | { kind: 'update'; pick: number; line: 0 | 1; qty: string } | { kind: 'cancel'; pick: number };

const qty = fc.tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 999 })).map(([i, f]) => (f % 3 === 0 ? String(i) : `${i}.${String(f).padStart(3, '0')}`));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), line: fc.constantFrom(0 as const, 1 as const), qty }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), line: fc.constantFrom(0 as const, 1 as const), qty }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
);

describe('shipment allocations (property)', () => {
  it('never exceed the ordered quantity, and a change is accepted exactly when it fits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.tuple(op.filter((o) => o.kind === 'create'), fc.array(op, { maxLength: 11 })).map(([first, rest]) => [first, ...rest]), async (ops) => {
        const order = await createOrder(org.admin, OrderCreate.parse(orderInput(master)));
        const ordered = order.lines.map((l) => l.quantity); // 1000 and 500
        for (const o of ops) {
          const { items } = await listShipments(org.admin, { orderId: order.id, limit: 200 });
          const live = items.filter((s) => s.status !== 'cancelled');
          const allocatedOf = (lineId: string, except?: string) =>
            sumDecimal(live.filter((s) => s.id !== except).flatMap((s) => s.allocations.filter((a) => a.orderLineId === lineId).map((a) => a.quantity)));
          const target = o.kind === 'create' ? undefined : live[o.pick % Math.max(live.length, 1)];
          try {
            if (o.kind === 'create') {
              const line = order.lines[o.line]!;
              const fits = compareDecimal(sumDecimal([allocatedOf(line.id), o.qty]), ordered[o.line]!) <= 0 && compareDecimal(o.qty, '0') > 0;
              const done = await createShipment(org.admin, order.id, { allocations: [{ orderLineId: line.id, quantity: o.qty }] }).then(
                () => true,
                (e) => (e instanceof AppError && e.status === 422 ? false : Promise.reject(e)),
              );
              expect(done).toBe(fits);
            } else if (o.kind === 'update' && target) {
              const line = order.lines[o.line]!;
              const fits = compareDecimal(sumDecimal([allocatedOf(line.id, target.id), o.qty]), ordered[o.line]!) <= 0 && compareDecimal(o.qty, '0') > 0;
              const done = await updateShipment(org.admin, target.id, target.version, { allocations: [{ orderLineId: line.id, quantity: o.qty }] }).then(
                () => true,
                (e) => (e instanceof AppError && e.status === 422 ? false : Promise.reject(e)),
              );
              expect(done).toBe(fits);
            } else if (o.kind === 'cancel' && target) {
              await transitionShipment(org.admin, target.id, target.version, { to: 'cancelled' });
            } else {
              expect(live).toHaveLength(0); // an update or cancel is skipped only when there is nothing to change
            }
          } finally {
            const after = await getOrder(org.admin, order.id);
            after.lines.forEach((l, i) => expect(compareDecimal(l.allocatedQuantity, ordered[i]!)).toBeLessThanOrEqual(0));
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
