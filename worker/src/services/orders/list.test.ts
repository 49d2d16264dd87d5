import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../../../../shared/contracts/orders.js';
import { orderInput, seedMasterData, seedOrg, tempDatabase } from '../../../../test/support/harness.js';
import { createOrders, listOrders, updateOrder } from './orders.js';

let env: Awaited<ReturnType<typeof tempDatabase>>;
let org: Awaited<ReturnType<typeof seedOrg>>;
let refs: { id: string; reference: string; buyerPo: string }[] = [];

beforeAll(async () => {
  env = await tempDatabase();
  org = await seedOrg(env.database);
  const master = await seedMasterData(org.admin);
  const inputs = Array.from({ length: 2600 }, (_, i) => {
    // "COMMON" in most buyer POs, so that fragment takes the scan path; rare fragments take the index
    const reference = `EXP-2026-${String(i).padStart(5, '0')}${i % 89 === 0 ? '_x' : ''}`;
    const buyerPo = i % 97 === 0 ? `PO 5%x-${i}` : i % 10 === 0 ? `po/Müller-${i}` : `COMMON-${i % 500}`;
    return OrderCreate.parse(orderInput(master, { reference, buyerPo, lines: [] }));
  });
  const ids = await createOrders(org.admin, inputs);
  refs = ids.map((id, i) => ({ id, reference: inputs[i]!.reference, buyerPo: inputs[i]!.buyerPo! }));
  // another organisation's orders never show up
  const other = await seedOrg(env.database, 'Other Org');
  const otherMaster = await seedMasterData(other.admin);
  await createOrders(other.admin, [OrderCreate.parse(orderInput(otherMaster, { reference: 'EXP-2026-00123', buyerPo: 'COMMON-1' }))]);
});
afterAll(() => env.cleanup());

async function search(q: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOrders(org.admin, { q, limit: 200, ...(cursor ? { cursor } : {}) });
    found.push(...page.items.map((o) => o.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

const expected = (q: string) =>
  refs
    .filter((r) => r.reference.toLowerCase().includes(q.toLowerCase()) || r.buyerPo.toLowerCase().includes(q.toLowerCase()))
    .map((r) => r.id)
    .sort()
    .reverse();

describe('listOrders text search', () => {
  it.each(['0012', '2026-0255', 'exp-2026-01', 'müller-1', 'COMMON-4', 'common', '0_x', '_x', '5%x', '%x-', 'ZZQX9', '00', '9'])(
    'q=%s finds exactly the orders whose reference or buyer PO contains it, newest first',
    async (q) => {
      const got = await search(q);
      expect(got).toEqual(expected(q));
    },
  );

  it('follows renamed references and buyer POs', async () => {
    const target = refs[7]!;
    await updateOrder(org.admin, target.id, 1, { reference: 'RENAMED-7QZ', buyerPo: 'NEWPO-7QZ' });
    expect(await search('7QZ')).toEqual([target.id]);
    expect(await search(target.reference)).toEqual([]);
  });
});
