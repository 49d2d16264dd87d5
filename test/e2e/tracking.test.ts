/**
 * The buyer's tracking page end to end: `npm start`'s server (worker/src/runtime/node.ts) on a fresh libSQL file with
 * the demo organisation, and headless Chromium at 390 px (a phone). Through the API: finalise the demo UAE order's
 * commercial invoice, record a milestone (with an internal note), issue a link. In the browser: the page shows the
 * order, its shipment, milestones, ETA and the final document, and nothing of the other demo orders; the document
 * downloads; no console error, no CSP violation, no sideways scrolling. Then the link is revoked and the reload is the
 * plain not-found page. Screenshots: test-artifacts/e2e/tracking.png and tracking-revoked.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, horizontalOverflow, launchChromium, nodeApi } from './support/pane.js';
import { startServer, type RunningServer } from './support/server.js';

const ARTIFACTS = resolve('test-artifacts/e2e');
const REFERENCE = 'KK-2026-0133'; // demo: UAE, ready to ship, booked, commercial invoice in draft
const OTHER_DEMO_ORDERS = ['KK-2026-0141', 'KK-2026-0147', 'KK-2026-0152', 'KK-2026-0158'];
const NOTE = 'Internal: QC signed off by Ravi after re-check';

let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
let api: ReturnType<typeof nodeApi>;
const tmp = mkdtempSync(join(tmpdir(), 'exportdesk-e2e-tracking-'));
/** Console errors, page errors and CSP reports seen by the browser. */
const problems: string[] = [];

const setup = { orderId: '', shipmentId: '', shipmentReference: '', documentId: '', linkId: '', url: '', eta: '', unitPrice: '' };

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  assertChromium();
  server = await startServer();
  api = nodeApi(server.base, server.apiKey);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, acceptDownloads: true });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 30_000);

describe('buyer tracking page in Chromium (real Node server)', () => {
  it('the exporter finalises the invoice, records a milestone and issues a link (API)', async () => {
    const orders = await api.call('GET', `/orders?q=${REFERENCE}`);
    expect(orders.status).toBe(200);
    const order = orders.json.items.find((o: { reference: string }) => o.reference === REFERENCE);
    setup.orderId = order.id;
    const full = await api.call('GET', `/orders/${order.id}`);
    setup.unitPrice = full.json.lines[0].unitPrice;
    setup.shipmentId = full.json.shipmentIds[0];
    const shipment = await api.call('GET', `/shipments/${setup.shipmentId}`);
    setup.shipmentReference = shipment.json.reference;
    const booking = await api.call('GET', `/shipments/${setup.shipmentId}/booking`);
    expect(booking.status).toBe(200);
    // The ETA as a person in the booking's zone (Asia/Kolkata) reads it, computed independently of the server.
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(booking.json.eta));
    setup.eta = `${parts} IST`;

    const docs = await api.call('GET', `/orders/${order.id}/documents`);
    const invoice = docs.json.items.find((d: { kind: string; format: string }) => d.kind === 'commercial_invoice' && d.format === 'docx');
    for (const to of ['approved', 'final']) {
      const r = await api.call('POST', `/documents/${invoice.id}/transitions`, { to });
      expect(r.status, `${to}: ${JSON.stringify(r.json)}`).toBe(200);
    }
    setup.documentId = invoice.id;

    const stones = await api.call('GET', `/shipments/${setup.shipmentId}/milestones`);
    const production = stones.json.items.find((m: { code: string }) => m.code === 'production_complete');
    const recorded = await api.call(
      'PATCH',
      `/shipments/${setup.shipmentId}/milestones/production_complete`,
      { actualAt: new Date(Date.now() - 3_600_000).toISOString(), notes: NOTE },
      { 'If-Match': `"${production.version}"` },
    );
    expect(recorded.status, JSON.stringify(recorded.json)).toBe(200);

    const link = await api.call('POST', `/orders/${order.id}/tracking-links`, { expiresInDays: 14 });
    expect(link.status, JSON.stringify(link.json)).toBe(201);
    expect(link.json.url).toBe(`${server!.base}/track/${link.json.token}`);
    setup.linkId = link.json.id;
    setup.url = link.json.url;
  }, 60_000);

  it('shows the order, its shipment, milestones, ETA and the final document at 390 px — and nothing else', async () => {
    const res = await page.goto(setup.url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/^default-src 'none'/);

    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Order ${REFERENCE}`);
    expect(await page.locator('#order-status').innerText()).toBe('Ready to ship');
    const shipment = page.locator('article', { has: page.getByRole('heading', { name: new RegExp(`Shipment ${setup.shipmentReference}`) }) });
    expect(await shipment.count()).toBe(1);
    expect(await shipment.isVisible()).toBe(true);
    const facts = await shipment.locator('dl').innerText();
    expect(facts).toContain('EMIRATES DANA / 0417W');
    expect(facts).toMatch(/ETA\s+/);
    expect(facts).toContain(setup.eta);
    const milestone = shipment.locator('li[data-milestone="production_complete"]');
    expect(await milestone.isVisible()).toBe(true);
    expect(await milestone.innerText()).toMatch(/^Production complete\s+Done /);
    expect(await shipment.locator('li[data-milestone="departed"]').innerText()).toMatch(/^Vessel departed\s+Planned /);
    const download = page.getByRole('link', { name: /^Commercial invoice .+ \(Word\)$/ });
    expect(await download.count()).toBe(1);
    expect(await download.isVisible()).toBe(true);
    expect(await download.getAttribute('href')).toBe(`${new URL(setup.url).pathname}/documents/${setup.documentId}`);

    const text = await page.locator('body').innerText();
    expect(text).toContain('Kaveri Knits Exports');
    for (const other of OTHER_DEMO_ORDERS) expect(text, other).not.toContain(other);
    for (const hidden of [NOTE, setup.unitPrice, 'ESL-TUT-260417', 'Packing list', 'Shipping instructions']) expect(text, hidden).not.toContain(hidden);

    // the hashed <style> applied under the CSP (blocked, the body would be white and unpadded)
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(243, 244, 246)');
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await horizontalOverflow(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, 'tracking.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 30_000);

  it('the final document downloads from the page', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Commercial invoice/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/_commercial-invoice_v1\.docx$/);
    const file = join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.length).toBeGreaterThan(1000);
    expect(page.url()).toBe(setup.url); // still on the page
    expect(problems).toEqual([]);
  }, 30_000);

  it('revoked: the reload is the plain not-found page', async () => {
    const revoked = await api.call('POST', `/tracking-links/${setup.linkId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toBe('revoked');
    const res = await page.reload();
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This link is not available');
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(REFERENCE);
    expect(text).not.toContain('EMIRATES DANA');
    expect(await page.getByRole('link').count()).toBe(0);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(243, 244, 246)');
    await page.screenshot({ path: join(ARTIFACTS, 'tracking-revoked.png'), fullPage: true });
    // The browser reports the 404 status of the document itself; anything else (a CSP violation) is a problem.
    expect(problems.filter((p) => !/Failed to load resource: the server responded with a status of 404/.test(p))).toEqual([]);
  }, 30_000);
});
