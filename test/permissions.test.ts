/**
 * The documented permission matrix (shared/domain/roles.ts), enforced over EVERY route.
 *
 * The list of routes is not written here: it is read from the app's own /openapi.json, where
 * `apiRoute({ permission })` publishes `x-permission: "a | b"`. Each operation is then called with
 * the key of each of the five roles, against real records:
 *   - a role holding none of the listed permissions gets 403 FORBIDDEN, even with a garbage body
 *     and no If-Match (the check runs before any input is read);
 *   - a role holding one of them is never answered 401/403 (nor 5xx), whatever the body does next.
 * A new route therefore joins the matrix by itself; a route registered outside `apiRoute` (and so
 * outside the matrix) fails the inventory test.
 *
 * Then the service layer, which the CLI calls directly: every service verb enforces the same matrix.
 */
import { generateDocuments } from '../worker/src/services/documents/documents.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../shared/contracts/orders.js';
import { OrderCreate, OrderListQuery } from '../shared/contracts/orders.js';
import { OrganisationUpdate } from '../shared/contracts/organisations.js';
import type { Party } from '../shared/contracts/parties.js';
import { PartyCreate, PartyListQuery } from '../shared/contracts/parties.js';
import { ProductCreate, ProductListQuery } from '../shared/contracts/products.js';
import type { Shipment } from '../shared/contracts/shipments.js';
import { ShipmentCreate, ShipmentListQuery } from '../shared/contracts/shipments.js';
import { ImportRequest } from '../shared/contracts/imports.js';
import { MANUAL_TRANSITIONS } from '../shared/domain/order-status.js';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, isScopedRole, type Permission, type Role } from '../shared/domain/roles.js';
import { createApp } from '../worker/src/app.js';
import type { ServiceContext } from '../worker/src/services/context.js';
import { AppError } from '../worker/src/services/errors.js';
import { importOrders } from '../worker/src/services/imports/index.js';
import { acknowledgeException, exceptionDigest, getException, listExceptions, resolveException, runSweep } from '../worker/src/services/exceptions/index.js';
import { insertException } from './support/exceptions.js';
import { createOrder, getOrder, listOrders, updateOrder } from '../worker/src/services/orders/orders.js';
import { transitionOrder } from '../worker/src/services/orders/transitions.js';
import { createApiKey, createUser, getMe, listApiKeys, listUsers, revokeApiKey, updateOrganisation } from '../worker/src/services/organisations.js';
import { createParty, getParty, listParties, updateParty, verifyParty } from '../worker/src/services/parties.js';
import { createProduct, getProduct, listProducts, updateProduct } from '../worker/src/services/products.js';
import { createShipment, getShipment, listShipments, transitionShipment, updateShipment } from '../worker/src/services/shipments.js';
import { BookingInput } from '../shared/contracts/bookings.js';
import { InspectionCreate, ProductionJobCreate } from '../shared/contracts/production.js';
import { StockLevelQuery, StockMovementQuery } from '../shared/contracts/stock.js';
import { createInspection, getInspection, listInspections, updateInspection } from '../worker/src/services/inspections.js';
import { createProductionJob, getProductionJob, listProductionJobs, updateProductionJob } from '../worker/src/services/production.js';
import { adjustStock, createStockLocation, listStockLevels, listStockLocations, listStockMovements, receiveStock } from '../worker/src/services/stock/levels.js';
import { getOrderReservations } from '../worker/src/services/stock/reservations.js';
import { getBooking, listBookingRevisions, putBooking } from '../worker/src/services/bookings.js';
import { listMilestones, updateMilestone } from '../worker/src/services/milestones.js';
import { orderTimeline } from '../worker/src/services/timeline.js';
import { issueTrackingLink } from '../worker/src/services/tracking.js';
import { OrderCostCreate } from '../shared/contracts/fx.js';
import { createOrderCost } from '../worker/src/services/money/costs.js';
import { apiClient, bookingInput, orderInput, seedMasterData, seedOrg, seedScopedUsers, tempDatabase } from './support/harness.js';
import { getShipmentParties, setShipmentParties } from '../worker/src/services/shipment-parties.js';
import { getOrderPayments } from '../worker/src/services/money/payments.js';
import { createReceipt } from '../worker/src/services/money/receipts.js';
import { validateOrder, validateShipment } from '../worker/src/services/validation.js';
import { documentContent, getDocument, listDocuments } from '../worker/src/services/documents/documents.js';
import { getShipment as readShipmentNow } from '../worker/src/services/shipments.js';
import { queueBuyerEmail } from './support/notifications.js';

// ---------------------------------------------------------------------------------------------
// The route inventory, from the app itself (no database is touched to serve /openapi.json).
// ---------------------------------------------------------------------------------------------

// The buyer's tracking page and its downloads: public, the token in the path is the credential (not in the spec).
const PUBLIC_PATHS = new Set(['/health', '/openapi.json', '/docs', '/track/{token}', '/track/{token}/documents/{documentId}']);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']);
const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

interface SpecOperation {
  method: string;
  path: string;
  op: { 'x-permission'?: unknown; security?: Record<string, unknown>[] };
}
interface Operation {
  method: string;
  path: string;
  key: string;
  permissions: Permission[];
}

const inventoryApp = createApp({ database: () => undefined as never, logError: () => undefined });
const specResponse = await inventoryApp.request('/openapi.json');
const spec = (await specResponse.json()) as { paths: Record<string, Record<string, SpecOperation['op']>> };

const specOperations: SpecOperation[] = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => HTTP_METHODS.has(method))
    .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);
const authenticatedOps = specOperations.filter((o) => !PUBLIC_PATHS.has(o.path));
const operations: Operation[] = specOperations
  .filter((o) => typeof o.op['x-permission'] === 'string')
  .map((o) => ({
    method: o.method,
    path: o.path,
    key: `${o.method} ${o.path}`,
    permissions: String(o.op['x-permission'])
      .split('|')
      .map((p) => p.trim()) as Permission[],
  }));

const holds = (role: Role, permissions: readonly Permission[]) => permissions.some((p) => ROLE_PERMISSIONS[role].includes(p));

describe('route inventory: every authenticated route is in the permission matrix', () => {
  it('the spec is served and lists a non-trivial set of operations (≥ 20 with x-permission)', () => {
    expect(specResponse.status).toBe(200);
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('every operation except /health, /openapi.json and /docs declares x-permission and bearer security', () => {
    const missing = authenticatedOps
      .filter((o) => typeof o.op['x-permission'] !== 'string' || String(o.op['x-permission']).trim() === '')
      .map((o) => `${o.method} ${o.path}`);
    expect(missing, 'authenticated operations without x-permission').toEqual([]);
    const insecure = authenticatedOps.filter((o) => !(o.op.security ?? []).some((s) => 'bearerAuth' in s)).map((o) => `${o.method} ${o.path}`);
    expect(insecure, 'authenticated operations without bearerAuth security').toEqual([]);
    expect(operations.map((o) => o.key).sort()).toEqual(authenticatedOps.map((o) => `${o.method} ${o.path}`).sort());
  });

  it('x-permission names only permissions that exist in PERMISSIONS, without duplicates', () => {
    for (const op of operations) {
      expect(op.permissions.length, op.key).toBeGreaterThan(0);
      expect(new Set(op.permissions).size, `${op.key} lists a permission twice`).toBe(op.permissions.length);
      for (const p of op.permissions) expect(ALL_PERMISSIONS, `${op.key}: unknown permission "${p}"`).toContain(p);
    }
  });

  it('every documented permission guards at least one route (none is dead letter)', () => {
    const used = new Set(operations.flatMap((o) => o.permissions));
    expect(ALL_PERMISSIONS.filter((p) => !used.has(p))).toEqual([]);
  });

  it('no route is registered on the app without being documented (so none escapes the matrix)', () => {
    const documented = new Set(specOperations.map((o) => `${o.method} ${o.path}`));
    const registered = new Set(
      inventoryApp.routes
        .filter((r) => !(r.method === 'ALL' && r.path === '/*'))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    );
    const undocumented = [...registered].filter((k) => !documented.has(k) && !PUBLIC_PATHS.has(k.slice(k.indexOf(' ') + 1)));
    expect(undocumented).toEqual([]);
    // and every documented operation really is served
    expect([...documented].filter((k) => !registered.has(k))).toEqual([]);
  });

  it('the role matrix itself: known roles and permissions, every internal role reads everything, only admin manages the organisation, viewer is read-only', () => {
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) {
      for (const p of ROLE_PERMISSIONS[role]) expect(ALL_PERMISSIONS, `${role}: unknown permission ${p}`).toContain(p);
      if (isScopedRole(role)) continue;
      for (const p of ALL_PERMISSIONS.filter((x) => x.endsWith(':read'))) expect(ROLE_PERMISSIONS[role], `${role} lacks ${p}`).toContain(p);
    }
    // Outside parties: their shipments (with bookings, milestones, documents, exceptions) and nothing of the exporter's books.
    expect([...ROLE_PERMISSIONS.forwarder].sort()).toEqual(['bookings:write', 'documents:read', 'exceptions:read', 'milestones:write', 'org:read', 'shipments:read']);
    expect([...ROLE_PERMISSIONS.customs_agent].sort()).toEqual(['documents:read', 'exceptions:read', 'milestones:write', 'org:read', 'shipments:read']);
    expect(ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('org:manage'))).toEqual(['admin']);
    expect([...ROLE_PERMISSIONS.admin].sort()).toEqual([...ALL_PERMISSIONS].sort());
    expect(ROLE_PERMISSIONS.viewer.every((p) => p.endsWith(':read'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Real records, then every operation × every role over HTTP.
// ---------------------------------------------------------------------------------------------

interface Fixtures {
  t: Awaited<ReturnType<typeof tempDatabase>>;
  org: Awaited<ReturnType<typeof seedOrg>>;
  master: Awaited<ReturnType<typeof seedMasterData>>;
  order: Order;
  shipment: Shipment;
  party: Party;
  outside: Awaited<ReturnType<typeof seedScopedUsers>>;
  spareUserId: string;
  spareKeyId: string;
  documentId: string;
  api: ReturnType<typeof apiClient>;
}

let fx: Fixtures;
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`.toUpperCase();

beforeAll(async () => {
  const t = await tempDatabase();
  const org = await seedOrg(t.database, 'Permission Matrix Exports Pvt Ltd');
  const master = await seedMasterData(org.admin);
  const order = await createOrder(org.admin, OrderCreate.parse(orderInput(master)));
  const shipment = await createShipment(org.admin, order.id, ShipmentCreate.parse({ allocations: [{ orderLineId: order.lines[0]!.id, quantity: '100' }] }));
  const party = await createParty(
    org.admin,
    PartyCreate.parse({
      name: 'Matrix Consignee Oy',
      roles: ['consignee'],
      address: { lines: ['Satamakatu 1'], city: 'Helsinki', country: 'FI' },
      contacts: [{ name: 'Aino', email: 'aino@matrix.example' }],
    }),
  );
  const spareUser = await createUser(org.admin, { email: 'spare@matrix.example', name: 'Spare', role: 'viewer' });
  const spareKey = await createApiKey(org.admin, { userId: spareUser.id, name: 'Revocation target' });
  const [document] = await generateDocuments(org.admin, order.id, { kinds: ['commercial_invoice'] });
  // The forwarder and customs agent users work on this shipment, so their permitted GETs answer 200 too.
  const outside = await seedScopedUsers(org, 'Matrix');
  await setShipmentParties(org.admin, shipment.id, (await readShipmentNow(org.admin, shipment.id)).version, { forwarderId: outside.forwarder.id, customsAgentId: outside.customsAgent.id });
  await putBooking(org.admin, shipment.id, BookingInput.parse(bookingInput({ forwarderId: outside.forwarder.id })), null); // so GET /shipments/{id}/booking answers 200
  fx = { t, org, master, order, shipment, party, outside, spareUserId: spareUser.id, spareKeyId: spareKey.id, documentId: document!.id, api: apiClient(t.database) };
});

afterAll(() => fx?.t.cleanup());

/** An exception of the organisation, for /exceptions/{id}. */
let exceptionId = '';
beforeAll(async () => {
  exceptionId = await insertException(fx.t.database, fx.org.organisation.id, { shipmentId: fx.shipment.id, orderId: fx.order.id });
});

/** A stock location (with stock of the polo), a production job and an inspection, for the stock and production routes. */
let stockLocationId = '';
let productionJobId = '';
let inspectionId = '';
beforeAll(async () => {
  stockLocationId = (await createStockLocation(fx.org.admin, { code: 'PM-WH1', name: 'Matrix warehouse' })).id;
  await receiveStock(fx.org.admin, { productId: fx.master.polo.id, locationId: stockLocationId, quantity: '100' });
  productionJobId = (await createProductionJob(fx.org.admin, fx.order.id, ProductionJobCreate.parse({ orderLineId: fx.order.lines[0]!.id, quantity: '10' }))).id;
  inspectionId = (await createInspection(fx.org.admin, fx.order.id, InspectionCreate.parse({ kind: 'pre_shipment' }))).id;
});

/** A tracking link, for /tracking-links/{id}/revoke (revoking twice is fine, so every permitted role can call it). */
let trackingLinkId = '';
beforeAll(async () => {
  trackingLinkId = (await issueTrackingLink(fx.org.admin, fx.order.id, { expiresInDays: 30 })).id;
});

/** A confirmed order of its own with a receipt allocated to its advance, for /receipts, /payment-milestones and /allocations. */
let receiptId = '';
let paymentMilestoneId = '';
let allocationId = '';
beforeAll(async () => {
  // Tees only: they are made to order (no stock), so confirming reserves nothing.
  const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master, { lines: [{ productId: fx.master.tee.id, quantity: '1000', unitPrice: '2.85' }] })));
  await transitionOrder(fx.org.admin, order.id, order.version, { to: 'confirmed' });
  const [advance] = (await getOrderPayments(fx.org.admin, order.id)).milestones;
  paymentMilestoneId = advance!.id;
  const receipt = await createReceipt(fx.org.admin, { buyerId: fx.master.buyer.id, amount: '100.00', currency: 'EUR', valueDate: '2026-11-20', bankReference: 'PM-FIRC-1', fxRate: '90.10', allocations: [{ milestoneId: advance!.id, amount: '10.00' }] });
  receiptId = receipt.id;
  allocationId = receipt.allocations[0]!.id;
});

/**
 * Order costs live on an order of their own: finance holds payments:write, and recording or removing a cost is
 * audited on its order, which must not be the order the read-only sweep below watches.
 */
let costOrderId = '';
let costId = '';
beforeAll(async () => {
  costOrderId = (await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master)))).id;
  costId = (await createOrderCost(fx.org.admin, costOrderId, OrderCostCreate.parse({ category: 'freight', amount: '100', currency: 'USD', date: '2026-11-20', reference: 'PM-COST' }))).id;
});

/** A pending buyer e-mail on an order of its own (recording its departure is audited there, not on the watched order), for /outbox/{id}. */
let outboxId = '';
beforeAll(async () => {
  const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master)));
  const shipment = await createShipment(fx.org.admin, order.id, ShipmentCreate.parse({ allocations: [{ orderLineId: order.lines[0]!.id, quantity: '10' }] }));
  outboxId = await queueBuyerEmail(fx.org.admin, fx.master.buyer.id, shipment.id);
});

/** The real record id a path's `{id}` stands for, by the collection it belongs to. */
function realPath(path: string): string {
  if (path === '/orders/{id}/costs') return `/orders/${costOrderId}/costs`;
  if (path === '/parties/{id}/notification-preferences') return `/parties/${fx.master.buyer.id}/notification-preferences`; // a buyer's
  if (path === '/fx-rates/convert') return '/fx-rates/convert?amount=100&from=EUR&to=EUR'; // the same currency: rate 1, no FX table needed
  const collection = path.split('/')[1];
  const ids: Record<string, string> = {
    orders: fx.order.id,
    parties: fx.party.id,
    products: fx.master.polo.id,
    shipments: fx.shipment.id,
    'api-keys': fx.spareKeyId,
    documents: fx.documentId,
    exceptions: exceptionId,
    'production-jobs': productionJobId,
    inspections: inspectionId,
    costs: costId,
    'tracking-links': trackingLinkId,
    outbox: outboxId,
    receipts: receiptId,
    'payment-milestones': paymentMilestoneId,
    allocations: allocationId,
  };
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name === 'code' && collection === 'shipments') return 'booking_confirmed'; // a milestone code
    const id = name === 'id' && collection ? ids[collection] : undefined;
    if (!id) throw new Error(`permissions.test.ts has no real id for {${name}} in ${path}: add one to realPath()`);
    return id;
  });
}

/** A manual order target the role may request (least destructive first); 'confirmed' when none. */
function transitionTargetFor(role: Role): string {
  const preference = ['in_production', 'ready_to_ship', 'draft', 'confirmed', 'closed', 'cancelled'];
  const allowed = Object.entries(MANUAL_TRANSITIONS)
    .filter(([, rule]) => ROLE_PERMISSIONS[role].includes(rule.permission))
    .map(([to]) => to)
    .sort((a, b) => preference.indexOf(a) - preference.indexOf(b));
  return allowed[0] ?? 'confirmed';
}

/** A minimal plausible body per operation (validity is not required: permissions are checked first). */
function bodyFor(op: Operation, role: Role): unknown {
  const n = unique();
  switch (op.key) {
    case 'PATCH /organisation':
      return { legalName: 'Permission Matrix Exports Pvt Ltd' };
    case 'POST /users':
      return { email: `matrix-${role}-${n.toLowerCase()}@matrix.example`, name: `Matrix ${role}`, role: 'viewer' };
    case 'POST /api-keys':
      return { userId: fx.spareUserId, name: `matrix ${role}` };
    case 'POST /parties':
      return { name: `Matrix party ${n}`, roles: ['notify_party'], address: { lines: ['1 Quay'], city: 'Oslo', country: 'NO' } };
    case 'PATCH /parties/{id}':
      return { notes: `touched by ${role}` };
    case 'POST /products':
      return { sku: `MX-${n}`, description: 'Matrix product', hsCode: '610910', unit: 'PCS', netWeightKg: '0.1', grossWeightKg: '0.2' };
    case 'PATCH /products/{id}':
      return { description: `Cotton polo shirt (${role})` };
    case 'POST /orders':
      return orderInput(fx.master);
    case 'PATCH /orders/{id}':
      return { remarks: `touched by ${role}` };
    case 'POST /orders/{id}/transitions':
      return { to: transitionTargetFor(role) };
    case 'POST /orders/{id}/shipments':
      return { allocations: [] };
    case 'PATCH /shipments/{id}':
      return { notes: `touched by ${role}` };
    case 'POST /shipments/{id}/transitions':
      return { to: 'delivered' };
    case 'PUT /shipments/{id}/booking':
      return bookingInput({ bookingNumber: `BKG-${role}`, forwarderId: fx.outside.forwarder.id });
    case 'PUT /shipments/{id}/parties':
      return { forwarderId: fx.outside.forwarder.id, customsAgentId: fx.outside.customsAgent.id };
    case 'PATCH /shipments/{id}/milestones/{code}':
      return { notes: `touched by ${role}` };
    case 'POST /orders/{id}/documents':
      return { kinds: ['proforma_invoice'] };
    case 'POST /documents/{id}/transitions':
      return { to: 'approved' };
    case 'POST /imports':
      return importBody();
    case 'POST /stock/locations':
      return { code: `PM-${n}`, name: `Matrix location ${role}` };
    case 'POST /stock/receipts':
      return { productId: fx.master.polo.id, locationId: stockLocationId, quantity: '1', note: `received by ${role}` };
    case 'POST /stock/adjustments':
      return { productId: fx.master.polo.id, locationId: stockLocationId, quantity: '-1', reason: `counted by ${role}` };
    case 'POST /orders/{id}/production-jobs':
      return { orderLineId: fx.order.lines[0]!.id, quantity: '1' };
    case 'PATCH /production-jobs/{id}':
      return { notes: `touched by ${role}` };
    case 'POST /orders/{id}/inspections':
      return { kind: 'third_party', agency: `Agency ${role}` };
    case 'PATCH /inspections/{id}':
      return { notes: `touched by ${role}` };
    case 'POST /receipts':
      return { buyerId: fx.master.buyer.id, amount: '1.00', currency: 'EUR', valueDate: '2026-11-20', fxRate: '90', bankReference: `PM-${role}-${n}`, allocations: [] };
    case 'POST /receipts/{id}/allocations':
      return { allocations: [{ milestoneId: paymentMilestoneId, amount: '1.00' }] };
    case 'PATCH /payment-milestones/{id}':
      return { dueDate: '2027-01-31' };
    case 'POST /payment-milestones/{id}/write-off':
      return { amount: '0.01', note: `written off by ${role}` };
    case 'PUT /orders/{id}/letter-of-credit':
      return { number: `LC-${n}`, expiryDate: '2027-01-31', latestShipmentDate: '2027-01-10' };
    case 'PUT /shipments/{id}/realisation':
      return { ebrcNumber: `EBRC-${n}`, ebrcDate: '2026-11-25', realisedAmount: '1.00', currency: 'EUR' };
    case 'POST /exceptions/{id}/resolve':
      return { note: `resolved by ${role}` };
    case 'PUT /fx-rates':
      return { rates: [{ date: '2026-11-20', base: 'EUR', quote: 'INR', rate: '89.5' }] };
    case 'POST /fx-rates/import':
      return { csv: 'date,base,quote,rate\n2026-11-20,USD,INR,84', mode: 'dry_run' };
    case 'POST /orders/{id}/costs':
      return { category: 'other', description: `Recorded by ${role}`, amount: '1.00', currency: 'USD', date: '2026-11-20' };
    case 'PUT /parties/{id}/notification-preferences':
      return { events: ['departed'] };
    case 'PATCH /costs/{id}':
      return { reference: 'PM-COST' }; // as it is: a change of nothing
    default:
      return op.method === 'GET' || op.method === 'HEAD' ? undefined : {};
  }
}

/** A valid import of one order line (a dry run, so a permitted caller is answered 200 and nothing is written). */
function importBody() {
  return {
    mode: 'dry_run',
    rows: [[`IMP-${unique()}`, 'Nordlicht Textilhandel GmbH', 'DEHAM', 'FOB Nhava Sheva', 'LC at sight', 'INNSA', 'EUR', 'TS-1', 10, 2.5]],
    columns: { reference: 0, buyer: 1, portOfDischarge: 2, incoterm: 3, paymentTerms: 4, portOfLoading: 5, currency: 6, sku: 7, quantity: 8, unitPrice: 9 },
  };
}

/**
 * The current ETag of the record a path acts on (`/orders/{id}/transitions` → GET /orders/{id}), so that a
 * permitted caller gets past the version check into the service; '"1"' when the record has no GET.
 */
async function currentEtag(path: string): Promise<string> {
  const m = /^(.*?\{id\})/.exec(path);
  if (!m) return '"1"';
  const res = await fx.api.call('GET', realPath(m[1]!), { key: fx.org.keys.admin });
  return res.status === 200 ? (res.headers.get('etag') ?? '"1"') : '"1"';
}

const callAs = async (op: Operation, role: Role) =>
  fx.api.call(op.method, realPath(op.path), {
    key: fx.org.keys[role],
    body: bodyFor(op, role),
    headers: op.method === 'GET' ? {} : { 'If-Match': await currentEtag(op.path) },
  });

describe.each(operations.map((o) => [o.key, o] as const))('%s', (_key, op) => {
  it.each(ROLES.map((r) => [r] as const))('as %s', async (role) => {
    const res = await callAs(op, role);
    const label = `${op.key} as ${role} (needs ${op.permissions.join(' | ')}): ${res.status} ${res.text.slice(0, 300)}`;
    if (holds(role, op.permissions)) {
      expect(res.status, label).not.toBe(401);
      expect(res.status, label).not.toBe(403);
      expect(res.status, label).toBeLessThan(500);
      if (op.method === 'GET') expect(res.status, label).toBe(200);
    } else {
      expect(res.status, label).toBe(403);
      expect(res.json?.error?.code, label).toBe('FORBIDDEN');
      expect(typeof res.json?.error?.message, label).toBe('string');
      // Before any input is read: a body that is not even JSON, and no If-Match, still answers 403.
      const garbage = await fx.api.call(op.method, realPath(op.path), {
        key: fx.org.keys[role],
        ...(op.method === 'GET' ? {} : { body: '{"not json', headers: { 'Content-Type': 'application/json' } }),
      });
      expect(garbage.status, `${label} (garbage body)`).toBe(403);
      expect(garbage.json?.error?.code).toBe('FORBIDDEN');
    }
  });
});

describe('per-target order transitions: the route admits any of its permissions, the target needs its own', () => {
  it.each(ROLES.map((r) => [r] as const))('%s: each manual target is 403 exactly when the role lacks its permission', async (role) => {
    for (const [to, rule] of Object.entries(MANUAL_TRANSITIONS)) {
      // A stale If-Match: a permitted caller is stopped by the version check (412) and changes nothing.
      const res = await fx.api.call('POST', `/orders/${fx.order.id}/transitions`, { key: fx.org.keys[role], body: { to }, headers: { 'If-Match': '"999"' } });
      const label = `${role} → ${to} (needs ${rule.permission}): ${res.status} ${res.text.slice(0, 200)}`;
      if (ROLE_PERMISSIONS[role].includes(rule.permission)) expect(res.status, label).toBe(412);
      else {
        expect(res.status, label).toBe(403);
        expect(res.json?.error?.code, label).toBe('FORBIDDEN');
      }
    }
  });
});

describe('GET /me reports exactly the documented permissions of each role', () => {
  it.each(ROLES.map((r) => [r] as const))('%s', async (role) => {
    const res = await fx.api.call('GET', '/me', { key: fx.org.keys[role] });
    expect(res.status).toBe(200);
    expect(res.json.user.role).toBe(role);
    expect([...res.json.permissions].sort()).toEqual([...ROLE_PERMISSIONS[role]].sort());
  });
});

describe('denied and read-only calls change nothing', () => {
  it('viewer and finance sweeping every operation leave every record as it was', async () => {
    const admin = fx.org.keys.admin;
    const snapshot = async () => {
      const get = async (path: string) => {
        const r = await fx.api.call('GET', path, { key: admin });
        expect(r.status, path).toBe(200);
        return r.json;
      };
      const keys = await get('/api-keys');
      return {
        order: await get(`/orders/${fx.order.id}`),
        // finance holds buyers:notify: issuing and revoking tracking links is audited on the order, and allowed
        history: (await get(`/orders/${fx.order.id}/history`)).items.filter((e: { action: string }) => !e.action.startsWith('order.tracking_link_')),
        shipment: await get(`/shipments/${fx.shipment.id}`),
        party: await get(`/parties/${fx.party.id}`),
        product: await get(`/products/${fx.master.polo.id}`),
        organisation: (await get('/me')).organisation,
        users: await get('/users'),
        keys: keys.items.map(({ lastUsedAt: _l, ...k }: Record<string, unknown>) => k),
        orders: (await get('/orders?limit=200')).items.length,
        parties: (await get('/parties?limit=200')).items.length,
        products: (await get('/products?limit=200')).items.length,
        shipments: (await get('/shipments?limit=200')).items.length,
      };
    };
    const before = await snapshot();
    for (const role of ['viewer', 'finance'] as const) {
      for (const op of operations) {
        const res = await callAs(op, role);
        expect(res.status, `${op.key} as ${role}`).toBeLessThan(500);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});

/**
 * Idempotency-Key must not let a caller around the permission check. The idempotency middleware is
 * mounted app-wide (worker/src/app.ts `app.use('*', idempotency)`) and so runs BEFORE the route's
 * `permit(...)` middleware; its keys are scoped to the organisation only, not to the user.
 */
describe('Idempotency-Key does not bypass the permission check', () => {
  it("a role without org:manage replaying an admin's Idempotency-Key on POST /api-keys gets 403, not the admin's 201 with the secret", async () => {
    const body = { userId: fx.spareUserId, name: 'Replay probe' };
    const headers = { 'Idempotency-Key': `perm-replay-${unique()}` };
    const first = await fx.api.call('POST', '/api-keys', { key: fx.org.keys.admin, body, headers });
    expect(first.status, first.text).toBe(201);
    const secret: string = first.json.key;
    for (const role of ROLES.filter((r) => !ROLE_PERMISSIONS[r].includes('org:manage'))) {
      const replay = await fx.api.call('POST', '/api-keys', { key: fx.org.keys[role], body, headers });
      expect(replay.text, `${role} must not receive the secret of a key it may not issue`).not.toContain(secret);
      expect(replay.status, `${role}: ${replay.status} ${replay.text.slice(0, 200)}`).toBe(403);
      expect(replay.json?.error?.code).toBe('FORBIDDEN');
    }
  });

  it("a viewer's forbidden attempt does not poison the key for an admin who may make the request", async () => {
    const body = { userId: fx.spareUserId, name: 'Poison probe' };
    const headers = { 'Idempotency-Key': `perm-poison-${unique()}` };
    const denied = await fx.api.call('POST', '/api-keys', { key: fx.org.keys.viewer, body, headers });
    expect(denied.status).toBe(403);
    const admin = await fx.api.call('POST', '/api-keys', { key: fx.org.keys.admin, body, headers });
    expect(admin.status, `admin got ${admin.status} ${admin.text.slice(0, 200)}`).toBe(201);
    expect(admin.headers.get('Idempotent-Replayed')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// The service layer enforces the same matrix (the CLI calls services directly).
// ---------------------------------------------------------------------------------------------

type ServiceCall = [name: string, permission: Permission, run: (ctx: ServiceContext) => Promise<unknown>];

/** Every service verb with the permission it must demand. Updates use a stale version so a permitted caller changes nothing. */
function serviceCalls(): ServiceCall[] {
  const { order, shipment, party, master } = fx;
  return [
    ['getMe', 'org:read', (ctx) => getMe(ctx)],
    ['updateOrganisation', 'org:manage', (ctx) => updateOrganisation(ctx, OrganisationUpdate.parse({ legalName: 'Permission Matrix Exports Pvt Ltd' }))],
    ['listUsers', 'org:manage', (ctx) => listUsers(ctx)],
    ['createUser', 'org:manage', (ctx) => createUser(ctx, { email: `svc-${unique().toLowerCase()}@matrix.example`, name: 'Svc', role: 'viewer' })],
    ['listApiKeys', 'org:manage', (ctx) => listApiKeys(ctx)],
    ['createApiKey', 'org:manage', (ctx) => createApiKey(ctx, { userId: fx.spareUserId, name: 'svc' })],
    ['revokeApiKey', 'org:manage', (ctx) => revokeApiKey(ctx, fx.spareKeyId)],
    ['listParties', 'parties:read', (ctx) => listParties(ctx, PartyListQuery.parse({}))],
    ['getParty', 'parties:read', (ctx) => getParty(ctx, party.id)],
    ['createParty', 'parties:write', (ctx) => createParty(ctx, PartyCreate.parse({ name: `Svc party ${unique()}`, roles: ['forwarder'], address: { lines: ['1 Dock'], city: 'Kochi', country: 'IN' } }))],
    ['updateParty', 'parties:write', (ctx) => updateParty(ctx, party.id, 0, { notes: 'svc' })],
    ['verifyParty', 'parties:write', (ctx) => verifyParty(ctx, party.id, 0)],
    ['listProducts', 'products:read', (ctx) => listProducts(ctx, ProductListQuery.parse({}))],
    ['getProduct', 'products:read', (ctx) => getProduct(ctx, master.tee.id)],
    ['createProduct', 'products:write', (ctx) => createProduct(ctx, ProductCreate.parse({ sku: `SVC-${unique()}`, description: 'Svc', hsCode: '610910', unit: 'PCS', netWeightKg: '0.1', grossWeightKg: '0.2' }))],
    ['updateProduct', 'products:write', (ctx) => updateProduct(ctx, master.tee.id, 0, { description: 'svc' })],
    ['listOrders', 'orders:read', (ctx) => listOrders(ctx, OrderListQuery.parse({}))],
    ['getOrder', 'orders:read', (ctx) => getOrder(ctx, order.id)],
    ['createOrder', 'orders:write', (ctx) => createOrder(ctx, OrderCreate.parse(orderInput(master)))],
    ['updateOrder', 'orders:write', (ctx) => updateOrder(ctx, order.id, 0, { remarks: 'svc' })],
    ...Object.entries(MANUAL_TRANSITIONS).map(
      ([to, rule]): ServiceCall => [`transitionOrder → ${to}`, rule.permission, (ctx) => transitionOrder(ctx, order.id, 0, { to })],
    ),
    ['listShipments', 'shipments:read', (ctx) => listShipments(ctx, ShipmentListQuery.parse({}))],
    ['getShipment', 'shipments:read', (ctx) => getShipment(ctx, shipment.id)],
    ['createShipment', 'shipments:write', (ctx) => createShipment(ctx, order.id, ShipmentCreate.parse({ allocations: [] }))],
    ['updateShipment', 'shipments:write', (ctx) => updateShipment(ctx, shipment.id, 0, { notes: 'svc' })],
    ['transitionShipment', 'shipments:write', (ctx) => transitionShipment(ctx, shipment.id, 0, { to: 'cancelled' })],
    ['importOrders', 'orders:write', (ctx) => importOrders(ctx, ImportRequest.parse(importBody()))],
    ['createStockLocation', 'stock:write', (ctx) => createStockLocation(ctx, { code: `SVC-${unique()}`, name: 'Svc' })],
    ['listStockLocations', 'stock:read', (ctx) => listStockLocations(ctx)],
    ['receiveStock', 'stock:write', (ctx) => receiveStock(ctx, { productId: master.polo.id, locationId: stockLocationId, quantity: '1' })],
    ['adjustStock', 'stock:write', (ctx) => adjustStock(ctx, { productId: master.polo.id, locationId: stockLocationId, quantity: '-1', reason: 'svc' })],
    ['listStockLevels', 'stock:read', (ctx) => listStockLevels(ctx, StockLevelQuery.parse({}))],
    ['listStockMovements', 'stock:read', (ctx) => listStockMovements(ctx, StockMovementQuery.parse({}))],
    ['getOrderReservations', 'stock:read', (ctx) => getOrderReservations(ctx, order.id)],
    ['listProductionJobs', 'execution:read', (ctx) => listProductionJobs(ctx, order.id)],
    ['getProductionJob', 'execution:read', (ctx) => getProductionJob(ctx, productionJobId)],
    ['createProductionJob', 'execution:write', (ctx) => createProductionJob(ctx, order.id, ProductionJobCreate.parse({ orderLineId: order.lines[0]!.id, quantity: '1' }))],
    ['updateProductionJob', 'execution:write', (ctx) => updateProductionJob(ctx, productionJobId, 0, { notes: 'svc' })],
    ['listInspections', 'execution:read', (ctx) => listInspections(ctx, order.id)],
    ['getInspection', 'execution:read', (ctx) => getInspection(ctx, inspectionId)],
    ['createInspection', 'execution:write', (ctx) => createInspection(ctx, order.id, InspectionCreate.parse({ kind: 'in_line' }))],
    ['updateInspection', 'execution:write', (ctx) => updateInspection(ctx, inspectionId, 0, { notes: 'svc' })],
    ['listExceptions', 'exceptions:read', (ctx) => listExceptions(ctx, { limit: 10 })],
    ['getException', 'exceptions:read', (ctx) => getException(ctx, exceptionId)],
    ['exceptionDigest', 'exceptions:read', (ctx) => exceptionDigest(ctx, { limit: 5 })],
    ['acknowledgeException', 'exceptions:write', (ctx) => acknowledgeException(ctx, exceptionId, {})],
    ['resolveException', 'exceptions:write', (ctx) => resolveException(ctx, exceptionId, { note: 'svc' })],
    ['runSweep', 'execution:write', (ctx) => runSweep(ctx)],
    ['getBooking', 'shipments:read', (ctx) => getBooking(ctx, shipment.id)],
    ['listBookingRevisions', 'shipments:read', (ctx) => listBookingRevisions(ctx, shipment.id)],
    ['putBooking', 'bookings:write', (ctx) => putBooking(ctx, shipment.id, BookingInput.parse(bookingInput({ forwarderId: fx.outside.forwarder.id })), 0)],
    ['listMilestones', 'shipments:read', (ctx) => listMilestones(ctx, shipment.id)],
    ['updateMilestone', 'milestones:write', (ctx) => updateMilestone(ctx, shipment.id, 'booking_confirmed', 0, { notes: 'svc' })],
    ['getShipmentParties', 'shipments:read', (ctx) => getShipmentParties(ctx, shipment.id)],
    ['setShipmentParties', 'shipments:write', (ctx) => setShipmentParties(ctx, shipment.id, 0, { forwarderId: fx.outside.forwarder.id })],
    ['validateShipment', 'shipments:read', (ctx) => validateShipment(ctx, shipment.id)],
    ['validateOrder', 'orders:read', (ctx) => validateOrder(ctx, order.id)],
    ['listDocuments', 'documents:read', (ctx) => listDocuments(ctx, order.id)],
    ['getDocument', 'documents:read', (ctx) => getDocument(ctx, fx.documentId)],
    ['documentContent', 'documents:read', (ctx) => documentContent(ctx, fx.documentId)],
    ['orderTimeline', 'execution:read', (ctx) => orderTimeline(ctx, order.id)],
  ];
}

async function outcome(run: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('service layer enforces the matrix too (the CLI calls services directly)', () => {
  it('createOrder with a viewer ServiceContext rejects with AppError 403 and writes nothing', async () => {
    const before = await listOrders(fx.org.admin, OrderListQuery.parse({ limit: 200 }));
    const attempt = createOrder(fx.org.contexts.viewer, OrderCreate.parse(orderInput(fx.master)));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const after = await listOrders(fx.org.admin, OrderListQuery.parse({ limit: 200 }));
    expect(after.items.map((o) => o.id)).toEqual(before.items.map((o) => o.id));
  });

  it('transitionOrder → confirmed as finance (route admits finance via orders:close) rejects with 403 at the service', async () => {
    const current = await getOrder(fx.org.admin, fx.order.id);
    await expect(transitionOrder(fx.org.contexts.finance, fx.order.id, current.version, { to: 'confirmed' })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await getOrder(fx.org.admin, fx.order.id)).version).toBe(current.version);
  });

  it('createUser and createApiKey as ops (no org:manage) reject with 403: no privilege escalation through the CLI', async () => {
    await expect(createUser(fx.org.contexts.ops, { email: 'sneaky@matrix.example', name: 'Sneaky', role: 'admin' })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(createApiKey(fx.org.contexts.ops, { userId: fx.spareUserId, name: 'sneaky' })).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await listUsers(fx.org.admin)).some((u) => u.email === 'sneaky@matrix.example')).toBe(false);
  });

  it.each(ROLES.map((r) => [r] as const))('every service verb as %s: 403 exactly when the role lacks its permission', async (role) => {
    const problems: string[] = [];
    for (const [name, permission, run] of serviceCalls()) {
      const result = await outcome(() => run(fx.org.contexts[role]));
      const is403 = !result.ok && result.error instanceof AppError && result.error.status === 403 && result.error.code === 'FORBIDDEN';
      if (ROLE_PERMISSIONS[role].includes(permission)) {
        if (is403) problems.push(`${name} (${permission}) refused ${role}, which holds it`);
      } else if (!is403) {
        problems.push(`${name} (${permission}) did not refuse ${role} with 403: ${result.ok ? 'it succeeded' : String(result.error)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
