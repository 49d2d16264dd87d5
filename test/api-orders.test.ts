/**
 * The order API end to end, through the real Hono app over a real libSQL file:
 * the "Done when" session (parties, products, an order with exact totals, a split into two
 * shipments, the whole lifecycle to closed, its audit trail), then the lifecycle and list rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, orderInput, seedMasterData, seedOrg, tempDatabase, useApiFixture } from './support/harness.js';

type Client = ReturnType<typeof apiClient>;
type Res = Awaited<ReturnType<Client['call']>>;
type Master = Awaited<ReturnType<typeof seedMasterData>>;

const detailPaths = (r: Res): string[] => (r.json?.error?.details ?? []).map((d: { path: string }) => d.path);
const detailAt = (r: Res, path: string) => (r.json?.error?.details ?? []).find((d: { path: string }) => d.path === path);
const ifMatch = (etag: string | null | number) => ({ 'If-Match': typeof etag === 'number' ? `"${etag}"` : etag ?? '' });

/** GET the record, then POST a transition with its current ETag. */
async function transitionOrder(api: Client, id: string, to: string, key?: string) {
  const cur = await api.call('GET', `/orders/${id}`, key ? { key } : {});
  expect(cur.status).toBe(200);
  return api.call('POST', `/orders/${id}/transitions`, { body: { to }, headers: ifMatch(cur.headers.get('etag')), ...(key ? { key } : {}) });
}

async function transitionShipment(api: Client, id: string, to: string, key?: string) {
  const cur = await api.call('GET', `/shipments/${id}`, key ? { key } : {});
  expect(cur.status).toBe(200);
  return api.call('POST', `/shipments/${id}/transitions`, { body: { to }, headers: ifMatch(cur.headers.get('etag')), ...(key ? { key } : {}) });
}

async function createOrder(api: Client, body: unknown): Promise<any> {
  const r = await api.call('POST', '/orders', { body });
  expect(r.status, r.text).toBe(201);
  return r.json;
}

describe('Done-when session: parties, products, an order, a split, the lifecycle and its history', () => {
  let t: Awaited<ReturnType<typeof tempDatabase>>;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let api: Client;
  const s: Record<string, any> = {};

  beforeAll(async () => {
    t = await tempDatabase();
    org = await seedOrg(t.database);
    api = apiClient(t.database, org.keys.admin);
  });
  afterAll(() => t?.cleanup());

  it('creates and verifies a buyer and a second consignee through the API', async () => {
    const buyer = await api.call('POST', '/parties', {
      body: {
        name: 'Hanse Import GmbH',
        roles: ['buyer', 'consignee'],
        address: { lines: ['Am Sandtorkai 1'], city: 'Hamburg', postcode: '20457', country: 'DE' },
        taxIds: [{ type: 'EORI', value: 'DE9876543210987' }],
        contacts: [{ name: 'Jana Peters', email: 'j.peters@hanse.example' }],
      },
    });
    expect(buyer.status, buyer.text).toBe(201);
    expect(buyer.headers.get('etag')).toBe('"1"');
    expect(buyer.headers.get('location')).toBe(`/parties/${buyer.json.id}`);
    expect(buyer.json).toMatchObject({ name: 'Hanse Import GmbH', verified: false, version: 1 });
    expect(buyer.json.id).toMatch(/^pty_[0-9A-Z]{26}$/);

    const verified = await api.call('POST', `/parties/${buyer.json.id}/verify`, { headers: ifMatch(buyer.headers.get('etag')) });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json).toMatchObject({ verified: true, version: 2 });
    expect(verified.headers.get('etag')).toBe('"2"');
    s.buyer = verified.json;

    const nl = await api.call('POST', '/parties', {
      body: {
        name: 'Hanse Benelux B.V.',
        roles: ['consignee'],
        address: { lines: ['Waalhaven Oostzijde 1'], city: 'Rotterdam', country: 'NL' },
        contacts: [{ name: 'Daan Bakker', email: 'd.bakker@hanse.example' }],
      },
    });
    expect(nl.status, nl.text).toBe(201);
    const nlVerified = await api.call('POST', `/parties/${nl.json.id}/verify`, { headers: ifMatch(1) });
    expect(nlVerified.status).toBe(200);
    s.nl = nlVerified.json;
  });

  it('rejects a product with a bad HS code or an unknown field (400 naming the field)', async () => {
    const base = { sku: 'TS-100', description: 'Cotton T-shirt, crew neck', hsCode: '6109.10.00', unit: 'PCS', netWeightKg: '0.18', grossWeightKg: '0.21' };

    const badHs = await api.call('POST', '/products', { body: { ...base, hsCode: '123456' } });
    expect(badHs.status).toBe(400);
    expect(badHs.json.error.code).toBe('VALIDATION_FAILED');
    expect(detailPaths(badHs)).toEqual(['hsCode']);

    const unknown = await api.call('POST', '/products', { body: { ...base, colour: 'navy' } });
    expect(unknown.status).toBe(400);
    expect(detailAt(unknown, 'colour')).toMatchObject({ code: 'unknown_field' });

    const list = await api.call('GET', '/products');
    expect(list.json.items).toHaveLength(0);
  });

  it('creates products through the API, normalising the HS code', async () => {
    const tee = await api.call('POST', '/products', {
      body: { sku: 'TS-100', description: 'Cotton T-shirt, crew neck', hsCode: '6109.10.00', unit: 'PCS', netWeightKg: '0.18', grossWeightKg: '0.21' },
    });
    expect(tee.status, tee.text).toBe(201);
    expect(tee.json).toMatchObject({ hsCode: '61091000', unit: 'PCS', originCountry: 'IN', version: 1 });
    expect(tee.json.hsDescription).toEqual(expect.any(String));
    const polo = await api.call('POST', '/products', {
      body: { sku: 'PL-200', description: 'Cotton polo shirt', hsCode: '610510', unit: 'PCS', netWeightKg: '0.25', grossWeightKg: '0.29' },
    });
    expect(polo.status, polo.text).toBe(201);
    s.tee = tee.json;
    s.polo = polo.json;
    s.master = { buyer: s.buyer, consignee2: s.nl, tee: s.tee, polo: s.polo } as Master;
  });

  it('rejects an order whose sea port is not a seaport, or with FOB by air, naming the field', async () => {
    const notSeaport = await api.call('POST', '/orders', { body: orderInput(s.master, { portOfDischarge: 'CNSHA' }) });
    expect(notSeaport.status).toBe(400);
    expect(detailPaths(notSeaport)).toContain('portOfDischarge');
    expect(detailAt(notSeaport, 'portOfDischarge').message).toMatch(/CNSHA/);

    const fobAir = await api.call('POST', '/orders', { body: orderInput(s.master, { transportMode: 'air', portOfLoading: 'INBOM', portOfDischarge: 'DEFRA' }) });
    expect(fobAir.status).toBe(400);
    expect(detailPaths(fobAir)).toContain('incoterm');
    expect(detailAt(fobAir, 'incoterm').message).toMatch(/Incoterms/);

    const unknown = await api.call('POST', '/orders', { body: { ...orderInput(s.master), total: { currency: 'EUR', amount: '1.00' } } });
    expect(unknown.status).toBe(400);
    expect(detailAt(unknown, 'total')).toMatchObject({ code: 'unknown_field' });

    const list = await api.call('GET', '/orders');
    expect(list.json.items).toHaveLength(0);
  });

  it('creates an order with lines: 201 with exact server-computed totals', async () => {
    const r = await api.call('POST', '/orders', { body: orderInput(s.master, { reference: 'EXP-2026-0142', buyerPo: 'PO-1' }) });
    expect(r.status, r.text).toBe(201);
    expect(r.headers.get('etag')).toBe('"1"');
    expect(r.headers.get('location')).toBe(`/orders/${r.json.id}`);
    const o = r.json;
    expect(o.id).toMatch(/^ord_[0-9A-Z]{26}$/);
    expect(o).toMatchObject({ reference: 'EXP-2026-0142', status: 'draft', version: 1, currency: 'EUR', consigneeId: s.buyer.id, transportMode: 'sea' });
    expect(o.lines).toHaveLength(2);
    expect(o.lines[0]).toMatchObject({
      lineNo: 1,
      productId: s.tee.id,
      sku: 'TS-100',
      description: 'Cotton T-shirt, crew neck',
      hsCode: '61091000',
      unit: 'PCS',
      quantity: '1000',
      unitPrice: '2.85',
      discountPercent: '0',
      amount: { currency: 'EUR', amount: '2850.00', minor: 285000 },
      allocatedQuantity: '0',
      shippedQuantity: '0',
    });
    expect(o.lines[1]).toMatchObject({ quantity: '500', unitPrice: '5.4', discountPercent: '2.5', amount: { currency: 'EUR', amount: '2632.50', minor: 263250 } });
    expect(o.total).toEqual({ currency: 'EUR', amount: '5482.50', minor: 548250 });
    s.order = o;

    const got = await api.call('GET', `/orders/${o.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.json).toEqual(o);
  });

  it('refuses a duplicate reference (also in other letter case), naming `reference`', async () => {
    for (const reference of ['EXP-2026-0142', 'exp-2026-0142']) {
      const r = await api.call('POST', '/orders', { body: orderInput(s.master, { reference }) });
      expect([409, 422]).toContain(r.status);
      expect(detailPaths(r)).toContain('reference');
    }
  });

  it('splits the order into two shipments, the second to another consignee in NL/NLRTM', async () => {
    const [l1, l2] = s.order.lines;
    const first = await api.call('POST', `/orders/${s.order.id}/shipments`, {
      body: { allocations: [{ orderLineId: l1.id, quantity: '600' }, { orderLineId: l2.id, quantity: '300' }] },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.headers.get('location')).toBe(`/shipments/${first.json.id}`);
    expect(first.json).toMatchObject({
      orderId: s.order.id,
      reference: 'EXP-2026-0142-S1',
      status: 'planned',
      consigneeId: s.buyer.id,
      destinationCountry: 'DE',
      portOfLoading: 'INNSA',
      portOfDischarge: 'DEHAM',
      plannedShipDate: '2026-12-20',
    });
    expect(first.json.allocations).toEqual([
      expect.objectContaining({ orderLineId: l1.id, quantity: '600', sku: 'TS-100' }),
      expect.objectContaining({ orderLineId: l2.id, quantity: '300', sku: 'PL-200' }),
    ]);

    const second = await api.call('POST', `/orders/${s.order.id}/shipments`, {
      body: {
        consigneeId: s.nl.id,
        destinationCountry: 'NL',
        portOfDischarge: 'nl rtm',
        allocations: [{ orderLineId: l1.id, quantity: '400' }, { orderLineId: l2.id, quantity: '200' }],
      },
    });
    expect(second.status, second.text).toBe(201);
    expect(second.json).toMatchObject({ reference: 'EXP-2026-0142-S2', consigneeId: s.nl.id, destinationCountry: 'NL', portOfDischarge: 'NLRTM', status: 'planned' });
    s.s1 = first.json;
    s.s2 = second.json;

    const order = await api.call('GET', `/orders/${s.order.id}`);
    expect(order.json.shipmentIds).toEqual([first.json.id, second.json.id]);
    expect(order.json.lines.map((l: any) => l.allocatedQuantity)).toEqual(['1000', '500']);
    expect(order.json.version).toBe(1);
  });

  it('refuses to over-allocate a line (422 naming allocations.0.quantity)', async () => {
    const r = await api.call('POST', `/orders/${s.order.id}/shipments`, { body: { allocations: [{ orderLineId: s.order.lines[0].id, quantity: '1' }] } });
    expect(r.status).toBe(422);
    expect(detailPaths(r)).toEqual(['allocations.0.quantity']);
    const order = await api.call('GET', `/orders/${s.order.id}`);
    expect(order.json.shipmentIds).toHaveLength(2);
  });

  it('refuses to reduce a line quantity below what is allocated (422), leaving the order unchanged', async () => {
    const lines = s.order.lines.map((l: any) => ({ id: l.id, productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent }));
    lines[0].quantity = '999';
    const r = await api.call('PATCH', `/orders/${s.order.id}`, { body: { lines }, headers: ifMatch(1) });
    expect(r.status, r.text).toBe(422);
    expect(detailPaths(r)).toEqual(['lines.0.quantity']);

    const removed = await api.call('PATCH', `/orders/${s.order.id}`, { body: { lines: lines.slice(1) }, headers: ifMatch(1) });
    expect(removed.status).toBe(422);
    expect(detailPaths(removed)).toContain('lines');

    const order = await api.call('GET', `/orders/${s.order.id}`);
    expect(order.json.version).toBe(1);
    expect(order.json.lines[0].quantity).toBe('1000');
  });

  it('records an update with before and after values', async () => {
    const r = await api.call('PATCH', `/orders/${s.order.id}`, { body: { buyerPo: 'PO-2' }, headers: ifMatch(1) });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ buyerPo: 'PO-2', version: 2 });
    expect(r.headers.get('etag')).toBe('"2"');
  });

  it('confirms the order (200, status confirmed), as the ops user', async () => {
    const r = await transitionOrder(api, s.order.id, 'confirmed', org.keys.ops);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: 'confirmed', version: 3 });
    expect(r.headers.get('etag')).toBe('"3"');
  });

  it('moves in_production → ready_to_ship', async () => {
    const a = await transitionOrder(api, s.order.id, 'in_production', org.keys.ops);
    expect(a.status, a.text).toBe(200);
    expect(a.json.status).toBe('in_production');
    const b = await transitionOrder(api, s.order.id, 'ready_to_ship', org.keys.ops);
    expect(b.status, b.text).toBe(200);
    expect(b.json.status).toBe('ready_to_ship');
  });

  it('ships the first shipment: the order becomes partially_shipped and can no longer be cancelled', async () => {
    const r = await transitionShipment(api, s.s1.id, 'shipped');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ status: 'shipped', version: 2 });
    expect(r.json.shippedAt).toEqual(expect.any(String));
    const order = await api.call('GET', `/orders/${s.order.id}`);
    expect(order.json.status).toBe('partially_shipped');
    expect(order.json.lines.map((l: any) => l.shippedQuantity)).toEqual(['600', '300']);

    const cancel = await transitionOrder(api, s.order.id, 'cancelled');
    expect(cancel.status).toBe(409);
    expect(cancel.json.error.code).toBe('INVALID_TRANSITION');
    const after = await api.call('GET', `/orders/${s.order.id}`);
    expect(after.json.status).toBe('partially_shipped');
    expect(after.json.version).toBe(order.json.version);
  });

  it('ships the second shipment with everything allocated: the order is shipped', async () => {
    const r = await transitionShipment(api, s.s2.id, 'shipped');
    expect(r.status, r.text).toBe(200);
    const order = await api.call('GET', `/orders/${s.order.id}`);
    expect(order.json.status).toBe('shipped');
    expect(order.json.lines.map((l: any) => l.shippedQuantity)).toEqual(['1000', '500']);
    expect((await transitionOrder(api, s.order.id, 'cancelled')).status).toBe(409);
  });

  it('delivers both shipments: the order is delivered only after the last one', async () => {
    expect((await transitionShipment(api, s.s1.id, 'delivered')).status).toBe(200);
    expect((await api.call('GET', `/orders/${s.order.id}`)).json.status).toBe('shipped');
    const r = await transitionShipment(api, s.s2.id, 'delivered');
    expect(r.status, r.text).toBe(200);
    expect(r.json.deliveredAt).toEqual(expect.any(String));
    expect((await api.call('GET', `/orders/${s.order.id}`)).json.status).toBe('delivered');
  });

  it('closes the delivered order (finance may close); a closed order cannot be cancelled or edited', async () => {
    const r = await transitionOrder(api, s.order.id, 'closed', org.keys.finance);
    expect(r.status, r.text).toBe(200);
    expect(r.json.status).toBe('closed');

    const cancel = await transitionOrder(api, s.order.id, 'cancelled');
    expect(cancel.status).toBe(409);
    const edit = await api.call('PATCH', `/orders/${s.order.id}`, { body: { remarks: 'late change' }, headers: ifMatch(r.headers.get('etag')) });
    expect(edit.status).toBe(409);
    expect(edit.json.error.code).toBe('ORDER_LOCKED');
  });

  it('GET /orders/{id}/history: who, when, before/after of the update, and every status change in order', async () => {
    const r = await api.call('GET', `/orders/${s.order.id}/history`);
    expect(r.status, r.text).toBe(200);
    const items: any[] = r.json.items;

    const times = items.map((e) => e.at);
    for (const at of times) expect(new Date(at).toISOString()).toBe(at);
    expect([...times].sort()).toEqual(times);

    expect(items[0]).toMatchObject({ action: 'order.created', entityType: 'order', entityId: s.order.id, before: null });
    expect(items[0].actor).toMatchObject({ name: 'Admin', email: 'admin@test-exports-pvt-ltd.example' });
    expect(items[0].after).toMatchObject({ reference: 'EXP-2026-0142', buyerPo: 'PO-1' });

    const updates = items.filter((e) => e.action === 'order.updated');
    expect(updates).toHaveLength(1);
    expect(updates[0].before).toMatchObject({ buyerPo: 'PO-1' });
    expect(updates[0].after).toMatchObject({ buyerPo: 'PO-2' });
    expect(updates[0].actor).toMatchObject({ name: 'Admin', email: 'admin@test-exports-pvt-ltd.example' });

    const statusChanges = items.filter((e) => e.action === 'order.status_changed');
    expect(statusChanges.map((e) => [e.before.status, e.after.status])).toEqual([
      ['draft', 'confirmed'],
      ['confirmed', 'in_production'],
      ['in_production', 'ready_to_ship'],
      ['ready_to_ship', 'partially_shipped'],
      ['partially_shipped', 'shipped'],
      ['shipped', 'delivered'],
      ['delivered', 'closed'],
    ]);
    expect(statusChanges[0].actor).toMatchObject({ name: 'ops', email: 'ops@test-exports-pvt-ltd.example' });
    expect(statusChanges[6].actor).toMatchObject({ name: 'finance', email: 'finance@test-exports-pvt-ltd.example' });

    const shipmentEvents = items.filter((e) => e.entityType === 'shipment').map((e) => [e.entityId, e.action, e.after?.status ?? null]);
    expect(shipmentEvents).toEqual([
      [s.s1.id, 'shipment.created', 'planned'],
      [s.s2.id, 'shipment.created', 'planned'],
      [s.s1.id, 'shipment.status_changed', 'shipped'],
      [s.s2.id, 'shipment.status_changed', 'shipped'],
      [s.s1.id, 'shipment.status_changed', 'delivered'],
      [s.s2.id, 'shipment.status_changed', 'delivered'],
    ]);
  });
});

describe('order rules', () => {
  const fx = useApiFixture();

  it('JPY amounts have no decimals and round half-up per line', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master, { currency: 'JPY', lines: [{ productId: fx.master.tee.id, quantity: '10', unitPrice: '1234.55' }, { productId: fx.master.polo.id, quantity: '3', unitPrice: '980' }] }));
    expect(o.lines[0].amount).toEqual({ currency: 'JPY', amount: '12346', minor: 12346 });
    expect(o.lines[1].amount).toEqual({ currency: 'JPY', amount: '2940', minor: 2940 });
    expect(o.total).toEqual({ currency: 'JPY', amount: '15286', minor: 15286 });
  });

  it('KWD amounts have 3 decimals', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master, { currency: 'KWD', lines: [{ productId: fx.master.tee.id, quantity: '7', unitPrice: '1.2345' }, { productId: fx.master.polo.id, quantity: '2', unitPrice: '0.5' }] }));
    expect(o.lines[0].amount).toEqual({ currency: 'KWD', amount: '8.642', minor: 8642 });
    expect(o.lines[1].amount).toEqual({ currency: 'KWD', amount: '1.000', minor: 1000 });
    expect(o.total).toEqual({ currency: 'KWD', amount: '9.642', minor: 9642 });
  });

  it('a unit price with more decimals than the currency rounds half-up exactly, once per line', async () => {
    const o = await createOrder(
      fx.api,
      orderInput(fx.master, {
        currency: 'EUR',
        lines: [
          { productId: fx.master.tee.id, quantity: '1', unitPrice: '1.005' }, // 1.005 × 100 is 100.4999… in floating point
          { productId: fx.master.polo.id, quantity: '1', unitPrice: '0.485' }, // a tie: half-up 0.49, half-even 0.48
          { productId: fx.master.tee.id, quantity: '1', unitPrice: '0.005' },
          { productId: fx.master.polo.id, quantity: '1', unitPrice: '0.005' },
          { productId: fx.master.tee.id, quantity: '0.5', unitPrice: '0.01', discountPercent: '1' }, // 0.00495 → 0.00
        ],
      }),
    );
    expect(o.lines.map((l: any) => l.amount.amount)).toEqual(['1.01', '0.49', '0.01', '0.01', '0.00']);
    // Rounding the exact sum (1.50495) once would give 1.50; rounding each line gives 1.52.
    expect(o.total).toEqual({ currency: 'EUR', amount: '1.52', minor: 152 });
  });

  it('changing the currency recomputes line amounts and the total', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master, { currency: 'EUR', lines: [{ productId: fx.master.tee.id, quantity: '3', unitPrice: '0.335' }] }));
    expect(o.total.amount).toBe('1.01');
    const r = await fx.api.call('PATCH', `/orders/${o.id}`, { body: { currency: 'JPY' }, headers: ifMatch(1) });
    expect(r.status, r.text).toBe(200);
    expect(r.json.total).toEqual({ currency: 'JPY', amount: '1', minor: 1 });
  });

  it('cannot confirm an order without lines (422 ORDER_NOT_READY naming lines)', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master, { lines: [] }));
    expect(o.total).toEqual({ currency: 'EUR', amount: '0.00', minor: 0 });
    const r = await transitionOrder(fx.api, o.id, 'confirmed');
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('ORDER_NOT_READY');
    expect(detailPaths(r)).toContain('lines');
    expect((await fx.api.call('GET', `/orders/${o.id}`)).json).toMatchObject({ status: 'draft', version: 1 });
  });

  it('cannot confirm an order whose buyer is not verified (422 naming buyerId); verifying it unblocks', async () => {
    const p = await fx.api.call('POST', '/parties', {
      body: { name: 'Unchecked Buyer Ltd', roles: ['buyer'], address: { lines: ['1 Dock Road'], city: 'London', country: 'GB' }, contacts: [{ name: 'Sam', email: 'sam@unchecked.example' }] },
    });
    expect(p.status).toBe(201);
    const o = await createOrder(fx.api, orderInput(fx.master, { buyerId: p.json.id, portOfDischarge: 'GBLON', destinationCountry: 'GB' }));
    const r = await transitionOrder(fx.api, o.id, 'confirmed');
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('ORDER_NOT_READY');
    // The consignee defaults to the buyer, so it is named too.
    expect(detailPaths(r)).toContain('buyerId');
    expect(detailAt(r, 'buyerId')).toMatchObject({ code: 'PARTY_UNVERIFIED' });

    expect((await fx.api.call('POST', `/parties/${p.json.id}/verify`, { headers: ifMatch(1) })).status).toBe(200);
    const ok = await transitionOrder(fx.api, o.id, 'confirmed');
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.status).toBe('confirmed');
  });

  it('refuses transitions that skip a step or that only shipments may cause', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master));
    const skip = await transitionOrder(fx.api, o.id, 'in_production');
    expect(skip.status).toBe(409);
    expect(skip.json.error.code).toBe('INVALID_TRANSITION');
    const derived = await transitionOrder(fx.api, o.id, 'shipped');
    expect(derived.status).toBe(400);
    expect(detailPaths(derived)).toEqual(['to']);
    const close = await transitionOrder(fx.api, o.id, 'closed');
    expect(close.status).toBe(409);
    expect((await fx.api.call('GET', `/orders/${o.id}`)).json).toMatchObject({ status: 'draft', version: 1 });

    expect((await transitionOrder(fx.api, o.id, 'confirmed')).status).toBe(200);
    const back = await transitionOrder(fx.api, o.id, 'draft');
    expect(back.status).toBe(200);
    expect(back.json.status).toBe('draft');
  });

  it('a shipment cannot leave before the order is ready_to_ship', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master));
    const sh = await fx.api.call('POST', `/orders/${o.id}/shipments`, { body: { allocations: [{ orderLineId: o.lines[0].id, quantity: '10' }] } });
    expect(sh.status).toBe(201);
    expect((await transitionOrder(fx.api, o.id, 'confirmed')).status).toBe(200);
    const r = await transitionShipment(fx.api, sh.json.id, 'shipped');
    expect(r.status).toBe(409);
    expect((await fx.api.call('GET', `/shipments/${sh.json.id}`)).json.status).toBe('planned');
  });

  // BUG (shared/contracts/shipments.ts:80): `at` is `Timestamp` = z.string(), so any text is stored as
  // shippedAt/deliveredAt, and worker/src/services/shipments.ts:219 then compares it as a string.
  // Fails until `at` is validated as an ISO 8601 date-time.
  it('a shipment transition `at` must be an ISO 8601 timestamp (400 naming at)', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master, { lines: [{ productId: fx.master.tee.id, quantity: '10', unitPrice: '1' }] }));
    const sh = await fx.api.call('POST', `/orders/${o.id}/shipments`, { body: { allocations: [{ orderLineId: o.lines[0].id, quantity: '10' }] } });
    expect(sh.status).toBe(201);
    for (const to of ['confirmed', 'in_production', 'ready_to_ship']) expect((await transitionOrder(fx.api, o.id, to)).status).toBe(200);
    const r = await fx.api.call('POST', `/shipments/${sh.json.id}/transitions`, { body: { to: 'shipped', at: 'next tuesday' }, headers: ifMatch(1) });
    expect(r.status, r.text).toBe(400);
    expect(detailPaths(r)).toEqual(['at']);
    expect((await fx.api.call('GET', `/shipments/${sh.json.id}`)).json).toMatchObject({ status: 'planned', shippedAt: null });
  });

  it('cancelling before shipping cancels planned shipments and releases their allocations; cancelled is final', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master));
    const sh = await fx.api.call('POST', `/orders/${o.id}/shipments`, { body: { allocations: [{ orderLineId: o.lines[0].id, quantity: '250' }] } });
    expect(sh.status).toBe(201);
    for (const to of ['confirmed', 'in_production', 'ready_to_ship']) expect((await transitionOrder(fx.api, o.id, to)).status).toBe(200);

    const r = await transitionOrder(fx.api, o.id, 'cancelled');
    expect(r.status, r.text).toBe(200);
    expect(r.json.status).toBe('cancelled');
    expect(r.json.lines[0].allocatedQuantity).toBe('0');
    const shipment = await fx.api.call('GET', `/shipments/${sh.json.id}`);
    expect(shipment.json).toMatchObject({ status: 'cancelled', version: 2 });

    expect((await transitionOrder(fx.api, o.id, 'cancelled')).status).toBe(409);
    expect((await transitionOrder(fx.api, o.id, 'confirmed')).status).toBe(409);
    const edit = await fx.api.call('PATCH', `/orders/${o.id}`, { body: { remarks: 'x' }, headers: ifMatch(r.headers.get('etag')) });
    expect(edit.status).toBe(409);
    const more = await fx.api.call('POST', `/orders/${o.id}/shipments`, { body: { allocations: [] } });
    expect(more.status).toBe(409);

    const history = (await fx.api.call('GET', `/orders/${o.id}/history`)).json.items;
    expect(history.filter((e: any) => e.entityType === 'shipment' && e.action === 'shipment.status_changed').map((e: any) => e.after.status)).toEqual(['cancelled']);
  });

  // BUG (worker/src/services/orders/orders.ts:192-195): the version is bumped before the diff, and
  // auditSnapshot includes `version`, so `changes` is never null and a no-op PATCH bumps the version
  // and records an order.updated whose only change is the version. Fails until fixed.
  it('a PATCH that changes nothing keeps the version and records no history', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master, { buyerPo: 'PO-SAME' }));
    const r = await fx.api.call('PATCH', `/orders/${o.id}`, { body: { buyerPo: 'PO-SAME' }, headers: ifMatch(1) });
    expect(r.status, r.text).toBe(200);
    expect(r.json.version).toBe(1);
    expect(r.headers.get('etag')).toBe('"1"');
    const history = (await fx.api.call('GET', `/orders/${o.id}/history`)).json.items;
    expect(history.map((e: any) => e.action)).toEqual(['order.created']);
  });

  it('a viewer can read but not create, edit or transition (403)', async () => {
    const o = await createOrder(fx.api, orderInput(fx.master));
    const viewer = fx.org.keys.viewer;
    expect((await fx.api.call('GET', `/orders/${o.id}`, { key: viewer })).status).toBe(200);
    expect((await fx.api.call('GET', `/orders/${o.id}/history`, { key: viewer })).status).toBe(200);
    expect((await fx.api.call('POST', '/orders', { key: viewer, body: orderInput(fx.master) })).status).toBe(403);
    expect((await fx.api.call('PATCH', `/orders/${o.id}`, { key: viewer, body: { buyerPo: 'X' }, headers: ifMatch(1) })).status).toBe(403);
    expect((await fx.api.call('POST', `/orders/${o.id}/transitions`, { key: viewer, body: { to: 'confirmed' }, headers: ifMatch(1) })).status).toBe(403);
    expect((await fx.api.call('GET', `/orders/${o.id}`)).json.version).toBe(1);
  });
});

describe('GET /orders filters and cursor pagination', () => {
  let t: Awaited<ReturnType<typeof tempDatabase>>;
  let api: Client;
  let m: Master;
  const ids: Record<string, string> = {};
  let buyer2: string;

  const refsOf = async (query: string): Promise<string[]> => {
    const r = await api.call('GET', `/orders?${query}`);
    expect(r.status, r.text).toBe(200);
    return r.json.items.map((o: any) => o.reference).sort();
  };
  const expectRefs = async (query: string, expected: string[]) => expect(await refsOf(query), query).toEqual([...expected].sort());

  beforeAll(async () => {
    t = await tempDatabase();
    const org = await seedOrg(t.database);
    m = await seedMasterData(org.admin);
    api = apiClient(t.database, org.keys.admin);
    const p = await api.call('POST', '/parties', {
      body: { name: 'Second Buyer BV', roles: ['buyer'], address: { lines: ['Kade 2'], city: 'Rotterdam', country: 'NL' }, contacts: [{ name: 'Eva', email: 'eva@second.example' }] },
    });
    buyer2 = p.json.id;
    const nl = { portOfDischarge: 'NLRTM', destinationCountry: 'NL' };
    const specs: [string, Parameters<typeof orderInput>[1]][] = [
      ['A', { reference: 'LST-AB_C-1', buyerPo: 'PO 50% OFF', requestedShipDate: '2026-10-01' }],
      ['B', { reference: 'LST-ABXC-2', buyerPo: 'PO-5000', requestedShipDate: '2026-11-15' }],
      ['C', { reference: 'lst-nl-3', buyerPo: 'Rotterdam-77', buyerId: buyer2, requestedShipDate: '2026-12-01', ...nl }],
      ['D', { reference: 'LST-D-4', buyerPo: undefined, requestedShipDate: '2027-01-10', ...nl }],
      ['E', { reference: 'LST-E-5', buyerPo: 'po-e', buyerId: buyer2, requestedShipDate: undefined }],
    ];
    for (const [name, overrides] of specs) {
      const body: Record<string, unknown> = orderInput(m, overrides);
      for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
      ids[name] = (await createOrder(api, body)).id;
    }
    expect((await transitionOrder(api, ids.B!, 'confirmed')).status).toBe(200);
    expect((await transitionOrder(api, ids.C!, 'cancelled')).status).toBe(200);
  });
  afterAll(() => t?.cleanup());

  it('lists newest first, as summaries', async () => {
    const r = await api.call('GET', '/orders');
    expect(r.json.items.map((o: any) => o.id)).toEqual([ids.E, ids.D, ids.C, ids.B, ids.A]);
    expect(r.json.nextCursor).toBeNull();
    expect(r.json.items[4]).toMatchObject({ reference: 'LST-AB_C-1', lineCount: 2, total: { amount: '5482.50' } });
    expect(r.json.items[4].lines).toBeUndefined();
  });

  it('filters by status (comma-separated list)', async () => {
    await expectRefs('status=draft', ['LST-AB_C-1', 'LST-D-4', 'LST-E-5']);
    await expectRefs('status=confirmed,cancelled', ['LST-ABXC-2', 'lst-nl-3']);
    await expectRefs(`status=${encodeURIComponent('confirmed, draft')}`, ['LST-AB_C-1', 'LST-ABXC-2', 'LST-D-4', 'LST-E-5']);
    await expectRefs('status=shipped', []);
    const bad = await api.call('GET', '/orders?status=draft,bogus');
    expect(bad.status).toBe(400);
    expect(detailPaths(bad)[0]).toMatch(/^query\.status/);
  });

  it('filters by buyerId and destinationCountry', async () => {
    await expectRefs(`buyerId=${buyer2}`, ['LST-E-5', 'lst-nl-3']);
    await expectRefs(`buyerId=${m.buyer.id}`, ['LST-AB_C-1', 'LST-ABXC-2', 'LST-D-4']);
    await expectRefs('destinationCountry=NL', ['LST-D-4', 'lst-nl-3']);
    await expectRefs('destinationCountry=NL&status=draft', ['LST-D-4']);
  });

  it('filters by requested ship date, inclusive, leaving out orders without one', async () => {
    await expectRefs('shipFrom=2026-11-15', ['LST-ABXC-2', 'LST-D-4', 'lst-nl-3']);
    await expectRefs('shipTo=2026-12-01', ['LST-AB_C-1', 'LST-ABXC-2', 'lst-nl-3']);
    await expectRefs('shipFrom=2026-10-02&shipTo=2026-12-01', ['LST-ABXC-2', 'lst-nl-3']);
    expect((await api.call('GET', '/orders?shipFrom=2026-13-01')).status).toBe(400);
  });

  it('q: case-insensitive substring of reference or buyer PO, with _ and % taken literally', async () => {
    await expectRefs('q=ab_c', ['LST-AB_C-1']);
    await expectRefs('q=_', ['LST-AB_C-1']);
    await expectRefs(`q=${encodeURIComponent('%')}`, ['LST-AB_C-1']);
    await expectRefs(`q=${encodeURIComponent('50%')}`, ['LST-AB_C-1']);
    await expectRefs('q=abxc', ['LST-ABXC-2']);
    await expectRefs('q=ROTTERDAM', ['lst-nl-3']);
    await expectRefs('q=PO-E', ['LST-E-5']);
    await expectRefs('q=lst-', ['LST-AB_C-1', 'LST-ABXC-2', 'LST-D-4', 'LST-E-5', 'lst-nl-3']);
    await expectRefs(`q=${encodeURIComponent('\\')}`, []);
    await expectRefs('q=nothing-like-this', []);
  });

  it('cursor pagination with limit=2 returns every order exactly once', async () => {
    const extra = [];
    for (let i = 0; i < 4; i++) extra.push((await createOrder(api, orderInput(m, { reference: `PAGE-${i}` }))).id);
    const all = [...Object.values(ids), ...extra];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: Res = await api.call('GET', `/orders?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status, r.text).toBe(200);
      expect(r.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.json.items.map((o: any) => o.id));
      cursor = r.json.nextCursor;
      pages++;
      expect(pages).toBeLessThan(20);
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen).size).toBe(all.length);
    expect([...seen].sort()).toEqual([...all].sort());
    expect(seen).toEqual([...all].sort().reverse());

    // With a filter, pages cover exactly the matching orders.
    const drafts: string[] = [];
    cursor = null;
    do {
      const r: Res = await api.call('GET', `/orders?status=draft&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      drafts.push(...r.json.items.map((o: any) => o.id));
      cursor = r.json.nextCursor;
    } while (cursor);
    expect(drafts.sort()).toEqual([ids.A, ids.D, ids.E, ...extra].sort());
  });

  it('another organisation sees none of these orders', async () => {
    const other = await seedOrg(t.database, 'Other Exports LLP');
    const r = await api.call('GET', '/orders', { key: other.keys.admin });
    expect(r.status).toBe(200);
    expect(r.json.items).toEqual([]);
    const one = await api.call('GET', `/orders/${ids.A}`, { key: other.keys.admin });
    expect(one.status).toBe(404);
    expect((await api.call('GET', `/orders/${ids.A}/history`, { key: other.keys.admin })).status).toBe(404);
  });
});
