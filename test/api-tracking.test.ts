/**
 * Buyer tracking links through the real Hono app over a real libSQL file: issue, list, revoke (authenticated), and
 * the public page and downloads at /track/{token} — which show the link's order and nothing else.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TRACKING_TOKEN_RE } from '../shared/contracts/tracking.js';
import { orderCosts, paymentMilestones, trackingLinks } from '../worker/src/db/schema/index.js';
import { newId } from '../worker/src/lib/ids.js';
import { AppError } from '../worker/src/services/errors.js';
import { issueTrackingLink } from '../worker/src/services/tracking.js';
import { apiClient, bookingInput, orderInput, seedMasterData, seedOrg, seedScopedUsers, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

// Words that must never reach the buyer's page.
const REMARK = 'INTERNAL-REMARK-Q7';
const SHIPMENT_NOTE = 'SHIPMENT-NOTE-Q7';
const MILESTONE_NOTE = 'MILESTONE-NOTE-Q7';
const MARKS = 'SHIPPING-MARKS-Q7';
const COST_TEXT = 'COST-FREIGHT-Q7';
const COST_SUPPLIER = 'COST-SUPPLIER-Q7';
const PAYMENT_LABEL = 'PAYMENT-LABEL-Q7';
const UNIT_PRICES = ['7.7731', '13.1317'];
const HOSTILE_VESSEL = '<script>alert("vessel")</script>';
const HOSTILE_PO = 'PO-<b>&"\'-9';
const HOSTILE_ITEM = '<img src=x onerror=alert(1)> Organic tee';

type Doc = { id: string; kind: string; format: string; status: string; shipmentId: string | null; version: number };

interface Scenario {
  orderId: string;
  reference: string;
  shipmentId: string;
  shipmentReference: string;
  finals: Doc[];
  draftProforma: Doc;
  superseded: Doc;
  shippingInstructions: Doc;
  other: { orderId: string; reference: string; finalDocId: string };
}
let s: Scenario;

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => fx.api.call(method, path, { body, headers });
const open = (path: string) => fx.api.app.request(path);
const page = async (path: string) => {
  const res = await open(path);
  return { status: res.status, headers: res.headers, text: await res.text() };
};

async function finalise(docId: string) {
  for (const to of ['approved', 'final']) {
    const r = await call('POST', `/documents/${docId}/transitions`, { to });
    expect(r.status, `${to}: ${r.text}`).toBe(200);
  }
}

async function newOrder(reference: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/orders', orderInput(fx.master, { reference, ...extra }));
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; reference: string; version: number; lines: { id: string }[] };
}

async function issue(orderId: string, body: unknown = {}, api = fx.api) {
  const res = await api.call('POST', `/orders/${orderId}/tracking-links`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; token: string; url: string; expiresAt: string; status: string };
}
const pathOf = (token: string) => `/track/${token}`;

beforeAll(async () => {
  const order = await newOrder(`TRK-${Date.now().toString(36).toUpperCase()}`, {
    buyerPo: HOSTILE_PO,
    remarks: REMARK,
    lines: [
      { productId: fx.master.tee.id, description: HOSTILE_ITEM, quantity: '1000', unitPrice: UNIT_PRICES[0] },
      { productId: fx.master.polo.id, quantity: '500', unitPrice: UNIT_PRICES[1] },
    ],
  });
  const ship = await call('POST', `/orders/${order.id}/shipments`, {
    notes: SHIPMENT_NOTE,
    marks: MARKS,
    allocations: [
      { orderLineId: order.lines[0]!.id, quantity: '1000' },
      { orderLineId: order.lines[1]!.id, quantity: '500' },
    ],
  });
  expect(ship.status, ship.text).toBe(201);
  const booking = await call('PUT', `/shipments/${ship.json.id}/booking`, bookingInput({ status: 'confirmed', vessel: HOSTILE_VESSEL }));
  expect(booking.status, booking.text).toBe(201);
  // An internal note on a milestone, and an actual time on another one.
  const list = await call('GET', `/shipments/${ship.json.id}/milestones`);
  const version = (code: string) => `"${list.json.items.find((m: { code: string }) => m.code === code).version}"`;
  const noted = await call('PATCH', `/shipments/${ship.json.id}/milestones/booking_confirmed`, { notes: MILESTONE_NOTE }, { 'If-Match': version('booking_confirmed') });
  expect(noted.status, noted.text).toBe(200);
  const done = await call('PATCH', `/shipments/${ship.json.id}/milestones/production_complete`, { actualAt: '2026-11-20T15:30:00+05:30' }, { 'If-Match': version('production_complete') });
  expect(done.status, done.text).toBe(200);

  // Documents: everything generated as drafts; the shipment's commercial invoice (both formats) and packing list
  // made final; the invoice .docx then re-made and finalised again, so v1 is superseded; shipping instructions final.
  const gen = await call('POST', `/orders/${order.id}/documents`, {});
  expect(gen.status, gen.text).toBe(201);
  const docs = gen.json.items as Doc[];
  const pick = (kind: string, format = 'docx') => docs.find((d) => d.kind === kind && d.format === format)!;
  const ciDocx = pick('commercial_invoice');
  await finalise(ciDocx.id);
  const again = await call('POST', `/orders/${order.id}/documents`, { shipmentId: ship.json.id, kinds: ['commercial_invoice'] });
  expect(again.status, again.text).toBe(201);
  const ciV2 = (again.json.items as Doc[]).find((d) => d.format === 'docx')!;
  const ciXlsx = (again.json.items as Doc[]).find((d) => d.format === 'xlsx')!;
  expect(ciV2.version).toBe(2);
  await finalise(ciV2.id);
  await finalise(ciXlsx.id);
  await finalise(pick('packing_list').id);
  await finalise(pick('shipping_instructions').id);
  const superseded = (await call('GET', `/documents/${ciDocx.id}`)).json as Doc;
  expect(superseded.status).toBe('superseded');

  // Costs and a payment milestone: the exporter's books, never the buyer's page.
  const now = new Date().toISOString();
  await fx.database.write(async (tx) => {
    await tx.insert(orderCosts).values({
      id: newId('cst'),
      orgId: fx.org.organisation.id,
      orderId: order.id,
      shipmentId: ship.json.id,
      category: 'freight',
      description: COST_TEXT,
      amountMinor: 4_242_424,
      currency: 'USD',
      date: now.slice(0, 10),
      supplier: COST_SUPPLIER,
      createdBy: fx.org.admin.actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    await tx.insert(paymentMilestones).values({
      id: newId('pmi'),
      orgId: fx.org.organisation.id,
      orderId: order.id,
      buyerId: fx.master.buyer.id,
      seq: 1,
      kind: 'advance',
      label: PAYMENT_LABEL,
      percent: '30',
      amountMinor: 9_191_919,
      currency: 'EUR',
      dueAnchor: 'order_confirmed',
      dueDays: 0,
      createdAt: now,
      updatedAt: now,
    });
  });

  // Another order of the same buyer, with a final document of its own.
  const other = await newOrder(`OTHER-${Date.now().toString(36).toUpperCase()}`);
  const otherShipment = await call('POST', `/orders/${other.id}/shipments`, { allocations: [{ orderLineId: other.lines[0]!.id, quantity: '10' }] });
  expect(otherShipment.status, otherShipment.text).toBe(201); // its reference is `${other.reference}-S1`
  const otherDocs = (await call('POST', `/orders/${other.id}/documents`, { kinds: ['commercial_invoice'] })).json.items as Doc[];
  await finalise(otherDocs[0]!.id);

  s = {
    orderId: order.id,
    reference: order.reference,
    shipmentId: ship.json.id,
    shipmentReference: ship.json.reference,
    finals: [ciV2, ciXlsx, pick('packing_list')],
    draftProforma: pick('proforma_invoice'),
    superseded,
    shippingInstructions: pick('shipping_instructions'),
    other: { orderId: other.id, reference: other.reference, finalDocId: otherDocs[0]!.id },
  };
});

afterEach(() => {
  vi.useRealTimers();
});

describe('issuing and listing links', () => {
  it('POST /orders/{id}/tracking-links → 201 with a token shown once; only the secret\'s SHA-256 is stored', async () => {
    const before = Date.now();
    const res = await fx.api.call('POST', `/orders/${s.orderId}/tracking-links`, { body: {} });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const link = res.json;
    const m = TRACKING_TOKEN_RE.exec(link.token);
    expect(m, link.token).not.toBeNull();
    expect(link.id).toBe(`trk_${m![1]}`);
    expect(m![2]).toHaveLength(52); // 52 base32 characters: 260 random bits
    expect(link.url).toBe(`http://localhost/track/${link.token}`);
    expect(link.status).toBe('active');
    expect(link.orderId).toBe(s.orderId);
    expect(link.createdBy).toMatchObject({ id: fx.org.admin.actor.userId });
    const days = (Date.parse(link.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);

    const [row] = await fx.database.db.select().from(trackingLinks).where(eq(trackingLinks.id, link.id));
    expect(row!.secretHash).toBe(createHash('sha256').update(m![2]!).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(m![2]);

    const list = await call('GET', `/orders/${s.orderId}/tracking-links`);
    expect(list.status, list.text).toBe(200);
    const listed = list.json.items.find((l: { id: string }) => l.id === link.id);
    expect(listed).toMatchObject({ id: link.id, status: 'active', revokedAt: null, lastUsedAt: null, expiresAt: link.expiresAt });
    expect(listed).not.toHaveProperty('token');
    expect(list.text).not.toContain(m![2]);
    // two links never share a secret
    const second = await issue(s.orderId);
    expect(second.token.split('_')[2]).not.toBe(m![2]);
  });

  it('expiresInDays: 1–365 whole days; the issue is audited on the order without the token', async () => {
    const one = await issue(s.orderId, { expiresInDays: 1 });
    expect(Date.parse(one.expiresAt) - Date.now()).toBeLessThanOrEqual(86_400_000);
    expect(Date.parse(one.expiresAt) - Date.now()).toBeGreaterThan(86_300_000);
    await issue(s.orderId, { expiresInDays: 365 });
    for (const bad of [{ expiresInDays: 0 }, { expiresInDays: 366 }, { expiresInDays: 1.5 }, { expiresInDays: '30' }, { extra: true }]) {
      const r = await call('POST', `/orders/${s.orderId}/tracking-links`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    const history = await call('GET', `/orders/${s.orderId}/history`);
    const issued = history.json.items.filter((e: { action: string }) => e.action === 'order.tracking_link_issued');
    expect(issued.length).toBeGreaterThanOrEqual(3);
    expect(issued.some((e: { after: { trackingLinkId: string } }) => e.after.trackingLinkId === one.id)).toBe(true);
    expect(history.text).not.toContain(one.token.split('_')[2]);
  });

  it('an unknown order is 404; a cancelled order gets no link (409)', async () => {
    expect((await call('POST', '/orders/ord_01ZZZZZZZZZZZZZZZZZZZZZZZZ/tracking-links', {})).status).toBe(404);
    expect((await call('GET', '/orders/ord_01ZZZZZZZZZZZZZZZZZZZZZZZZ/tracking-links')).status).toBe(404);
    const doomed = await newOrder(`CXL-${Date.now().toString(36).toUpperCase()}`);
    const cancel = await call('POST', `/orders/${doomed.id}/transitions`, { to: 'cancelled' }, { 'If-Match': `"${doomed.version}"` });
    expect(cancel.status, cancel.text).toBe(200);
    const refused = await call('POST', `/orders/${doomed.id}/tracking-links`, {});
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('ORDER_CANCELLED');
  });
});

describe('the page: this order and nothing else', () => {
  let token: string;
  let html: string;
  beforeAll(async () => {
    token = (await issue(s.orderId)).token;
    const res = await page(pathOf(token));
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    html = res.text;
  });

  it('is private HTML under a strict CSP whose style hash is the page\'s only <style>', async () => {
    const res = await open(pathOf(token));
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-robots-tag')).toMatch(/noindex/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/script-src/);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(styles[0]!).digest('base64')}'`);
    // no script, no external resource, no inline style or handler attribute in any tag
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(50);
    expect(tags.filter((t) => /^<(script|img|iframe|object|embed|form)\b/i.test(t) || /\s(style|on[a-z]+|src)=/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /^<link\b/i.test(t))).toEqual(['<link rel="icon" href="data:,">']);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('shows the exporter, order reference, buyer PO, status, goods with quantities, the shipment with route, vessel, ETD/ETA in the booking\'s zone, milestones and final documents', () => {
    expect(html).toContain(fx.org.organisation.legalName);
    expect(html).toContain(`Order ${s.reference}`);
    expect(html).toContain('Your PO: <strong>PO-&#60;b&#62;&#38;&#34;&#39;-9</strong>');
    expect(html).toContain('Awaiting confirmation'); // a draft order, in plain words
    expect(html).toContain('1,000 PCS');
    expect(html).toContain('500 PCS');
    expect(html).toContain(`Shipment ${s.shipmentReference}`);
    expect(html).toMatch(/Nhava Sheva[^<]*\(INNSA\) → Hamburg \(DEHAM\)/);
    expect(html).toContain('Maersk');
    expect(html).toContain('&#60;script&#62;alert(&#34;vessel&#34;)&#60;/script&#62; / 612W');
    expect(html).toContain('14 Dec 2026, 18:00 IST'); // ETD as the booking gave it (Asia/Kolkata)
    expect(html).toContain('8 Jan 2027, 10:30 IST'); // ETA 06:00 CET, shown in the booking's zone
    expect(html).toMatch(/data-milestone="booking_confirmed">Booking confirmed<span class="when">Done/);
    expect(html).toContain('data-milestone="production_complete">Production complete<span class="when">Done <time datetime="2026-11-20T10:00:00.000Z">20 Nov 2026, 15:30 IST</time>');
    expect(html).toMatch(/data-milestone="departed">Vessel departed<span class="when">Planned <time[^>]*>14 Dec 2026, 18:00 IST/);
    for (const d of s.finals) expect(html).toContain(`href="/track/${token}/documents/${d.id}"`);
    expect(html).toContain('Commercial invoice');
    expect(html).toContain('Packing list');
  });

  it('HTML-escapes what users typed: no markup of theirs survives', () => {
    expect(html).not.toContain(HOSTILE_VESSEL);
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62; Organic tee');
  });

  it('never shows another order, remarks, notes, marks, prices, amounts, costs, payments or who did what', () => {
    const forbidden = [
      s.other.reference,
      s.other.orderId,
      s.other.finalDocId,
      REMARK,
      SHIPMENT_NOTE,
      MILESTONE_NOTE,
      MARKS,
      COST_TEXT,
      COST_SUPPLIER,
      PAYMENT_LABEL,
      ...UNIT_PRICES,
      '7773.10', // line amount 1,000 × 7.7731
      '7,773.1',
      '42424.24', // the cost
      '42,424.24',
      '91919.19', // the payment milestone
      '91,919.19',
      fx.org.organisation.iec ?? '0312345678',
      fx.org.organisation.gstin ?? '33AABCT1234M1Z5',
      'admin@', // audit users
      s.draftProforma.id,
      s.superseded.id,
      s.shippingInstructions.id,
      'Shipping instructions',
      'MAEU262104981', // the carrier booking number: between exporter and forwarder
    ];
    for (const word of forbidden) expect(html.includes(word), `the page shows "${word}"`).toBe(false);
    expect(html).not.toMatch(/\bEUR\b/);
  });
});

describe('downloads: final documents of this order only', () => {
  let token: string;
  beforeAll(async () => {
    token = (await issue(s.orderId)).token;
  });

  it('a final document downloads (an OOXML zip) with private headers', async () => {
    for (const d of s.finals) {
      const res = await open(`/track/${token}/documents/${d.id}`);
      expect(res.status, d.kind).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="[A-Za-z0-9._-]+_${d.kind.replace(/_/g, '-')}_v${d.version}\\.${d.format}"$`));
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
    }
  });

  it('a draft, a superseded version, shipping instructions, another order\'s final document and a non-id all answer the same 404 page', async () => {
    const notFound = await page(pathOf(`trk_${'0'.repeat(26)}_${'A'.repeat(52)}`));
    expect(notFound.status).toBe(404);
    for (const id of [s.draftProforma.id, s.superseded.id, s.shippingInstructions.id, s.other.finalDocId, 'doc_01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'nope']) {
      const res = await page(`/track/${token}/documents/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.headers.get('content-type'), id).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control'), id).toBe('no-store');
      expect(res.text, id).toBe(notFound.text);
    }
  });
});

describe('links that do not open: all the same plain 404', () => {
  let reference: { status: number; text: string; headers: Headers };
  beforeAll(async () => {
    reference = await page(pathOf(`trk_${'0'.repeat(26)}_${'A'.repeat(52)}`));
  });
  const expectGone = async (path: string, label: string) => {
    const res = await page(path);
    expect(res.status, label).toBe(404);
    expect(res.text, label).toBe(reference.text);
    for (const h of ['content-type', 'cache-control', 'referrer-policy', 'x-robots-tag', 'content-security-policy']) expect(res.headers.get(h), `${label}: ${h}`).toBe(reference.headers.get(h));
    expect(res.text).not.toContain(s.reference);
  };

  it('the not-found page says nothing about why', () => {
    expect(reference.status).toBe(404);
    expect(reference.text).toContain('This link is not available');
    expect(reference.text).not.toMatch(/expired|revoked|invalid|unknown/i);
    expect(reference.headers.get('cache-control')).toBe('no-store');
    expect(reference.headers.get('x-robots-tag')).toMatch(/noindex/);
  });

  it('tampered, truncated, lower-cased, malformed, or another link\'s id with this secret', async () => {
    const link = await issue(s.orderId);
    const other = await issue(s.orderId);
    const [, idPart, secret] = link.token.split('_');
    const last = secret!.slice(-1) === 'A' ? 'B' : 'A';
    expect((await page(pathOf(link.token))).status).toBe(200); // the untouched token works
    await expectGone(pathOf(`trk_${idPart}_${secret!.slice(0, -1)}${last}`), 'last character changed');
    await expectGone(pathOf(`trk_${idPart}_${secret!.slice(0, -1)}`), 'truncated');
    await expectGone(pathOf(link.token.toLowerCase()), 'lower case');
    await expectGone(pathOf(`trk_${other.id.slice(4)}_${secret}`), "another link's id");
    await expectGone(pathOf(link.id), 'the id alone');
    await expectGone(pathOf('%3Cscript%3E'), 'garbage');
    await expectGone(`/track/${link.token}x/documents/${s.finals[0]!.id}`, 'download with a bad token');
  });

  it('expired: works until expiresAt, then 404 (page and downloads); listed as expired', async () => {
    const t0 = new Date();
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    const link = await issue(s.orderId, { expiresInDays: 1 });
    vi.setSystemTime(new Date(Date.parse(link.expiresAt) - 60_000));
    expect((await page(pathOf(link.token))).status).toBe(200);
    expect((await open(`/track/${link.token}/documents/${s.finals[0]!.id}`)).status).toBe(200);
    vi.setSystemTime(new Date(Date.parse(link.expiresAt) + 1));
    await expectGone(pathOf(link.token), 'expired page');
    await expectGone(`/track/${link.token}/documents/${s.finals[0]!.id}`, 'expired download');
    const listed = (await call('GET', `/orders/${s.orderId}/tracking-links`)).json.items.find((l: { id: string }) => l.id === link.id);
    expect(listed.status).toBe('expired');
  });

  it('revoked: 404 at once (page and downloads); revoking again changes nothing; audited', async () => {
    const link = await issue(s.orderId);
    expect((await page(pathOf(link.token))).status).toBe(200);
    const revoked = await call('POST', `/tracking-links/${link.id}/revoke`);
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ id: link.id, status: 'revoked', revokedAt: expect.any(String) });
    await expectGone(pathOf(link.token), 'revoked page');
    await expectGone(`/track/${link.token}/documents/${s.finals[0]!.id}`, 'revoked download');
    const again = await call('POST', `/tracking-links/${link.id}/revoke`);
    expect(again.status).toBe(200);
    expect(again.json.revokedAt).toBe(revoked.json.revokedAt);
    const history = (await call('GET', `/orders/${s.orderId}/history`)).json.items as { action: string; after: { trackingLinkId?: string } }[];
    expect(history.filter((e) => e.action === 'order.tracking_link_revoked' && e.after.trackingLinkId === link.id)).toHaveLength(1);
    expect((await call('POST', '/tracking-links/trk_01ZZZZZZZZZZZZZZZZZZZZZZZZ/revoke')).status).toBe(404);
  });
});

describe('last use', () => {
  it('recorded on open, at most every 5 minutes', async () => {
    const t0 = new Date();
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    const link = await issue(s.orderId);
    const lastUsed = async () => (await fx.database.db.select().from(trackingLinks).where(eq(trackingLinks.id, link.id)))[0]!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await page(pathOf(link.token));
    expect(await lastUsed()).toBe(t0.toISOString());
    vi.setSystemTime(new Date(t0.getTime() + 4 * 60_000));
    await open(`/track/${link.token}/documents/${s.finals[0]!.id}`);
    expect(await lastUsed()).toBe(t0.toISOString());
    const t6 = new Date(t0.getTime() + 6 * 60_000);
    vi.setSystemTime(t6);
    await page(pathOf(link.token));
    expect(await lastUsed()).toBe(t6.toISOString());
    // a failed attempt records nothing
    const [, idPart] = link.token.split('_');
    vi.setSystemTime(new Date(t0.getTime() + 20 * 60_000));
    await page(pathOf(`trk_${idPart}_${'A'.repeat(52)}`));
    expect(await lastUsed()).toBe(t6.toISOString());
  });
});

describe('who may issue, list and revoke', () => {
  it('buyers:notify issues and revokes (admin, ops, finance); orders:read lists; forwarder, viewer, documentation cannot issue', async () => {
    const outside = await seedScopedUsers(fx.org, 'Tracking');
    expect(outside.forwarder.id).toMatch(/^pty_/);
    const as = (role: keyof typeof fx.org.keys) => apiClient(fx.database, fx.org.keys[role]);
    for (const role of ['ops', 'finance'] as const) await issue(s.orderId, {}, as(role));
    const victim = await issue(s.orderId);
    for (const role of ['forwarder', 'customs_agent', 'viewer', 'documentation'] as const) {
      const api = as(role);
      const post = await api.call('POST', `/orders/${s.orderId}/tracking-links`, { body: {} });
      expect(post.status, `${role} POST`).toBe(403);
      const revoke = await api.call('POST', `/tracking-links/${victim.id}/revoke`);
      expect(revoke.status, `${role} revoke`).toBe(403);
    }
    for (const role of ['forwarder', 'customs_agent'] as const) expect((await as(role).call('GET', `/orders/${s.orderId}/tracking-links`)).status, role).toBe(403);
    for (const role of ['viewer', 'documentation'] as const) expect((await as(role).call('GET', `/orders/${s.orderId}/tracking-links`)).status, role).toBe(200);
    expect((await page(pathOf(victim.token))).status).toBe(200); // nobody above revoked it
    // The service refuses the same way (the CLI calls services directly).
    await expect(issueTrackingLink(fx.org.contexts.viewer, s.orderId, { expiresInDays: 30 })).rejects.toMatchObject({ status: 403 });
    await expect(issueTrackingLink(fx.org.contexts.viewer, s.orderId, { expiresInDays: 30 })).rejects.toBeInstanceOf(AppError);
  });

  it('without an API key the authenticated routes answer 401 (only /track/ is public)', async () => {
    const anon = apiClient(fx.database);
    expect((await anon.call('POST', `/orders/${s.orderId}/tracking-links`, { body: {} })).status).toBe(401);
    expect((await anon.call('GET', `/orders/${s.orderId}/tracking-links`)).status).toBe(401);
    expect((await anon.call('POST', '/tracking-links/trk_01ZZZZZZZZZZZZZZZZZZZZZZZZ/revoke')).status).toBe(401);
    expect((await anon.call('GET', '/track')).status).toBe(401);
  });
});

describe('tenant isolation', () => {
  it("another organisation cannot issue, list or revoke this order's links, and its links open only its own orders", async () => {
    const mine = await issue(s.orderId);
    const other = await seedOrg(fx.database, 'Elsewhere Tracking Exports Pvt Ltd');
    const otherMaster = await seedMasterData(other.admin);
    const api = apiClient(fx.database, other.keys.admin);
    for (const [method, path] of [
      ['POST', `/orders/${s.orderId}/tracking-links`],
      ['GET', `/orders/${s.orderId}/tracking-links`],
      ['POST', `/tracking-links/${mine.id}/revoke`],
    ] as const) {
      const res = await api.call(method, path, method === 'POST' ? { body: {} } : {});
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
      expect(res.text).not.toContain(s.reference);
    }
    expect((await page(pathOf(mine.token))).status).toBe(200); // still active

    const theirOrder = await api.call('POST', '/orders', { body: orderInput(otherMaster, { reference: 'ELSEWHERE-1' }) });
    expect(theirOrder.status, theirOrder.text).toBe(201);
    const theirs = await issue(theirOrder.json.id, {}, api);
    const theirPage = await page(pathOf(theirs.token));
    expect(theirPage.status).toBe(200);
    expect(theirPage.text).toContain('ELSEWHERE-1');
    expect(theirPage.text).not.toContain(s.reference);
    expect(theirPage.text).not.toContain(fx.org.organisation.legalName);
    // their token cannot fetch our document
    expect((await open(`/track/${theirs.token}/documents/${s.finals[0]!.id}`)).status).toBe(404);
  });
});
