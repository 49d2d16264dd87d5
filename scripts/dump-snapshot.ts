/**
 * Developer aid: print the document snapshot of every demo order (and shipment) as JSON.
 * `npx tsx scripts/dump-snapshot.ts [outFile]` — seeds a throwaway demo database.
 */
import { writeFileSync } from 'node:fs';
import { seedDemo } from '../worker/src/demo/seed.js';
import { buildSnapshot } from '../worker/src/services/documents/snapshot.js';
import { listOrders } from '../worker/src/services/orders/orders.js';
import { listShipments } from '../worker/src/services/shipments.js';
import { tempDatabase } from '../test/support/harness.js';

const t = await tempDatabase();
const demo = await seedDemo(t.database);
const [{ id: userId } = { id: '' }] = await t.database.db.query.users.findMany({ limit: 1 });
const ctx = { database: t.database, orgId: demo.organisation.id, actor: { userId, role: 'admin' as const }, now: () => new Date() };
const out: Record<string, unknown> = {};
for (const o of (await listOrders(ctx, { limit: 50 })).items) {
  out[o.reference] = await buildSnapshot(t.database.db, ctx, { orderId: o.id });
  for (const s of (await listShipments(ctx, { orderId: o.id, limit: 50 })).items) out[s.reference] = await buildSnapshot(t.database.db, ctx, { orderId: o.id, shipmentId: s.id });
}
const json = JSON.stringify(out, null, 2);
if (process.argv[2]) writeFileSync(process.argv[2], json);
else console.log(json);
t.cleanup();
