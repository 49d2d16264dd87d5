import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OrderCreate } from '../shared/contracts/orders.js';
import { createOrder } from '../worker/src/services/orders/orders.js';
import { transitionOrder } from '../worker/src/services/orders/transitions.js';
import { createShipment } from '../worker/src/services/shipments.js';
import { orderInput, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

type Doc = { id: string; kind: string; format: string; status: string; number: string; version: number; shipmentId: string | null; stale: boolean; staleReasons: { path: string }[]; contentHash: string; factsHash: string; findings: { severity: string; rule: string }[] };

async function splitOrder() {
  const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master)));
  const [tee, polo] = order.lines;
  const s1 = await createShipment(fx.org.admin, order.id, { allocations: [{ orderLineId: tee!.id, quantity: '600' }, { orderLineId: polo!.id, quantity: '500' }] });
  const s2 = await createShipment(fx.org.admin, order.id, { consigneeId: fx.master.consignee2.id, destinationCountry: 'NL', portOfDischarge: 'NLRTM', allocations: [{ orderLineId: tee!.id, quantity: '400' }] });
  return { order, s1, s2 };
}

describe('document pack', () => {
  it('POST /orders/{id}/documents makes the proforma plus the shipping pack per shipment, numbered per scope', async () => {
    const { order, s1, s2 } = await splitOrder();
    const res = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: {} });
    expect(res.status, res.text).toBe(201);
    const docs = res.json.items as Doc[];
    expect(docs).toHaveLength(1 + 2 * 6);
    const pi = docs.find((d) => d.kind === 'proforma_invoice')!;
    expect(pi.shipmentId).toBeNull();
    expect(pi.number).toMatch(/^PI\/\d{2}-\d{2}\/\d{4}$/);
    for (const s of [s1, s2]) {
      const mine = docs.filter((d) => d.shipmentId === s.id);
      expect(mine.map((d) => `${d.kind}.${d.format}`).sort()).toEqual(
        ['certificate_of_origin.docx', 'commercial_invoice.docx', 'commercial_invoice.xlsx', 'packing_list.docx', 'packing_list.xlsx', 'shipping_instructions.docx'].sort(),
      );
      expect(new Set(mine.map((d) => d.number)).size).toBe(1); // one invoice number per shipment
      expect(new Set(mine.map((d) => d.factsHash)).size).toBe(1); // all made from one snapshot
      expect(mine.every((d) => d.status === 'draft' && d.version === 1 && !d.stale)).toBe(true);
    }
    expect(docs.find((d) => d.shipmentId === s1.id)!.number).not.toBe(docs.find((d) => d.shipmentId === s2.id)!.number);

    // the file downloads, is a zip (OOXML), and hashes to its contentHash
    const ci = docs.find((d) => d.shipmentId === s1.id && d.kind === 'commercial_invoice' && d.format === 'xlsx')!;
    const file = await fx.api.app.request(`/documents/${ci.id}/content`, { headers: { Authorization: `Bearer ${fx.org.keys.admin}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="INV-\d{2}-\d{2}-\d{4}_commercial-invoice_v1-draft\.xlsx"/);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(String.fromCharCode(bytes[0]!, bytes[1]!)).toBe('PK');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ci.contentHash);

    // regenerating keeps numbers and replaces drafts in place
    const again = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { shipmentId: s1.id, kinds: ['commercial_invoice'] } });
    expect(again.status, again.text).toBe(201);
    expect((again.json.items as Doc[]).map((d) => [d.id, d.number, d.version])).toEqual(
      docs.filter((d) => d.shipmentId === s1.id && d.kind === 'commercial_invoice').map((d) => [d.id, d.number, d.version]),
    );
  });

  it('draft → approved → final; a final document is immutable; a new final supersedes it', async () => {
    const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master)));
    const made = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { kinds: ['commercial_invoice'] } });
    const ci = (made.json.items as Doc[]).find((d) => d.format === 'docx')!;
    expect((await fx.api.call('POST', `/documents/${ci.id}/transitions`, { body: { to: 'final' } })).status).toBe(409); // not approved yet
    expect((await fx.api.call('POST', `/documents/${ci.id}/transitions`, { body: { to: 'approved' } })).json.status).toBe('approved');
    const final = await fx.api.call('POST', `/documents/${ci.id}/transitions`, { body: { to: 'final' } });
    expect(final.status, final.text).toBe(200);
    expect(final.json.status).toBe('final');
    expect(final.json.contentHash).not.toBe(ci.contentHash); // re-rendered without the DRAFT mark

    const regenerated = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { kinds: ['commercial_invoice'] } });
    const v2 = (regenerated.json.items as Doc[]).find((d) => d.format === 'docx')!;
    expect(v2.id).not.toBe(ci.id);
    expect(v2.version).toBe(2);
    expect(v2.number).toBe(ci.number);
    const v1 = await fx.api.call('GET', `/documents/${ci.id}`);
    expect(v1.json.status).toBe('final');
    expect(v1.json.contentHash).toBe(final.json.contentHash);

    await fx.api.call('POST', `/documents/${v2.id}/transitions`, { body: { to: 'approved' } });
    expect((await fx.api.call('POST', `/documents/${v2.id}/transitions`, { body: { to: 'final' } })).json.status).toBe('final');
    expect((await fx.api.call('GET', `/documents/${ci.id}`)).json.status).toBe('superseded');
  });

  it('a change to the order after its invoice became final marks that document stale, loudly', async () => {
    const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master)));
    const made = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { kinds: ['commercial_invoice', 'packing_list'] } });
    for (const d of made.json.items as Doc[]) {
      await fx.api.call('POST', `/documents/${d.id}/transitions`, { body: { to: 'approved' } });
      expect((await fx.api.call('POST', `/documents/${d.id}/transitions`, { body: { to: 'final' } })).status).toBe(200);
    }
    let list = await fx.api.call('GET', `/orders/${order.id}/documents`);
    expect(list.json.scopes).toEqual([{ shipmentId: null, consistent: true, staleDocumentIds: [] }]);

    const current = await fx.api.call('GET', `/orders/${order.id}`);
    const lines = current.json.lines.map((l: { id: string; productId: string; quantity: string; unitPrice: string }, i: number) => ({
      id: l.id,
      productId: l.productId,
      quantity: i === 0 ? '1200' : l.quantity,
      unitPrice: l.unitPrice,
    }));
    expect((await fx.api.call('PATCH', `/orders/${order.id}`, { body: { lines }, headers: { 'If-Match': current.headers.get('etag')! } })).status).toBe(200);

    list = await fx.api.call('GET', `/orders/${order.id}/documents`);
    const docs = list.json.items as Doc[];
    expect(docs.every((d) => d.stale)).toBe(true);
    expect(docs[0]!.staleReasons.map((r) => r.path)).toEqual(expect.arrayContaining(['lines.0.quantity', 'totals.amount']));
    expect(list.json.scopes[0].consistent).toBe(false);
    expect(list.json.scopes[0].staleDocumentIds.sort()).toEqual(docs.map((d) => d.id).sort());

    // an outdated draft cannot become final either
    const regenerated = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { kinds: ['commercial_invoice'] } });
    const draft = (regenerated.json.items as Doc[])[0]!;
    await fx.api.call('POST', `/documents/${draft.id}/transitions`, { body: { to: 'approved' } });
    const again = await fx.api.call('GET', `/orders/${order.id}`);
    await fx.api.call('PATCH', `/orders/${order.id}`, { body: { remarks: 'no effect on documents' }, headers: { 'If-Match': again.headers.get('etag')! } });
    expect((await fx.api.call('POST', `/documents/${draft.id}/transitions`, { body: { to: 'final' } })).status).toBe(200); // remarks are not printed facts
  });

  it('a new declaration makes a final document stale; a reference that prints nothing does not', async () => {
    const { order, s1 } = await splitOrder();
    const made = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { shipmentId: s1.id, kinds: ['commercial_invoice'] } });
    for (const d of made.json.items as Doc[]) {
      await fx.api.call('POST', `/documents/${d.id}/transitions`, { body: { to: 'approved' } });
      expect((await fx.api.call('POST', `/documents/${d.id}/transitions`, { body: { to: 'final' } })).status).toBe(200);
    }
    const patch = async (references: Record<string, string>) => {
      const current = await fx.api.call('GET', `/shipments/${s1.id}`);
      expect((await fx.api.call('PATCH', `/shipments/${s1.id}`, { body: { references }, headers: { 'If-Match': current.headers.get('etag')! } })).status).toBe(200);
      return (await fx.api.call('GET', `/orders/${order.id}/documents`)).json.items.filter((d: Doc) => d.shipmentId === s1.id) as Doc[];
    };
    expect((await patch({ ISF: 'ISF-2026-1' })).every((d) => !d.stale)).toBe(true);
    const afterRex = await patch({ ISF: 'ISF-2026-1', REX: 'INREX0412345678' });
    expect(afterRex.every((d) => d.stale)).toBe(true);
    const reasons = afterRex[0]!.staleReasons as { path: string; after: unknown }[];
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r.path.startsWith('declarations.commercial_invoice.'))).toBe(true);
    expect(reasons.some((r) => String(r.after).includes('INREX0412345678'))).toBe(true);
  });

  it('validation errors block a document from becoming final', async () => {
    // a German consignee without EORI
    const noEori = await fx.api.call('POST', '/parties', {
      body: { name: 'Ohne EORI GmbH', roles: ['buyer', 'consignee'], address: { lines: ['Hafenstr. 1'], city: 'Bremen', country: 'DE' }, contacts: [{ name: 'X', email: 'x@ohne.example' }] },
    });
    const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master, { buyerId: noEori.json.id })));
    const made = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: { kinds: ['commercial_invoice'] } });
    const ci = (made.json.items as Doc[])[0]!;
    expect(ci.findings.some((f) => f.severity === 'error')).toBe(true);
    await fx.api.call('POST', `/documents/${ci.id}/transitions`, { body: { to: 'approved' } });
    const blocked = await fx.api.call('POST', `/documents/${ci.id}/transitions`, { body: { to: 'final' } });
    expect(blocked.status).toBe(422);
    expect(blocked.json.error.code).toBe('DOCUMENT_BLOCKED');
    expect(blocked.json.error.details.map((d: { path: string }) => d.path).join(' ')).toMatch(/EORI/);
  });

  it('a confirmed order moves on while its documents stay with their numbers', async () => {
    const order = await createOrder(fx.org.admin, OrderCreate.parse(orderInput(fx.master)));
    await transitionOrder(fx.org.admin, order.id, order.version, { to: 'confirmed' });
    const made = await fx.api.call('POST', `/orders/${order.id}/documents`, { body: {} });
    expect(made.status, made.text).toBe(201);
    const numbers = new Set((made.json.items as Doc[]).map((d) => d.number));
    expect(numbers.size).toBe(2); // PI and INV
  });
});
