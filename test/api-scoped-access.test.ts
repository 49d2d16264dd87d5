/**
 * Forwarder and customs-agent users see only the shipments assigned to their party.
 *
 * Two forwarders (A and B) and one customs agent (A's). Order 1 is split in two shipments: 1a is assigned to
 * forwarder A and the customs agent, 1b to nobody. Order 2's shipment goes to forwarder B. Every route a
 * scoped role may call (read from the app's own OpenAPI inventory, so a new route joins by itself) is called
 * with the records they must not see: each answers 404, exactly like another organisation's record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { PartyCreate } from '../shared/contracts/parties.js';
import type { Shipment } from '../shared/contracts/shipments.js';
import { ShipmentCreate } from '../shared/contracts/shipments.js';
import { ROLE_PERMISSIONS, SCOPED_ROLES, type Permission } from '../shared/domain/roles.js';
import { generateDocuments } from '../worker/src/services/documents/documents.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { createApiKey, createUser, listUsers } from '../worker/src/services/organisations.js';
import { DEMO_OUTSIDE_USERS } from '../worker/src/demo/data.js';
import { seedDemo } from '../worker/src/demo/seed.js';
import { createParty } from '../worker/src/services/parties.js';
import { setShipmentParties } from '../worker/src/services/shipment-parties.js';
import { createShipment, getShipment } from '../worker/src/services/shipments.js';
import { insertException } from './support/exceptions.js';
import { apiClient, bookingInput, orderInput, seedMasterData, seedOrg, seedScopedUsers, tempDatabase } from './support/harness.js';

let t: Awaited<ReturnType<typeof tempDatabase>>;
let org: Awaited<ReturnType<typeof seedOrg>>;
let api: ReturnType<typeof apiClient>;
let outside: Awaited<ReturnType<typeof seedScopedUsers>>;
let forwarderB: { id: string; key: string };
let s1a: Shipment, s1b: Shipment, s2: Shipment;
let order1Id = '', order2Id = '';
const docs = { s1a: '', s1b: '', proforma: '', order2: '' };
const exc = { s1a: '', s1b: '', s2: '', orderOnly: '' };

const keyOf = (role: 'admin' | 'forwarder' | 'customs_agent') => org.keys[role];
const as = (key: string) => ({
  get: (path: string) => api.call('GET', path, { key }),
  send: (method: string, path: string, body: unknown, etag?: string) => api.call(method, path, { key, body, headers: etag ? { 'If-Match': etag } : {} }),
});

beforeAll(async () => {
  t = await tempDatabase();
  org = await seedOrg(t.database, 'Scoped Access Exports Pvt Ltd');
  const master = await seedMasterData(org.admin);
  outside = await seedScopedUsers(org, 'Scope');
  const fwdB = await createParty(org.admin, PartyCreate.parse({ name: 'Other Freight LLP', roles: ['forwarder'], address: { lines: ['Port Road'], city: 'Chennai', country: 'IN' } }));
  const userB = await createUser(org.admin, { email: 'ops@otherfreight.example', name: 'Other Freight', role: 'forwarder', partyId: fwdB.id });
  forwarderB = { id: fwdB.id, key: (await createApiKey(org.admin, { userId: userB.id, name: 'B' })).key };

  const order1 = await createOrder(org.admin, OrderCreate.parse(orderInput(master)));
  const order2 = await createOrder(org.admin, OrderCreate.parse(orderInput(master)));
  order1Id = order1.id;
  order2Id = order2.id;
  s1a = await createShipment(org.admin, order1.id, ShipmentCreate.parse({ allocations: [{ orderLineId: order1.lines[0]!.id, quantity: '600' }] }));
  s1b = await createShipment(org.admin, order1.id, ShipmentCreate.parse({ allocations: [{ orderLineId: order1.lines[0]!.id, quantity: '400' }] }));
  s2 = await createShipment(org.admin, order2.id, ShipmentCreate.parse({ allocations: [{ orderLineId: order2.lines[0]!.id, quantity: '1000' }] }));
  const assign = async (s: Shipment, input: { forwarderId?: string; customsAgentId?: string }) =>
    setShipmentParties(org.admin, s.id, (await getShipment(org.admin, s.id)).version, input);
  await assign(s1a, { forwarderId: outside.forwarder.id, customsAgentId: outside.customsAgent.id });
  await assign(s2, { forwarderId: fwdB.id });

  const kinds = ['commercial_invoice'] as const;
  docs.s1a = (await generateDocuments(org.admin, order1.id, { shipmentId: s1a.id, kinds: [...kinds] }))[0]!.id;
  docs.s1b = (await generateDocuments(org.admin, order1.id, { shipmentId: s1b.id, kinds: [...kinds] }))[0]!.id;
  docs.proforma = (await generateDocuments(org.admin, order1.id, { kinds: ['proforma_invoice'] }))[0]!.id;
  docs.order2 = (await generateDocuments(org.admin, order2.id, { shipmentId: s2.id, kinds: [...kinds] }))[0]!.id;

  const orgId = org.organisation.id;
  exc.s1a = await insertException(t.database, orgId, { orderId: order1.id, shipmentId: s1a.id, ownerRole: 'ops', severity: 'critical' });
  exc.s1b = await insertException(t.database, orgId, { orderId: order1.id, shipmentId: s1b.id, ownerRole: 'ops', severity: 'high' });
  exc.s2 = await insertException(t.database, orgId, { orderId: order2.id, shipmentId: s2.id, ownerRole: 'documentation' });
  exc.orderOnly = await insertException(t.database, orgId, { orderId: order1.id, ownerRole: 'finance' });
  api = apiClient(t.database);
});

afterAll(() => t?.cleanup());

describe('lists show only the party\'s shipments and what hangs off them', () => {
  it('GET /shipments: forwarder A sees 1a only, forwarder B sees 2 only, the customs agent sees 1a; admin sees all three', async () => {
    const ids = async (key: string) => ((await as(key).get('/shipments?limit=200')).json.items as Shipment[]).map((s) => s.id).sort();
    expect(await ids(keyOf('forwarder'))).toEqual([s1a.id]);
    expect(await ids(forwarderB.key)).toEqual([s2.id]);
    expect(await ids(keyOf('customs_agent'))).toEqual([s1a.id]);
    expect(await ids(keyOf('admin'))).toEqual([s1a.id, s1b.id, s2.id].sort());
    // Filtering by another shipment's order does not widen the view.
    expect((await as(keyOf('forwarder')).get(`/shipments?orderId=${order2Id}`)).json.items).toEqual([]);
  });

  it('GET /exceptions: only exceptions on their shipments (not the sister shipment, not order-level ones)', async () => {
    const ids = async (key: string, q = '') => ((await as(key).get(`/exceptions?limit=200${q}`)).json.items as { id: string }[]).map((e) => e.id).sort();
    expect(await ids(keyOf('forwarder'))).toEqual([exc.s1a]);
    expect(await ids(keyOf('customs_agent'))).toEqual([exc.s1a]);
    expect(await ids(forwarderB.key)).toEqual([exc.s2]);
    expect(await ids(keyOf('forwarder'), `&orderId=${order1Id}`)).toEqual([exc.s1a]);
    expect(await ids(keyOf('admin'))).toEqual([exc.s1a, exc.s1b, exc.s2, exc.orderOnly].sort());
  });

  it('GET /exceptions/digest counts only their exceptions', async () => {
    const digest = (await as(keyOf('forwarder')).get('/exceptions/digest')).json;
    const byRole = Object.fromEntries(digest.roles.map((r: { role: string; total: number; top: { id: string }[] }) => [r.role, r]));
    expect(byRole.ops.total).toBe(1);
    expect(byRole.ops.top.map((e: { id: string }) => e.id)).toEqual([exc.s1a]);
    expect(byRole.documentation.total).toBe(0);
    expect(byRole.finance.total).toBe(0);
    const adminDigest = (await as(keyOf('admin')).get('/exceptions/digest')).json;
    expect(adminDigest.roles.find((r: { role: string }) => r.role === 'ops').total).toBe(2);
  });

  it("GET /orders/{id}/documents: shipment 1a's documents, never the sister shipment's or the order's proforma", async () => {
    const res = await as(keyOf('customs_agent')).get(`/orders/${order1Id}/documents`);
    expect(res.status, res.text).toBe(200);
    type Doc = { id: string; shipmentId: string | null; kind: string };
    const admin = (await as(keyOf('admin')).get(`/orders/${order1Id}/documents`)).json.items as Doc[];
    expect(admin.map((d) => d.id)).toEqual(expect.arrayContaining([docs.s1a, docs.s1b, docs.proforma]));
    const mine = res.json.items as Doc[];
    expect(mine.map((d) => d.id)).toContain(docs.s1a);
    expect(mine.map((d) => d.id)).toEqual(admin.filter((d) => d.shipmentId === s1a.id).map((d) => d.id));
    expect(res.json.scopes.map((s: { shipmentId: string }) => s.shipmentId)).toEqual([s1a.id]);
  });

  it('visible records answer 200, with the document file downloadable', async () => {
    const fwd = as(keyOf('forwarder'));
    for (const path of [`/shipments/${s1a.id}`, `/shipments/${s1a.id}/milestones`, `/shipments/${s1a.id}/parties`, `/documents/${docs.s1a}`, `/exceptions/${exc.s1a}`]) {
      const res = await fwd.get(path);
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(200);
    }
    const file = await fwd.get(`/documents/${docs.s1a}/content`);
    expect(file.status).toBe(200);
    expect(file.text.startsWith('PK')).toBe(true);
  });
});

/** Every route a scoped role holds a permission for, from the app's OpenAPI document. */
async function scopedOperations() {
  const spec = (await (await api.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-permission'?: string }>> };
  const scopedPermissions = new Set<Permission>(SCOPED_ROLES.flatMap((r) => ROLE_PERMISSIONS[r]));
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => typeof op['x-permission'] === 'string')
      .map(([method, op]) => ({ method: method.toUpperCase(), path, permissions: op['x-permission']!.split('|').map((p) => p.trim() as Permission) }))
      .filter((op) => op.permissions.some((p) => scopedPermissions.has(p))),
  );
}

describe('every route a forwarder or customs agent can call answers 404 for what is not theirs', () => {
  /** Ids the forwarder A / customs agent must not see, per collection of the path. */
  const hidden = () => ({ shipments: [s1b.id, s2.id], orders: [order2Id], documents: [docs.s1b, docs.proforma, docs.order2], exceptions: [exc.s1b, exc.s2, exc.orderOnly] });
  /** Routes without a record in the path: checked by content in the list tests above. */
  const LISTS = new Set(['GET /me', 'GET /shipments', 'GET /exceptions', 'GET /exceptions/digest']);

  it('the inventory is what the role matrix says (so this test covers new routes by itself)', async () => {
    const ops = await scopedOperations();
    expect(ops.length).toBeGreaterThanOrEqual(15);
    const withRecord = ops.filter((o) => !LISTS.has(`${o.method} ${o.path}`));
    for (const op of withRecord) {
      const collection = op.path.split('/')[1] as keyof ReturnType<typeof hidden>;
      expect(hidden()[collection], `${op.method} ${op.path}: add hidden ids for /${collection}`).toBeDefined();
    }
  });

  it.each(SCOPED_ROLES.map((r) => [r] as const))('as %s: 404 NOT_FOUND on every hidden record, whatever the method', async (role) => {
    const failures: string[] = [];
    const ops = await scopedOperations();
    for (const op of ops.filter((o) => !LISTS.has(`${o.method} ${o.path}`) && o.permissions.some((p) => ROLE_PERMISSIONS[role].includes(p)))) {
      const collection = op.path.split('/')[1] as keyof ReturnType<typeof hidden>;
      for (const id of hidden()[collection]) {
        const path = op.path.replace('{id}', id).replace('{code}', 'gate_in');
        const body = op.method === 'GET' ? undefined : op.path.endsWith('/booking') ? bookingInput({ forwarderId: outside.forwarder.id }) : { notes: 'probe' };
        const res = await api.call(op.method, path, { key: keyOf(role), body, headers: op.method === 'GET' ? {} : { 'If-Match': '"1"' } });
        if (res.status !== 404 || res.json?.error?.code !== 'NOT_FOUND') failures.push(`${op.method} ${path}: ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a hidden shipment answers the same as a shipment of another organisation', async () => {
    const hiddenRes = await as(keyOf('forwarder')).get(`/shipments/${s2.id}`);
    const other = await as(keyOf('forwarder')).get('/shipments/shp_00000000000000000000000000');
    expect(hiddenRes.status).toBe(404);
    expect(other.status).toBe(404);
    expect(hiddenRes.json.error.code).toBe(other.json.error.code);
  });

  it("the exporter's books stay closed: orders, timeline, parties, products, stock, production answer 403", async () => {
    for (const path of ['/orders', `/orders/${order1Id}`, `/orders/${order1Id}/timeline`, `/orders/${order1Id}/history`, '/parties', '/products', '/stock', `/orders/${order1Id}/production-jobs`]) {
      for (const role of SCOPED_ROLES) {
        const res = await as(keyOf(role)).get(path);
        expect(res.status, `${role} ${path}`).toBe(403);
      }
    }
  });
});

describe('what a forwarder and a customs agent may do on their shipment', () => {
  it('the forwarder books shipment 1a for their own company; booking for another forwarder is refused', async () => {
    const fwd = as(keyOf('forwarder'));
    const other = await fwd.send('PUT', `/shipments/${s1a.id}/booking`, bookingInput({ forwarderId: forwarderB.id }));
    expect(other.status).toBe(422);
    expect(other.json.error.code).toBe('FORWARDER_IS_YOU');
    expect(other.json.error.details[0].path).toBe('forwarderId');
    expect((await fwd.get(`/shipments/${s1a.id}/booking`)).status).toBe(404); // nothing was written

    const booked = await fwd.send('PUT', `/shipments/${s1a.id}/booking`, bookingInput({ forwarderId: outside.forwarder.id, status: 'confirmed' }));
    expect(booked.status, booked.text).toBe(201);
    const revisions = await fwd.get(`/shipments/${s1a.id}/booking/revisions`);
    expect(revisions.json.items).toHaveLength(1);
  });

  it('the customs agent records "shipping bill filed" on 1a; the milestone says who', async () => {
    const cha = as(keyOf('customs_agent'));
    const list = await cha.get(`/shipments/${s1a.id}/milestones`);
    const sb = list.json.items.find((m: { code: string }) => m.code === 'shipping_bill_filed');
    const res = await cha.send('PATCH', `/shipments/${s1a.id}/milestones/shipping_bill_filed`, { actualAt: '2026-11-26T15:30:00+05:30', notes: 'SB 1234567 on ICEGATE' }, `"${sb.version}"`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.actualAt).toBe('2026-11-26T10:00:00.000Z');
    expect(res.json.recordedBy.name).toBe('Scope customs_agent');
    // The customs agent may not book.
    expect((await cha.send('PUT', `/shipments/${s1a.id}/booking`, bookingInput())).status).toBe(403);
  });

  it('neither may assign parties, nor acknowledge exceptions', async () => {
    for (const role of SCOPED_ROLES) {
      const r = as(keyOf(role));
      expect((await r.send('PUT', `/shipments/${s1a.id}/parties`, { forwarderId: forwarderB.id }, '"1"')).status).toBe(403);
      expect((await r.send('POST', `/exceptions/${exc.s1a}/acknowledge`, {})).status).toBe(403);
    }
  });
});

describe('assigning parties: PUT /shipments/{id}/parties', () => {
  const admin = () => as(keyOf('admin'));

  it('names the field when the party lacks the role or is unknown, and changes nothing', async () => {
    const before = await admin().get(`/shipments/${s1b.id}/parties`);
    const wrongRole = await admin().send('PUT', `/shipments/${s1b.id}/parties`, { forwarderId: outside.customsAgent.id, customsAgentId: 'pty_00000000000000000000000000' }, before.headers.get('etag')!);
    expect(wrongRole.status).toBe(422);
    expect(wrongRole.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['customsAgentId', 'forwarderId']);
    expect(wrongRole.json.error.details.find((d: { path: string }) => d.path === 'forwarderId').message).toMatch(/not a forwarder/);
    const after = await admin().get(`/shipments/${s1b.id}/parties`);
    expect(after.json).toEqual(before.json);
  });

  it('needs the current ETag: a stale one answers 412 with the current assignment', async () => {
    const res = await admin().send('PUT', `/shipments/${s1b.id}/parties`, { forwarderId: forwarderB.id }, '"999"');
    expect(res.status).toBe(412);
    expect(res.json.error.current.shipmentId).toBe(s1b.id);
    expect((await admin().send('PUT', `/shipments/${s1b.id}/parties`, { forwarderId: forwarderB.id })).status).toBe(428);
  });

  it('assigning gives access at once, removing takes it away at once; both are in the order history', async () => {
    const fwdB = as(forwarderB.key);
    expect((await fwdB.get(`/shipments/${s1b.id}`)).status).toBe(404);
    const current = await admin().get(`/shipments/${s1b.id}/parties`);
    const assigned = await admin().send('PUT', `/shipments/${s1b.id}/parties`, { forwarderId: forwarderB.id }, current.headers.get('etag')!);
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.json.forwarder).toEqual({ id: forwarderB.id, name: 'Other Freight LLP' });
    expect(assigned.json.version).toBe(current.json.version + 1);
    expect((await fwdB.get(`/shipments/${s1b.id}`)).status).toBe(200);
    expect((await fwdB.get(`/documents/${docs.s1b}`)).status).toBe(200);

    const removed = await admin().send('PUT', `/shipments/${s1b.id}/parties`, { forwarderId: null }, assigned.headers.get('etag')!);
    expect(removed.status).toBe(200);
    expect(removed.json.forwarder).toBeNull();
    expect((await fwdB.get(`/shipments/${s1b.id}`)).status).toBe(404);

    const history = await admin().get(`/orders/${order1Id}/history`);
    const events = (history.json.items as { action: string; after: Record<string, unknown> }[]).filter((e) => e.action === 'shipment.parties_assigned');
    expect(events.map((e) => e.after)).toEqual(expect.arrayContaining([{ forwarder: forwarderB.id }, { forwarder: null }]));
    const timeline = await admin().get(`/orders/${order1Id}/timeline`);
    const titles = (timeline.json.items as { title: string }[]).map((e) => e.title);
    expect(titles).toEqual(expect.arrayContaining([`Shipment ${s1b.reference}: forwarder assigned`, `Shipment ${s1b.reference}: forwarder removed`]));
  });

  it("a booking made by ops with a forwarder assigns that forwarder, whose users then see the shipment", async () => {
    expect((await as(forwarderB.key).get(`/shipments/${s1b.id}`)).status).toBe(404);
    const res = await admin().send('PUT', `/shipments/${s1b.id}/booking`, bookingInput({ forwarderId: forwarderB.id }));
    expect(res.status, res.text).toBe(201);
    expect((await admin().get(`/shipments/${s1b.id}/parties`)).json.forwarder.id).toBe(forwarderB.id);
    expect((await as(forwarderB.key).get(`/shipments/${s1b.id}/booking`)).status).toBe(200);
    expect((await as(keyOf('forwarder')).get(`/shipments/${s1b.id}/booking`)).status).toBe(404);
  });
});

describe('users of outside parties', () => {
  const admin = () => as(keyOf('admin'));

  it('a forwarder or customs agent user needs a party with that role; internal roles take none', async () => {
    const noParty = await admin().send('POST', '/users', { email: 'x1@scope.example', name: 'X', role: 'forwarder' });
    expect(noParty.status).toBe(400);
    expect(noParty.json.error.details[0].path).toBe('partyId');
    const internal = await admin().send('POST', '/users', { email: 'x2@scope.example', name: 'X', role: 'ops', partyId: outside.forwarder.id });
    expect(internal.status).toBe(400);
    expect(internal.json.error.details[0].path).toBe('partyId');
    const mismatch = await admin().send('POST', '/users', { email: 'x3@scope.example', name: 'X', role: 'customs_agent', partyId: outside.forwarder.id });
    expect(mismatch.status).toBe(422);
    expect(mismatch.json.error.code).toBe('PARTY_ROLE_MISMATCH');
    const users = (await admin().get('/users')).json.items as { email: string }[];
    expect(users.some((u) => u.email.startsWith('x'))).toBe(false);
    const ok = await admin().send('POST', '/users', { email: 'x4@scope.example', name: 'X', role: 'customs_agent', partyId: outside.customsAgent.id });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.partyId).toBe(outside.customsAgent.id);
  });

  it('GET /me tells a forwarder their party and permissions', async () => {
    const me = await as(keyOf('forwarder')).get('/me');
    expect(me.json.user.role).toBe('forwarder');
    expect(me.json.user.partyId).toBe(outside.forwarder.id);
    expect([...me.json.permissions].sort()).toEqual([...ROLE_PERMISSIONS.forwarder].sort());
  });
});

describe('the demo', () => {
  it("the demo forwarder's and customs agent's users see the UAE shipment they work on, its booking and its exception, and nothing else", async () => {
    const demoDb = await tempDatabase();
    try {
      const demo = await seedDemo(demoDb.database);
      const admin = { database: demoDb.database, orgId: demo.organisation.id, actor: { userId: demo.user.id, role: 'admin' as const }, now: () => new Date() };
      const users = await listUsers(admin);
      const demoApi = apiClient(demoDb.database);
      for (const email of DEMO_OUTSIDE_USERS.map((u) => u.email)) {
        const key = (await createApiKey(admin, { userId: users.find((u) => u.email === email)!.id, name: 'demo' })).key;
        const shipments = await demoApi.call('GET', '/shipments', { key });
        expect(shipments.json.items.map((s: Shipment) => s.id), email).toEqual([demo.demoShipmentId]);
        expect((await demoApi.call('GET', `/shipments/${demo.demoShipmentId}/booking`, { key })).status).toBe(200);
        const exceptions = await demoApi.call('GET', '/exceptions?state=open', { key });
        expect(exceptions.json.items.length, email).toBeGreaterThan(0);
        expect(exceptions.json.items.every((e: { shipmentId: string }) => e.shipmentId === demo.demoShipmentId)).toBe(true);
      }
      const all = await demoApi.call('GET', '/shipments?limit=200', { key: demo.apiKey });
      expect(all.json.items.length).toBeGreaterThan(1);
    } finally {
      demoDb.cleanup();
    }
  });
});
