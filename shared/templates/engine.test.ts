import { describe, expect, it } from 'vitest';
import fixtures from '../../test/fixtures/demo-snapshots.json' with { type: 'json' };
import type { DocumentSnapshot } from '../documents/snapshot.js';
import { evaluate, interpolate, peggedConverter, resolvePath, test as holds, type Converter, type Evaluation } from './engine.js';
import { loadTemplates } from './registry.js';

const templates = loadTemplates();
type Ref = keyof typeof fixtures;
/** A deep copy of a real demo snapshot, to modify. */
const snap = (ref: Ref): DocumentSnapshot => structuredClone(fixtures[ref]) as unknown as DocumentSnapshot;
const NOW = new Date('2026-11-27T06:00:00.000Z');
const run = (s: DocumentSnapshot, now = NOW, convert?: Converter) => evaluate(s, templates, { now, ...(convert ? { convert } : {}) });

const byRule = (e: Evaluation, rule: string) => e.findings.filter((f) => f.rule === rule);
const errors = (e: Evaluation) => e.findings.filter((f) => f.severity === 'error');
const docCodes = (e: Evaluation) => e.requiredDocuments.map((d) => d.code);
const compact = (e: Evaluation) => e.findings.map((f) => `${f.severity} ${f.rule} ${f.path}`);

/** The US order (CIF New York, sight LC) as one shipment by sea. */
function usShipment(shipment: Partial<NonNullable<DocumentSnapshot['shipment']>> = {}): DocumentSnapshot {
  const s = snap('KK-2026-0147');
  s.scope = 'shipment';
  s.shipment = {
    id: 'shp_01M8DA9S7VEN4PW1BG5CJCZSDX',
    reference: 'KK-2026-0147-S1',
    status: 'planned',
    plannedShipDate: '2026-12-20',
    plannedArrivalDate: '2027-01-25',
    vessel: null,
    voyage: null,
    blNumber: null,
    blDate: null,
    marks: null,
    woodPackaging: false,
    references: {},
    version: 1,
    ...shipment,
  };
  return s;
}

/** The AU order (CFR Sydney) as one shipment by sea. */
function auShipment(woodPackaging: boolean): DocumentSnapshot {
  const s = snap('KK-2026-0152');
  s.scope = 'shipment';
  s.shipment = { ...usShipment().shipment!, reference: 'KK-2026-0152-S1', woodPackaging };
  return s;
}

describe('golden findings on the demo snapshots', () => {
  it('every demo order and shipment validates without errors, with the expected templates', () => {
    const expected: Record<Ref, string[]> = {
      'KK-2026-0133': ['default', 'ae', 'in'],
      'KK-2026-0158': ['default', 'ae', 'in'],
      'KK-2026-0152': ['default', 'au', 'in'],
      'KK-2026-0147': ['default', 'us', 'in'],
      'KK-2026-0141': ['default', 'eu', 'de', 'in'],
      'KK-2026-0141-S2': ['default', 'eu', 'nl', 'in'],
      'KK-2026-0141-S1': ['default', 'eu', 'de', 'in'],
    };
    for (const ref of Object.keys(fixtures) as Ref[]) {
      const e = run(snap(ref));
      expect(e.templateIds, ref).toEqual(expected[ref]);
      expect(errors(e), ref).toEqual([]);
    }
  });

  it('US CIF order under a sight LC: insurance, B/L, and the deadlines still without a date', () => {
    const e = run(snap('KK-2026-0147'));
    expect(compact(e)).toEqual([
      'info default.insurance documents.insurance_certificate',
      'info default.transport-document.sea documents.bill_of_lading',
      'info default.lc-presentation shipment.references.BANK_PRESENTATION',
      'info us.isf shipment.references.ISF',
    ]);
    expect(docCodes(e)).toEqual(['insurance_certificate', 'bill_of_lading']);
    expect(byRule(e, 'us.isf')[0]!.due).toBeUndefined();
  });

  it('AE FOB order: B/L, MoFA attestation and certificate of origin, each with its source', () => {
    const e = run(snap('KK-2026-0133'));
    expect(compact(e)).toEqual([
      'info default.transport-document.sea documents.bill_of_lading',
      'info ae.invoice-attestation totals.amount',
      'info ae.certificate-of-origin documents.certificate_of_origin',
    ]);
    expect(e.requiredDocuments.find((d) => d.code === 'certificate_of_origin')).toMatchObject({ rule: 'ae.certificate-of-origin', kind: expect.stringContaining('CEPA') });
    for (const f of e.findings) expect(f.source.length).toBeGreaterThan(10);
  });
});

describe('EU: consignee EORI', () => {
  it('a DE shipment whose consignee has no EORI: error on consignee.taxIds[type=EORI].value', () => {
    const s = snap('KK-2026-0141-S1');
    s.consignee.taxIds = s.consignee.taxIds.filter((t) => t.type !== 'EORI');
    const e = run(s);
    expect(errors(e)).toEqual([
      expect.objectContaining({
        rule: 'eu.consignee.eori',
        severity: 'error',
        path: 'consignee.taxIds[type=EORI].value',
        message: 'The EU consignee Nordlicht Textilhandel GmbH needs an EORI number for import clearance',
        source: expect.stringContaining('Regulation (EU) No 952/2013 (Union Customs Code), Art. 9'),
      }),
    ]);
  });

  it('an EORI entry with a blank value counts as missing', () => {
    const s = snap('KK-2026-0141-S1');
    s.consignee.taxIds = [{ type: 'EORI', value: '  ' }];
    expect(byRule(run(s), 'eu.consignee.eori').map((f) => f.path)).toEqual(['consignee.taxIds[type=EORI].value']);
  });

  it('a NL shipment inherits the EU rules through nl → eu → default', () => {
    const s = snap('KK-2026-0141-S2');
    expect(run(s).templateIds).toEqual(['default', 'eu', 'nl', 'in']);
    s.consignee.taxIds = [];
    expect(byRule(run(s), 'eu.consignee.eori')).toHaveLength(1);
  });

  it('another EU member without its own template uses eu; a country without a template (BR) gets default', () => {
    const fr = snap('KK-2026-0141');
    fr.route.destinationCountry = 'FR';
    expect(run(fr).templateIds).toEqual(['default', 'eu', 'in']);
    const br = snap('KK-2026-0141');
    br.route.destinationCountry = 'BR';
    br.consignee.taxIds = [];
    const e = run(br);
    expect(e.templateIds).toEqual(['default', 'in']);
    expect(byRule(e, 'eu.consignee.eori')).toEqual([]);
    expect(errors(e)).toEqual([]);
  });

  it('REX statement on origin: wording when a REX number is recorded; a required document only above EUR 6,000', () => {
    const s = snap('KK-2026-0141-S2'); // EUR 11,400.00
    expect(run(s).wording.commercial_invoice.map((w) => w.id)).not.toContain('eu.rex-statement');
    s.shipment!.references = { REX: 'INREXAABCK1234M001' };
    const above = run(s);
    expect(above.wording.commercial_invoice.find((w) => w.id === 'eu.rex-statement')!.text).toMatch(
      /^The exporter INREXAABCK1234M001 of the products covered by this document declares that, except where otherwise clearly indicated, these products are of Indian preferential origin according to rules of origin of the Generalised System of Preferences of the European Union/,
    );
    expect(above.requiredDocuments).toContainEqual(expect.objectContaining({ code: 'statement_on_origin', kind: 'REX statement on origin (EU GSP)' }));
    s.totals.amount = { currency: 'EUR', amount: '6000.00', minor: 600000 };
    const exactly = run(s);
    expect(docCodes(exactly)).not.toContain('statement_on_origin');
    expect(exactly.wording.commercial_invoice.map((w) => w.id)).toContain('eu.rex-statement');
  });
});

describe('UAE: MoFA attestation at AED 10,000', () => {
  it('an AE order above AED 10,000 (USD 16,740 at the 3.6725 peg): attestation required', () => {
    const e = run(snap('KK-2026-0133'));
    expect(byRule(e, 'ae.invoice-attestation')).toEqual([expect.objectContaining({ severity: 'info', path: 'totals.amount', source: expect.stringContaining('Cabinet Resolution No. 38 of 2022') })]);
    expect(docCodes(e)).toContain('mofa_attestation');
  });

  it('below AED 10,000: no attestation; exactly AED 10,000: attestation (≥)', () => {
    const s = snap('KK-2026-0133');
    s.totals.amount = { currency: 'USD', amount: '2722.94', minor: 272294 }; // AED 9,999.99...
    expect(byRule(run(s), 'ae.invoice-attestation')).toEqual([]);
    expect(docCodes(run(s))).not.toContain('mofa_attestation');
    s.totals.amount = { currency: 'AED', amount: '10000.00', minor: 1000000 };
    expect(docCodes(run(s))).toContain('mofa_attestation');
    s.totals.amount = { currency: 'AED', amount: '9999.99', minor: 999999 };
    expect(docCodes(run(s))).not.toContain('mofa_attestation');
  });

  it('no FX rate for the threshold (an order in EUR): a warning, never silence', () => {
    const s = snap('KK-2026-0133');
    s.totals.amount = { currency: 'EUR', amount: '50000.00', minor: 5000000 };
    const e = run(s);
    expect(byRule(e, 'ae.invoice-attestation')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'totals.amount', message: expect.stringContaining('no exchange rate from EUR to AED') }),
    ]);
    expect(docCodes(e)).not.toContain('mofa_attestation');
    // With a converter that knows the pair, it is checked.
    const withRate: Converter = (a, to) => (a.currency === 'EUR' && to === 'AED' ? (Number(a.amount) * 4).toFixed(2) : peggedConverter(a, to));
    expect(docCodes(run(s, NOW, withRate))).toContain('mofa_attestation');
  });
});

describe('US: Importer Security Filing', () => {
  it('a US sea shipment: ISF due 24 h before the planned ship date (a warning until then)', () => {
    const e = run(usShipment({ plannedShipDate: '2026-12-20' }), new Date('2026-12-01T00:00:00Z'));
    expect(byRule(e, 'us.isf')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'shipment.references.ISF', due: '2026-12-19T00:00:00.000Z', source: expect.stringContaining('19 CFR 149.2(b)') }),
    ]);
  });

  it('an error once now is past due without an ISF reference; resolved by recording the ISF', () => {
    const late = run(usShipment({ plannedShipDate: '2026-12-20' }), new Date('2026-12-19T00:00:01Z'));
    expect(byRule(late, 'us.isf')).toEqual([expect.objectContaining({ severity: 'error', due: '2026-12-19T00:00:00.000Z', message: expect.stringContaining('overdue since 2026-12-19T00:00:00.000Z') })]);
    const filed = run(usShipment({ plannedShipDate: '2026-12-20', references: { ISF: 'ISF-7781-2026' } }), new Date('2026-12-19T00:00:01Z'));
    expect(byRule(filed, 'us.isf')).toEqual([]);
  });

  it('no ISF for air freight; the importer of record number is required', () => {
    const air = usShipment();
    air.route.transportMode = 'air';
    air.order.incoterm = 'CIP';
    expect(byRule(run(air), 'us.isf')).toEqual([]);
    const noIor = usShipment();
    noIor.buyer.taxIds = noIor.buyer.taxIds.filter((t) => t.type !== 'IOR');
    expect(byRule(run(noIor), 'us.importer-of-record')).toEqual([expect.objectContaining({ severity: 'error', path: 'buyer.taxIds[type=IOR].value' })]);
  });
});

describe('insurance, wood packaging, LC presentation', () => {
  it('a CIF order requires an insurance certificate; FOB does not; CIP does', () => {
    expect(docCodes(run(snap('KK-2026-0147')))).toContain('insurance_certificate');
    expect(docCodes(run(snap('KK-2026-0141')))).not.toContain('insurance_certificate');
    const cip = snap('KK-2026-0141');
    cip.order.incoterm = 'CIP';
    expect(byRule(run(cip), 'default.insurance')).toEqual([expect.objectContaining({ message: expect.stringContaining('under CIP'), source: expect.stringContaining('CIF A5 and CIP A5') })]);
  });

  it('wood packaging to AU: ISPM 15 declaration and the AU timber treatment certificate, besides the packing declaration', () => {
    const wood = run(auShipment(true));
    expect(docCodes(wood)).toEqual(expect.arrayContaining(['ispm15_declaration', 'timber_treatment_certificate', 'packing_declaration']));
    expect(byRule(wood, 'au.timber-treatment')[0]).toMatchObject({ severity: 'warning', source: expect.stringContaining('Biosecurity Act 2015') });
    const none = run(auShipment(false));
    expect(docCodes(none)).toContain('packing_declaration');
    expect(docCodes(none)).not.toContain('ispm15_declaration');
    expect(docCodes(none)).not.toContain('timber_treatment_certificate');
  });

  it('wood packaging elsewhere: the ISPM 15 declaration only', () => {
    const s = snap('KK-2026-0141-S1');
    s.shipment!.woodPackaging = true;
    expect(docCodes(run(s))).toEqual(['bill_of_lading', 'ispm15_declaration']);
  });

  it('an LC shipment with a B/L date: documents to the bank by the end of B/L date + 21 days, then an error', () => {
    const s = usShipment({ status: 'shipped', plannedShipDate: '2026-12-20', blDate: '2026-12-21', references: { ISF: 'ISF-1' } });
    const open = byRule(run(s, new Date('2026-12-22T00:00:00Z')), 'default.lc-presentation');
    expect(open).toEqual([expect.objectContaining({ severity: 'warning', path: 'shipment.references.BANK_PRESENTATION', due: '2027-01-11T23:59:59.999Z', source: expect.stringContaining('UCP 600, Art. 14(c)') })]);
    expect(byRule(run(s, new Date('2027-01-12T00:00:00Z')), 'default.lc-presentation')[0]).toMatchObject({ severity: 'error', due: '2027-01-11T23:59:59.999Z' });
    // presented: the bank's reference closes the deadline
    const presented = usShipment({ status: 'shipped', plannedShipDate: '2026-12-20', blDate: '2026-12-21', references: { ISF: 'ISF-1', BANK_PRESENTATION: 'SBI/EXP/4471' } });
    expect(byRule(run(presented, new Date('2027-01-12T00:00:00Z')), 'default.lc-presentation').filter((f) => f.severity !== 'info')).toEqual([]);
    // not under an LC: no presentation deadline
    s.order.paymentTerms = { type: 'dp' };
    expect(byRule(run(s), 'default.lc-presentation')).toEqual([]);
  });
});

describe('India (origin side)', () => {
  it('an expired LUT is an error; a missing one a warning; one ending before the ship date a warning', () => {
    const s = snap('KK-2026-0141');
    s.exporter.lut = { arn: 'AD330425009999Z', financialYear: '2025-26', validUntil: '2026-03-31' };
    expect(byRule(run(s), 'in.lut')).toEqual([
      expect.objectContaining({ severity: 'error', path: 'exporter.lut.validUntil', message: expect.stringContaining('expired on 2026-03-31'), source: expect.stringContaining('rule 96A') }),
    ]);
    s.exporter.lut = null;
    expect(byRule(run(s), 'in.lut')).toEqual([expect.objectContaining({ severity: 'warning', path: 'exporter.lut' })]);
    s.exporter.lut = { arn: 'AD330426001234X', financialYear: '2026-27', validUntil: '2027-03-31' };
    s.order.requestedShipDate = '2027-04-10';
    expect(byRule(run(s), 'in.lut')).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('before the ship date 2027-04-10') })]);
  });

  it('IEC, GSTIN and AD code are required', () => {
    const s = snap('KK-2026-0152');
    s.exporter.iec = null;
    s.exporter.gstin = '';
    s.exporter.adCode = null;
    expect(errors(run(s)).map((f) => `${f.rule} ${f.path}`)).toEqual(['in.exporter.iec exporter.iec', 'in.exporter.gstin exporter.gstin', 'in.exporter.ad-code exporter.adCode']);
  });

  it('shipping bill: the port of loading must be Indian; a 6-digit HS code is a warning (8-digit ITC(HS) expected)', () => {
    const s = snap('KK-2026-0152');
    s.route.portOfLoading = { code: 'LKCMB', name: 'Colombo', country: 'LK' };
    s.lines[1]!.hsCode = '610910';
    const e = run(s);
    expect(byRule(e, 'in.port-of-loading')).toEqual([expect.objectContaining({ severity: 'error', path: 'route.portOfLoading.code', message: expect.stringContaining('LKCMB is not in India') })]);
    expect(byRule(e, 'in.hs-8-digit')).toEqual([expect.objectContaining({ severity: 'warning', path: 'lines.1.hsCode' })]);
  });

  it('invoice wording carries the LUT ARN, and the RoDTEP declaration when claimed', () => {
    const s = snap('KK-2026-0147');
    const texts = run(s).wording.commercial_invoice.map((w) => w.text);
    expect(texts).toEqual([
      'SUPPLY MEANT FOR EXPORT UNDER LETTER OF UNDERTAKING WITHOUT PAYMENT OF INTEGRATED TAX (LUT ARN AD330426001234X, FY 2026-27)',
      'We intend to claim rewards under the Remission of Duties and Taxes on Exported Products (RoDTEP) scheme.',
    ]);
    s.exporter.claimsRodtep = false;
    s.exporter.lut = null;
    const plain = run(s).wording;
    expect(plain.commercial_invoice.map((w) => w.text)).toEqual(['SUPPLY MEANT FOR EXPORT ON PAYMENT OF INTEGRATED TAX']);
    expect(Object.keys(plain).sort()).toEqual(['certificate_of_origin', 'commercial_invoice', 'packing_list', 'proforma_invoice', 'shipping_instructions']);
  });
});

describe('built-in checks', () => {
  it('incoterm-transport, hs-valid, totals, packaging-known, parties-verified', () => {
    const s = snap('KK-2026-0141-S1');
    s.route.transportMode = 'air';
    s.lines[0]!.hsCode = '61099999';
    s.totals.amount = { ...s.totals.amount, minor: s.totals.amount.minor + 1 };
    s.lines[1]!.packages = null;
    s.totals.linesWithoutPackaging = [2];
    s.consignee.verified = false;
    s.buyer.verified = false;
    const e = run(s);
    expect(compact(e).filter((x) => !x.startsWith('info'))).toEqual([
      'error default.incoterm-transport order.incoterm',
      'error default.hs-valid lines.0.hsCode',
      'error default.totals totals.amount',
      'error default.parties-verified buyer.verified',
      'warning default.packaging-known totals.linesWithoutPackaging',
    ]);
    expect(byRule(e, 'default.incoterm-transport')[0]!.message).toContain('FOB is for sea and inland waterway transport only');
    expect(byRule(e, 'default.packaging-known')[0]!.message).toContain('line 2 without units per package');
  });

  it('allocations: a shipment line with nothing on it', () => {
    const s = snap('KK-2026-0141-S1');
    s.lines[0]!.quantity = '0';
    expect(byRule(run(s), 'default.allocations')).toEqual([expect.objectContaining({ severity: 'error', path: 'lines.0.quantity' })]);
  });

  it('food to China needs the consignee GACC number', () => {
    const s = snap('KK-2026-0141');
    s.route.destinationCountry = 'CN';
    expect(byRule(run(s), 'cn.consignee.gacc')).toEqual([]);
    s.lines[0]!.hsChapter = '09';
    s.lines[0]!.hsCode = '09041100';
    const e = run(s);
    expect(byRule(e, 'cn.consignee.gacc')).toEqual([expect.objectContaining({ severity: 'error', path: 'consignee.taxIds[type=GACC].value' })]);
    expect(docCodes(e)).toContain('phytosanitary_certificate');
  });

  it('Saudi Arabia: every shipment needs its SABER shipment certificate', () => {
    const s = snap('KK-2026-0141-S1');
    s.route.destinationCountry = 'SA';
    expect(byRule(run(s), 'sa.saber-shipment-certificate')).toEqual([expect.objectContaining({ severity: 'error', path: 'shipment.references.SABER_SC' })]);
    s.shipment!.references = { SABER_SC: 'SC-2026-000123' };
    expect(byRule(run(s), 'sa.saber-shipment-certificate')).toEqual([]);
    expect(byRule(run(snap('KK-2026-0141')), 'sa.saber-shipment-certificate')).toEqual([]);
  });

  it('Japan: advance filing 24 h before departure by sea', () => {
    const s = usShipment({ plannedShipDate: '2027-01-05' });
    s.route.destinationCountry = 'JP';
    expect(byRule(run(s), 'jp.advance-filing')).toEqual([expect.objectContaining({ severity: 'warning', due: '2027-01-04T00:00:00.000Z' })]);
  });
});

describe('paths, conditions, placeholders, conversion', () => {
  const s = snap('KK-2026-0141-S1');

  it('resolves keys, indexes, * and [field=value] selectors', () => {
    expect(resolvePath(s, 'lines.*.hsChapter').map((r) => r.value)).toEqual(['61', '61']);
    expect(resolvePath(s, 'lines.*.hsChapter').map((r) => r.path)).toEqual(['lines.0.hsChapter', 'lines.1.hsChapter']);
    expect(resolvePath(s, 'consignee.taxIds[type=EORI].value')).toEqual([{ path: 'consignee.taxIds[type=EORI].value', value: 'DE1234567890123' }]);
    expect(resolvePath(s, 'consignee.taxIds[type=GACC].value')).toEqual([{ path: 'consignee.taxIds[type=GACC].value', value: undefined }]);
    expect(resolvePath(snap('KK-2026-0141'), 'shipment.references.ISF')).toEqual([{ path: 'shipment.references.ISF', value: undefined }]);
  });

  it('a condition over * is true when ANY element matches; not() means none', () => {
    expect(holds(s, { path: 'lines.*.hsCode', startsWithAny: ['6105'] })).toBe(true);
    expect(holds(s, { not: { path: 'lines.*.hsChapter', in: ['09', '10'] } })).toBe(true);
    expect(holds(s, { all: [{ path: 'totals.amount.amount', gte: 54390 }, { path: 'totals.amount.amount', lte: 54390 }] })).toBe(true);
    expect(holds(s, { path: 'totals.amount.amount', gte: 54390.01 })).toBe(false);
    expect(holds(s, { any: [{ path: 'order.incoterm', eq: 'CIF' }, { path: 'shipment.woodPackaging', eq: false }] })).toBe(true);
    expect(holds(s, { path: 'shipment.references', exists: true })).toBe(false);
  });

  it('fills placeholders; a missing value prints as …', () => {
    expect(interpolate('{consignee.name} / {exporter.lut.arn} / {shipment.references.ISF} / {totals.amount}', s)).toBe('Nordlicht Textilhandel GmbH / AD330426001234X / … / EUR 54390.00');
  });

  it('peggedConverter: same currency, USD pegs both ways, pegged to pegged through USD, else null; exact decimals', () => {
    expect(peggedConverter({ currency: 'USD', amount: '16740.00' }, 'AED')).toBe('61477.65');
    expect(peggedConverter({ currency: 'AED', amount: '36725' }, 'USD')).toBe('10000');
    expect(peggedConverter({ currency: 'SAR', amount: '375' }, 'AED')).toBe('367.25');
    expect(peggedConverter({ currency: 'EUR', amount: '10.10' }, 'EUR')).toBe('10.1');
    expect(peggedConverter({ currency: 'OMR', amount: '0.3845' }, 'BHD')).toBe('0.376');
    expect(peggedConverter({ currency: 'EUR', amount: '1' }, 'AED')).toBeNull();
    expect(peggedConverter({ currency: 'INR', amount: '1' }, 'USD')).toBeNull();
    // 0.1 + 0.2 style float errors cannot happen
    expect(peggedConverter({ currency: 'USD', amount: '0.30' }, 'QAR')).toBe('1.092');
  });
});
