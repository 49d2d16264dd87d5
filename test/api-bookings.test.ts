import { describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { PartyCreate } from '../shared/contracts/parties.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { createParty } from '../worker/src/services/parties.js';
import { createShipment } from '../worker/src/services/shipments.js';
import { apiClient, bookingInput, orderInput, seedMasterData, seedOrg, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

const seaBooking = bookingInput;

async function seaShipment(m = fx.master, ctx = fx.org.admin) {
  const order = await createOrder(ctx, OrderCreate.parse(orderInput(m)));
  const shipment = await createShipment(ctx, order.id, { allocations: [{ orderLineId: order.lines[0]!.id, quantity: '100' }] });
  return { order, shipment };
}

const paths = (res: { json: any }) => (res.json?.error?.details ?? []).map((d: { path: string }) => d.path);

describe('PUT /shipments/{id}/booking', () => {
  it('creates the booking (201, ETag "1"), stores instants in UTC and shows them in the given time zone', async () => {
    const { order, shipment } = await seaShipment();
    const res = await fx.api.call('PUT', `/shipments/${shipment.id}/booking`, { body: seaBooking() });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/shipments/${shipment.id}/booking`);
    expect(res.json).toMatchObject({
      shipmentId: shipment.id,
      orderId: order.id,
      status: 'requested',
      carrier: 'Maersk',
      equipment: [{ type: '40HC', count: 2 }],
      cutoffs: { documents: '2026-12-11T11:30:00.000Z', vgm: '2026-12-12T06:30:00.000Z', cargo: '2026-12-12T12:30:00.000Z' },
      etd: '2026-12-14T12:30:00.000Z',
      eta: '2027-01-08T05:00:00.000Z',
      timeZone: 'Asia/Kolkata',
      local: { etd: '2026-12-14T18:00:00+05:30', eta: '2027-01-08T10:30:00+05:30', cutoffs: { cargo: '2026-12-12T18:00:00+05:30' } },
      version: 1,
    });
    const got = await fx.api.call('GET', `/shipments/${shipment.id}/booking`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"1"');
    expect(got.json).toEqual(res.json);
  });

  it('ports default to the shipment\'s; GET before any booking is 404', async () => {
    const { shipment } = await seaShipment();
    const none = await fx.api.call('GET', `/shipments/${shipment.id}/booking`);
    expect(none.status).toBe(404);
    const revs = await fx.api.call('GET', `/shipments/${shipment.id}/booking/revisions`);
    expect(revs.json.items).toEqual([]);
    const { portOfLoading: _l, portOfDischarge: _d, ...body } = seaBooking();
    const res = await fx.api.call('PUT', `/shipments/${shipment.id}/booking`, { body });
    expect(res.json).toMatchObject({ portOfLoading: 'INNSA', portOfDischarge: 'DEHAM' });
  });

  it('an update needs If-Match: 428 without, 412 with a stale one (and the current booking), 200 with the right one', async () => {
    const { shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    await fx.api.call('PUT', path, { body: seaBooking() });
    const body = seaBooking({ status: 'confirmed' });
    expect((await fx.api.call('PUT', path, { body })).status).toBe(428);
    const stale = await fx.api.call('PUT', path, { body, headers: { 'If-Match': '"7"' } });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('VERSION_MISMATCH');
    expect(stale.json.error.current).toMatchObject({ version: 1, status: 'requested' });
    expect(stale.headers.get('etag')).toBe('"1"');
    const ok = await fx.api.call('PUT', path, { body, headers: { 'If-Match': '"1"' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    expect(ok.json.status).toBe('confirmed');
    // the same body again changes nothing: no new version
    const same = await fx.api.call('PUT', path, { body, headers: { 'If-Match': '"2"' } });
    expect(same.json.version).toBe(2);
    // If-Match on a shipment without a booking: nothing to match
    const other = await seaShipment();
    expect((await fx.api.call('PUT', `/shipments/${other.shipment.id}/booking`, { body, headers: { 'If-Match': '"1"' } })).status).toBe(412);
  });

  it('400 with field paths: cut-offs after ETD, ETA before ETD, no offset, unknown zone, unknown equipment, confirmed without number', async () => {
    const { shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    const cases: [Record<string, unknown>, string[]][] = [
      [{ cutoffs: { documents: '2026-12-11T17:00:00+05:30', cargo: '2026-12-15T10:00:00+05:30' } }, ['cutoffs.cargo']],
      [{ cutoffs: { vgm: '2026-12-14T18:00:00+05:30' } }, ['cutoffs.vgm']],
      [{ eta: '2026-12-13T10:00:00Z' }, ['eta']],
      [{ etd: '2026-12-14T18:00:00' }, ['etd']],
      [{ timeZone: 'India/Mumbai' }, ['timeZone']],
      [{ equipment: [{ type: '45HC', count: 1 }] }, ['equipment.0.type']],
      [{ equipment: [{ type: '20GP', count: 0 }] }, ['equipment.0.count']],
      [{ status: 'confirmed', bookingNumber: null }, ['bookingNumber']],
      [{ portOfLoading: 'X' }, ['portOfLoading']],
      [{ vessels: 'typo' }, ['vessels']],
    ];
    for (const [patch, expected] of cases) {
      const res = await fx.api.call('PUT', path, { body: seaBooking(patch) });
      expect(res.status, `${JSON.stringify(patch)}: ${res.text}`).toBe(400);
      expect(paths(res), JSON.stringify(patch)).toEqual(expected);
    }
    expect((await fx.api.call('GET', path)).status).toBe(404); // nothing was stored
  });

  it('422 when the booking does not fit the shipment: equipment for another mode, a party that is not a forwarder, a non-seaport for sea', async () => {
    const { shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    const ftl = await fx.api.call('PUT', path, { body: seaBooking({ equipment: [{ type: '20GP', count: 1 }, { type: 'FTL', count: 1 }] }) });
    expect(ftl.status).toBe(422);
    expect(ftl.json.error.code).toBe('BOOKING_REJECTED');
    expect(paths(ftl)).toEqual(['equipment.1.type']);
    const buyer = await fx.api.call('PUT', path, { body: seaBooking({ forwarderId: fx.master.buyer.id }) });
    expect(paths(buyer)).toEqual(['forwarderId']);
    const port = await fx.api.call('PUT', path, { body: seaBooking({ portOfDischarge: 'DEMUC' }) }); // Munich: not a seaport
    expect(paths(port)).toEqual(['portOfDischarge']);

    // an air shipment takes ULDs or loose cargo, not containers
    const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master, { incoterm: 'FCA', incotermPlace: 'Chennai Airport', transportMode: 'air', portOfLoading: 'INMAA', portOfDischarge: 'DEFRA' })));
    const air = await createShipment(fx.org.admin, order.id, { allocations: [] });
    const bad = await fx.api.call('PUT', `/shipments/${air.id}/booking`, { body: seaBooking({ portOfLoading: 'INMAA', portOfDischarge: 'DEFRA' }) });
    expect(bad.status).toBe(422);
    expect(bad.json.error.details[0].message).toContain('ULD, loose');
    const good = await fx.api.call('PUT', `/shipments/${air.id}/booking`, {
      body: seaBooking({ carrier: 'Lufthansa Cargo', vessel: 'LH8413', voyage: null, portOfLoading: 'INMAA', portOfDischarge: 'DEFRA', equipment: [{ type: 'loose', count: 12 }] }),
    });
    expect(good.status, good.text).toBe(201);
  });

  it('a forwarder party is accepted', async () => {
    const fwd = await createParty(fx.org.admin, PartyCreate.parse({ name: 'Seahorse Logistics Pvt Ltd', roles: ['forwarder'], address: { lines: ['Sahar Road'], city: 'Mumbai', country: 'IN' } }));
    const { shipment } = await seaShipment();
    const res = await fx.api.call('PUT', `/shipments/${shipment.id}/booking`, { body: seaBooking({ forwarderId: fwd.id }) });
    expect(res.status, res.text).toBe(201);
    expect(res.json.forwarderId).toBe(fwd.id);
  });
});

describe('revisions: every version as it was', () => {
  it('created → confirmed → rolled over → ETD moved → ETA moved → cancelled, each visible, with who changed it; the history shows them', async () => {
    const { order, shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    let v = 0;
    const put = async (body: unknown) => {
      const res = await fx.api.call('PUT', path, { body, headers: v ? { 'If-Match': `"${v}"` } : {} });
      expect(res.status, res.text).toBe(v ? 200 : 201);
      v = res.json.version;
      return res.json;
    };
    await put(seaBooking());
    const vesselOnShipment = async () => (await fx.api.call('GET', `/shipments/${shipment.id}`)).json;
    expect((await vesselOnShipment()).vessel).toBeNull(); // a requested booking does not touch the shipment
    await put(seaBooking({ status: 'confirmed' }));
    expect(await vesselOnShipment()).toMatchObject({ vessel: 'MAERSK KENSINGTON', voyage: '612W' }); // what documents print
    await put(seaBooking({ status: 'confirmed', vessel: 'MAERSK KOLKATA', voyage: '614W', etd: '2026-12-21T18:00:00+05:30', eta: '2027-01-15T06:00:00+01:00' }));
    expect(await vesselOnShipment()).toMatchObject({ vessel: 'MAERSK KOLKATA', voyage: '614W' }); // the roll-over moves it
    await put(seaBooking({ status: 'confirmed', vessel: 'MAERSK KOLKATA', voyage: '614W', etd: '2026-12-22T06:00:00+05:30', eta: '2027-01-15T06:00:00+01:00' }));
    await put(seaBooking({ status: 'confirmed', vessel: 'MAERSK KOLKATA', voyage: '614W', etd: '2026-12-22T06:00:00+05:30', eta: '2027-01-17T06:00:00+01:00' }));
    await put(seaBooking({ status: 'cancelled', vessel: 'MAERSK KOLKATA', voyage: '614W', etd: '2026-12-22T06:00:00+05:30', eta: '2027-01-17T06:00:00+01:00' }));

    const res = await fx.api.call('GET', `${path}/revisions`);
    expect(res.status).toBe(200);
    const items = res.json.items as any[];
    expect(items.map((r) => [r.version, r.change])).toEqual([
      [1, 'created'],
      [2, 'updated'],
      [3, 'rolled_over'],
      [4, 'etd_changed'],
      [5, 'eta_changed'],
      [6, 'cancelled'],
    ]);
    // each revision is the booking as it was: the original vessel stays visible
    expect(items[1].booking).toMatchObject({ status: 'confirmed', vessel: 'MAERSK KENSINGTON', voyage: '612W', etd: '2026-12-14T12:30:00.000Z', version: 2 });
    expect(items[2].booking).toMatchObject({ vessel: 'MAERSK KOLKATA', voyage: '614W', etd: '2026-12-21T12:30:00.000Z' });
    expect(items[2].changedFields).toEqual(['vessel', 'voyage', 'cutoffDocumentsAt', 'cutoffVgmAt', 'cutoffCargoAt', 'etd', 'eta'].filter((f) => !f.startsWith('cutoff')));
    expect(items[1].changedFields).toEqual(['status']);
    expect(items[0].changedBy).toMatchObject({ name: 'Admin' });

    const history = await fx.api.call('GET', `/orders/${order.id}/history`);
    const booking = (history.json.items as any[]).filter((e) => e.action.startsWith('booking.'));
    expect(booking.map((e) => e.action)).toEqual(['booking.created', 'booking.updated', 'booking.rolled_over', 'booking.etd_changed', 'booking.eta_changed', 'booking.cancelled']);
    expect(booking.every((e) => e.entityType === 'shipment' && e.entityId === shipment.id)).toBe(true);
    expect(booking[2]).toMatchObject({ before: { vessel: 'MAERSK KENSINGTON', voyage: '612W' }, after: { vessel: 'MAERSK KOLKATA', voyage: '614W', version: 3 } });
  });

  it('a vessel change before confirmation is an update, not a roll-over', async () => {
    const { shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    await fx.api.call('PUT', path, { body: seaBooking() });
    await fx.api.call('PUT', path, { body: seaBooking({ vessel: 'MSC ANNA' }), headers: { 'If-Match': '"1"' } });
    const res = await fx.api.call('GET', `${path}/revisions`);
    expect(res.json.items.map((r: any) => r.change)).toEqual(['created', 'updated']);
  });
});

describe('roles and tenants', () => {
  it('viewer and finance may read but not book; documentation may not book', async () => {
    const { shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    for (const role of ['viewer', 'finance', 'documentation'] as const) {
      const res = await fx.api.call('PUT', path, { key: fx.org.keys[role], body: seaBooking() });
      expect(res.status, role).toBe(403);
    }
    expect((await fx.api.call('PUT', path, { key: fx.org.keys.ops, body: seaBooking() })).status).toBe(201);
    expect((await fx.api.call('GET', path, { key: fx.org.keys.viewer })).status).toBe(200);
  });

  it("another organisation cannot see or change a booking, nor book with someone else's forwarder", async () => {
    const { shipment } = await seaShipment();
    const path = `/shipments/${shipment.id}/booking`;
    await fx.api.call('PUT', path, { body: seaBooking() });
    const other = await seedOrg(fx.database, 'Other Exports Pvt Ltd');
    const otherMaster = await seedMasterData(other.admin);
    const api = apiClient(fx.database, other.keys.admin);
    for (const [method, p, body, headers] of [
      ['GET', path, undefined, {}],
      ['GET', `${path}/revisions`, undefined, {}],
      ['PUT', path, seaBooking({ status: 'cancelled' }), { 'If-Match': '"1"' }],
      ['PUT', path, seaBooking(), {}],
    ] as const) {
      const res = await api.call(method, p, { body, headers });
      expect(res.status, `${method} ${p}`).toBe(404);
      expect(res.json.error.message).toBe(`Shipment ${shipment.id} not found`);
      expect(res.text).not.toContain('Maersk');
    }
    expect((await fx.api.call('GET', path)).json.version).toBe(1);
    const fwd = await createParty(fx.org.admin, PartyCreate.parse({ name: 'Our Forwarder', roles: ['forwarder'], address: { lines: ['1 Dock'], city: 'Chennai', country: 'IN' } }));
    const theirs = await seaShipment(otherMaster, other.admin);
    const res = await api.call('PUT', `/shipments/${theirs.shipment.id}/booking`, { body: seaBooking({ forwarderId: fwd.id }) });
    expect(res.status).toBe(422);
    expect(paths(res)).toEqual(['forwarderId']);
  });
});
