import { describe, expect, it } from 'vitest';
import { TEMPLATE_FILES, allTemplates, loadTemplates, templateFor, validateTemplates } from './registry.js';

const clone = <T>(v: T): T => structuredClone(v);
const files = () => clone(TEMPLATE_FILES) as Record<string, any>;
const DE = 'templates/countries/de.json';

describe('country templates', () => {
  it('every template loads and validates', () => {
    const all = loadTemplates();
    expect(all.map((t) => t.id).sort()).toEqual(['ae', 'au', 'cn', 'de', 'default', 'eu', 'gb', 'in', 'jp', 'nl', 'sa', 'us']);
    expect(allTemplates()).toBe(all);
  });

  it('every rule and wording cites its source, and is named after its template', () => {
    for (const t of loadTemplates()) {
      for (const r of t.rules) {
        expect(r.id.startsWith(`${t.id}.`), r.id).toBe(true);
        expect(r.source.trim().length, r.id).toBeGreaterThan(10);
      }
      for (const entries of Object.values(t.wording ?? {})) for (const w of entries ?? []) expect(w.source.trim().length, w.id).toBeGreaterThan(10);
    }
  });

  it('templateFor: the template claiming the country, else default', () => {
    expect(templateFor('DE').id).toBe('de');
    expect(templateFor('nl').id).toBe('nl');
    expect(templateFor('FR').id).toBe('eu');
    expect(templateFor('US').id).toBe('us');
    expect(templateFor('BR').id).toBe('default');
    expect(templateFor('IN').id).toBe('default'); // `in` is the origin side, not a destination
  });
});

describe('a broken template fails with the file and the path', () => {
  it('a rule without its source', () => {
    const f = files();
    f[DE].rules = [{ id: 'de.test', kind: 'required', severity: 'error', appliesTo: 'both', paths: ['consignee.name'], message: 'x' }];
    expect(() => validateTemplates(f)).toThrow('templates/countries/de.json: rules.0.source: Required');
  });

  it('a misspelt field, an unknown kind, a bad path, a bad condition', () => {
    const cases: [unknown, string][] = [
      [{ id: 'de.a', kind: 'document', severity: 'info', appliesTo: 'both', document: { code: 'x', name: 'X' }, message: 'x', source: 'Some regulation', sourse: 'typo' }, 'rules.0: Unrecognized key: "sourse"'],
      [{ id: 'de.a', kind: 'forbidden', severity: 'info', appliesTo: 'both', message: 'x', source: 'Some regulation' }, 'rules.0.kind: kind must be one of required, document, threshold, deadline, check'],
      [{ id: 'de.a', kind: 'required', severity: 'error', appliesTo: 'both', paths: ['consignee..name'], message: 'x', source: 'Some regulation' }, 'rules.0.paths.0: Must be a dotted snapshot path'],
      [{ id: 'de.a', kind: 'document', severity: 'info', appliesTo: 'both', when: { path: 'order.incoterm', equals: 'CIF' }, document: { code: 'x', name: 'X' }, message: 'x', source: 'Some regulation' }, 'rules.0.when: Unrecognized key: "equals"'],
      [{ id: 'de.a', kind: 'document', severity: 'info', appliesTo: 'both', when: { any: 'CIF' }, document: { code: 'x', name: 'X' }, message: 'x', source: 'Some regulation' }, 'rules.0.when: Not a valid condition'],
      [{ id: 'de.a', kind: 'check', check: 'assert', severity: 'error', appliesTo: 'both', message: 'x', source: 'Some regulation' }, 'rules.0.assert: An "assert" check needs its condition'],
      [{ id: 'de.a', kind: 'threshold', severity: 'info', appliesTo: 'both', amount: { currency: 'XYZ', value: '10' }, message: 'x', source: 'Some regulation' }, 'rules.0.amount.currency: Must be an ISO 4217 currency code'],
    ];
    for (const [rule, expected] of cases) {
      const f = files();
      f[DE].rules = [rule];
      expect(() => validateTemplates(f), expected).toThrow(`${DE}: ${expected}`);
    }
  });

  it('duplicate rule ids, an unknown extends target, a country claimed twice, no default', () => {
    const dup = files();
    const rule = { id: 'de.a', kind: 'document', severity: 'info', appliesTo: 'both', document: { code: 'x', name: 'X' }, message: 'x', source: 'Some regulation' };
    dup[DE].rules = [rule, rule];
    expect(() => validateTemplates(dup)).toThrow(`${DE}: rules.1.id: Duplicate rule id "de.a"`);

    const ext = files();
    ext[DE].extends = 'europe';
    expect(() => validateTemplates(ext)).toThrow(`${DE}: extends: no template with id "europe"`);

    const twice = files();
    twice[DE].countries = ['DE', 'FR'];
    expect(() => validateTemplates(twice)).toThrow(/templates\/countries\/(de|eu)\.json: countries\.\d+: (FR|DE) is already claimed by templates\/countries\/(de|eu)\.json/);

    const noDefault = files();
    delete noDefault['templates/countries/default.json'];
    noDefault['templates/countries/eu.json'].extends = undefined;
    expect(() => validateTemplates(noDefault)).toThrow('no "default" template');
  });

  it('a cycle through extends', () => {
    const f = files();
    f['templates/countries/eu.json'].extends = 'de';
    expect(() => validateTemplates(f)).toThrow(/extends: cycle/);
  });
});
