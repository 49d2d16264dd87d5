/**
 * FX rates and order costs through the real app over a real libSQL file: batch entry (all or nothing, each bad
 * field named), CSV import (quotes, CRLF, BOM, dry run, errors by line and column, all or nothing), listing,
 * conversion; the rate lookup (latest on or before, staleness limit, inverse, cross); order costs with If-Match
 * and their audit trail.
 */
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fxRates } from '../worker/src/db/schema/index.js';
import { MAX_RATE_AGE_DAYS, rateOn } from '../worker/src/services/money/fx-rates.js';
import { orderInput, useApiFixture } from './support/harness.js';

const fx = useApiFixture();

async function ok(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fx.api.call(method, path, { body, headers });
  expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
  return r.json;
}
const putRates = (rates: { date: string; base: string; quote: string; rate: string }[]) => fx.api.call('PUT', '/fx-rates', { body: { rates } });
const storedCount = async (base: string) =>
  (await fx.database.db.select().from(fxRates).where(and(eq(fxRates.orgId, fx.org.organisation.id), eq(fxRates.base, base)))).length;
/** POST /fx-rates/import with a raw text/csv body. */
async function importCsvText(csv: string, query = '') {
  const res = await fx.api.app.request(`/fx-rates/import${query}`, { method: 'POST', headers: { Authorization: `Bearer ${fx.org.keys.admin}`, 'Content-Type': 'text/csv; charset=utf-8' }, body: csv });
  return { status: res.status, json: (await res.json()) as any };
}

describe('PUT /fx-rates', () => {
  it('inserts, replaces and leaves alone, normalising the rate; lists them back', async () => {
    const first = await putRates([
      { date: '2026-11-20', base: 'EUR', quote: 'INR', rate: '89.5000' },
      { date: '2026-11-21', base: 'EUR', quote: 'INR', rate: '89.62' },
    ]);
    expect(first.status, first.text).toBe(200);
    expect(first.json).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(first.json.items.map((r: any) => [r.date, r.rate, r.source])).toEqual([
      ['2026-11-20', '89.5', 'manual'],
      ['2026-11-21', '89.62', 'manual'],
    ]);
    const second = await putRates([
      { date: '2026-11-20', base: 'EUR', quote: 'INR', rate: '89.50' }, // same value
      { date: '2026-11-21', base: 'EUR', quote: 'INR', rate: '89.7' }, // replaced
      { date: '2026-11-22', base: 'EUR', quote: 'INR', rate: '0.0000000001' }, // smallest rate there is
    ]);
    expect(second.json).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const list = await ok('GET', '/fx-rates?base=EUR&quote=INR&from=2026-11-20&to=2026-11-22');
    expect(list.items.map((r: any) => [r.date, r.rate])).toEqual([
      ['2026-11-22', '0.0000000001'],
      ['2026-11-21', '89.7'],
      ['2026-11-20', '89.5'],
    ]);
    expect(list.items[0].updatedBy).toBe(fx.org.admin.actor.userId);
  });

  it('refuses the whole batch when any item is invalid, naming each bad field by index; nothing is written', async () => {
    const before = await storedCount('CHF');
    const res = await putRates([
      { date: '2026-11-20', base: 'CHF', quote: 'INR', rate: '95.1' }, // fine
      { date: '2026-11-20', base: 'CHF', quote: 'USD', rate: '0' }, // zero
      { date: '2026-11-20', base: 'CHF', quote: 'CHF', rate: '1' }, // same currency
      { date: '2026-11-20', base: 'CHX', quote: 'INR', rate: '1' }, // not ISO 4217
      { date: '2026-13-01', base: 'CHF', quote: 'EUR', rate: '1.05' }, // no such date
      { date: '2026-11-20', base: 'CHF', quote: 'GBP', rate: '0.89123456789' }, // 11 decimals
      { date: '2026-11-20', base: 'CHF', quote: 'JPY', rate: '-170' }, // negative
      { date: '2026-11-20', base: 'CHF', quote: 'INR', rate: '95.2' }, // the same pair and date again
      { date: '2026-11-20', base: 'CHF', quote: 'AUD', rate: 1.73 as unknown as string }, // a JSON number, not a string
    ]);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    const paths = res.json.error.details.map((d: any) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['rates.1.rate', 'rates.2.quote', 'rates.3.base', 'rates.4.date', 'rates.5.rate', 'rates.6.rate', 'rates.7.date', 'rates.8.rate']));
    expect(paths.some((p: string) => p.startsWith('rates.0'))).toBe(false);
    expect(await storedCount('CHF')).toBe(before);
  });

  it('takes up to 1,000 rates at once, not 1,001', async () => {
    const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const rates = Array.from({ length: 1000 }, (_, i) => ({ date: day(i), base: 'SGD', quote: 'INR', rate: `62.${String(i).padStart(4, '0')}` }));
    const res = await putRates(rates);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json.created).toBe(1000);
    expect(await storedCount('SGD')).toBe(1000);
    const tooMany = await putRates([...rates, { date: day(1000), base: 'SGD', quote: 'INR', rate: '63' }]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.details[0].path).toBe('rates');
    // paging through them: 1,000 in pages of 300, newest first, no repeats
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await ok('GET', `/fx-rates?base=SGD&limit=300${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((r: any) => r.date));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(1000);
    expect(seen).toEqual([...seen].sort().reverse());
    expect((await fx.api.call('GET', '/fx-rates?cursor=bm9wZQ')).status).toBe(400);
  });

  it('needs payments:write to set rates (finance and admin), payments:read to list them', async () => {
    const body = { rates: [{ date: '2026-11-20', base: 'NZD', quote: 'INR', rate: '50.1' }] };
    for (const role of ['ops', 'documentation', 'viewer'] as const) {
      expect((await fx.api.call('PUT', '/fx-rates', { key: fx.org.keys[role], body })).status, role).toBe(403);
      expect((await fx.api.call('GET', '/fx-rates', { key: fx.org.keys[role] })).status, role).toBe(200);
    }
    expect((await fx.api.call('PUT', '/fx-rates', { key: fx.org.keys.finance, body })).status).toBe(200);
  });
});

describe('POST /fx-rates/import', () => {
  const csv = '\ufeff"Date","Base","Quote","Rate","Source"\r\n2026-10-01,AED,INR,"22.85","RBI ref, daily"\r\n\r\n2026-10-02,aed,inr,22.9100,"multi\r\nline note"\r\n2026-10-02,OMR,INR,216.5,x\r\n';

  it('a dry run counts and writes nothing; commit writes; again is unchanged', async () => {
    const dry = await ok('POST', '/fx-rates/import', { csv, mode: 'dry_run' });
    expect(dry).toEqual({ mode: 'dry_run', rows: 3, created: 3, updated: 0, unchanged: 0, ignoredColumns: ['Source'], errors: [] });
    expect(await storedCount('AED')).toBe(0);
    const done = await ok('POST', '/fx-rates/import', { csv });
    expect(done).toMatchObject({ mode: 'commit', rows: 3, created: 3, errors: [] });
    const aed = await ok('GET', '/fx-rates?base=AED');
    expect(aed.items.map((r: any) => [r.date, r.quote, r.rate, r.source])).toEqual([
      ['2026-10-02', 'INR', '22.91', 'csv'],
      ['2026-10-01', 'INR', '22.85', 'csv'],
    ]);
    expect(await ok('POST', '/fx-rates/import', { csv })).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('takes the CSV as text/csv with ?mode=dry_run too', async () => {
    const dry = await importCsvText('date,base,quote,rate\n2026-10-05,QAR,INR,22.1\n', '?mode=dry_run');
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ mode: 'dry_run', rows: 1, created: 1 });
    expect(await storedCount('QAR')).toBe(0);
    const done = await importCsvText('date,base,quote,rate\n2026-10-05,QAR,INR,22.1\n');
    expect(done.json).toMatchObject({ mode: 'commit', created: 1 });
    expect(await storedCount('QAR')).toBe(1);
    // with an Idempotency-Key the raw body is read twice (the key's hash, then the import) and replayed as such
    const send = () =>
      fx.api.app.request('/fx-rates/import', {
        method: 'POST',
        headers: { Authorization: `Bearer ${fx.org.keys.admin}`, 'Content-Type': 'text/csv', 'Idempotency-Key': 'fx-import-qar-2' },
        body: 'date,base,quote,rate\n2026-10-06,QAR,INR,22.2\n',
      });
    const once = await send();
    expect(once.status).toBe(200);
    expect(await once.json()).toMatchObject({ created: 1 });
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toMatchObject({ created: 1 });
    expect(await storedCount('QAR')).toBe(2);
    const wrongType = await fx.api.app.request('/fx-rates/import', { method: 'POST', headers: { Authorization: `Bearer ${fx.org.keys.admin}`, 'Content-Type': 'application/xml' }, body: '<x/>' });
    expect(wrongType.status).toBe(415);
  });

  it('reports problems by CSV line and column; commit then writes nothing at all (422 with the report)', async () => {
    const bad = [
      'date,base,quote,rate',
      '2026-10-01,KWD,INR,"272.1"', // 2: fine
      '"note with', // 3–4: a quoted line break, so the next record starts on line 5
      'a line break",,,',
      '2026-10-31,KWD,INR,27x', // 5
      '2026-10-32,KWD,INR,272', // 6
      '2026-10-02,KWD,KWD,1', // 7
    ].join('\r\n');
    const dry = await ok('POST', '/fx-rates/import', { csv: bad, mode: 'dry_run' });
    expect(dry.errors.map((e: any) => [e.line, e.column])).toEqual([
      [3, 'date'],
      [3, 'base'],
      [3, 'quote'],
      [3, 'rate'],
      [5, 'rate'],
      [6, 'date'],
      [7, 'quote'],
    ]);
    const res = await fx.api.call('POST', '/fx-rates/import', { body: { csv: bad } });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('FX_IMPORT_REJECTED');
    expect(res.json.error.details.map((d: any) => d.path)).toContain('lines.5.rate');
    expect(res.json.error.report.errors).toHaveLength(7);
    expect(await storedCount('KWD')).toBe(0);

    const noHeader = await fx.api.call('POST', '/fx-rates/import', { body: { csv: '2026-10-01,KWD,INR,272.1' } });
    expect(noHeader.status).toBe(422);
    expect(noHeader.json.error.details[0]).toMatchObject({ path: 'lines.1' });
    expect((await fx.api.call('POST', '/fx-rates/import', { body: {} })).json.error.details[0].path).toBe('csv');
  });
});

describe('rate lookup (rateOn) and GET /fx-rates/convert', () => {
  it('takes the latest rate on or before the date, at most 7 days back; the same currency is 1', async () => {
    await ok('PUT', '/fx-rates', {
      rates: [
        { date: '2026-06-01', base: 'USD', quote: 'INR', rate: '83.1' },
        { date: '2026-06-05', base: 'USD', quote: 'INR', rate: '83.45' },
      ],
    });
    const ctx = fx.org.admin;
    const db = fx.database.db;
    expect(await rateOn(db, ctx, 'USD', 'INR', '2026-06-05')).toEqual({ rate: '83.45', date: '2026-06-05', derived: 'direct' });
    expect(await rateOn(db, ctx, 'USD', 'INR', '2026-06-04')).toEqual({ rate: '83.1', date: '2026-06-01', derived: 'direct' });
    expect(MAX_RATE_AGE_DAYS).toBe(7);
    expect(await rateOn(db, ctx, 'USD', 'INR', '2026-06-12')).toMatchObject({ date: '2026-06-05' }); // 7 days old: still fine
    expect(await rateOn(db, ctx, 'USD', 'INR', '2026-06-13')).toBeNull(); // 8 days: too old
    expect(await rateOn(db, ctx, 'USD', 'INR', '2026-05-31')).toBeNull(); // nothing before
    expect(await rateOn(db, ctx, 'USD', 'USD', '2026-06-13')).toEqual({ rate: '1', date: '2026-06-13', derived: 'direct' });

    const conv = await ok('GET', '/fx-rates/convert?amount=1200&from=USD&to=INR&date=2026-06-06');
    expect(conv).toEqual({
      amount: { currency: 'USD', amount: '1200.00', minor: 120000 },
      converted: { currency: 'INR', amount: '100140.00', minor: 10014000 },
      rate: { from: 'USD', to: 'INR', rate: '83.45', date: '2026-06-05', derived: 'direct' },
    });
    const none = await fx.api.call('GET', '/fx-rates/convert?amount=1&from=USD&to=INR&date=2026-06-20');
    expect(none.status).toBe(422);
    expect(none.json.error.code).toBe('NO_FX_RATE');
    expect(none.json.error.message).toContain('No USD/INR rate on or before 2026-06-20');
    const decimals = await fx.api.call('GET', '/fx-rates/convert?amount=1.001&from=USD&to=INR&date=2026-06-06');
    expect(decimals.status).toBe(400);
    expect(decimals.json.error.details[0]).toMatchObject({ path: 'query.amount', message: expect.stringContaining('USD has 2 decimal place(s)') });
  });

  it('falls back to the inverse of the reverse pair, the newer of the two winning', async () => {
    await ok('PUT', '/fx-rates', {
      rates: [
        { date: '2026-07-01', base: 'INR', quote: 'JPY', rate: '1.8' }, // 1 INR = 1.8 JPY
        { date: '2026-07-03', base: 'JPY', quote: 'INR', rate: '0.55' },
      ],
    });
    const ctx = fx.org.admin;
    const db = fx.database.db;
    expect(await rateOn(db, ctx, 'JPY', 'INR', '2026-07-02')).toEqual({ rate: '0.5555555556', date: '2026-07-01', derived: 'inverse' });
    expect(await rateOn(db, ctx, 'JPY', 'INR', '2026-07-03')).toEqual({ rate: '0.55', date: '2026-07-03', derived: 'direct' });
    expect(await rateOn(db, ctx, 'INR', 'JPY', '2026-07-04')).toEqual({ rate: '1.8181818182', date: '2026-07-03', derived: 'inverse' });
    // JPY 0 decimals → INR 2 decimals: 10,000 JPY × 0.5555555556 = 5,555.555556 INR → 5,555.56
    const conv = await ok('GET', '/fx-rates/convert?amount=10000&from=JPY&to=INR&date=2026-07-02');
    expect(conv.converted).toEqual({ currency: 'INR', amount: '5555.56', minor: 555556 });
  });

  it('crosses two currencies through the base currency, dated the older of the two rates', async () => {
    await ok('PUT', '/fx-rates', {
      rates: [
        { date: '2026-08-03', base: 'EUR', quote: 'INR', rate: '90' },
        { date: '2026-08-05', base: 'USD', quote: 'INR', rate: '83' },
      ],
    });
    const ctx = fx.org.admin;
    // 90 / 83 = 1.08433734939759… → 10 decimals, half-up
    expect(await rateOn(fx.database.db, ctx, 'EUR', 'USD', '2026-08-06')).toEqual({ rate: '1.0843373494', date: '2026-08-03', derived: 'cross' });
    expect(await rateOn(fx.database.db, ctx, 'EUR', 'USD', '2026-08-04')).toBeNull(); // no USD/INR yet
    // KWD 3 decimals: EUR 1,000.00 → USD at 1.0843373494 = 1,084.3373494 → 1,084.34
    const conv = await ok('GET', '/fx-rates/convert?amount=1000&from=EUR&to=USD&date=2026-08-06');
    expect(conv).toMatchObject({ converted: { currency: 'USD', amount: '1084.34', minor: 108434 }, rate: { derived: 'cross', date: '2026-08-03' } });
  });
});

describe('order costs', () => {
  const order = async () => ok('POST', '/orders', orderInput(fx.master));
  const etagOf = async (id: string) => (await fx.api.call('GET', `/costs/${id}`)).headers.get('etag')!;

  it('records a cost in its own currency, with ETag and Location; lists and gets it; the history shows it', async () => {
    const o = await order();
    const res = await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'freight', amount: '1200', currency: 'USD', date: '2026-11-25', supplier: 'Blue Ocean Lines', reference: 'INV-77' } });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('location')).toBe(`/costs/${res.json.id}`);
    expect(res.json).toMatchObject({
      orderId: o.id,
      category: 'freight',
      description: 'Freight',
      amount: { currency: 'USD', amount: '1200.00', minor: 120000 },
      date: '2026-11-25',
      fxRate: null,
      supplier: 'Blue Ocean Lines',
      reference: 'INV-77',
      shipmentId: null,
      version: 1,
    });
    const kwd = await ok('POST', `/orders/${o.id}/costs`, { category: 'insurance', description: 'Marine cover', amount: '12.345', currency: 'KWD', date: '2026-11-21', fxRate: '272.5000' });
    expect(kwd).toMatchObject({ amount: { currency: 'KWD', amount: '12.345', minor: 12345 }, fxRate: '272.5' });
    const list = await ok('GET', `/orders/${o.id}/costs`);
    expect(list.items.map((c: any) => c.id)).toEqual([kwd.id, res.json.id]); // by date
    expect(await ok('GET', `/costs/${kwd.id}`)).toEqual(kwd);
    const history = (await ok('GET', `/orders/${o.id}/history`)).items;
    const added = history.filter((e: any) => e.action === 'order_cost.added');
    expect(added.map((e: any) => e.after)).toEqual([
      expect.objectContaining({ orderCostId: res.json.id, category: 'freight', amount: '1200.00', currency: 'USD' }),
      expect.objectContaining({ orderCostId: kwd.id, amount: '12.345', currency: 'KWD', fxRate: '272.5' }),
    ]);
  });

  it('checks the amount against the currency, the shipment against the order, and a base-currency rate', async () => {
    const o = await order();
    const other = await order();
    const shipment = await ok('POST', `/orders/${other.id}/shipments`, { allocations: [] });
    const mine = await ok('POST', `/orders/${o.id}/shipments`, { allocations: [] });
    for (const [amount, currency] of [['1.234', 'INR'], ['1.5', 'JPY'], ['0', 'USD'], ['-5', 'USD'], ['1e3', 'USD'], ['99999999999999', 'INR']] as const) {
      const r = await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'other', amount, currency, date: '2026-11-25' } });
      expect(r.status, `${amount} ${currency}: ${r.text}`).toBe(400);
      expect(r.json.error.details.map((d: any) => d.path), `${amount} ${currency}`).toContain('amount');
    }
    const wrongShipment = await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'freight', amount: '10', currency: 'USD', date: '2026-11-25', shipmentId: shipment.id } });
    expect(wrongShipment.status).toBe(422);
    expect(wrongShipment.json.error.details[0].path).toBe('shipmentId');
    expect((await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'freight', amount: '10', currency: 'USD', date: '2026-11-25', shipmentId: mine.id } })).status).toBe(201);
    const baseRate = await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'supplier', amount: '10', currency: 'INR', date: '2026-11-25', fxRate: '2' } });
    expect(baseRate.status).toBe(422);
    expect(baseRate.json.error.details[0].path).toBe('fxRate');
    expect((await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'supplier', amount: '10', currency: 'INR', date: '2026-11-25', fxRate: '1.00' } })).status).toBe(201);
    const ghost = await fx.api.call('POST', `/orders/${o.id.slice(0, -1)}${o.id.endsWith('Z') ? 'Y' : 'Z'}/costs`, { body: { category: 'supplier', amount: '10', currency: 'INR', date: '2026-11-25' } });
    expect(ghost.status).toBe(404);
    expect((await fx.api.call('POST', `/orders/${o.id}/costs`, { body: { category: 'rent', amount: '10', currency: 'INR', date: '2026-11-25' } })).json.error.details[0].path).toBe('category');
  });

  it('changes a cost under If-Match (428 without, 412 stale with the current cost); a change of nothing keeps the version', async () => {
    const o = await order();
    const c = await ok('POST', `/orders/${o.id}/costs`, { category: 'supplier', amount: '650000', currency: 'INR', date: '2026-11-22', supplier: 'Sri Murugan Knitting' });
    expect((await fx.api.call('PATCH', `/costs/${c.id}`, { body: { amount: '1' } })).status).toBe(428);
    const changed = await fx.api.call('PATCH', `/costs/${c.id}`, { body: { amount: '655000.50', reference: 'BILL-9', fxRate: null }, headers: { 'If-Match': '"1"' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(changed.json).toMatchObject({ amount: { amount: '655000.50', minor: 65500050 }, reference: 'BILL-9', version: 2 });
    const stale = await fx.api.call('PATCH', `/costs/${c.id}`, { body: { amount: '1' }, headers: { 'If-Match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    expect(stale.json.error.current).toMatchObject({ id: c.id, version: 2, amount: { amount: '655000.50' } });
    const same = await fx.api.call('PATCH', `/costs/${c.id}`, { body: { reference: 'BILL-9', supplier: 'Sri Murugan Knitting' }, headers: { 'If-Match': '"2"' } });
    expect(same.status).toBe(200);
    expect(same.json.version).toBe(2);
    // currency alone: the amount must fit the new currency's decimals
    const toJpy = await fx.api.call('PATCH', `/costs/${c.id}`, { body: { currency: 'JPY' }, headers: { 'If-Match': '"2"' } });
    expect(toJpy.status).toBe(400);
    expect(toJpy.json.error.details[0]).toMatchObject({ path: 'amount', message: expect.stringContaining('655000.5 does not fit JPY') });
    const both = await fx.api.call('PATCH', `/costs/${c.id}`, { body: { currency: 'JPY', amount: '1500000' }, headers: { 'If-Match': '"2"' } });
    expect(both.json).toMatchObject({ amount: { currency: 'JPY', amount: '1500000', minor: 1500000 }, version: 3 });
    const badBoth = await fx.api.call('PATCH', `/costs/${c.id}`, { body: { currency: 'JPY', amount: '1.5' }, headers: { 'If-Match': '"3"' } });
    expect(badBoth.status).toBe(400);
    const updates = (await ok('GET', `/orders/${o.id}/history`)).items.filter((e: any) => e.action === 'order_cost.updated');
    expect(updates.map((e: any) => [e.before, e.after])).toEqual([
      [
        { orderCostId: c.id, amount: '650000.00', reference: null },
        { orderCostId: c.id, amount: '655000.50', reference: 'BILL-9' },
      ],
      [
        { orderCostId: c.id, amount: '655000.50', currency: 'INR' },
        { orderCostId: c.id, amount: '1500000', currency: 'JPY' },
      ],
    ]);
  });

  it('removes a cost under If-Match; the history keeps what it was', async () => {
    const o = await order();
    const c = await ok('POST', `/orders/${o.id}/costs`, { category: 'bank_charges', amount: '1500', currency: 'INR', date: '2026-11-22' });
    expect((await fx.api.call('DELETE', `/costs/${c.id}`)).status).toBe(428);
    expect((await fx.api.call('DELETE', `/costs/${c.id}`, { headers: { 'If-Match': '"7"' } })).status).toBe(412);
    const del = await fx.api.call('DELETE', `/costs/${c.id}`, { headers: { 'If-Match': await etagOf(c.id) } });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await fx.api.call('GET', `/costs/${c.id}`)).status).toBe(404);
    expect((await ok('GET', `/orders/${o.id}/costs`)).items).toEqual([]);
    const removed = (await ok('GET', `/orders/${o.id}/history`)).items.find((e: any) => e.action === 'order_cost.removed');
    expect(removed.before).toMatchObject({ orderCostId: c.id, category: 'bank_charges', amount: '1500.00', currency: 'INR' });
  });

  it('only admin and finance record costs; every internal role reads them', async () => {
    const o = await order();
    const body = { category: 'other', amount: '1', currency: 'INR', date: '2026-11-22' };
    for (const role of ['ops', 'documentation', 'viewer'] as const) {
      expect((await fx.api.call('POST', `/orders/${o.id}/costs`, { key: fx.org.keys[role], body })).status, role).toBe(403);
      expect((await fx.api.call('GET', `/orders/${o.id}/costs`, { key: fx.org.keys[role] })).status, role).toBe(200);
    }
    expect((await fx.api.call('POST', `/orders/${o.id}/costs`, { key: fx.org.keys.finance, body })).status).toBe(201);
  });
});
