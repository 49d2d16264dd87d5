/**
 * Exceptions (issue 5, part 5): every rule of templates/exceptions/rules.json fires and resolves itself, the
 * open → acknowledged → resolved states (and reopening), a time-travel run through the cut-offs with an injected
 * clock, the on-change trigger over HTTP, the per-role digest, and tenant isolation. Bookings, milestones,
 * production jobs and inspections are inserted directly (their services are built elsewhere).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { PartyCreate } from '../shared/contracts/parties.js';
import { ShipmentCreate } from '../shared/contracts/shipments.js';
import { loadExceptionRules, validateExceptionRules } from '../shared/exceptions/rules.js';
import rulesFile from '../templates/exceptions/rules.json' with { type: 'json' };
import { bookingRevisions, bookings, exceptions, inspections, milestones, organisations, parties, productionJobs } from '../worker/src/db/schema/index.js';
import { seedDemo } from '../worker/src/demo/seed.js';
import { newId } from '../worker/src/lib/ids.js';
import type { ServiceContext } from '../worker/src/services/context.js';
import { generateDocuments, transitionDocument } from '../worker/src/services/documents/documents.js';
import { acknowledgeException, evaluateSubjects, exceptionDigest, listExceptions, resolveException, sweepAllOrganisations, sweepExceptions } from '../worker/src/services/exceptions/index.js';
import { startExceptionSweeps, sweepMinutes } from '../worker/src/runtime/exception-schedule.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { transitionOrder } from '../worker/src/services/orders/transitions.js';
import { createParty, verifyParty } from '../worker/src/services/parties.js';
import { createShipment } from '../worker/src/services/shipments.js';
import { apiClient, orderInput, seedMasterData, seedOrg, tempDatabase } from './support/harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-12-01T00:00:00.000Z');
let clock = T0;
const now = () => clock;
const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

let t: Awaited<ReturnType<typeof tempDatabase>>;
let org: Awaited<ReturnType<typeof seedOrg>>;
let master: Awaited<ReturnType<typeof seedMasterData>>;
let ctx: ServiceContext;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  t = await tempDatabase();
  org = await seedOrg(t.database, 'Exceptions Test Exports Pvt Ltd');
  master = await seedMasterData(org.admin);
  ctx = { ...org.admin, now };
  api = apiClient(t.database, org.keys.admin, now);
  await t.database.db.update(organisations).set({ lut: { arn: 'AD3312260001234', financialYear: '2026-27', validUntil: '2027-03-31' } }).where(eq(organisations.id, org.organisation.id));
});
afterAll(() => t?.cleanup());

const db = () => t.database.db;

/** A confirmed order with one planned shipment carrying both lines. */
async function shipmentFixture(overrides: Parameters<typeof orderInput>[1] = {}, shipment: Partial<ShipmentCreate> = {}) {
  clock = T0;
  const created = await createOrder(ctx, OrderCreate.parse(orderInput(master, { requestedShipDate: '2026-12-20', ...overrides })));
  const order = await transitionOrder(ctx, created.id, created.version, { to: 'confirmed' });
  const s = await createShipment(
    ctx,
    order.id,
    ShipmentCreate.parse({ allocations: order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })), ...shipment }),
  );
  return { order, shipment: s };
}

async function insertBooking(shipmentId: string, fields: Partial<typeof bookings.$inferInsert> = {}) {
  const id = newId('bkg');
  await db().insert(bookings).values({
    id,
    orgId: org.organisation.id,
    shipmentId,
    status: 'confirmed',
    bookingNumber: `BK${Math.floor(Math.random() * 1e6)}`,
    cutoffDocumentsAt: at(10 * DAY),
    cutoffCargoAt: at(11 * DAY),
    etd: at(13 * DAY),
    eta: at(40 * DAY),
    createdAt: at(0),
    updatedAt: at(0),
    ...fields,
  });
  return id;
}

/** The exception of a rule on a subject (any state), or undefined. */
async function exceptionOf(ruleId: string, subject: string) {
  const [row] = await db()
    .select()
    .from(exceptions)
    .where(and(eq(exceptions.orgId, org.organisation.id), eq(exceptions.ruleId, ruleId), eq(exceptions.subject, subject)));
  return row;
}
const stateOf = async (ruleId: string, subject: string) => (await exceptionOf(ruleId, subject))?.state ?? 'none';

async function draftInvoice(orderId: string, shipmentId: string) {
  const docs = await generateDocuments(ctx, orderId, { shipmentId, kinds: ['commercial_invoice'] });
  return docs.find((d) => d.format === 'docx')!;
}
async function finalise(id: string) {
  await transitionDocument(ctx, id, { to: 'approved' });
  return transitionDocument(ctx, id, { to: 'final' });
}

describe('rules as data', () => {
  it('templates/exceptions/rules.json validates, every rule has a source and rationale, ids are unique', () => {
    const rules = loadExceptionRules();
    expect(rules.map((r) => r.check.kind).sort()).toEqual(
      [
        'booking_confirmed_documents_draft',
        'documents_not_final_before_cutoff',
        'eta_slipped',
        'inspection_failed_or_missing',
        'isf_missing_before_loading',
        'lut_expired_or_expiring',
        'production_after_cargo_cutoff',
        'validation_errors',
      ].sort(),
    );
    for (const r of rules) expect(r.source.length).toBeGreaterThan(10);
  });

  it('a broken rule names its file and field', () => {
    const broken = structuredClone(rulesFile) as { rules: Record<string, unknown>[] };
    broken.rules[0]!.severity = 'urgent';
    delete broken.rules[1]!.source;
    (broken.rules[2]!.check as Record<string, unknown>).kind = 'nonsense';
    expect(() => validateExceptionRules(broken)).toThrow(/templates\/exceptions\/rules\.json: rules\.0\.severity/);
    expect(() => validateExceptionRules(broken)).toThrow(/rules\.1\.source: Required/);
    expect(() => validateExceptionRules(broken)).toThrow(/rules\.2\.check/);
    const twice = structuredClone(rulesFile) as { rules: Record<string, unknown>[] };
    twice.rules.push(twice.rules[0]!);
    expect(() => validateExceptionRules(twice)).toThrow(/is used twice/);
  });
});

describe('each rule fires and resolves itself', () => {
  it('documents not final 2 days before the documents cut-off (documentation), and booking confirmed while the invoice is draft', async () => {
    const { order, shipment } = await shipmentFixture();
    const subject = `shipment:${shipment.id}`;
    await insertBooking(shipment.id, { cutoffDocumentsAt: at(36 * HOUR) });
    const invoice = await draftInvoice(order.id, shipment.id);
    await sweepExceptions(ctx);
    const e = (await exceptionOf('docs.not-final-before-cutoff', subject))!;
    expect(e).toMatchObject({ state: 'open', ownerRole: 'documentation', severity: 'high', dueAt: at(36 * HOUR), orderId: order.id, shipmentId: shipment.id });
    expect(e.title).toBe(`${shipment.reference}: commercial invoice not final 2 days before the documents cut-off`);
    expect(e.detail).toMatch(/commercial invoice \(draft\)/);
    expect(await stateOf('docs.draft-after-booking', subject)).toBe('open');

    await transitionDocument(ctx, invoice.id, { to: 'approved' });
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('docs.draft-after-booking', subject)).toBe('resolved'); // approved is past draft
    expect(await stateOf('docs.not-final-before-cutoff', subject)).toBe('open'); // not final yet
    await transitionDocument(ctx, invoice.id, { to: 'final' });
    await evaluateSubjects(ctx, { shipmentId: shipment.id });
    const after = (await exceptionOf('docs.not-final-before-cutoff', subject))!;
    expect(after).toMatchObject({ state: 'resolved', resolution: 'auto', version: 2 });
  });

  it('production planned after the cargo cut-off (ops)', async () => {
    const { order, shipment } = await shipmentFixture();
    await insertBooking(shipment.id, { cutoffCargoAt: at(5 * DAY) });
    const job = newId('prj');
    await db().insert(productionJobs).values({ id: job, orgId: org.organisation.id, orderId: order.id, orderLineId: order.lines[0]!.id, quantity: '1000', status: 'planned', plannedCompletionAt: at(6 * DAY), createdAt: at(0), updatedAt: at(0) });
    await evaluateSubjects(ctx, { orderId: order.id });
    const e = (await exceptionOf('ops.production-after-cargo-cutoff', `shipment:${shipment.id}`))!;
    expect(e).toMatchObject({ state: 'open', ownerRole: 'ops', dueAt: at(5 * DAY) });
    expect(e.detail).toMatch(/1 production job is planned to finish after the cargo cut-off/);
    await db().update(productionJobs).set({ plannedCompletionAt: at(4 * DAY) }).where(eq(productionJobs.id, job));
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('ops.production-after-cargo-cutoff', `shipment:${shipment.id}`)).toBe('resolved');
  });

  it('inspection failed, or required and not passed a day before stuffing (ops)', async () => {
    const { order, shipment } = await shipmentFixture();
    const subject = `shipment:${shipment.id}`;
    await insertBooking(shipment.id);
    const insp = newId('ins');
    await db().insert(inspections).values({ id: insp, orgId: org.organisation.id, orderId: order.id, kind: 'pre_shipment', result: 'failed', inspectedAt: at(-DAY), createdAt: at(-DAY), updatedAt: at(-DAY) });
    await evaluateSubjects(ctx, { orderId: order.id });
    expect((await exceptionOf('ops.inspection-failed-or-missing', subject))!.detail).toMatch(/pre-shipment inspection failed/);
    // a re-inspection is booked (pending): no longer "failed", but required; stuffing is 3 days away → quiet
    await db().update(inspections).set({ result: 'pending', inspectedAt: null }).where(eq(inspections.id, insp));
    await db().insert(milestones).values({ id: newId('mst'), orgId: org.organisation.id, shipmentId: shipment.id, code: 'stuffing', name: 'Container stuffed', seq: 50, source: 'sea', plannedAt: at(3 * DAY) });
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('ops.inspection-failed-or-missing', subject)).toBe('resolved');
    // 2½ days later stuffing is 12 h away and nothing has passed
    clock = new Date(T0.getTime() + 2.5 * DAY);
    await evaluateSubjects(ctx, { orderId: order.id });
    const e = (await exceptionOf('ops.inspection-failed-or-missing', subject))!;
    expect(e).toMatchObject({ state: 'open', dueAt: at(3 * DAY), version: 3 });
    expect(e.detail).toMatch(/no inspection has passed \(one is pending\)/);
    await db().update(inspections).set({ result: 'passed', inspectedAt: clock.toISOString() }).where(eq(inspections.id, insp));
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('ops.inspection-failed-or-missing', subject)).toBe('resolved');
  });

  it('ETA slipped by more than 3 days against the first confirmed revision (ops)', async () => {
    const { shipment, order } = await shipmentFixture();
    const subject = `shipment:${shipment.id}`;
    const booking = await insertBooking(shipment.id, { eta: at(45 * DAY) });
    const rev = (version: number, status: string, eta: string) => ({ id: newId('bkr'), orgId: org.organisation.id, bookingId: booking, shipmentId: shipment.id, version, change: version === 1 ? 'created' : 'eta_changed', snapshot: { status, eta }, changedAt: at(0) });
    await db().insert(bookingRevisions).values([rev(1, 'requested', at(30 * DAY)), rev(2, 'confirmed', at(40 * DAY)), rev(3, 'confirmed', at(45 * DAY))]);
    await evaluateSubjects(ctx, { orderId: order.id });
    const e = (await exceptionOf('ops.eta-slipped', subject))!;
    expect(e.state).toBe('open');
    expect(e.facts).toMatchObject({ firstConfirmedEta: at(40 * DAY), slipDays: 5 });
    expect(e.title).toBe(`${shipment.reference}: ETA slipped by more than 3 days since the booking was confirmed`);
    await db().update(bookings).set({ eta: at(42 * DAY) }).where(eq(bookings.id, booking));
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('ops.eta-slipped', subject)).toBe('resolved');
  });

  it('US sea shipment without ISF 48 h before loading (documentation, critical)', async () => {
    const { order, shipment } = await shipmentFixture({}, { destinationCountry: 'US', portOfDischarge: 'USNYC' });
    const subject = `shipment:${shipment.id}`;
    await insertBooking(shipment.id, { etd: at(40 * HOUR) });
    await evaluateSubjects(ctx, { orderId: order.id });
    const e = (await exceptionOf('docs.us-isf-missing', subject))!;
    expect(e).toMatchObject({ state: 'open', severity: 'critical', ownerRole: 'documentation', dueAt: at(16 * HOUR) });
    await db().insert(milestones).values({ id: newId('mst'), orgId: org.organisation.id, shipmentId: shipment.id, code: 'isf_filed', name: 'ISF filed', seq: 5, source: 'us', actualAt: at(HOUR) });
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('docs.us-isf-missing', subject)).toBe('resolved');
    // a German shipment leaving as soon never raises it
    const de = await shipmentFixture();
    await insertBooking(de.shipment.id, { etd: at(40 * HOUR) });
    await evaluateSubjects(ctx, { orderId: de.order.id });
    expect(await stateOf('docs.us-isf-missing', `shipment:${de.shipment.id}`)).toBe('none');
  });

  it('GST LUT expiring before an open shipment leaves (finance, one per organisation)', async () => {
    const { shipment } = await shipmentFixture({ requestedShipDate: '2027-04-10' });
    await insertBooking(shipment.id, { etd: '2027-04-05T10:00:00.000Z', cutoffDocumentsAt: '2027-04-02T10:00:00.000Z', cutoffCargoAt: '2027-04-03T10:00:00.000Z' });
    await sweepExceptions(ctx);
    const e = (await exceptionOf('finance.lut-expiring', 'organisation'))!;
    expect(e).toMatchObject({ state: 'open', ownerRole: 'finance', orderId: null, shipmentId: null, dueAt: '2027-03-31T18:30:00.000Z' });
    expect(e.detail).toMatch(/valid until 2027-03-31, but 1 open shipment leaves after that/);
    await db().update(organisations).set({ lut: { arn: 'AD3312270009999', financialYear: '2027-28', validUntil: '2028-03-31' } }).where(eq(organisations.id, org.organisation.id));
    await evaluateSubjects(ctx, { organisation: true });
    expect(await stateOf('finance.lut-expiring', 'organisation')).toBe('resolved');
    // expired outright
    await db().update(organisations).set({ lut: { arn: 'AD3312250001111', financialYear: '2025-26', validUntil: '2026-03-31' } }).where(eq(organisations.id, org.organisation.id));
    await sweepExceptions(ctx);
    expect((await exceptionOf('finance.lut-expiring', 'organisation'))!.detail).toMatch(/expired on 2026-03-31/);
    await db().update(organisations).set({ lut: { arn: 'AD3312270009999', financialYear: '2027-28', validUntil: '2028-03-31' } }).where(eq(organisations.id, org.organisation.id));
    await sweepExceptions(ctx);
    expect(await stateOf('finance.lut-expiring', 'organisation')).toBe('resolved');
  });

  it('validation errors on a confirmed order (documentation), evaluated on change', async () => {
    const { order } = await shipmentFixture();
    const subject = `order:${order.id}`;
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('docs.validation-errors', subject)).toBe('none');
    // the buyer's EORI disappears behind the order's back (the EU rules require it)
    const [buyer] = await db().select().from(parties).where(eq(parties.id, master.buyer.id));
    await db().update(parties).set({ taxIds: [] }).where(eq(parties.id, master.buyer.id));
    await evaluateSubjects(ctx, { orderId: order.id });
    const e = (await exceptionOf('docs.validation-errors', subject))!;
    expect(e).toMatchObject({ state: 'open', ownerRole: 'documentation', orderId: order.id, shipmentId: null });
    expect(e.detail).toMatch(/EORI/);
    await db().update(parties).set({ taxIds: buyer!.taxIds }).where(eq(parties.id, master.buyer.id));
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await stateOf('docs.validation-errors', subject)).toBe('resolved');
  });
});

describe('states: open → acknowledged → resolved, and reopening', () => {
  it('acknowledged stays acknowledged while firing; auto-resolves; a manual resolve is reopened by the next sweep while the cause persists', async () => {
    const { order, shipment } = await shipmentFixture();
    const subject = `shipment:${shipment.id}`;
    const booking = await insertBooking(shipment.id, { cutoffCargoAt: at(5 * DAY) });
    const job = newId('prj');
    await db().insert(productionJobs).values({ id: job, orgId: org.organisation.id, orderId: order.id, orderLineId: order.lines[1]!.id, quantity: '500', status: 'in_progress', plannedCompletionAt: at(7 * DAY), createdAt: at(0), updatedAt: at(0) });
    await sweepExceptions(ctx);
    const raised = (await exceptionOf('ops.production-after-cargo-cutoff', subject))!;
    expect(raised).toMatchObject({ state: 'open', version: 1 });

    const ops = { ...org.contexts.ops, now };
    const acked = await acknowledgeException(ops, raised.id, { note: 'Asked the factory for overtime' });
    expect(acked).toMatchObject({ state: 'acknowledged', version: 2, acknowledgedBy: ops.actor.userId });
    clock = new Date(T0.getTime() + HOUR);
    await db().update(bookings).set({ cutoffCargoAt: at(5 * DAY + HOUR) }).where(eq(bookings.id, booking)); // still before the job
    await sweepExceptions(ctx);
    const still = (await exceptionOf('ops.production-after-cargo-cutoff', subject))!;
    expect(still).toMatchObject({ state: 'acknowledged', version: 2, lastSeenAt: at(HOUR), dueAt: at(5 * DAY + HOUR) });
    expect((still.facts as { notes: { note: string }[] }).notes[0]!.note).toBe('Asked the factory for overtime');

    const resolved = await resolveException(ops, raised.id, { note: 'Factory says it will make it' });
    expect(resolved).toMatchObject({ state: 'resolved', resolution: 'manual', version: 3 });
    await expect(resolveException(ops, raised.id, { note: 'again' })).rejects.toMatchObject({ status: 409 });
    await sweepExceptions(ctx);
    const reopened = (await exceptionOf('ops.production-after-cargo-cutoff', subject))!;
    expect(reopened).toMatchObject({ state: 'open', version: 4, resolution: null, acknowledgedAt: null });

    await db().update(productionJobs).set({ status: 'completed', actualCompletionAt: at(HOUR) }).where(eq(productionJobs.id, job));
    await sweepExceptions(ctx);
    expect(await exceptionOf('ops.production-after-cargo-cutoff', subject)).toMatchObject({ state: 'resolved', resolution: 'auto', version: 5 });
    await expect(acknowledgeException(ops, raised.id, {})).rejects.toMatchObject({ status: 409 });
    // viewers may read but not acknowledge
    await expect(acknowledgeException({ ...org.contexts.viewer, now }, raised.id, {})).rejects.toMatchObject({ status: 403 });
  });

  it('a shipment that ships or is cancelled takes its open exceptions with it', async () => {
    const { order, shipment } = await shipmentFixture();
    await insertBooking(shipment.id, { cutoffDocumentsAt: at(DAY) });
    await draftInvoice(order.id, shipment.id);
    await sweepExceptions(ctx);
    expect(await stateOf('docs.not-final-before-cutoff', `shipment:${shipment.id}`)).toBe('open');
    const res = await api.call('POST', `/shipments/${shipment.id}/transitions`, { body: { to: 'cancelled' }, headers: { 'If-Match': `"${shipment.version}"` } });
    expect(res.status, res.text).toBe(200);
    expect(await stateOf('docs.not-final-before-cutoff', `shipment:${shipment.id}`)).toBe('resolved');
  });
});

describe('time travel: moving the clock through the cut-offs', () => {
  it('exceptions appear as each cut-off comes near, and resolve as the work is done', async () => {
    const created = await createParty(
      ctx,
      PartyCreate.parse({
        name: 'Hudson & Pine Home Goods Inc.',
        roles: ['buyer', 'consignee'],
        address: { lines: ['350 Fifth Avenue'], city: 'New York', postcode: '10118', region: 'NY', country: 'US' },
        taxIds: [{ type: 'EIN', value: '13-4567890' }, { type: 'IOR', value: '13-456789000' }],
        contacts: [{ name: 'Dana Whitfield', email: 'dana@hudsonpine.example' }],
      }),
    );
    const usBuyer = await verifyParty(ctx, created.id, created.version);
    const { order, shipment } = await shipmentFixture({ buyerId: usBuyer.id, destinationCountry: 'US', portOfDischarge: 'USNYC', currency: 'USD' });
    const subject = `shipment:${shipment.id}`;
    await insertBooking(shipment.id, { cutoffDocumentsAt: at(5 * DAY), cutoffCargoAt: at(6 * DAY), etd: at(8 * DAY) });
    const invoice = await draftInvoice(order.id, shipment.id);
    const watched = ['docs.not-final-before-cutoff', 'docs.us-isf-missing'] as const;
    const states = async () => Object.fromEntries(await Promise.all(watched.map(async (r) => [r, await stateOf(r, subject)])));
    const travel = async (ms: number) => {
      clock = new Date(T0.getTime() + ms);
      await sweepExceptions(ctx);
      return states();
    };
    expect(await travel(0)).toEqual({ 'docs.not-final-before-cutoff': 'none', 'docs.us-isf-missing': 'none' });
    expect(await travel(2 * DAY + 23 * HOUR)).toEqual({ 'docs.not-final-before-cutoff': 'none', 'docs.us-isf-missing': 'none' });
    expect(await travel(3 * DAY + HOUR)).toEqual({ 'docs.not-final-before-cutoff': 'open', 'docs.us-isf-missing': 'none' });
    expect(await travel(5 * DAY + HOUR)).toEqual({ 'docs.not-final-before-cutoff': 'open', 'docs.us-isf-missing': 'none' }); // cut-off passed, still open
    expect((await exceptionOf('docs.not-final-before-cutoff', subject))!.detail).toMatch(/passed/);
    expect(await travel(6 * DAY + HOUR)).toEqual({ 'docs.not-final-before-cutoff': 'open', 'docs.us-isf-missing': 'open' });

    // the digest orders documentation's work by due time: the documents cut-off (passed) before the ISF deadline
    const digest = await exceptionDigest(ctx, { role: 'documentation', limit: 50 });
    const mine = digest.roles[0]!.top.filter((e) => e.shipmentId === shipment.id).map((e) => e.ruleId);
    expect(mine.indexOf('docs.not-final-before-cutoff')).toBeLessThan(mine.indexOf('docs.us-isf-missing'));
    expect(digest.roles[0]!.overdue).toBeGreaterThanOrEqual(1);

    clock = new Date(T0.getTime() + 6 * DAY + 2 * HOUR);
    await finalise(invoice.id);
    await evaluateSubjects(ctx, { orderId: order.id });
    expect(await states()).toEqual({ 'docs.not-final-before-cutoff': 'resolved', 'docs.us-isf-missing': 'open' });
    await db().insert(milestones).values({ id: newId('mst'), orgId: org.organisation.id, shipmentId: shipment.id, code: 'isf_filed', name: 'ISF filed', seq: 5, source: 'us', actualAt: clock.toISOString() });
    expect(await travel(6 * DAY + 3 * HOUR)).toEqual({ 'docs.not-final-before-cutoff': 'resolved', 'docs.us-isf-missing': 'resolved' });
  });
});

describe('on change, over HTTP', () => {
  it('approving and finalising the invoice through the documents API resolves the exception without a sweep', async () => {
    const { order, shipment } = await shipmentFixture();
    await insertBooking(shipment.id, { cutoffDocumentsAt: at(DAY) });
    const invoice = await draftInvoice(order.id, shipment.id);
    await sweepExceptions(ctx);
    const list = await api.call('GET', `/exceptions?shipmentId=${shipment.id}&state=open&role=documentation`, { key: org.keys.documentation });
    expect(list.status, list.text).toBe(200);
    expect(list.json.items.map((e: { ruleId: string }) => e.ruleId).sort()).toEqual(['docs.draft-after-booking', 'docs.not-final-before-cutoff']);

    for (const to of ['approved', 'final']) {
      const r = await api.call('POST', `/documents/${invoice.id}/transitions`, { key: org.keys.documentation, body: { to } });
      expect(r.status, r.text).toBe(200);
    }
    const after = await api.call('GET', `/exceptions?shipmentId=${shipment.id}`, { key: org.keys.documentation });
    expect(after.json.items.map((e: { ruleId: string; state: string; resolution: string }) => [e.ruleId, e.state, e.resolution]).sort()).toEqual([
      ['docs.draft-after-booking', 'resolved', 'auto'],
      ['docs.not-final-before-cutoff', 'resolved', 'auto'],
    ]);
  });

  it('acknowledge, resolve, digest and sweep over HTTP, with the permission matrix', async () => {
    const { shipment } = await shipmentFixture();
    await insertBooking(shipment.id, { cutoffDocumentsAt: at(DAY) });
    const sweep = await api.call('POST', '/exceptions/sweep', { key: org.keys.ops });
    expect(sweep.status, sweep.text).toBe(200);
    expect(sweep.json.evaluated.shipments).toBeGreaterThan(0);
    expect((await api.call('POST', '/exceptions/sweep', { key: org.keys.documentation })).status).toBe(403);

    const [e] = (await api.call('GET', `/exceptions?shipmentId=${shipment.id}&state=open`)).json.items;
    expect(e.ruleId).toBe('docs.not-final-before-cutoff');
    expect((await api.call('POST', `/exceptions/${e.id}/acknowledge`, { key: org.keys.viewer, body: {} })).status).toBe(403);
    const ack = await api.call('POST', `/exceptions/${e.id}/acknowledge`, { key: org.keys.documentation, body: { note: 'On it' } });
    expect(ack.status, ack.text).toBe(200);
    expect(ack.json.state).toBe('acknowledged');
    expect(ack.headers.get('etag')).toBe('"2"');
    expect((await api.call('POST', `/exceptions/${e.id}/resolve`, { key: org.keys.finance, body: {} })).status).toBe(400); // a note is required

    const digest = await api.call('GET', '/exceptions/digest', { key: org.keys.viewer });
    expect(digest.status, digest.text).toBe(200);
    expect(digest.json.roles.map((r: { role: string }) => r.role)).toEqual(['ops', 'documentation', 'finance', 'admin']);
    const docs = digest.json.roles.find((r: { role: string }) => r.role === 'documentation');
    expect(docs.acknowledged).toBeGreaterThanOrEqual(1);
    expect(docs.total).toBe(docs.open + docs.acknowledged);
    expect(docs.total).toBe(Object.values(docs.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0));
    const dues = docs.top.map((x: { dueAt: string | null }) => x.dueAt ?? '9999');
    expect(dues).toEqual([...dues].sort());
    const one = await api.call('GET', '/exceptions/digest?role=finance&limit=1');
    expect(one.json.roles.map((r: { role: string }) => r.role)).toEqual(['finance']);

    const res = await api.call('POST', `/exceptions/${e.id}/resolve`, { key: org.keys.documentation, body: { note: 'Forwarder extended the cut-off by mail' } });
    expect(res.json).toMatchObject({ state: 'resolved', resolution: 'manual' });
    const list = await listExceptions(ctx, { limit: 200, state: ['resolved'], severity: ['high'] });
    expect(list.items.some((x) => x.id === e.id)).toBe(true);
  });
});

describe('tenant isolation', () => {
  it("another organisation neither sees nor touches these exceptions, and its sweep leaves them alone", async () => {
    const other = await seedOrg(t.database, 'Other Exceptions Org Pvt Ltd');
    const otherApi = apiClient(t.database, other.keys.admin, now);
    const mine = await listExceptions(ctx, { limit: 200 });
    expect(mine.items.length).toBeGreaterThan(0);
    const target = mine.items.find((e) => e.state !== 'resolved') ?? mine.items[0]!;
    const list = await otherApi.call('GET', '/exceptions?limit=200');
    expect(list.json.items).toEqual([]);
    expect((await otherApi.call('GET', `/exceptions?orderId=${target.orderId}`)).json.items).toEqual([]);
    expect((await otherApi.call('GET', `/exceptions/${target.id}`)).status).toBe(404);
    expect((await otherApi.call('POST', `/exceptions/${target.id}/acknowledge`, { body: {} })).status).toBe(404);
    expect((await otherApi.call('POST', `/exceptions/${target.id}/resolve`, { body: { note: 'x' } })).status).toBe(404);
    const digest = await otherApi.call('GET', '/exceptions/digest');
    expect(digest.json.roles.every((r: { total: number }) => r.total === 0)).toBe(true);
    const before = await db().select().from(exceptions).where(eq(exceptions.orgId, org.organisation.id));
    const sweep = await otherApi.call('POST', '/exceptions/sweep');
    expect(sweep.json).toMatchObject({ evaluated: { shipments: 0 }, raised: 0, resolved: 0 });
    expect(await db().select().from(exceptions).where(eq(exceptions.orgId, org.organisation.id))).toEqual(before);
  });
});

describe('on a schedule', () => {
  it('sweepAllOrganisations sweeps every organisation; the Node timer runs it and can be stopped', async () => {
    const r = await sweepAllOrganisations(t.database, { now });
    expect(r.organisations).toBeGreaterThanOrEqual(2);
    expect(r.failed).toBe(0);
    const lines: string[] = [];
    const stop = startExceptionSweeps(t.database, { minutes: 15, firstAfterMs: 1, log: (l) => lines.push(l) });
    for (let i = 0; i < 100 && !lines.length; i++) await new Promise((ok) => setTimeout(ok, 50));
    stop();
    expect(lines[0]).toMatch(/^Exception sweep: \d+ organisation\(s\), \d+ raised, \d+ resolved, \d+ active, \d+ ms$/);
    expect(sweepMinutes({})).toBe(15);
    expect(sweepMinutes({ EXCEPTIONS_SWEEP_MINUTES: '0' })).toBe(0);
    expect(() => sweepMinutes({ EXCEPTIONS_SWEEP_MINUTES: 'soon' })).toThrow(/EXCEPTIONS_SWEEP_MINUTES/);
  });
});

describe('the demo (Done when)', () => {
  it('shows the booked UAE shipment with a draft invoice as an exception for documentation, which resolves itself when the invoice becomes final', async () => {
    const demoDb = await tempDatabase();
    try {
      const demo = await seedDemo(demoDb.database);
      expect(demo.exceptions.raised).toBeGreaterThan(0);
      const demoApi = apiClient(demoDb.database, demo.apiKey);
      const digest = await demoApi.call('GET', '/exceptions/digest?role=documentation');
      expect(digest.status, digest.text).toBe(200);
      const item = digest.json.roles[0].top.find((e: { ruleId: string; shipmentId: string }) => e.ruleId === 'docs.not-final-before-cutoff' && e.shipmentId === demo.demoShipmentId);
      expect(item, JSON.stringify(digest.json)).toBeTruthy();
      expect(item).toMatchObject({ state: 'open', ownerRole: 'documentation' });
      expect(item.title).toMatch(/^KK-2026-0133-S1: commercial invoice not final 2 days before the documents cut-off$/);

      const docs = await demoApi.call('GET', `/orders/${item.orderId}/documents`);
      const invoice = docs.json.items.find((d: { kind: string; format: string; shipmentId: string }) => d.kind === 'commercial_invoice' && d.format === 'docx' && d.shipmentId === demo.demoShipmentId);
      for (const to of ['approved', 'final']) {
        const r = await demoApi.call('POST', `/documents/${invoice.id}/transitions`, { body: { to } });
        expect(r.status, r.text).toBe(200);
      }
      const after = await demoApi.call('GET', `/exceptions/${item.id}`);
      expect(after.json).toMatchObject({ state: 'resolved', resolution: 'auto' });
    } finally {
      demoDb.cleanup();
    }
  });
});
