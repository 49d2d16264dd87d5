import { describe, expect, it } from 'vitest';
import { exceptions } from '../worker/src/db/schema/index.js';
import { newId } from '../worker/src/lib/ids.js';
import { apiClient, bookingInput, orderInput, seedMasterData, seedOrg, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

const KOLKATA = bookingInput({
  status: 'confirmed',
  vessel: 'MAERSK KOLKATA',
  voyage: '614W',
  cutoffs: { documents: '2026-12-18T17:00:00+05:30', vgm: '2026-12-19T12:00:00+05:30', cargo: '2026-12-19T18:00:00+05:30' },
  etd: '2026-12-21T18:00:00+05:30',
  eta: '2027-01-15T06:00:00+01:00',
});

describe('GET /orders/{id}/timeline', () => {
  it('tells the order as a story, in time order: order, shipment, booking, documents, exceptions, roll-over, milestones', async () => {
    let clock = new Date('2026-12-01T04:00:00Z');
    const at = (iso: string) => (clock = new Date(iso));
    const admin = apiClient(fx.database, fx.org.keys.admin, () => clock);
    const ops = apiClient(fx.database, fx.org.keys.ops, () => clock);

    const created = await admin.call('POST', '/orders', { body: orderInput(fx.master) });
    expect(created.status, created.text).toBe(201);
    const order = created.json;
    at('2026-12-01T04:10:00Z');
    const shp = await admin.call('POST', `/orders/${order.id}/shipments`, { body: { allocations: [{ orderLineId: order.lines[0].id, quantity: '1000' }] } });
    expect(shp.status, shp.text).toBe(201);
    const shipment = shp.json;
    at('2026-12-01T04:20:00Z');
    const confirmed = await admin.call('POST', `/orders/${order.id}/transitions`, { body: { to: 'confirmed' }, headers: { 'If-Match': '"1"' } });
    expect(confirmed.status, confirmed.text).toBe(200);

    at('2026-12-02T06:00:00Z');
    expect((await ops.call('PUT', `/shipments/${shipment.id}/booking`, { body: bookingInput() })).status).toBe(201);
    at('2026-12-03T09:00:00Z');
    expect((await ops.call('PUT', `/shipments/${shipment.id}/booking`, { body: bookingInput({ status: 'confirmed' }), headers: { 'If-Match': '"1"' } })).status).toBe(200);
    at('2026-12-05T07:30:00Z');
    const docs = await admin.call('POST', `/orders/${order.id}/documents`, { body: { shipmentId: shipment.id, kinds: ['commercial_invoice'] } });
    expect(docs.status, docs.text).toBe(201);
    const invoiceNumber: string = docs.json.items[0].number;

    // the exception engine (someone else's) writes its rows; the timeline reads them as they are
    await fx.database.db.insert(exceptions).values({
      id: newId('exc'),
      orgId: fx.org.organisation.id,
      ruleId: 'documents-draft-near-cutoff',
      subject: `shipment:${shipment.id}`,
      orderId: order.id,
      shipmentId: shipment.id,
      severity: 'high',
      ownerRole: 'documentation',
      title: 'Commercial invoice still draft 5 days before the documents cut-off',
      detail: 'Finalise the invoice',
      state: 'resolved',
      raisedAt: '2026-12-06T00:00:00.000Z',
      lastSeenAt: '2026-12-08T00:00:00.000Z',
      resolvedAt: '2026-12-08T00:00:00.000Z',
      resolution: 'auto',
    });

    at('2026-12-09T10:00:00Z');
    expect((await ops.call('PUT', `/shipments/${shipment.id}/booking`, { body: KOLKATA, headers: { 'If-Match': '"2"' } })).status).toBe(200);
    at('2026-12-11T11:00:00Z');
    const list = await ops.call('GET', `/shipments/${shipment.id}/milestones`);
    const version = list.json.items.find((m: any) => m.code === 'stuffing').version;
    expect(version).toBe(2); // made with the first booking's plan, moved once by the roll-over
    const stuffing = await ops.call('PATCH', `/shipments/${shipment.id}/milestones/stuffing`, {
      body: { actualAt: '2026-12-11T16:20:00+05:30', timeZone: 'Asia/Kolkata', notes: 'Factory stuffing, seal ML-4471203' },
      headers: { 'If-Match': `"${version}"` },
    });
    expect(stuffing.status, stuffing.text).toBe(200);

    const res = await fx.api.call('GET', `/orders/${order.id}/timeline`, { key: fx.org.keys.viewer });
    expect(res.status, res.text).toBe(200);
    const items = res.json.items as any[];
    expect(res.json).toMatchObject({ orderId: order.id, reference: order.reference, status: 'confirmed' });
    // time order
    expect(items.map((e) => e.at)).toEqual(items.map((e) => e.at).slice().sort());

    // Exceptions the live engine raised by itself are in the story too; this test tells its own one.
    const MINE = 'Commercial invoice still draft 5 days before the documents cut-off';
    const engine = items.filter((e) => e.kind.startsWith('exception_') && !e.title.endsWith(MINE));
    expect(engine.every((e) => e.source.type === 'exception' && e.shipmentReference === shipment.reference)).toBe(true);
    const happened = items.filter((e) => !e.planned && !engine.includes(e));
    expect(happened.map((e) => e.title)).toEqual([
      `Order ${order.reference} created`,
      `Shipment ${shipment.reference} planned: INNSA → DEHAM`,
      'Order confirmed',
      'Booking requested with Maersk for 2 × 40HC, ETD 14 Dec 18:00 IST',
      'Booking confirmed with Maersk on MAERSK KENSINGTON 612W, ETD 14 Dec 18:00 IST',
      `Commercial invoice ${invoiceNumber} generated (draft v1)`,
      'Exception for documentation (high): Commercial invoice still draft 5 days before the documents cut-off',
      'Resolved by itself: Commercial invoice still draft 5 days before the documents cut-off',
      'Rolled over from MAERSK KENSINGTON 612W to MAERSK KOLKATA 614W, ETD now 21 Dec 18:00 IST (7 days later)',
      'Container stuffed, 11 Dec 16:20 IST (7 days early) — Factory stuffing, seal ML-4471203',
    ]);
    expect(happened.map((e) => e.kind)).toEqual(['order', 'shipment', 'order', 'booking', 'booking', 'document', 'exception_raised', 'exception_resolved', 'booking', 'milestone_actual']);
    const confirmedEntry = happened[4];
    expect(confirmedEntry).toMatchObject({ at: '2026-12-03T09:00:00.000Z', shipmentId: shipment.id, shipmentReference: shipment.reference, actor: { name: 'ops' }, source: { type: 'booking_revision' } });
    expect(happened[0].actor).toMatchObject({ name: 'Admin' });
    expect(happened[0].shipmentReference).toBeNull();
    // the booking_confirmed milestone recorded on confirmation is told once, by the booking entry
    expect(items.filter((e) => e.title.startsWith('Booking confirmed'))).toHaveLength(1);

    // the plan follows the rolled-over booking, in the booking's time zone
    const planned = items.filter((e) => e.planned);
    expect(planned.every((e) => e.kind === 'milestone_planned')).toBe(true);
    expect(planned.map((e) => e.title)).toEqual(
      expect.arrayContaining(['Gate-in at port planned for 19 Dec 18:00 IST', 'Vessel departed planned for 21 Dec 18:00 IST', 'Arrived at port of discharge planned for 15 Jan 10:30 IST']),
    );
    const departedAt = items.findIndex((e) => e.title === 'Vessel departed planned for 21 Dec 18:00 IST');
    const stuffedAt = items.findIndex((e) => e.title.startsWith('Container stuffed,'));
    expect(stuffedAt).toBeLessThan(departedAt);
    // a done milestone appears twice: as planned and as it happened
    expect(items.filter((e) => e.source.type === 'milestone' && e.title.startsWith('Container stuffed'))).toHaveLength(2);
  });

  it('ETD and ETA moves read as such; approvals and finals of documents appear', async () => {
    const order = (await fx.api.call('POST', '/orders', { body: orderInput(fx.master) })).json;
    const shipment = (await fx.api.call('POST', `/orders/${order.id}/shipments`, { body: { allocations: [] } })).json;
    const path = `/shipments/${shipment.id}/booking`;
    await fx.api.call('PUT', path, { body: bookingInput({ status: 'confirmed' }) });
    await fx.api.call('PUT', path, { body: bookingInput({ status: 'confirmed', etd: '2026-12-16T06:00:00+05:30' }), headers: { 'If-Match': '"1"' } });
    await fx.api.call('PUT', path, { body: bookingInput({ status: 'confirmed', etd: '2026-12-16T06:00:00+05:30', eta: '2027-01-10T06:00:00+01:00' }), headers: { 'If-Match': '"2"' } });
    await fx.api.call('PUT', path, { body: bookingInput({ status: 'cancelled', etd: '2026-12-16T06:00:00+05:30', eta: '2027-01-10T06:00:00+01:00' }), headers: { 'If-Match': '"3"' } });
    const made = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { kinds: ['proforma_invoice'] } });
    const pi = made.json.items[0];
    await fx.api.call('POST', `/documents/${pi.id}/transitions`, { body: { to: 'approved' } });

    const res = await fx.api.call('GET', `/orders/${order.id}/timeline`);
    const titles = (res.json.items as any[]).filter((e) => !e.planned).map((e) => e.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'ETD moved from 14 Dec 18:00 IST to 16 Dec 06:00 IST (36 h later)',
        'ETA moved from 8 Jan 10:30 IST to 10 Jan 10:30 IST (2 days later)',
        'Booking MAEU262104981 with Maersk cancelled',
        `Proforma invoice ${pi.number} generated (draft v1)`,
        `Proforma invoice ${pi.number} v1 approved`,
      ]),
    );
    // a cancelled booking leaves no plan
    expect((res.json.items as any[]).filter((e) => e.planned)).toEqual([]);
  });

  it('404 for another organisation\'s order; every role may read it', async () => {
    const order = (await fx.api.call('POST', '/orders', { body: orderInput(fx.master) })).json;
    const other = await seedOrg(fx.database, 'Timeline Other Exports Pvt Ltd');
    await seedMasterData(other.admin);
    const res = await apiClient(fx.database, other.keys.admin).call('GET', `/orders/${order.id}/timeline`);
    expect(res.status).toBe(404);
    expect(res.json.error.message).toBe(`Order ${order.id} not found`);
    for (const role of ['ops', 'documentation', 'finance', 'viewer'] as const) {
      expect((await fx.api.call('GET', `/orders/${order.id}/timeline`, { key: fx.org.keys[role] })).status, role).toBe(200);
    }
  });
});
