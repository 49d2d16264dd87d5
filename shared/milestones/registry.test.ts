import { describe, expect, it } from 'vitest';
import { TEMPLATE_FILES, validateTemplates } from '../templates/registry.js';
import { MILESTONE_TEMPLATE_FILES, loadMilestoneTemplates, milestonesFor, validateMilestoneTemplates } from './registry.js';

const files = () => structuredClone(MILESTONE_TEMPLATE_FILES) as Record<string, any>;
const SEA = 'templates/milestones/sea.json';

describe('milestone templates', () => {
  it('one template per mode, each loads and validates', () => {
    expect(loadMilestoneTemplates().map((t) => t.mode).sort()).toEqual(['air', 'rail', 'road', 'sea']);
  });

  it('sea has the full export sequence; air issues an AWB instead of a bill of lading', () => {
    const sea = milestonesFor('sea', 'DE').map((m) => m.code);
    expect(sea).toEqual([
      'booking_confirmed',
      'production_complete',
      'inspection_passed',
      'shipping_bill_filed',
      'stuffing',
      'gate_in',
      'let_export_order',
      'on_board',
      'departed',
      'bl_issued',
      'arrived',
      'cleared_destination',
      'delivered',
    ]);
    const air = milestonesFor('air', 'DE').map((m) => m.code);
    expect(air).toContain('awb_issued');
    expect(air).not.toContain('bl_issued');
    expect(air).not.toContain('on_board');
    expect(milestonesFor('inland_waterway', 'DE').map((m) => m.code)).toEqual(sea);
    expect(milestonesFor('road', 'DE').find((m) => m.code === 'gate_in')!.planned).toBeNull();
  });

  it('planned rules follow the booking: gate-in = cargo cut-off, departed = ETD, arrived = ETA', () => {
    const by = Object.fromEntries(milestonesFor('sea', 'DE').map((m) => [m.code, m.planned]));
    expect(by.gate_in).toEqual({ relativeTo: 'cutoffCargo', offsetHours: 0 });
    expect(by.departed).toEqual({ relativeTo: 'etd', offsetHours: 0 });
    expect(by.arrived).toEqual({ relativeTo: 'eta', offsetHours: 0 });
    expect(by.booking_confirmed).toBeNull();
  });

  it('the US adds ISF 10+2 filed (sea only), 24 h before ETD, with its source', () => {
    const us = milestonesFor('sea', 'US');
    const isf = us.find((m) => m.code === 'isf_filed')!;
    expect(isf).toMatchObject({ name: 'ISF 10+2 filed', source: 'us', planned: { relativeTo: 'etd', offsetHours: -24 } });
    expect(us.map((m) => m.code).indexOf('isf_filed')).toBe(us.map((m) => m.code).indexOf('gate_in') + 1);
    expect(milestonesFor('air', 'US').map((m) => m.code)).not.toContain('isf_filed');
    expect(milestonesFor('sea', 'DE').map((m) => m.code)).not.toContain('isf_filed');
  });

  it('a broken milestone template fails with the file and the path', () => {
    const f = files();
    f[SEA].milestones[2].seq = 'third';
    expect(() => validateMilestoneTemplates(f)).toThrow(`${SEA}: milestones.2.seq`);
    const dup = files();
    dup[SEA].milestones[1].code = 'booking_confirmed';
    expect(() => validateMilestoneTemplates(dup)).toThrow(`${SEA}: milestones.1.code: Duplicate milestone code "booking_confirmed"`);
    const anchor = files();
    anchor[SEA].milestones[5].planned = { relativeTo: 'sailing', offsetHours: 0 };
    expect(() => validateMilestoneTemplates(anchor)).toThrow(`${SEA}: milestones.5.planned.relativeTo`);
    const missing = files();
    delete missing['templates/milestones/rail.json'];
    expect(() => validateMilestoneTemplates(missing)).toThrow('no template for rail');
  });

  it('a country milestone needs its source', () => {
    const f = structuredClone(TEMPLATE_FILES) as Record<string, any>;
    delete f['templates/countries/us.json'].milestones[0].source;
    expect(() => validateTemplates(f)).toThrow('templates/countries/us.json: milestones.0.source: Required');
  });
});
