/**
 * Production jobs and inspections through the real app over a real libSQL file: planning within the line's
 * quantity, status changes under If-Match, per-line totals; inspections with a shipment and a report document of
 * the same order; errors that name their field; tenant isolation and permissions.
 */
import { describe, expect, it } from 'vitest';
import { orderInput, seedMasterData, seedOrg, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

async function ok(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fx.api.call(method, path, { body, headers });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r;
}
const newOrder = async () => (await ok('POST', '/orders', orderInput(fx.master))).json;
const paths = (r: { json: any }) => (r.json.error.details ?? []).map((d: any) => d.path);

describe('production jobs', () => {
  it('plans jobs per line, never beyond the line quantity (422 naming quantity), and sums them per line', async () => {
    const o = await newOrder();
    const [tee, polo] = o.lines; // 1000 and 500
    const created = await ok('POST', `/orders/${o.id}/production-jobs`, {
      orderLineId: tee.id,
      quantity: '600',
      plannedStartAt: '2026-11-01T09:00:00+05:30',
      plannedCompletionAt: '2026-11-20T18:00:00+05:30',
      notes: 'Cutting at unit 2',
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/production-jobs/${created.json.id}`);
    expect(created.json).toMatchObject({
      orderId: o.id,
      orderLineId: tee.id,
      lineNo: 1,
      quantity: '600',
      status: 'planned',
      plannedStartAt: '2026-11-01T03:30:00.000Z',
      plannedCompletionAt: '2026-11-20T12:30:00.000Z',
      actualCompletionAt: null,
      version: 1,
    });
    expect((await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: tee.id, quantity: '400.000' })).json.quantity).toBe('400');

    const over = await fx.api.call('POST', `/orders/${o.id}/production-jobs`, { body: { orderLineId: tee.id, quantity: '0.001' } });
    expect(over.status, over.text).toBe(422);
    expect(over.json.error.code).toBe('PRODUCTION_EXCEEDED');
    expect(over.json.error.details).toEqual([{ path: 'quantity', code: 'PRODUCTION_EXCEEDED', message: expect.stringContaining('exceeds the 1000 ordered') }]);

    await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: polo.id, quantity: '500' });
    const list = (await ok('GET', `/orders/${o.id}/production-jobs`)).json;
    expect(list.items).toHaveLength(3);
    expect(list.lines).toEqual([
      expect.objectContaining({ orderLineId: tee.id, lineNo: 1, quantity: '1000', scheduled: '1000', completed: '0', unscheduled: '0', plannedCompletionAt: '2026-11-20T12:30:00.000Z', complete: false }),
      expect.objectContaining({ orderLineId: polo.id, lineNo: 2, scheduled: '500', complete: false }),
    ]);
    expect(list.complete).toBe(false);
  });

  it('validation errors name their fields', async () => {
    const o = await newOrder();
    const other = await newOrder();
    const cases: [unknown, number, string[]][] = [
      [{ orderLineId: o.lines[0].id, quantity: '0' }, 400, ['quantity']],
      [{ orderLineId: o.lines[0].id, quantity: '1.0001' }, 400, ['quantity']],
      [{ orderLineId: o.lines[0].id, quantity: '1', plannedStartAt: '2026-11-02T00:00:00Z', plannedCompletionAt: '2026-11-01T00:00:00Z' }, 400, ['plannedCompletionAt']],
      [{ orderLineId: o.lines[0].id, quantity: '1', plannedStartAt: 'next week' }, 400, ['plannedStartAt']],
      [{ orderLineId: o.lines[0].id, quantity: '1', colour: 'red' }, 400, ['colour']],
      [{ orderLineId: other.lines[0].id, quantity: '1' }, 422, ['orderLineId']],
    ];
    for (const [body, status, expected] of cases) {
      const r = await fx.api.call('POST', `/orders/${o.id}/production-jobs`, { body });
      expect(r.status, `${JSON.stringify(body)}: ${r.text}`).toBe(status);
      expect(paths(r), JSON.stringify(body)).toEqual(expect.arrayContaining(expected));
    }
  });

  it('status changes under If-Match: in_progress → completed (actual completion defaults to now), 412 when stale, 428 without, invalid moves 409', async () => {
    const o = await newOrder();
    const job = (await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: o.lines[1].id, quantity: '500', plannedCompletionAt: '2026-11-20T12:00:00Z' })).json;
    const patch = (body: unknown, ifMatch?: string) => fx.api.call('PATCH', `/production-jobs/${job.id}`, { body, headers: ifMatch ? { 'If-Match': ifMatch } : {} });

    expect((await patch({ status: 'in_progress' })).status).toBe(428);
    const started = await patch({ status: 'in_progress' }, '"1"');
    expect(started.status, started.text).toBe(200);
    expect(started.json).toMatchObject({ status: 'in_progress', version: 2 });
    expect(started.headers.get('etag')).toBe('"2"');

    const stale = await patch({ notes: 'late' }, '"1"');
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('VERSION_MISMATCH');
    expect(stale.json.error.current).toMatchObject({ id: job.id, status: 'in_progress', version: 2 });

    const early = await patch({ actualCompletionAt: '2026-11-18T10:00:00Z' }, '"2"');
    expect(early.status).toBe(422);
    expect(paths(early)).toEqual(['actualCompletionAt']);

    const tooMuch = await patch({ quantity: '500.5' }, '"2"');
    expect(tooMuch.status).toBe(422);
    expect(paths(tooMuch)).toEqual(['quantity']);

    const done = await patch({ status: 'completed', actualCompletionAt: '2026-11-18T15:30:00+05:30' }, '"2"');
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'completed', actualCompletionAt: '2026-11-18T10:00:00.000Z', version: 3 });

    const same = await patch({ status: 'completed' }, '"3"');
    expect(same.json.version).toBe(3); // nothing changed: no new version

    const bad = await patch({ status: 'cancelled' }, '"3"');
    expect(bad.status).toBe(409);
    expect(bad.json.error.code).toBe('INVALID_TRANSITION');

    expect((await ok('GET', `/production-jobs/${job.id}`)).headers.get('etag')).toBe('"3"');
    const list = (await ok('GET', `/orders/${o.id}/production-jobs`)).json;
    expect(list.lines[1]).toMatchObject({ completed: '500', complete: true, actualCompletionAt: '2026-11-18T10:00:00.000Z' });
    expect(list.lines[0]).toMatchObject({ complete: false, unscheduled: '1000' });
    expect(list.complete).toBe(false);

    const history = (await ok('GET', `/orders/${o.id}/history`)).json.items.map((e: any) => e.action);
    expect(history.filter((a: string) => a.startsWith('production_job.'))).toEqual(['production_job.created', 'production_job.updated', 'production_job.updated']);
  });

  it('a cancelled job frees its quantity; a whole order completed reads complete', async () => {
    const o = await newOrder();
    const [tee, polo] = o.lines;
    const a = (await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: tee.id, quantity: '1000' })).json;
    await ok('PATCH', `/production-jobs/${a.id}`, { status: 'cancelled' }, { 'If-Match': '"1"' });
    const b = (await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: tee.id, quantity: '1000' })).json;
    const c = (await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: polo.id, quantity: '500' })).json;
    for (const j of [b, c]) await ok('PATCH', `/production-jobs/${j.id}`, { status: 'completed' }, { 'If-Match': '"1"' });
    const list = (await ok('GET', `/orders/${o.id}/production-jobs`)).json;
    expect(list.complete).toBe(true);
    expect(list.lines.map((l: any) => l.scheduled)).toEqual(['1000', '500']);
    const reopened = await fx.api.call('PATCH', `/production-jobs/${a.id}`, { body: { status: 'planned' }, headers: { 'If-Match': '"2"' } });
    expect(reopened.status).toBe(409);
  });

  it('an order line cannot drop below, or be removed from under, its production jobs', async () => {
    const o = await newOrder();
    const [tee, polo] = o.lines;
    await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: tee.id, quantity: '800' });
    const line = (l: any, quantity: string) => ({ id: l.id, productId: l.productId, quantity, unitPrice: l.unitPrice });
    const lower = await fx.api.call('PATCH', `/orders/${o.id}`, { body: { lines: [line(tee, '700'), line(polo, '500')] }, headers: { 'If-Match': '"1"' } });
    expect(lower.status).toBe(422);
    expect(paths(lower)).toEqual(['lines.0.quantity']);
    const removed = await fx.api.call('PATCH', `/orders/${o.id}`, { body: { lines: [line(polo, '500')] }, headers: { 'If-Match': '"1"' } });
    expect(removed.status).toBe(422);
    expect(paths(removed)).toEqual(['lines']);
    expect((await fx.api.call('PATCH', `/orders/${o.id}`, { body: { lines: [line(tee, '800'), line(polo, '500')] }, headers: { 'If-Match': '"1"' } })).status).toBe(200);
  });

  it('no jobs for a cancelled order (409)', async () => {
    const o = await newOrder();
    await ok('POST', `/orders/${o.id}/transitions`, { to: 'cancelled' }, { 'If-Match': '"1"' });
    const r = await fx.api.call('POST', `/orders/${o.id}/production-jobs`, { body: { orderLineId: o.lines[0].id, quantity: '1' } });
    expect(r.status).toBe(409);
    expect(r.json.error.code).toBe('ORDER_LOCKED');
  });
});

describe('inspections', () => {
  it('schedules an inspection for an order or one of its shipments, records the result with a report of the same order', async () => {
    const o = await newOrder();
    const shipment = (await ok('POST', `/orders/${o.id}/shipments`, { allocations: [{ orderLineId: o.lines[0].id, quantity: '100' }] })).json;
    const created = await ok('POST', `/orders/${o.id}/inspections`, {
      kind: 'pre_shipment',
      agency: 'SGS India',
      inspector: 'R. Iyer',
      scheduledAt: '2026-12-01T10:00:00+05:30',
      shipmentId: shipment.id,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const insp = created.json;
    expect(insp).toMatchObject({ orderId: o.id, shipmentId: shipment.id, kind: 'pre_shipment', result: 'pending', inspectedAt: null, scheduledAt: '2026-12-01T04:30:00.000Z', reportDocumentId: null });

    const [report] = (await ok('POST', `/orders/${o.id}/documents`, { kinds: ['proforma_invoice'] })).json.items;
    const result = await ok('PATCH', `/inspections/${insp.id}`, { result: 'passed_with_remarks', notes: 'Shade variation in 2 cartons', reportDocumentId: report.id }, { 'If-Match': '"1"' });
    expect(result.json).toMatchObject({ result: 'passed_with_remarks', reportDocumentId: report.id, version: 2, notes: 'Shade variation in 2 cartons' });
    expect(result.json.inspectedAt).toEqual(expect.any(String));
    expect(result.headers.get('etag')).toBe('"2"');

    const list = (await ok('GET', `/orders/${o.id}/inspections`)).json.items;
    expect(list.map((i: any) => i.id)).toEqual([insp.id]);
    expect((await ok('GET', `/inspections/${insp.id}`)).json.result).toBe('passed_with_remarks');
    const history = (await ok('GET', `/orders/${o.id}/history`)).json.items.map((e: any) => e.action);
    expect(history).toEqual(expect.arrayContaining(['inspection.scheduled', 'inspection.updated']));
  });

  it("refuses another order's shipment or document, bad kinds and results, naming the field; If-Match 412 and 428", async () => {
    const o = await newOrder();
    const other = await newOrder();
    const otherShipment = (await ok('POST', `/orders/${other.id}/shipments`, { allocations: [] })).json;
    const [otherDoc] = (await ok('POST', `/orders/${other.id}/documents`, { kinds: ['proforma_invoice'] })).json.items;

    const wrongShipment = await fx.api.call('POST', `/orders/${o.id}/inspections`, { body: { kind: 'third_party', shipmentId: otherShipment.id } });
    expect(wrongShipment.status).toBe(422);
    expect(paths(wrongShipment)).toEqual(['shipmentId']);
    const badKind = await fx.api.call('POST', `/orders/${o.id}/inspections`, { body: { kind: 'final_random' } });
    expect(badKind.status).toBe(400);
    expect(paths(badKind)).toEqual(['kind']);

    const insp = (await ok('POST', `/orders/${o.id}/inspections`, { kind: 'in_line', scheduledAt: '2026-11-10T09:00:00Z' })).json;
    const patch = (body: unknown, ifMatch?: string) => fx.api.call('PATCH', `/inspections/${insp.id}`, { body, headers: ifMatch ? { 'If-Match': ifMatch } : {} });
    const wrongDoc = await patch({ result: 'failed', reportDocumentId: otherDoc.id }, '"1"');
    expect(wrongDoc.status).toBe(422);
    expect(paths(wrongDoc)).toEqual(['reportDocumentId']);
    const badResult = await patch({ result: 'ok' }, '"1"');
    expect(badResult.status).toBe(400);
    expect(paths(badResult)).toEqual(['result']);
    const noTime = await patch({ result: 'failed', inspectedAt: null }, '"1"');
    expect(noTime.status).toBe(422);
    expect(paths(noTime)).toEqual(['inspectedAt']);
    expect((await patch({ result: 'failed' })).status).toBe(428);

    const failed = await patch({ result: 'failed', inspectedAt: '2026-11-10T15:00:00+05:30', notes: 'AQL 2.5 exceeded' }, '"1"');
    expect(failed.status, failed.text).toBe(200);
    expect(failed.json).toMatchObject({ result: 'failed', inspectedAt: '2026-11-10T09:30:00.000Z', version: 2 });
    const stale = await patch({ result: 'passed' }, '"1"');
    expect(stale.status).toBe(412);
    expect(stale.json.error.current).toMatchObject({ result: 'failed', version: 2 });
    expect(stale.headers.get('etag')).toBe('"2"');
  });
});

describe('isolation and permissions', () => {
  it("another organisation gets 404 for A's jobs and inspections, and cannot plan on A's order", async () => {
    const o = await newOrder();
    const job = (await ok('POST', `/orders/${o.id}/production-jobs`, { orderLineId: o.lines[0].id, quantity: '1' })).json;
    const insp = (await ok('POST', `/orders/${o.id}/inspections`, { kind: 'pre_shipment' })).json;
    const orgB = await seedOrg(fx.database, 'Production Tenant B');
    const mB = await seedMasterData(orgB.admin);
    const asB = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => fx.api.call(method, path, { key: orgB.keys.admin, body, headers });
    for (const [method, path, body] of [
      ['GET', `/orders/${o.id}/production-jobs`],
      ['GET', `/orders/${o.id}/inspections`],
      ['GET', `/production-jobs/${job.id}`],
      ['GET', `/inspections/${insp.id}`],
      ['PATCH', `/production-jobs/${job.id}`, { status: 'in_progress' }],
      ['PATCH', `/inspections/${insp.id}`, { result: 'passed' }],
      ['POST', `/orders/${o.id}/production-jobs`, { orderLineId: o.lines[0].id, quantity: '1' }],
      ['POST', `/orders/${o.id}/inspections`, { kind: 'third_party' }],
    ] as const) {
      const r = await asB(method, path, body, { 'If-Match': '"1"' });
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(404);
    }
    // B's own order cannot point at A's line.
    const bOrder = (await fx.api.call('POST', '/orders', { key: orgB.keys.admin, body: orderInput(mB) })).json;
    const r = await asB('POST', `/orders/${bOrder.id}/production-jobs`, { orderLineId: o.lines[0].id, quantity: '1' });
    expect(r.status).toBe(422);
    expect(paths(r)).toEqual(['orderLineId']);
    expect((await ok('GET', `/production-jobs/${job.id}`)).json.version).toBe(1);
  });

  it('documentation, finance and viewer read production data but cannot write it; ops can', async () => {
    const o = await newOrder();
    for (const role of ['documentation', 'finance', 'viewer'] as const) {
      expect((await fx.api.call('GET', `/orders/${o.id}/production-jobs`, { key: fx.org.keys[role] })).status).toBe(200);
      const r = await fx.api.call('POST', `/orders/${o.id}/inspections`, { key: fx.org.keys[role], body: { kind: 'pre_shipment' } });
      expect(r.status, role).toBe(403);
    }
    expect((await fx.api.call('POST', `/orders/${o.id}/inspections`, { key: fx.org.keys.ops, body: { kind: 'pre_shipment' } })).status).toBe(201);
  });
});
