import { describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { generateDocuments } from '../worker/src/services/documents/documents.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { createShipment } from '../worker/src/services/shipments.js';
import { apiClient, bookingInput, orderInput, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

async function shipmentTo(country: 'DE' | 'US', overrides: Parameters<typeof orderInput>[1] = {}) {
  const order = await createOrder(
    fx.org.admin,
    OrderCreate.parse(orderInput(fx.master, country === 'US' ? { destinationCountry: 'US', portOfDischarge: 'USNYC', ...overrides } : overrides)),
  );
  const shipment = await createShipment(fx.org.admin, order.id, { allocations: [{ orderLineId: order.lines[0]!.id, quantity: '100' }] });
  return { order, shipment };
}

const byCode = (items: any[]) => Object.fromEntries(items.map((m) => [m.code, m]));

describe('GET /shipments/{id}/milestones: from the templates, made the first time', () => {
  it('a sea shipment to Germany: the sea template in sequence, nothing planned before a booking', async () => {
    const { shipment } = await shipmentTo('DE');
    const res = await fx.api.call('GET', `/shipments/${shipment.id}/milestones`);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ shipmentId: shipment.id, shipmentReference: shipment.reference, transportMode: 'sea', destinationCountry: 'DE' });
    expect(res.json.items.map((m: any) => m.code)).toEqual([
      'booking_confirmed',
      'production_complete',
      'inspection_passed',
      'shipping_bill_filed',
      'stuffing',
      'gate_in',
      'let_export_order',
      'on_board',
      'departed',
      'bl_issued',
      'arrived',
      'cleared_destination',
      'delivered',
    ]);
    expect(res.json.items.every((m: any) => m.source === 'sea' && m.plannedAt === null && m.actualAt === null && m.state === 'pending' && m.version === 1)).toBe(true);
    // asking again makes nothing new
    const again = await fx.api.call('GET', `/shipments/${shipment.id}/milestones`);
    expect(again.json.items.map((m: any) => m.id)).toEqual(res.json.items.map((m: any) => m.id));
  });

  it('to the US by sea: ISF 10+2 filed is added from the US template, after gate-in', async () => {
    const { shipment } = await shipmentTo('US');
    const res = await fx.api.call('GET', `/shipments/${shipment.id}/milestones`);
    const codes = res.json.items.map((m: any) => m.code);
    expect(codes.slice(codes.indexOf('gate_in'), codes.indexOf('gate_in') + 3)).toEqual(['gate_in', 'isf_filed', 'let_export_order']);
    expect(byCode(res.json.items).isf_filed).toMatchObject({ name: 'ISF 10+2 filed', source: 'us', plannedRule: { relativeTo: 'etd', offsetHours: -24 } });
  });

  it('by air: the air template (air waybill, no bill of lading, no container stuffing); by road: the road template', async () => {
    const air = await shipmentTo('US', { incoterm: 'FCA', incotermPlace: 'Chennai Airport', transportMode: 'air', portOfLoading: 'INMAA', portOfDischarge: 'USJFK' });
    const res = await fx.api.call('GET', `/shipments/${air.shipment.id}/milestones`);
    const codes = res.json.items.map((m: any) => m.code);
    expect(codes).toEqual(['booking_confirmed', 'production_complete', 'inspection_passed', 'shipping_bill_filed', 'gate_in', 'let_export_order', 'awb_issued', 'departed', 'arrived', 'cleared_destination', 'delivered']);
    expect(res.json.items.every((m: any) => m.source === 'air')).toBe(true); // no ISF for air

    const road = await shipmentTo('DE', { incoterm: 'FCA', incotermPlace: 'Tiruppur', transportMode: 'road', portOfLoading: 'INTUP', portOfDischarge: 'NPKTM' });
    const r = await fx.api.call('GET', `/shipments/${road.shipment.id}/milestones`);
    expect(r.json.items.map((m: any) => m.code)).toContain('cmr_issued');
    expect(byCode(r.json.items).stuffing.name).toBe('Truck loaded');
  });
});

describe('planned times follow the booking', () => {
  it('gate-in = cargo cut-off, departed = ETD, arrived = ETA, ISF = ETD − 24 h; shown in the booking\'s time zone', async () => {
    const { shipment } = await shipmentTo('US');
    const put = await fx.api.call('PUT', `/shipments/${shipment.id}/booking`, { body: bookingInput({ portOfDischarge: 'USNYC' }) });
    expect(put.status, put.text).toBe(201);
    const res = await fx.api.call('GET', `/shipments/${shipment.id}/milestones`);
    const m = byCode(res.json.items);
    expect(m.gate_in).toMatchObject({ plannedAt: '2026-12-12T12:30:00.000Z', timeZone: 'Asia/Kolkata', local: { plannedAt: '2026-12-12T18:00:00+05:30' }, plannedByHand: false });
    expect(m.departed.plannedAt).toBe('2026-12-14T12:30:00.000Z');
    expect(m.on_board.plannedAt).toBe('2026-12-14T12:30:00.000Z');
    expect(m.arrived.plannedAt).toBe('2027-01-08T05:00:00.000Z');
    expect(m.isf_filed.plannedAt).toBe('2026-12-13T12:30:00.000Z');
    expect(m.shipping_bill_filed.plannedAt).toBe('2026-12-11T11:30:00.000Z');
    expect(m.production_complete.plannedAt).toBe('2026-12-09T12:30:00.000Z');
    expect(m.booking_confirmed.plannedAt).toBeNull();
  });

  it('when the ETD moves the plans move, except one set by hand; plannedAt: null makes it follow again; a cancelled booking clears them', async () => {
    const { shipment } = await shipmentTo('DE');
    const base = `/shipments/${shipment.id}`;
    await fx.api.call('PUT', `${base}/booking`, { body: bookingInput() });
    const first = byCode((await fx.api.call('GET', `${base}/milestones`)).json.items);

    // the exporter plans gate-in earlier by hand
    const hand = await fx.api.call('PATCH', `${base}/milestones/gate_in`, {
      body: { plannedAt: '2026-12-12T09:00:00+05:30' },
      headers: { 'If-Match': `"${first.gate_in.version}"` },
    });
    expect(hand.status, hand.text).toBe(200);
    expect(hand.json).toMatchObject({ plannedAt: '2026-12-12T03:30:00.000Z', plannedByHand: true, version: first.gate_in.version + 1 });

    // roll the booking a week: every rule-planned milestone follows, gate-in keeps the hand-set time
    const later = bookingInput({
      cutoffs: { documents: '2026-12-18T17:00:00+05:30', vgm: '2026-12-19T12:00:00+05:30', cargo: '2026-12-19T18:00:00+05:30' },
      etd: '2026-12-21T18:00:00+05:30',
      eta: '2027-01-15T06:00:00+01:00',
    });
    expect((await fx.api.call('PUT', `${base}/booking`, { body: later, headers: { 'If-Match': '"1"' } })).status).toBe(200);
    const moved = byCode((await fx.api.call('GET', `${base}/milestones`)).json.items);
    expect(moved.departed.plannedAt).toBe('2026-12-21T12:30:00.000Z');
    expect(moved.arrived.plannedAt).toBe('2027-01-15T05:00:00.000Z');
    expect(moved.stuffing.plannedAt).toBe('2026-12-18T12:30:00.000Z');
    expect(moved.gate_in).toMatchObject({ plannedAt: '2026-12-12T03:30:00.000Z', plannedByHand: true });
    expect(moved.departed.version).toBe(first.departed.version + 1);

    const follow = await fx.api.call('PATCH', `${base}/milestones/gate_in`, { body: { plannedAt: null }, headers: { 'If-Match': `"${moved.gate_in.version}"` } });
    expect(follow.json).toMatchObject({ plannedAt: '2026-12-19T12:30:00.000Z', plannedByHand: false });

    await fx.api.call('PUT', `${base}/booking`, { body: { ...later, status: 'cancelled' }, headers: { 'If-Match': '"2"' } });
    const cancelled = byCode((await fx.api.call('GET', `${base}/milestones`)).json.items);
    expect(cancelled.departed.plannedAt).toBeNull();
    expect(cancelled.gate_in.plannedAt).toBeNull();
  });
});

describe('PATCH /shipments/{id}/milestones/{code}: actuals with who and when', () => {
  it('records the actual time in its zone, the notes and the user; the order history shows it', async () => {
    const now = new Date('2026-12-12T10:00:00Z');
    const ops = apiClient(fx.database, fx.org.keys.ops, () => now);
    const { order, shipment } = await shipmentTo('DE');
    const list = await ops.call('GET', `/shipments/${shipment.id}/milestones`);
    const stuffing = byCode(list.json.items).stuffing;
    const res = await ops.call('PATCH', `/shipments/${shipment.id}/milestones/stuffing`, {
      body: { actualAt: '2026-12-11T16:20:00+05:30', timeZone: 'Asia/Kolkata', notes: 'Factory stuffing, seal ML-4471203' },
      headers: { 'If-Match': `"${stuffing.version}"` },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${stuffing.version + 1}"`);
    expect(res.json).toMatchObject({
      code: 'stuffing',
      state: 'done',
      actualAt: '2026-12-11T10:50:00.000Z',
      local: { actualAt: '2026-12-11T16:20:00+05:30' },
      timeZone: 'Asia/Kolkata',
      notes: 'Factory stuffing, seal ML-4471203',
      recordedBy: { name: 'ops', email: expect.stringContaining('ops@') },
      recordedAt: now.toISOString(),
    });
    const history = await ops.call('GET', `/orders/${order.id}/history`);
    const event = (history.json.items as any[]).find((e) => e.action === 'milestone.recorded');
    expect(event).toMatchObject({ entityType: 'shipment', entityId: shipment.id, actor: { name: 'ops' }, after: { code: 'stuffing', actualAt: '2026-12-11T10:50:00.000Z' } });
  });

  it('If-Match: 428 without, 412 stale with the current milestone; 422 for an actual in the future or another order\'s document; 404 for an unknown code; 400 for nothing to change', async () => {
    const { order, shipment } = await shipmentTo('DE');
    const base = `/shipments/${shipment.id}/milestones`;
    await fx.api.call('GET', base);
    expect((await fx.api.call('PATCH', `${base}/departed`, { body: { notes: 'x' } })).status).toBe(428);
    const stale = await fx.api.call('PATCH', `${base}/departed`, { body: { notes: 'x' }, headers: { 'If-Match': '"9"' } });
    expect(stale.status).toBe(412);
    expect(stale.json.error.current).toMatchObject({ code: 'departed', version: 1 });
    const future = await fx.api.call('PATCH', `${base}/departed`, { body: { actualAt: '2027-03-01T10:00:00+05:30' }, headers: { 'If-Match': '"1"' } });
    expect(future.status).toBe(422);
    expect(future.json.error.details.map((d: any) => d.path)).toEqual(['actualAt']);

    const other = await shipmentTo('DE');
    const [theirs] = await generateDocuments(fx.org.admin, other.order.id, { kinds: ['commercial_invoice'] });
    const wrongDoc = await fx.api.call('PATCH', `${base}/bl_issued`, { body: { documentId: theirs!.id }, headers: { 'If-Match': '"1"' } });
    expect(wrongDoc.status).toBe(422);
    expect(wrongDoc.json.error.details.map((d: any) => d.path)).toEqual(['documentId']);
    const [ours] = await generateDocuments(fx.org.admin, order.id, { kinds: ['commercial_invoice'] });
    const rightDoc = await fx.api.call('PATCH', `${base}/bl_issued`, { body: { documentId: ours!.id }, headers: { 'If-Match': '"1"' } });
    expect(rightDoc.status, rightDoc.text).toBe(200);
    expect(rightDoc.json.documentId).toBe(ours!.id);

    expect((await fx.api.call('PATCH', `${base}/isf_filed`, { body: { notes: 'x' }, headers: { 'If-Match': '"1"' } })).status).toBe(404); // not a US shipment
    const empty = await fx.api.call('PATCH', `${base}/departed`, { body: {}, headers: { 'If-Match': '"1"' } });
    expect(empty.status).toBe(400);
    const badTime = await fx.api.call('PATCH', `${base}/departed`, { body: { actualAt: '14/12/2026 18:00' }, headers: { 'If-Match': '"1"' } });
    expect(badTime.json.error.details.map((d: any) => d.path)).toEqual(['actualAt']);
  });

  it('confirming the booking records booking_confirmed with the user who confirmed', async () => {
    const now = new Date('2026-12-01T08:15:00Z');
    const ops = apiClient(fx.database, fx.org.keys.ops, () => now);
    const { shipment } = await shipmentTo('DE');
    await ops.call('PUT', `/shipments/${shipment.id}/booking`, { body: bookingInput() });
    expect(byCode((await ops.call('GET', `/shipments/${shipment.id}/milestones`)).json.items).booking_confirmed.actualAt).toBeNull();
    await ops.call('PUT', `/shipments/${shipment.id}/booking`, { body: bookingInput({ status: 'confirmed' }), headers: { 'If-Match': '"1"' } });
    const m = byCode((await ops.call('GET', `/shipments/${shipment.id}/milestones`)).json.items).booking_confirmed;
    expect(m).toMatchObject({ state: 'done', actualAt: now.toISOString(), recordedBy: { name: 'ops' } });
  });

  it('viewer reads but cannot record', async () => {
    const { shipment } = await shipmentTo('DE');
    expect((await fx.api.call('GET', `/shipments/${shipment.id}/milestones`, { key: fx.org.keys.viewer })).status).toBe(200);
    const res = await fx.api.call('PATCH', `/shipments/${shipment.id}/milestones/departed`, { key: fx.org.keys.viewer, body: { notes: 'x' }, headers: { 'If-Match': '"1"' } });
    expect(res.status).toBe(403);
  });
});
