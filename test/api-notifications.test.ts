/**
 * Buyer e-mails end to end: the real Hono app over a real libSQL file, the outbox written in the same transaction as
 * the milestone or document change, and delivery through smtpTransport to a real SMTP server started here. What the
 * server receives is parsed (mailparser) and its .docx attachment opened (mammoth).
 */
import { eq } from 'drizzle-orm';
import mammoth from 'mammoth';
import type { AddressObject, ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { PartyCreate } from '../shared/contracts/parties.js';
import { createApp } from '../worker/src/app.js';
import type { Database } from '../worker/src/db/client.js';
import { outboxMessages } from '../worker/src/db/schema/index.js';
import { smtpTransport, type SmtpTransport } from '../worker/src/email/smtp.js';
import { emailDeliveryFromNodeEnv, startEmailDelivery } from '../worker/src/runtime/email-schedule.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { createParty, verifyParty } from '../worker/src/services/parties.js';
import { createShipment } from '../worker/src/services/shipments.js';
import { deliverDue, type DeliverOptions, type EmailDelivery } from '../worker/src/services/notifications/index.js';
import { apiClient, bookingInput, orderInput, readResponse, requestInit, seedMasterData, seedOrg, seedScopedUsers, tempDatabase, type CallOptions } from './support/harness.js';
import { startSmtpServer, type TestSmtpServer } from './support/smtp-server.js';

const ORG_NAME = 'Tiruppur Test Knits Pvt Ltd';
const SENDER = 'orders@tiruppur-test-knits.example';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let t: Awaited<ReturnType<typeof tempDatabase>>;
let database: Database;
let org: Awaited<ReturnType<typeof seedOrg>>;
let master: Awaited<ReturnType<typeof seedMasterData>>;
let server: TestSmtpServer;
let transport: SmtpTransport;
let delivery: EmailDelivery;
let app: ReturnType<typeof createApp>;

/** The clock of the app and of every delivery run; tests move it forward. */
let clock = new Date('2026-12-15T06:00:00.000Z');
const now = () => clock;
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

beforeAll(async () => {
  t = await tempDatabase();
  database = t.database;
  org = await seedOrg(database, ORG_NAME);
  master = await seedMasterData(org.admin);
  await seedScopedUsers(org, 'Notify');
  server = await startSmtpServer();
  transport = smtpTransport({ host: server.host, port: server.port, connectionTimeoutMs: 2_000, greetingTimeoutMs: 2_000, socketTimeoutMs: 5_000 });
  delivery = { transport, sender: { address: SENDER } };
  app = createApp({ database: () => database, now, email: () => delivery, logError: () => undefined });
});
afterAll(async () => {
  transport?.close();
  await server?.stop();
  t?.cleanup();
});
afterEach(async () => {
  if (!server.running) await server.restart();
  // Each test drives its messages to an end state; none may be left for the next test's delivery runs.
  const open = await database.db.select().from(outboxMessages);
  const left = open.filter((r) => r.status === 'pending' || r.status === 'sending');
  await database.client.execute(`UPDATE outbox_messages SET status = 'cancelled' WHERE status IN ('pending', 'sending')`);
  expect(left.map((r) => `${r.event} ${r.status}`)).toEqual([]);
});

async function call(method: string, path: string, opts: CallOptions & { as?: keyof typeof org.keys } = {}) {
  return readResponse(await app.request(path, requestInit(method, opts, org.keys[opts.as ?? 'admin'])));
}
const deliver = (extra: Partial<DeliverOptions> = {}) => deliverDue({ ...delivery, database, now, ...extra });
const rowsOf = (orderId: string) => database.db.select().from(outboxMessages).where(eq(outboxMessages.orderId, orderId));
const byMessageId = (messageId: string) => server.messages.filter((m) => m.messageId === `<${messageId}>`);
const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value);

let buyers = 0;
/** A verified German buyer (EORI, so its documents can become final) with two contacts with e-mail and one without. */
async function newBuyer() {
  const n = ++buyers;
  const p = await createParty(
    org.admin,
    PartyCreate.parse({
      name: `Elbtextil ${n} GmbH`,
      roles: ['buyer', 'consignee'],
      address: { lines: ['Große Elbstraße 145'], city: 'Hamburg', postcode: '22767', country: 'DE' },
      taxIds: [{ type: 'EORI', value: 'DE1234567890123' }],
      contacts: [
        { name: 'Katrin Vogel', email: `k.vogel@elbtextil${n}.example` },
        { name: 'Lager Hamburg', email: `lager@elbtextil${n}.example` },
        { name: 'Telefon only', phone: '+49 40 1234567' },
      ],
    }),
  );
  return verifyParty(org.admin, p.id, p.version);
}

/** An order of `buyerId` with one shipment carrying all of it, booked on MAERSK KENSINGTON 612W (confirmed). */
async function bookedShipment(buyerId: string) {
  const order = await createOrder(org.admin, OrderCreate.parse(orderInput(master, { buyerId })));
  const shipment = await createShipment(org.admin, order.id, { allocations: order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })) });
  const booked = await call('PUT', `/shipments/${shipment.id}/booking`, { body: bookingInput({ status: 'confirmed' }) });
  expect(booked.status, booked.text).toBe(201);
  return { order, shipment };
}

async function milestone(shipmentId: string, code: string) {
  const list = await call('GET', `/shipments/${shipmentId}/milestones`);
  return list.json.items.find((m: { code: string }) => m.code === code) as { version: number; actualAt: string | null };
}

/** PATCH a milestone's actual time with its current version (or `ifMatch`). */
async function record(shipmentId: string, code: string, body: Record<string, unknown>, ifMatch?: string) {
  const m = await milestone(shipmentId, code);
  return call('PATCH', `/shipments/${shipmentId}/milestones/${code}`, { body: { timeZone: 'Asia/Kolkata', ...body }, headers: { 'If-Match': ifMatch ?? `"${m.version}"` } });
}

/** Generate the shipment's documents of `kinds`; returns them (docx and xlsx). */
async function generate(orderId: string, shipmentId: string, kinds: string[]) {
  const res = await call('POST', `/orders/${orderId}/documents`, { body: { shipmentId, kinds } });
  expect(res.status, res.text).toBe(201);
  return res.json.items as { id: string; kind: string; format: string; number: string }[];
}

async function finalise(documentId: string) {
  expect((await call('POST', `/documents/${documentId}/transitions`, { body: { to: 'approved' } })).status).toBe(200);
  const res = await call('POST', `/documents/${documentId}/transitions`, { body: { to: 'final' } });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function setPrefs(buyerId: string, body: Record<string, unknown>) {
  const current = await call('GET', `/parties/${buyerId}/notification-preferences`);
  const res = await call('PUT', `/parties/${buyerId}/notification-preferences`, { body, headers: current.json.version ? { 'If-Match': `"${current.json.version}"` } : {} });
  expect([200, 201], res.text).toContain(res.status);
  return res;
}

describe('preferences: GET/PUT /parties/{id}/notification-preferences', () => {
  it('validates by field: events known, no duplicates, recipients e-mails of the buyer\'s contacts, buyers only', async () => {
    const buyer = await newBuyer();
    const path = `/parties/${buyer.id}/notification-preferences`;
    const fresh = await call('GET', path);
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.json).toMatchObject({ buyerId: buyer.id, enabled: false, events: [], recipients: [], sendsTo: [], version: 0 });
    expect(fresh.headers.get('etag')).toBeNull();

    const bad = async (body: unknown, status: number, paths: string[]) => {
      const res = await call('PUT', path, { body });
      expect(res.status, res.text).toBe(status);
      expect(res.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(paths.sort());
      return res;
    };
    await bad({ events: ['departed', 'teleported'] }, 400, ['events.1']);
    await bad({ events: ['departed', 'departed'] }, 400, ['events']);
    await bad({ events: ['arrived'], recipients: ['not an address'] }, 400, ['recipients.0']);
    await bad({ events: ['arrived'], recipients: [buyer.contacts[0]!.email, buyer.contacts[0]!.email!.toUpperCase()] }, 400, ['recipients']);
    await bad({ events: ['arrived'], cc: ['x@y.example'] }, 400, ['cc']);
    await bad({ enabled: 'yes', events: ['arrived'] }, 400, ['enabled']);
    const stranger = await bad({ events: ['arrived'], recipients: [buyer.contacts[1]!.email, 'stranger@elsewhere.example'] }, 422, ['recipients.1']);
    expect(stranger.json.error.code).toBe('INVALID_RECIPIENTS');
    const consignee = await call('PUT', `/parties/${master.consignee2.id}/notification-preferences`, { body: { events: ['arrived'] } });
    expect(consignee.status).toBe(422);
    expect(consignee.json.error.code).toBe('NOT_A_BUYER');
    expect((await call('GET', `/parties/${master.consignee2.id}/notification-preferences`)).status).toBe(422);

    // create: 201 without If-Match; recipients match contacts regardless of case
    const created = await call('PUT', path, { body: { events: ['departed', 'documents_final'], recipients: [buyer.contacts[0]!.email!.toUpperCase()] } });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.json).toMatchObject({ enabled: true, events: ['departed', 'documents_final'], version: 1, sendsTo: [{ name: 'Katrin Vogel', address: buyer.contacts[0]!.email }] });
    // replace: If-Match required and checked
    expect((await call('PUT', path, { body: { events: ['arrived'] } })).status).toBe(428);
    const stale = await call('PUT', path, { body: { events: ['arrived'] }, headers: { 'If-Match': '"7"' } });
    expect(stale.status).toBe(412);
    expect(stale.json.error.current.version).toBe(1);
    const replaced = await call('PUT', path, { body: { events: ['arrived'], recipients: [] }, headers: { 'If-Match': '"1"' } });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json.sendsTo.map((m: { address: string }) => m.address)).toEqual([buyer.contacts[0]!.email, buyer.contacts[1]!.email]); // every contact with an e-mail
    expect((await call('GET', path)).headers.get('etag')).toBe('"2"');
  });

  it('permissions: finance may set them, viewer and documentation may not (403); a forwarder cannot read them or an order\'s e-mails', async () => {
    const buyer = await newBuyer();
    const path = `/parties/${buyer.id}/notification-preferences`;
    for (const as of ['viewer', 'documentation'] as const) {
      const res = await call('PUT', path, { as, body: { events: ['arrived'] } });
      expect(res.status, `${as}: ${res.text}`).toBe(403);
    }
    expect((await call('GET', path, { as: 'viewer' })).status).toBe(200);
    expect((await call('PUT', path, { as: 'finance', body: { events: ['arrived'] } })).status).toBe(201);
    const { order } = await bookedShipment(buyer.id);
    expect((await call('GET', `/orders/${order.id}/notifications`, { as: 'viewer' })).status).toBe(200);
    for (const as of ['forwarder', 'customs_agent'] as const) {
      expect((await call('GET', `/orders/${order.id}/notifications`, { as })).status, as).toBe(403);
      expect((await call('GET', path, { as })).status, as).toBe(403);
    }
    expect((await call('POST', '/outbox/deliver', { as: 'viewer' })).status).toBe(403);
  });
});

describe('the departure e-mail with the final invoice attached, through a real SMTP server', () => {
  it('departed recorded once → one outbox row in the same change → delivered: To, subject, Message-ID and the invoice .docx with its number', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['departed'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    const docs = await generate(order.id, shipment.id, ['commercial_invoice', 'packing_list']);
    const invoice = docs.find((d) => d.kind === 'commercial_invoice' && d.format === 'docx')!;
    await finalise(invoice.id);
    expect(await rowsOf(order.id)).toEqual([]); // documents_final is not wanted: nothing yet

    const res = await record(shipment.id, 'departed', { actualAt: '2026-12-14T18:40:00+05:30', notes: 'INTERNAL: agent commission 450 USD' });
    expect(res.status, res.text).toBe(200);
    const rows = await rowsOf(order.id);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ event: 'milestone.departed', dedupeKey: `milestone:departed:${shipment.id}`, status: 'pending', attempts: 0, shipmentId: shipment.id, buyerId: buyer.id, attachments: [invoice.id] });
    expect(row.to).toEqual([{ name: 'Katrin Vogel', address: buyer.contacts[0]!.email }]);
    expect(row.nextAttemptAt).toBe(clock.toISOString());

    const before = server.messages.length;
    const run = await deliver();
    expect(run).toMatchObject({ transport: 'smtp', claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const mails = await server.waitFor(before + 1);
    const mail = mails.at(-1)!;
    expect(mail.messageId).toBe(`<${row.messageId}>`);
    expect(addresses(mail.to)).toEqual([{ name: 'Katrin Vogel', address: buyer.contacts[0]!.email }]);
    expect(addresses(mail.from)).toEqual([{ name: ORG_NAME, address: SENDER }]);
    expect(server.envelopes.at(-1)).toEqual({ mailFrom: SENDER, rcptTo: [buyer.contacts[0]!.email] });
    expect(mail.subject).toBe(`${shipment.reference} departed Jawaharlal Nehru (Nhava Sheva) on MAERSK KENSINGTON 612W — ETA Hamburg 8 Jan`);
    expect(mail.text).toContain(`Shipment ${shipment.reference} departed`);
    expect(mail.text).toContain('ETD: 14 Dec 2026, 18:00 IST');
    expect(mail.html).toContain('MAERSK KENSINGTON 612W');
    // nothing internal: no notes, no prices
    for (const body of [mail.text ?? '', String(mail.html)]) {
      expect(body).not.toContain('INTERNAL');
      expect(body).not.toContain('2.85');
      expect(body).not.toContain('commission');
    }

    expect(mail.attachments).toHaveLength(1);
    const [att] = mail.attachments;
    expect(att!.contentType).toBe(DOCX);
    expect(att!.filename).toBe(`${invoice.number.replace(/\//g, '-')}_commercial-invoice_v1.docx`);
    const { value: docText } = await mammoth.extractRawText({ buffer: att!.content });
    expect(docText).toContain(invoice.number);
    expect(docText).toContain('COMMERCIAL INVOICE');

    const [sent] = await rowsOf(order.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, sentAt: clock.toISOString(), providerMessageId: server.queueIds.at(-1), lockedUntil: null, lastError: null });

    // visible per order, and in the order's history (→ timeline)
    const list = await call('GET', `/orders/${order.id}/notifications`, { as: 'viewer' });
    expect(list.status, list.text).toBe(200);
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({
      id: row.id,
      event: 'milestone.departed',
      to: [{ name: 'Katrin Vogel', address: buyer.contacts[0]!.email }],
      subject: mail.subject,
      status: 'sent',
      attempts: 1,
      nextAttemptAt: null,
      lastError: null,
      sentAt: clock.toISOString(),
      messageId: row.messageId,
      attachments: [{ documentId: invoice.id, kind: 'commercial_invoice', number: invoice.number, filename: att!.filename }],
    });
    const history = await call('GET', `/orders/${order.id}/history`);
    expect(history.json.items.map((e: { action: string }) => e.action)).toContain('shipment.buyer_email_sent');
    const timeline = await call('GET', `/orders/${order.id}/timeline`);
    expect(timeline.json.items.map((e: { title: string }) => e.title)).toContain(`Shipment ${shipment.reference} buyer email sent`);

    // a second delivery run sends nothing
    expect((await deliver()).claimed).toBe(0);
    expect(byMessageId(row.messageId)).toHaveLength(1);
  });

  it('never a second message: the same PATCH again, an edit, clearing and re-recording; a failed PATCH writes none', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['departed', 'arrived'] });
    const { order, shipment } = await bookedShipment(buyer.id);
    const m = await milestone(shipment.id, 'departed');
    const body = { actualAt: '2026-12-14T18:40:00+05:30', timeZone: 'Asia/Kolkata' };
    const first = await call('PATCH', `/shipments/${shipment.id}/milestones/departed`, { body, headers: { 'If-Match': `"${m.version}"` } });
    expect(first.status, first.text).toBe(200);
    // the client retries the very same request: its If-Match is now stale → 412, no change, no message
    expect((await call('PATCH', `/shipments/${shipment.id}/milestones/departed`, { body, headers: { 'If-Match': `"${m.version}"` } })).status).toBe(412);
    // the same value again with the right version: nothing changes
    expect((await record(shipment.id, 'departed', body)).status).toBe(200);
    // corrected, cleared and recorded again: still the one message
    expect((await record(shipment.id, 'departed', { actualAt: '2026-12-14T19:05:00+05:30' })).status).toBe(200);
    expect((await record(shipment.id, 'departed', { actualAt: null })).status).toBe(200);
    expect((await record(shipment.id, 'departed', { actualAt: '2026-12-14T19:10:00+05:30' })).status).toBe(200);
    expect((await rowsOf(order.id)).map((r) => r.dedupeKey)).toEqual([`milestone:departed:${shipment.id}`]);

    // failed changes write no message: a stale If-Match (412), an actual time in the future (422)
    expect((await record(shipment.id, 'arrived', { actualAt: '2026-12-15T10:00:00+05:30' }, '"999"')).status).toBe(412);
    expect((await record(shipment.id, 'arrived', { actualAt: '2026-12-16T10:00:00+05:30' })).status).toBe(422);
    expect((await rowsOf(order.id)).map((r) => r.event)).toEqual(['milestone.departed']);

    // a buyer who does not want the event gets nothing for it
    expect((await record(shipment.id, 'gate_in', { actualAt: '2026-12-13T10:00:00+05:30' })).status).toBe(200);
    expect(await rowsOf(order.id)).toHaveLength(1);

    const [row] = await rowsOf(order.id);
    await deliver();
    expect(byMessageId(row!.messageId)).toHaveLength(1);
  });

  it('booking confirmed by the forwarder\'s PUT (recordMilestoneActual) queues the buyer\'s e-mail too', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['booking_confirmed'] });
    const { order, shipment } = await bookedShipment(buyer.id);
    const rows = await rowsOf(order.id);
    expect(rows.map((r) => [r.event, r.dedupeKey])).toEqual([['milestone.booking_confirmed', `milestone:booking_confirmed:${shipment.id}`]]);
    expect(rows[0]!.subject).toBe(`${shipment.reference}: booking confirmed on MAERSK KENSINGTON 612W — ETD Jawaharlal Nehru (Nhava Sheva) 14 Dec`);
    await deliver();
    expect(byMessageId(rows[0]!.messageId)).toHaveLength(1);
  });
});

describe('SMTP outage: messages wait and are delivered exactly once when the server is back', () => {
  it('server stopped → pending with attempts 1 and a later next attempt; not tried early; back → one message even with two deliverers at once', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['arrived'], recipients: [buyer.contacts[1]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    await server.stop();
    expect((await record(shipment.id, 'arrived', { actualAt: '2026-12-15T10:00:00+05:30' })).status).toBe(200);
    const [queued] = await rowsOf(order.id);

    const failedAt = clock.toISOString();
    const first = await deliver();
    expect(first).toMatchObject({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
    let [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null });
    expect(row!.nextAttemptAt).toBe(new Date(new Date(failedAt).getTime() + 60_000).toISOString()); // first backoff: 1 minute
    expect(row!.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    const seen = await call('GET', `/orders/${order.id}/notifications`);
    expect(seen.json.items[0]).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: row!.nextAttemptAt, sentAt: null });
    expect(seen.json.items[0].lastError).toMatch(/ECONNECTION|ECONNREFUSED/);

    // before its time nothing is attempted, server down or up
    advance(30);
    expect((await deliver()).claimed).toBe(0);
    await server.restart();
    expect((await deliver()).claimed).toBe(0);
    [row] = await rowsOf(order.id);
    expect(row!.attempts).toBe(1);
    expect(byMessageId(queued!.messageId)).toHaveLength(0);

    // due now: two deliverers race for it
    advance(31);
    const runs = await Promise.all([deliver(), deliver()]);
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 1]);
    await server.waitFor(1);
    expect(byMessageId(queued!.messageId)).toHaveLength(1);
    [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, sentAt: clock.toISOString(), lastError: null });
    advance(3_600);
    await deliver();
    expect(byMessageId(queued!.messageId)).toHaveLength(1);
  });

  it('a deliverer that dies after the server accepted: the lock expires and the message is sent again with the SAME Message-ID (at-least-once)', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['delivered'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    expect((await record(shipment.id, 'delivered', { actualAt: '2026-12-15T10:00:00+05:30' })).status).toBe(200);
    const [queued] = await rowsOf(order.id);

    // the process "dies" when it writes the outcome: the claim (1st write) commits, the result (2nd) never does
    let writes = 0;
    const dying: Database = { db: database.db, client: database.client, write: (fn) => (++writes === 2 ? Promise.reject(new Error('process died')) : database.write(fn)) };
    await expect(deliver({ database: dying, lockSeconds: 120 })).rejects.toThrow('process died');
    expect(byMessageId(queued!.messageId)).toHaveLength(1);
    let [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'sending', attempts: 1, lockedUntil: new Date(clock.getTime() + 120_000).toISOString() });

    advance(60);
    expect((await deliver()).claimed).toBe(0); // still held
    advance(61);
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 1 });
    const copies = byMessageId(queued!.messageId);
    expect(copies).toHaveLength(2);
    expect(copies.map((m) => m.messageId)).toEqual([`<${queued!.messageId}>`, `<${queued!.messageId}>`]);
    [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, messageId: queued!.messageId });
  });
});

describe('refusals', () => {
  it('550 → failed with the reply, not retried; POST /outbox/{id}/retry sends it once more', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['cleared_destination'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    expect((await record(shipment.id, 'cleared_destination', { actualAt: '2026-12-15T10:00:00+05:30' })).status).toBe(200);
    const [queued] = await rowsOf(order.id);
    server.rejectNext(550, 'No such user here');
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 0, retrying: 0, failed: 1 });
    let [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.lastError).toContain('550');
    expect(row!.lastError).toContain('No such user here');
    advance(24 * 3_600);
    expect((await deliver()).claimed).toBe(0);
    expect(byMessageId(queued!.messageId)).toHaveLength(0);
    const history = await call('GET', `/orders/${order.id}/history`);
    expect(history.json.items.map((e: { action: string }) => e.action)).toContain('shipment.buyer_email_failed');

    // sent messages cannot be retried; failed ones can (viewer may not)
    expect((await call('POST', `/outbox/${row!.id}/retry`, { as: 'viewer' })).status).toBe(403);
    const retried = await call('POST', `/outbox/${row!.id}/retry`, { as: 'ops' });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.json).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: clock.toISOString() });
    const run = await call('POST', '/outbox/deliver', { as: 'finance' });
    expect(run.status, run.text).toBe(200);
    expect(run.json).toMatchObject({ transport: 'smtp', claimed: 1, sent: 1 });
    expect(byMessageId(queued!.messageId)).toHaveLength(1);
    const again = await call('POST', `/outbox/${row!.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('ALREADY_SENT');
    [row] = await rowsOf(order.id);
    expect(row!.status).toBe('sent');
  });

  it('450 → retried after the backoff and then sent', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['arrived'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    expect((await record(shipment.id, 'arrived', { actualAt: '2026-12-15T10:00:00+05:30' })).status).toBe(200);
    const [queued] = await rowsOf(order.id);
    server.rejectNext(450, 'Mailbox busy, try again later');
    expect(await deliver()).toMatchObject({ claimed: 1, retrying: 1 });
    let [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('450');
    advance(60);
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 1 });
    [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(byMessageId(queued!.messageId)).toHaveLength(1);
  });

  it('a message out of attempts fails: backoff 1 min, 5 min, 15 min …', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['arrived'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    expect((await record(shipment.id, 'arrived', { actualAt: '2026-12-15T10:00:00+05:30' })).status).toBe(200);
    await server.stop();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const at = clock.getTime();
      const run = await deliver({ maxAttempts: 3 });
      const [row] = await rowsOf(order.id);
      if (i < 2) {
        expect(run.retrying).toBe(1);
        waits.push((new Date(row!.nextAttemptAt).getTime() - at) / 1000);
        clock = new Date(row!.nextAttemptAt);
      } else {
        expect(run.failed).toBe(1);
        expect(row).toMatchObject({ status: 'failed', attempts: 3 });
        expect(row!.lastError).toMatch(/^Gave up after 3 attempts; last: /);
      }
    }
    expect(waits).toEqual([60, 300]);
  });
});

describe('documents_final: one e-mail per shipment for documents made final within the window', () => {
  it('invoice and packing list made final a minute apart → one message with both; a later one → a second message', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['documents_final'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    const docs = await generate(order.id, shipment.id, ['commercial_invoice', 'packing_list', 'shipping_instructions']);
    const pick = (kind: string, format: string) => docs.find((d) => d.kind === kind && d.format === format)!;
    const start = clock.getTime();
    await finalise(pick('commercial_invoice', 'docx').id);
    advance(60);
    await finalise(pick('packing_list', 'docx').id);
    await finalise(pick('shipping_instructions', 'docx').id); // for the forwarder, not the buyer: not attached
    let rows = await rowsOf(order.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 'documents.final', dedupeKey: `documents_final:${shipment.id}:1`, status: 'pending', nextAttemptAt: new Date(start + 300_000).toISOString() });
    expect(rows[0]!.attachments).toEqual([pick('commercial_invoice', 'docx').id, pick('packing_list', 'docx').id]);

    expect((await deliver()).claimed).toBe(0); // waiting for more documents
    advance(250);
    expect(await deliver()).toMatchObject({ claimed: 1, sent: 1 });
    const mail = byMessageId(rows[0]!.messageId);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`${shipment.reference}: final documents — Commercial invoice, packing list`);
    expect(mail[0]!.attachments.map((a) => a.filename)).toEqual([
      `${pick('commercial_invoice', 'docx').number.replace(/\//g, '-')}_commercial-invoice_v1.docx`,
      `${pick('packing_list', 'docx').number.replace(/\//g, '-')}_packing-list_v1.docx`,
    ]);
    const texts = await Promise.all(mail[0]!.attachments.map(async (a) => (await mammoth.extractRawText({ buffer: a.content })).value));
    expect(texts[0]).toContain('COMMERCIAL INVOICE');
    expect(texts[1]).toContain('PACKING LIST');

    // made final after the message went: a new message
    await finalise(pick('commercial_invoice', 'xlsx').id);
    rows = await rowsOf(order.id);
    expect(rows.map((r) => [r.dedupeKey, r.status])).toEqual([
      [`documents_final:${shipment.id}:1`, 'sent'],
      [`documents_final:${shipment.id}:2`, 'pending'],
    ]);
    advance(301);
    await deliver();
    const second = byMessageId(rows[1]!.messageId);
    expect(second).toHaveLength(1);
    expect(second[0]!.attachments.map((a) => a.contentType)).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  });

  it('a message not tried yet is cancelled when the buyer no longer wants it', async () => {
    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['documents_final', 'departed'] });
    const { order, shipment } = await bookedShipment(buyer.id);
    const [invoice] = await generate(order.id, shipment.id, ['commercial_invoice']);
    await finalise(invoice!.id);
    await setPrefs(buyer.id, { events: ['departed'] });
    let [row] = await rowsOf(order.id);
    expect(row).toMatchObject({ status: 'cancelled', attempts: 0 });
    advance(600);
    expect((await deliver()).claimed).toBe(0);
    // ...and sent after all on request
    const retried = await call('POST', `/outbox/${row!.id}/retry`);
    expect(retried.status, retried.text).toBe(200);
    await deliver();
    [row] = await rowsOf(order.id);
    expect(row!.status).toBe('sent');
    expect(byMessageId(row!.messageId)).toHaveLength(1);
  });
});

describe('running delivery', () => {
  it('POST /outbox/deliver answers 409 where no transport is configured', async () => {
    const plain = apiClient(database, org.keys.admin);
    const res = await plain.call('POST', '/outbox/deliver');
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('EMAIL_NOT_CONFIGURED');
  });

  it('the Node schedule delivers due messages through the transport the environment configures', async () => {
    const env = { EMAIL_TRANSPORT: 'smtp', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(server.port), EMAIL_FROM: 'Export Desk <desk@tiruppur-test-knits.example>' };
    const configured = emailDeliveryFromNodeEnv(env)!;
    expect(configured.transport.name).toBe('smtp');
    expect(configured.sender).toEqual({ name: 'Export Desk', address: 'desk@tiruppur-test-knits.example' });
    expect(emailDeliveryFromNodeEnv({})).toBeNull();
    expect(() => emailDeliveryFromNodeEnv({ EMAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_HOST.*EMAIL_FROM|EMAIL_FROM.*SMTP_HOST/);

    const buyer = await newBuyer();
    await setPrefs(buyer.id, { events: ['arrived'], recipients: [buyer.contacts[0]!.email] });
    const { order, shipment } = await bookedShipment(buyer.id);
    expect((await record(shipment.id, 'arrived', { actualAt: '2026-12-15T10:00:00+05:30' })).status).toBe(200);
    const [queued] = await rowsOf(order.id);
    const lines: string[] = [];
    const stop = startEmailDelivery(database, configured, { seconds: 0.05, firstAfterMs: 1, now, log: (l) => lines.push(l) });
    try {
      const deadline = Date.now() + 5_000;
      while (!byMessageId(queued!.messageId).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    const [mail] = byMessageId(queued!.messageId) as ParsedMail[];
    expect(addresses(mail!.from)).toEqual([{ name: 'Export Desk', address: 'desk@tiruppur-test-knits.example' }]);
    expect(lines.some((l) => /Buyer e-mails \(smtp\): 1 sent/.test(l))).toBe(true);
    expect((await rowsOf(order.id))[0]!.status).toBe('sent');
  });
});
