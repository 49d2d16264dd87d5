/**
 * Tenant isolation: two organisations, A and B, in one database.
 *
 * With B's admin key (which holds every permission, so nothing here is stopped by a 403):
 *   - every operation of /openapi.json whose path has {id}, called with A's real id of the right
 *     kind and a VALID body (the same request with B's own id is shown to pass validation), answers
 *     404 exactly, never names A's data, and answers exactly like an id that does not exist at all;
 *   - list endpoints (and their filters fed with A's ids) never show A's records;
 *   - bodies that point at A's records (buyer, product, order line, user, Idempotency-Key) are refused
 *     as unknown, never applied and never echoed;
 *   - A's data is exactly as it was afterwards.
 * And: every operation without a key, or with a bad or revoked key, answers 401 UNAUTHENTICATED.
 */
import { generateDocuments } from '../worker/src/services/documents/documents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../shared/contracts/orders.js';
import { OrderCreate, OrderListQuery } from '../shared/contracts/orders.js';
import type { Party } from '../shared/contracts/parties.js';
import { PartyCreate, PartyListQuery } from '../shared/contracts/parties.js';
import type { Product } from '../shared/contracts/products.js';
import { ProductCreate, ProductListQuery } from '../shared/contracts/products.js';
import type { Shipment } from '../shared/contracts/shipments.js';
import { ShipmentCreate, ShipmentListQuery } from '../shared/contracts/shipments.js';
import { InspectionCreate, ProductionJobCreate } from '../shared/contracts/production.js';
import { createInspection } from '../worker/src/services/inspections.js';
import { createProductionJob } from '../worker/src/services/production.js';
import { createApp } from '../worker/src/app.js';
import { createOrder, listOrders } from '../worker/src/services/orders/orders.js';
import { createApiKey, listApiKeys, listUsers } from '../worker/src/services/organisations.js';
import { createParty, listParties, verifyParty } from '../worker/src/services/parties.js';
import { createProduct, listProducts } from '../worker/src/services/products.js';
import { createShipment, listShipments } from '../worker/src/services/shipments.js';
import { insertException } from './support/exceptions.js';
import { BookingInput } from '../shared/contracts/bookings.js';
import { putBooking } from '../worker/src/services/bookings.js';
import { issueTrackingLink } from '../worker/src/services/tracking.js';
import { OrderCostCreate } from '../shared/contracts/fx.js';
import { createOrderCost } from '../worker/src/services/money/costs.js';
import { apiClient, bookingInput, orderInput, seedMasterData, seedOrg, tempDatabase } from './support/harness.js';
import { queueBuyerEmail } from './support/notifications.js';
import { transitionOrder } from '../worker/src/services/orders/transitions.js';
import { getOrderPayments } from '../worker/src/services/money/payments.js';
import { createReceipt } from '../worker/src/services/money/receipts.js';

// ---------------------------------------------------------------------------------------------
// The operations, from the app's own /openapi.json.
// ---------------------------------------------------------------------------------------------

const PUBLIC_PATHS = new Set(['/health', '/openapi.json', '/docs']);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']);

interface Operation {
  method: string;
  path: string;
  key: string;
  hasBody: boolean;
  ifMatch: boolean;
}

const spec = (await (await createApp({ database: () => undefined as never, logError: () => undefined }).request('/openapi.json')).json()) as {
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string; in: string }[] }>>;
};
const allOperations: Operation[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.has(method))
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      key: `${method.toUpperCase()} ${path}`,
      hasBody: op.requestBody !== undefined,
      ifMatch: (op.parameters ?? []).some((p) => p.in === 'header' && p.name.toLowerCase() === 'if-match'),
    })),
);
const authenticatedOps = allOperations.filter((o) => !PUBLIC_PATHS.has(o.path));
const idOps = authenticatedOps.filter((o) => o.path.includes('{id}'));

/** Valid bodies for the {id} operations that take one, so that a 404 cannot be a validation 400 in disguise. */
const PROBE_BODIES: Record<string, unknown> = {
  'PATCH /orders/{id}': { remarks: 'probe' },
  'POST /orders/{id}/transitions': { to: 'confirmed' },
  'POST /orders/{id}/shipments': { allocations: [] },
  'PATCH /parties/{id}': { notes: 'probe' },
  'PATCH /products/{id}': { description: 'probe' },
  'PATCH /shipments/{id}': { notes: 'probe' },
  'POST /shipments/{id}/transitions': { to: 'cancelled' },
  'POST /orders/{id}/documents': { kinds: ['commercial_invoice'] },
  'POST /documents/{id}/transitions': { to: 'approved' },
  'POST /exceptions/{id}/acknowledge': {},
  'POST /exceptions/{id}/resolve': { note: 'probe' },
  'PUT /shipments/{id}/booking': bookingInput({ status: 'confirmed', vessel: 'PROBE VESSEL' }),
  'PATCH /shipments/{id}/milestones/{code}': { notes: 'probe' },
  'PUT /shipments/{id}/parties': { forwarderId: null },
  'PUT /orders/{id}/letter-of-credit': { number: 'LC-PROBE', expiryDate: '2027-01-31', latestShipmentDate: '2027-01-10' },
  'PATCH /payment-milestones/{id}': { dueDate: '2027-01-31' },
  'POST /payment-milestones/{id}/write-off': { amount: '0.01', note: 'probe' },
  get 'POST /receipts/{id}/allocations'() {
    return { allocations: [{ milestoneId: B.payment.milestone, amount: '0.01' }] };
  },
  'PUT /shipments/{id}/realisation': { ebrcNumber: 'EBRC-PROBE', ebrcDate: '2026-11-25', realisedAmount: '1.00', currency: 'EUR' },
  // B's own line: with A's order id the order is not found first; with B's it is a valid job.
  get 'POST /orders/{id}/production-jobs'() {
    return { orderLineId: B.order.lines[1]!.id, quantity: '1' };
  },
  'PATCH /production-jobs/{id}': { notes: 'probe' },
  'POST /orders/{id}/inspections': { kind: 'pre_shipment', agency: 'Probe Agency' },
  'PATCH /inspections/{id}': { notes: 'probe' },
  'POST /orders/{id}/costs': { category: 'freight', amount: '10.00', currency: 'USD', date: '2026-11-20' },
  'PATCH /costs/{id}': { reference: 'probe' },
  'POST /orders/{id}/tracking-links': { expiresInDays: 7 },
  'PUT /parties/{id}/notification-preferences': { events: ['departed'] },
};

/** A path with its `{id}` and, for milestones, a real milestone `{code}`. */
const fill = (path: string, id: string) => path.replace('{id}', id).replace('{code}', 'booking_confirmed');

// ---------------------------------------------------------------------------------------------
// Two organisations. A's records carry distinctive names so any leak is visible in a response.
// ---------------------------------------------------------------------------------------------

const A_REFERENCE = 'AURELIA-REF-0001';
const A_REFERENCE_2 = 'AURELIA-REF-0002';
const A_PARTY_NAME = 'Aurelia Confidential Buyer GmbH';
const A_SKU = 'AURELIA-SKU-7731';
const A_ORG_NAME = 'Aurelia Exports Pvt Ltd';
const A_IDEMPOTENCY_KEY = 'aurelia-order-0002';
const A_IDEMPOTENCY_KEY_2 = 'aurelia-party-0001';

type Org = Awaited<ReturnType<typeof seedOrg>>;
type Master = Awaited<ReturnType<typeof seedMasterData>>;
interface Side {
  org: Org;
  master: Master;
  order: Order;
  shipment: Shipment;
  party: Party;
  product: Product;
  spareKey: { id: string; key: string };
  document: { id: string };
  productionJob: { id: string };
  inspection: { id: string };
  cost: { id: string };
  trackingLink: { id: string };
  outbox: { id: string };
  payment: { receipt: string; milestone: string; allocation: string };
}

let t: Awaited<ReturnType<typeof tempDatabase>>;
let api: ReturnType<typeof apiClient>;
let A: Side;
let B: Side;
/** Every id A owns (org, users, keys, parties, products, orders, lines, shipments). */
let aIds: string[];
/** Strings that identify A's data; none may appear in any response to B. */
const A_SECRETS = [A_REFERENCE, A_REFERENCE_2, A_PARTY_NAME, A_SKU, A_ORG_NAME, 'aurelia'];
let aBefore: unknown;

async function side(name: string, partyName: string, sku: string, reference: string): Promise<Side> {
  const org = await seedOrg(t.database, name);
  const master = await seedMasterData(org.admin);
  const created = await createParty(
    org.admin,
    PartyCreate.parse({
      name: partyName,
      roles: ['buyer', 'consignee'],
      address: { lines: ['Jungfernstieg 7'], city: 'Hamburg', country: 'DE' },
      taxIds: [{ type: 'EORI', value: 'DE9988776655443' }],
      contacts: [{ name: 'Private Contact', email: `buyer@${sku.toLowerCase()}.example` }],
    }),
  );
  const party = await verifyParty(org.admin, created.id, created.version);
  const product = await createProduct(org.admin, ProductCreate.parse({ sku, description: `${sku} confidential tee`, hsCode: '610910', unit: 'PCS', netWeightKg: '0.2', grossWeightKg: '0.25' }));
  const order = await createOrder(
    org.admin,
    OrderCreate.parse(
      orderInput(master, {
        reference,
        buyerId: party.id,
        lines: [
          { productId: product.id, quantity: '100', unitPrice: '9.99' },
          { productId: master.tee.id, quantity: '50', unitPrice: '2.85' },
        ],
      }),
    ),
  );
  const shipment = await createShipment(org.admin, order.id, ShipmentCreate.parse({ allocations: [{ orderLineId: order.lines[0]!.id, quantity: '40' }] }));
  const spare = await createApiKey(org.admin, { userId: org.contexts.viewer.actor.userId, name: `${name} laptop key` });
  const [document] = await generateDocuments(org.admin, order.id, { kinds: ['commercial_invoice'] });
  await putBooking(org.admin, shipment.id, BookingInput.parse(bookingInput()), null);
  const productionJob = await createProductionJob(org.admin, order.id, ProductionJobCreate.parse({ orderLineId: order.lines[0]!.id, quantity: '10' }));
  const inspection = await createInspection(org.admin, order.id, InspectionCreate.parse({ kind: 'pre_shipment', shipmentId: shipment.id }));
  const cost = await createOrderCost(org.admin, order.id, OrderCostCreate.parse({ category: 'supplier', amount: '5000', currency: 'INR', date: '2026-11-20' }));
  const trackingLink = await issueTrackingLink(org.admin, order.id, { expiresInDays: 30 });
  const outbox = await queueBuyerEmail(org.admin, party.id, shipment.id); // a buyer e-mail, for /outbox/{id}
  // A confirmed order (tees: made to order) whose advance has a receipt allocated, for /receipts, /payment-milestones, /allocations.
  const payOrder = await createOrder(org.admin, OrderCreate.parse(orderInput(master, { lines: [{ productId: master.tee.id, quantity: '100', unitPrice: '2.85' }] })));
  await transitionOrder(org.admin, payOrder.id, payOrder.version, { to: 'confirmed' });
  const [advance] = (await getOrderPayments(org.admin, payOrder.id)).milestones;
  const receipt = await createReceipt(org.admin, { buyerId: master.buyer.id, amount: '50.00', currency: 'EUR', valueDate: '2026-11-20', bankReference: `TI-${name}`, fxRate: '90', allocations: [{ milestoneId: advance!.id, amount: '5.00' }] });
  return {
    payment: { receipt: receipt.id, milestone: advance!.id, allocation: receipt.allocations[0]!.id },
    org,
    master,
    order,
    shipment,
    party,
    product,
    spareKey: { id: spare.id, key: spare.key },
    document: { id: document!.id },
    productionJob: { id: productionJob.id },
    inspection: { id: inspection.id },
    cost: { id: cost.id },
    trackingLink: { id: trackingLink.id },
    outbox: { id: outbox },
  };
}

/** A's records as A sees them, to prove B changed nothing (api keys without lastUsedAt, which A's own reads touch). */
async function snapshotA() {
  const get = async (path: string) => {
    const r = await api.call('GET', path, { key: A.org.keys.admin });
    expect(r.status, `A GET ${path}`).toBe(200);
    return { body: r.json, etag: r.headers.get('etag') };
  };
  const keys = (await get('/api-keys')).body.items.map(({ lastUsedAt: _l, ...k }: Record<string, unknown>) => k);
  return {
    order: await get(`/orders/${A.order.id}`),
    history: await get(`/orders/${A.order.id}/history`),
    shipment: await get(`/shipments/${A.shipment.id}`),
    party: await get(`/parties/${A.party.id}`),
    product: await get(`/products/${A.product.id}`),
    organisation: (await get('/me')).body.organisation,
    users: (await get('/users')).body,
    keys,
    orders: (await get('/orders?limit=200')).body,
    parties: (await get('/parties?limit=200')).body,
    products: (await get('/products?limit=200')).body,
    shipments: (await get('/shipments?limit=200')).body,
  };
}

beforeAll(async () => {
  t = await tempDatabase();
  api = apiClient(t.database);
  A = await side(A_ORG_NAME, A_PARTY_NAME, A_SKU, A_REFERENCE);
  B = await side('Borealis Exports Pvt Ltd', 'Borealis Buyer AB', 'BOREALIS-SKU-1', 'BOREALIS-REF-0001');

  // A second order of A's, created over the API with an Idempotency-Key B will try to reuse.
  const second = await api.call('POST', '/orders', {
    key: A.org.keys.admin,
    body: orderInput(A.master, { reference: A_REFERENCE_2, buyerId: A.party.id }),
    headers: { 'Idempotency-Key': A_IDEMPOTENCY_KEY },
  });
  expect(second.status, second.text).toBe(201);
  const forwarder = await api.call('POST', '/parties', {
    key: A.org.keys.admin,
    body: { name: 'Aurelia Forwarding Partner', roles: ['forwarder'], address: { lines: ['Kai 3'], city: 'Bremen', country: 'DE' } },
    headers: { 'Idempotency-Key': A_IDEMPOTENCY_KEY_2 },
  });
  expect(forwarder.status, forwarder.text).toBe(201);

  const ctx = A.org.admin;
  const all = { limit: 200 };
  const orders = await listOrders(ctx, OrderListQuery.parse(all));
  aIds = [
    A.org.organisation.id,
    ...(await listUsers(ctx)).map((u) => u.id),
    ...(await listApiKeys(ctx)).map((k) => k.id),
    ...(await listParties(ctx, PartyListQuery.parse(all))).items.map((p) => p.id),
    ...(await listProducts(ctx, ProductListQuery.parse(all))).items.map((p) => p.id),
    ...orders.items.map((o) => o.id),
    ...A.order.lines.map((l) => l.id),
    ...(await listShipments(ctx, ShipmentListQuery.parse(all))).items.map((s) => s.id),
  ];
  expect(orders.items.length).toBe(3); // the main order, the idempotent one, and the confirmed one receipts are allocated to
  aBefore = await snapshotA();
});

afterAll(() => t?.cleanup());

/** One exception per organisation, for /exceptions/{id}. */
const exceptionIds = new Map<string, string>();
beforeAll(async () => {
  for (const s of [A, B]) exceptionIds.set(s.org.organisation.id, await insertException(t.database, s.org.organisation.id, { orderId: s.order.id, shipmentId: s.shipment.id }));
});

/** The id of `side`'s record of the kind a path's collection holds. */
function idFor(s: Side, path: string): string {
  const collection = path.split('/')[1] ?? '';
  const ids: Record<string, string> = { orders: s.order.id, parties: s.party.id, products: s.product.id, shipments: s.shipment.id, 'api-keys': s.spareKey.id, documents: s.document.id, exceptions: exceptionIds.get(s.org.organisation.id) ?? '', 'production-jobs': s.productionJob.id, inspections: s.inspection.id, costs: s.cost.id, 'tracking-links': s.trackingLink.id, outbox: s.outbox.id, receipts: s.payment.receipt, 'payment-milestones': s.payment.milestone, allocations: s.payment.allocation };
  const id = ids[collection];
  if (!id) throw new Error(`tenant-isolation.test.ts has no id for ${path}: add its collection to idFor()`);
  return id;
}

/** The current ETag of `side`'s record the path acts on (read by its owner); '"1"' when it has no GET. */
async function etagOf(s: Side, path: string): Promise<string> {
  const base = /^(.*?\{id\})/.exec(path)?.[1];
  if (!base) return '"1"';
  const r = await api.call('GET', base.replace('{id}', idFor(s, path)), { key: s.org.keys.admin });
  return r.status === 200 ? (r.headers.get('etag') ?? '"1"') : '"1"';
}

/** Call an {id} operation with `caller`'s key on `owner`'s record, with a valid body and the owner's current ETag. */
async function probe(op: Operation, caller: Side, id: string, etagFrom: Side) {
  if (op.hasBody && !(op.key in PROBE_BODIES)) throw new Error(`add a valid probe body for ${op.key} to PROBE_BODIES`);
  return api.call(op.method, fill(op.path, id), {
    key: caller.org.keys.admin,
    ...(op.hasBody ? { body: PROBE_BODIES[op.key] } : {}),
    headers: op.ifMatch ? { 'If-Match': await etagOf(etagFrom, op.path) } : {},
  });
}

function expectNoLeak(text: string, label: string) {
  const lower = text.toLowerCase();
  for (const s of A_SECRETS) expect(lower.includes(s.toLowerCase()), `${label} mentions A's "${s}": ${text.slice(0, 300)}`).toBe(false);
}

function expectNoAIds(text: string, label: string, except: string[] = []) {
  for (const id of aIds) if (!except.includes(id)) expect(text.includes(id), `${label} contains A's id ${id}: ${text.slice(0, 300)}`).toBe(false);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomId = (prefix: string) => `${prefix}_${Array.from({ length: 26 }, (_, i) => CROCKFORD[i === 0 ? 1 : Math.floor(Math.random() * 32)]).join('')}`;

const errorShape = (r: { status: number; json: any }, id: string) => ({
  status: r.status,
  code: r.json?.error?.code,
  message: String(r.json?.error?.message ?? '').split(id).join('<id>'),
  details: r.json?.error?.details,
});

// ---------------------------------------------------------------------------------------------

describe("B cannot reach A's records by id", () => {
  it('covers every {id} operation of the spec (at least one per collection)', () => {
    expect(idOps.length).toBeGreaterThanOrEqual(13);
    const collections = new Set(idOps.map((o) => o.path.split('/')[1]));
    for (const c of ['orders', 'parties', 'products', 'shipments', 'api-keys']) expect(collections).toContain(c);
  });

  describe.each(idOps.map((o) => [o.key, o] as const))('%s', (_key, op) => {
    it("with A's id: exactly 404, no trace of A, same answer as an id that does not exist", async () => {
      const aId = idFor(A, op.path);
      const res = await probe(op, B, aId, A);
      const label = `${op.key} by B on A's ${aId}: ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, label).toBe(404);
      expect(res.json?.error?.code, label).toBe('NOT_FOUND');
      expectNoLeak(res.text, label);
      expectNoAIds(res.text, label, [aId]);
      expect(res.headers.get('etag'), label).toBeNull();
      expect(res.headers.get('location'), label).toBeNull();

      const ghost = randomId(aId.slice(0, 3));
      const other = await probe(op, B, ghost, A);
      expect(errorShape(other, ghost), `${op.key}: A's id must answer exactly like a missing id`).toEqual(errorShape(res, aId));
    });

    it("with B's own id the same request is valid (so the 404 above is isolation, not validation)", async () => {
      const res = await probe(op, B, idFor(B, op.path), B);
      const label = `${op.key} by B on its own record: ${res.status} ${res.text.slice(0, 300)}`;
      expect(res.status, label).not.toBe(400);
      expect(res.status, label).not.toBe(404);
      expect(res.status, label).toBeLessThan(500);
      expectNoLeak(res.text, label);
    });
  });
});

describe("B's lists never show A's records", () => {
  it.each(['/orders', '/parties', '/products', '/shipments', '/users', '/api-keys', '/me'].map((p) => [p] as const))('GET %s', async (path) => {
    const res = await api.call('GET', path.startsWith('/me') ? path : `${path}?limit=200`, { key: B.org.keys.admin });
    expect(res.status, res.text).toBe(200);
    if (path !== '/me') expect(res.json.items.length, `${path} should list B's own records`).toBeGreaterThan(0);
    expectNoAIds(res.text, `GET ${path}`);
    expectNoLeak(res.text, `GET ${path}`);
  });

  it("filters fed with A's ids or A's words find nothing", async () => {
    const paths = [
      `/orders?buyerId=${A.party.id}`,
      `/orders?q=AURELIA`,
      `/orders?q=${A_REFERENCE}`,
      `/shipments?orderId=${A.order.id}`,
      `/parties?q=Aurelia`,
      `/products?q=${A_SKU}`,
    ];
    for (const path of paths) {
      const res = await api.call('GET', path, { key: B.org.keys.admin });
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      expect(res.json.items, path).toEqual([]);
      expectNoAIds(res.text, path, [A.party.id, A.order.id]);
      expectNoLeak(res.text.replace(A_REFERENCE, '').replace(A_SKU, ''), path);
    }
  });

  it("a cursor made of A's id does not page into A's data", async () => {
    const cursor = Buffer.from(A.order.id.replace(/.$/, 'Z')).toString('base64url');
    const res = await api.call('GET', `/orders?cursor=${cursor}&limit=200`, { key: B.org.keys.admin });
    // the cursor only means "older than this id", within B's own orders
    expect(res.status).toBe(200);
    const bAll = (await api.call('GET', '/orders?limit=200', { key: B.org.keys.admin })).json.items.map((o: { id: string }) => o.id);
    const cursorId = A.order.id.replace(/.$/, 'Z');
    expect(res.json.items.map((o: { id: string }) => o.id)).toEqual(bAll.filter((id: string) => id < cursorId));
    expectNoAIds(res.text, 'GET /orders with cursor');
    expectNoLeak(res.text, 'GET /orders with cursor');
  });
});

describe("B's writes cannot point at A's records", () => {
  const refused = async (method: string, path: string, body: unknown, status: number, headers: Record<string, string> = {}) => {
    const res = await api.call(method, path, { key: B.org.keys.admin, body, headers });
    const label = `${method} ${path} ${JSON.stringify(body).slice(0, 200)}: ${res.status} ${res.text.slice(0, 300)}`;
    expect(res.status, label).toBe(status);
    expectNoLeak(res.text, label);
    return res;
  };
  const bEtag = async (path: string) => (await api.call('GET', path, { key: B.org.keys.admin })).headers.get('etag') ?? '"1"';

  it("an order whose buyer, consignee or notify party is A's", async () => {
    for (const field of ['buyerId', 'consigneeId', 'notifyPartyId'] as const) {
      const res = await refused('POST', '/orders', orderInput(B.master, { [field]: A.party.id }), 422);
      expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });

  it("an order line with A's product", async () => {
    const res = await refused('POST', '/orders', orderInput(B.master, { lines: [{ productId: A.product.id, quantity: '1', unitPrice: '1' }] }), 422);
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain('lines.0.productId');
  });

  it("an order update naming A's buyer, or claiming A's order line as its own", async () => {
    const path = `/orders/${B.order.id}`;
    await refused('PATCH', path, { buyerId: A.party.id }, 422, { 'If-Match': await bEtag(path) });
    await refused('PATCH', path, { lines: [{ id: A.order.lines[0]!.id, productId: B.master.tee.id, quantity: '1', unitPrice: '1' }] }, 422, { 'If-Match': await bEtag(path) });
  });

  it("a shipment allocating A's order line, or consigned to A's party", async () => {
    await refused('POST', `/orders/${B.order.id}/shipments`, { allocations: [{ orderLineId: A.order.lines[1]!.id, quantity: '1' }] }, 422);
    await refused('POST', `/orders/${B.order.id}/shipments`, { consigneeId: A.party.id, allocations: [] }, 422);
    // A planned shipment of B's own for the update checks (the control probes above cancelled B's first one).
    const fresh = await api.call('POST', `/orders/${B.order.id}/shipments`, { key: B.org.keys.admin, body: { allocations: [] } });
    expect(fresh.status, fresh.text).toBe(201);
    const path = `/shipments/${fresh.json.id}`;
    await refused('PATCH', path, { allocations: [{ orderLineId: A.order.lines[1]!.id, quantity: '1' }] }, 422, { 'If-Match': await bEtag(path) });
    await refused('PATCH', path, { consigneeId: A.party.id }, 422, { 'If-Match': await bEtag(path) });
    const after = await api.call('GET', path, { key: B.org.keys.admin });
    expect(after.json.allocations).toEqual([]);
    expect(after.json.version).toBe(1);
  });

  it("an API key for A's user", async () => {
    await refused('POST', '/api-keys', { userId: A.org.contexts.ops.actor.userId, name: 'stolen' }, 404);
  });

  it("A's Idempotency-Keys replay nothing of A's to B, and are not 'already used' for B", async () => {
    // Same key and same body as A's request: B's own processing (A's parties are unknown to B), not A's stored 201.
    const body = orderInput(A.master, { reference: A_REFERENCE_2, buyerId: A.party.id });
    const same = await api.call('POST', '/orders', { key: B.org.keys.admin, body, headers: { 'Idempotency-Key': A_IDEMPOTENCY_KEY } });
    expect(same.status, same.text).toBe(422);
    expect(same.json.error.code).toBe('ORDER_REJECTED');
    expect(same.headers.get('Idempotent-Replayed')).toBeNull();
    expectNoAIds(same.text, 'idempotent replay', [A.party.id, A.master.buyer.id, A.master.tee.id, A.master.polo.id]);
    // Another body under a key A used is a fresh request for B, not 422 "key already used" (which would reveal A's key).
    const other = await api.call('POST', '/parties', {
      key: B.org.keys.admin,
      body: { name: 'Borealis Forwarder AS', roles: ['forwarder'], address: { lines: ['Brygge 1'], city: 'Bergen', country: 'NO' } },
      headers: { 'Idempotency-Key': A_IDEMPOTENCY_KEY_2 },
    });
    expect(other.status, other.text).toBe(201);
    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
    expect(other.json.name).toBe('Borealis Forwarder AS');
    expectNoLeak(other.text, 'Idempotency-Key reuse');
    expectNoAIds(other.text, 'Idempotency-Key reuse');
  });

  it("B's organisation profile update touches only B", async () => {
    const res = await api.call('PATCH', '/organisation', { key: B.org.keys.admin, body: { legalName: 'Borealis Exports Pvt Ltd' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.id).toBe(B.org.organisation.id);
  });
});

describe('references and SKUs are unique per organisation only (no cross-tenant existence oracle)', () => {
  it("B may use A's order reference and A's SKU", async () => {
    const order = await api.call('POST', '/orders', { key: B.org.keys.admin, body: orderInput(B.master, { reference: A_REFERENCE }) });
    expect(order.status, order.text).toBe(201);
    const product = await api.call('POST', '/products', {
      key: B.org.keys.admin,
      body: { sku: A_SKU, description: 'Same SKU, other company', hsCode: '610910', unit: 'PCS', netWeightKg: '0.1', grossWeightKg: '0.1' },
    });
    expect(product.status, product.text).toBe(201);
  });
});

describe("A's data after all of B's attempts", () => {
  it('is exactly as before, version and history included', async () => {
    const after = (await snapshotA()) as typeof aBefore & { order: { body: Order } };
    expect(after).toEqual(aBefore);
    expect(after.order.body.version).toBe(A.order.version);
  });

  it("A's keys still work (B could not revoke them)", async () => {
    for (const key of [A.spareKey.key, A.org.keys.admin, A.org.keys.viewer]) {
      const res = await api.call('GET', '/me', { key });
      expect(res.status, res.text).toBe(200);
      expect(res.json.organisation.id).toBe(A.org.organisation.id);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Authentication: no key, a bad key, a revoked key.
// ---------------------------------------------------------------------------------------------

const expectUnauthenticated = (res: { status: number; json: any; headers: Headers; text: string }, label: string) => {
  expect(res.status, `${label}: ${res.status} ${res.text.slice(0, 200)}`).toBe(401);
  expect(res.json, label).toMatchObject({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  expect(res.json.error.message.length, label).toBeGreaterThan(0);
  expect(res.headers.get('www-authenticate') ?? '', label).toMatch(/^Bearer/);
  expect(res.headers.get('content-type') ?? '', label).toContain('application/json');
  expectNoLeak(res.text, label);
};

const pathWithAIds = (op: Operation) => (op.path.includes('{id}') ? fill(op.path, idFor(A, op.path)) : op.path);

describe('authentication', () => {
  it('the public paths are exactly /health, /openapi.json and /docs', async () => {
    for (const path of PUBLIC_PATHS) {
      const res = await api.call('GET', path, { key: null });
      expect(res.status, path).toBe(200);
    }
    expect(authenticatedOps.length).toBeGreaterThanOrEqual(20);
  });

  const badAuth: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a Basic credential', { Authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['an empty Bearer', { Authorization: 'Bearer ' }],
    ['a malformed token', { Authorization: 'Bearer not-a-key' }],
    ['a well-formed unknown key', { Authorization: `Bearer exd_${'0'.repeat(26)}${'A'.repeat(32)}` }],
  ];

  describe.each(authenticatedOps.map((o) => [o.key, o] as const))('%s', (_key, op) => {
    it.each(badAuth)('%s → 401 UNAUTHENTICATED', async (_what, headers) => {
      const res = await api.call(op.method, pathWithAIds(op), {
        key: null,
        headers,
        ...(op.hasBody ? { body: PROBE_BODIES[op.key] ?? {} } : {}),
      });
      expectUnauthenticated(res, `${op.key} with ${_what}`);
    });
  });

  it('a revoked key answers 401 on every operation; the other keys keep working', async () => {
    const issued = await api.call('POST', '/api-keys', { key: A.org.keys.admin, body: { userId: A.org.contexts.ops.actor.userId, name: 'Soon revoked' } });
    expect(issued.status, issued.text).toBe(201);
    const token: string = issued.json.key;
    expect((await api.call('GET', '/me', { key: token })).status).toBe(200);

    const revoked = await api.call('POST', `/api-keys/${issued.json.id}/revoke`, { key: A.org.keys.admin });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json.revokedAt).toEqual(expect.any(String));

    for (const op of authenticatedOps) {
      const res = await api.call(op.method, pathWithAIds(op), { key: token, ...(op.hasBody ? { body: PROBE_BODIES[op.key] ?? {} } : {}) });
      expectUnauthenticated(res, `${op.key} with a revoked key`);
    }
    expect((await api.call('GET', '/me', { key: A.org.keys.ops })).status).toBe(200);
  });

  it('a tampered secret of a live key answers 401', async () => {
    const key = A.org.keys.viewer;
    const last = key.slice(-1) === 'A' ? 'B' : 'A';
    const res = await api.call('GET', '/me', { key: `${key.slice(0, -1)}${last}` });
    expectUnauthenticated(res, 'tampered key');
  });
});
