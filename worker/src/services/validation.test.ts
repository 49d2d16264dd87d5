import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderCreate } from '../../../shared/contracts/orders.js';
import { OrganisationUpdate } from '../../../shared/contracts/organisations.js';
import { PartyCreate } from '../../../shared/contracts/parties.js';
import { ValidationResult } from '../../../shared/contracts/validation.js';
import { apiClient, orderInput, seedMasterData, seedOrg, tempDatabase } from '../../../test/support/harness.js';
import { AppError } from './errors.js';
import { createOrder } from './orders/orders.js';
import { transitionOrder } from './orders/transitions.js';
import { updateOrganisation } from './organisations.js';
import { createParty, verifyParty } from './parties.js';
import { createShipment } from './shipments.js';
import { validateOrder, validateShipment } from './validation.js';

let env: Awaited<ReturnType<typeof tempDatabase>>;
let org: Awaited<ReturnType<typeof seedOrg>>;
let m: Awaited<ReturnType<typeof seedMasterData>>;

beforeAll(async () => {
  env = await tempDatabase();
  org = await seedOrg(env.database);
  m = await seedMasterData(org.admin);
});
afterAll(() => env.cleanup());

const newOrder = () => createOrder(org.admin, OrderCreate.parse(orderInput(m)));
const party = async (name: string, country: string, taxIds: { type: 'EORI'; value: string }[], verify = true) => {
  const p = await createParty(org.admin, PartyCreate.parse({ name, roles: ['consignee'], address: { lines: ['Kade 1'], city: 'Rotterdam', country }, taxIds, contacts: [{ name: 'X', email: 'x@receiving.example' }] }));
  return verify ? verifyParty(org.admin, p.id, p.version) : p;
};
const confirm = async (orderId: string) => {
  try {
    return await transitionOrder(org.admin, orderId, 1, { to: 'confirmed' });
  } catch (e) {
    return e as AppError;
  }
};

describe('validateOrder / validateShipment', () => {
  it('a split order: the order and each shipment, findings tagged with their shipment, documents and templates merged', async () => {
    const order = await newOrder();
    const [tee, polo] = order.lines;
    const s1 = await createShipment(org.admin, order.id, { allocations: [{ orderLineId: tee!.id, quantity: '600' }, { orderLineId: polo!.id, quantity: '500' }] });
    const nl = await party('Benelux Receiving B.V.', 'NL', []);
    const s2 = await createShipment(org.admin, order.id, { consigneeId: nl.id, destinationCountry: 'NL', portOfDischarge: 'NLRTM', allocations: [{ orderLineId: tee!.id, quantity: '400' }] });

    const r = ValidationResult.parse(await validateOrder(org.contexts.viewer, order.id));
    expect(r.target).toEqual({ orderId: order.id });
    expect(r.templateIds).toEqual(['default', 'eu', 'de', 'in', 'nl']);
    expect(r.valid).toBe(false);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({ rule: 'eu.consignee.eori', path: 'consignee.taxIds[type=EORI].value', shipmentId: s2.id, shipmentReference: s2.reference }),
    ]);
    // The polo is on a 6-digit HS code: one warning for the order; the same warning for S1 is not repeated.
    expect(r.findings.filter((f) => f.rule === 'in.hs-8-digit').map((f) => f.shipmentId)).toEqual([null]);
    // No LUT on the test organisation: a warning, not an error.
    expect(r.findings.find((f) => f.rule === 'in.lut')).toMatchObject({ severity: 'warning', path: 'exporter.lut' });
    expect(r.requiredDocuments.map((d) => d.code)).toEqual(['bill_of_lading']);
    expect(r.checkedAt).toEqual(expect.any(String));

    const one = await validateShipment(org.contexts.finance, s1.id);
    expect(one).toMatchObject({ target: { orderId: order.id, shipmentId: s1.id }, valid: true, templateIds: ['default', 'eu', 'de', 'in'] });
    expect(one.findings.every((f) => f.shipmentId === s1.id)).toBe(true);
    expect((await validateShipment(org.admin, s2.id)).valid).toBe(false);

    // The shipment's missing paperwork (its consignee's EORI) does not stop the order being confirmed.
    const ok = await confirm(order.id);
    expect(ok).not.toBeInstanceOf(AppError);
  });

  it('another organisation\'s order or shipment: 404', async () => {
    const other = await seedOrg(env.database, 'Elsewhere Exports');
    const order = await newOrder();
    const s = await createShipment(org.admin, order.id, { allocations: [{ orderLineId: order.lines[0]!.id, quantity: '1' }] });
    await expect(validateOrder(other.admin, order.id)).rejects.toMatchObject({ status: 404 });
    await expect(validateShipment(other.admin, s.id)).rejects.toMatchObject({ status: 404 });
  });

  it('POST /orders/{id}/validate and /shipments/{id}/validate over HTTP', async () => {
    const order = await newOrder();
    const s = await createShipment(org.admin, order.id, { allocations: [{ orderLineId: order.lines[0]!.id, quantity: '10' }] });
    const api = apiClient(env.database, org.keys.viewer);
    const r = await api.call('POST', `/orders/${order.id}/validate`);
    expect(r.status, r.text).toBe(200);
    expect(ValidationResult.parse(r.json).valid).toBe(true);
    const rs = await api.call('POST', `/shipments/${s.id}/validate`);
    expect(rs.status, rs.text).toBe(200);
    expect(rs.json.target).toEqual({ orderId: order.id, shipmentId: s.id });
    expect((await api.call('POST', '/orders/ord_01M8DA9S7VEN4PW1BG5CJCZSDH/validate')).status).toBe(404);
  });
});

describe('confirming runs the validation', () => {
  it('an order-scope error blocks: 422 ORDER_NOT_READY with validation.<path> and the rule as code', async () => {
    const order = await newOrder();
    await updateOrganisation(org.admin, OrganisationUpdate.parse({ iec: null }));
    try {
      const e = await confirm(order.id);
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('ORDER_NOT_READY');
      expect((e as AppError).details).toEqual([{ path: 'validation.exporter.iec', message: "The exporter's Importer-Exporter Code (IEC) is needed to export from India", code: 'in.exporter.iec' }]);
    } finally {
      await updateOrganisation(org.admin, OrganisationUpdate.parse({ iec: '0312345678' }));
    }
    expect(await confirm(order.id)).toMatchObject({ status: 'confirmed' });
  });

  it("a planned shipment's inconsistency blocks: an unverified consignee, a shipment with nothing allocated", async () => {
    const order = await newOrder();
    const unverified = await party('Unchecked Logistics B.V.', 'NL', [{ type: 'EORI', value: 'NL123456789' }], false);
    const s = await createShipment(org.admin, order.id, { consigneeId: unverified.id, destinationCountry: 'NL', portOfDischarge: 'NLRTM', allocations: [{ orderLineId: order.lines[0]!.id, quantity: '5' }] });
    const empty = await createShipment(org.admin, order.id, { allocations: [] });
    const e = (await confirm(order.id)) as AppError;
    expect(e.code).toBe('ORDER_NOT_READY');
    expect(e.details).toEqual([
      { path: 'validation.consignee.verified', message: `Shipment ${s.reference}: Party not verified: Unchecked Logistics B.V. (consignee) is not verified`, code: 'default.parties-verified' },
      { path: 'validation.allocations', message: `Shipment ${empty.reference}: This shipment has no allocated lines`, code: 'default.allocations' },
    ]);
  });

  it('warnings never block', async () => {
    const order = await newOrder(); // 6-digit HS code on the polo, no LUT: warnings only
    const r = await validateOrder(org.admin, order.id);
    expect(r.findings.some((f) => f.severity === 'warning')).toBe(true);
    expect(r.valid).toBe(true);
    expect(await confirm(order.id)).toMatchObject({ status: 'confirmed' });
  });
});
