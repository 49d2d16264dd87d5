import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  FxConversion,
  FxConvertQuery,
  FxCsvImport,
  FxCsvImportResult,
  FxImportQuery,
  FxRateBatch,
  FxRatePage,
  FxRateQuery,
  FxRateUpsertResult,
  MAX_FX_BATCH,
  MAX_FX_CSV_ROWS,
  OrderCost,
  OrderCostCreate,
  OrderCostId,
  OrderCostList,
  OrderCostUpdate,
  Profitability,
  ProfitabilityQuery,
} from '../../../shared/contracts/fx.js';
import { OrderId } from '../../../shared/contracts/orders.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { XLSX_TYPE } from '../reports/xlsx-table.js';
import { invalid } from '../services/errors.js';
import { createOrderCost, deleteOrderCost, getOrderCost, listOrderCosts, updateOrderCost } from '../services/money/costs.js';
import { MAX_RATE_AGE_DAYS, convertAmount, importFxRates, listFxRates, putFxRates } from '../services/money/fx-rates.js';
import { orderProfitability } from '../services/money/profitability.js';
import { profitabilityXlsx } from '../services/money/profitability-xlsx.js';

const tags = ['FX and profitability'];
const binary = z.string().meta({ format: 'binary' });
const lookup = `The latest rate dated on or before the date, at most ${MAX_RATE_AGE_DAYS} days older; else 1 / the reverse pair; else a cross rate through the base currency.`;

/** FX rates, order costs and order profitability. */
export function fxRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'put',
      path: '/fx-rates',
      tags,
      summary: `Set FX rates: up to ${MAX_FX_BATCH} per request, each for a date and a pair`,
      description:
        'Each rate is inserted, or replaces the rate stored for the same date and pair. `rate` is units of `quote` per 1 `base`, a positive decimal string with at most 10 decimals. All or nothing: any invalid item answers 400 with one detail per field (`rates.3.rate`) and nothing is written.',
      permission: ['payments:write'],
      request: { body: jsonBody(FxRateBatch) },
      responses: { 200: jsonResponse(FxRateUpsertResult, 'What was created, replaced and already so') },
    }),
    async (c) => c.json(await putFxRates(c.var.ctx, c.req.valid('json')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/fx-rates',
      tags,
      summary: 'List FX rates',
      description: 'Newest date first, then by pair; filter by `base`, `quote` and a date range.',
      permission: ['payments:read'],
      request: { query: FxRateQuery },
      responses: { 200: jsonResponse(FxRatePage, 'A page of rates') },
    }),
    async (c) => c.json(await listFxRates(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/fx-rates/import',
      tags,
      summary: 'Import FX rates from CSV',
      description: [
        `Columns \`date,base,quote,rate\` with a header row (any order, other columns ignored), up to ${MAX_FX_CSV_ROWS} rows; quoted fields, CRLF line ends, a byte order mark and \`;\` or tab delimiters are fine.`,
        'Send `{ "csv": "…", "mode": "dry_run" }` as JSON, or the CSV itself as `text/csv` with `?mode=dry_run`.',
        '`dry_run` reports the counts and every problem by CSV line and column and writes nothing; `commit` (the default) writes every row or, on any problem, none: 422 FX_IMPORT_REJECTED, details `lines.7.rate`, the full result in `error.report`.',
      ].join(' '),
      permission: ['payments:write'],
      errors: [422],
      request: {
        query: FxImportQuery,
        body: { required: false, content: { 'application/json': { schema: FxCsvImport }, 'text/csv': { schema: z.string() } } },
      },
      responses: { 200: jsonResponse(FxCsvImportResult, 'The import (or, for a dry run, what it would do)') },
    }),
    async (c) => {
      const query = c.req.valid('query');
      let csv: string | undefined;
      let mode = query.mode;
      if (/^text\/csv\b/i.test(c.req.header('Content-Type') ?? '')) csv = await c.req.text();
      else {
        const body = c.req.valid('json') as Partial<FxCsvImport>;
        csv = body.csv;
        mode = body.mode ?? mode;
      }
      if (csv === undefined) throw invalid('The request is not valid; see details', [{ path: 'csv', message: 'Required: send { "csv": "…" } or the CSV as text/csv', code: 'required' }]);
      return c.json(await importFxRates(c.var.ctx, csv, mode ?? 'commit'), 200);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/fx-rates/convert',
      tags,
      summary: 'Convert an amount at the rate on a date',
      description: `${lookup} The result is rounded half-up once to the target currency's minor unit. 422 NO_FX_RATE names the pair and date when there is no rate.`,
      permission: ['payments:read'],
      errors: [422],
      request: { query: FxConvertQuery },
      responses: { 200: jsonResponse(FxConversion, 'The amount, the converted amount and the rate used') },
    }),
    async (c) => c.json(await convertAmount(c.var.ctx, c.req.valid('query')), 200),
  );

  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/costs',
      tags,
      summary: 'Record a cost of the order',
      description:
        'Supplier purchases, freight, insurance, bank charges or other, each in its own currency (`amount` in major units with at most that currency\'s decimals). `fxRate` (base-currency units per 1 unit) fixes the conversion; without it the FX table\'s rate on `date` is used. `shipmentId` must be a shipment of this order. Recorded in the order\'s history.',
      permission: ['payments:write'],
      errors: [422],
      request: { params: IdParam(OrderId), body: jsonBody(OrderCostCreate) },
      responses: { 201: jsonResponse(OrderCost, 'Created', true) },
    }),
    async (c) => {
      const cost = await createOrderCost(c.var.ctx, c.req.valid('param').id, c.req.valid('json'));
      c.header('Location', `/costs/${cost.id}`);
      return c.json(withEtag(c, cost), 201);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/costs',
      tags,
      summary: 'An order\'s costs',
      permission: ['payments:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(OrderCostList, 'Costs, by date') },
    }),
    async (c) => c.json({ items: await listOrderCosts(c.var.ctx, c.req.valid('param').id) }, 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/costs/{id}', tags, summary: 'Get a cost', permission: ['payments:read'], request: { params: IdParam(OrderCostId) }, responses: { 200: jsonResponse(OrderCost, 'The cost', true) } }),
    async (c) => c.json(withEtag(c, await getOrderCost(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/costs/{id}',
      tags,
      summary: 'Change a cost',
      description: 'Requires If-Match. `fxRate: null` goes back to the FX table\'s rate. Changing the currency alone keeps the amount, if it fits the new currency\'s decimals.',
      permission: ['payments:write'],
      errors: [412, 422, 428],
      request: { params: IdParam(OrderCostId), headers: IfMatchHeader, body: jsonBody(OrderCostUpdate) },
      responses: { 200: jsonResponse(OrderCost, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updateOrderCost(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'delete',
      path: '/costs/{id}',
      tags,
      summary: 'Remove a cost',
      description: 'Requires If-Match. The order\'s history keeps what the cost was.',
      permission: ['payments:write'],
      errors: [412, 428],
      request: { params: IdParam(OrderCostId), headers: IfMatchHeader },
      responses: { 204: { description: 'Removed' } },
    }),
    async (c) => {
      await deleteOrderCost(c.var.ctx, c.req.valid('param').id, expectedVersion(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/profitability',
      tags,
      summary: 'Order profitability in the base currency: revenue at booked and realised rates, costs, FX gain or loss, margin',
      description: [
        'Every figure in the organisation\'s base currency, each conversion rounded half-up once:',
        'booked rate = the FX table\'s order currency → base rate on the day the order was first confirmed (else created);',
        'receipts at the bank\'s rate (realised) and at the booked rate, the difference being the realised FX gain;',
        'what is outstanding at today\'s rate and at the booked rate (unrealised gain); write-offs at the booked rate;',
        'costs each at its fixed rate or the FX table\'s rate on its date, plus this order\'s share of its receipts\' bank charges.',
        `${lookup} A missing rate is listed in \`problems\` and the figures that need it are null.`,
        'With `?format=xlsx` or `Accept: ' + XLSX_TYPE + '`: the same as a spreadsheet.',
      ].join(' '),
      permission: ['payments:read'],
      request: { params: IdParam(OrderId), query: ProfitabilityQuery },
      responses: {
        200: {
          description: 'The figures, with the rates used and their dates',
          content: { 'application/json': { schema: Profitability }, [XLSX_TYPE]: { schema: binary } },
        },
      },
    }),
    async (c) => {
      const { format } = c.req.valid('query');
      const p = await orderProfitability(c.var.ctx, c.req.valid('param').id);
      c.header('Vary', 'Accept');
      const xlsx = format === 'xlsx' || (format === undefined && (c.req.header('Accept') ?? '').includes(XLSX_TYPE));
      if (!xlsx) return c.json(p, 200);
      const bytes = await profitabilityXlsx(p);
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': XLSX_TYPE,
        'Content-Disposition': `attachment; filename="profitability-${p.reference.replace(/[^A-Za-z0-9_.-]/g, '-')}.xlsx"`,
        'Cache-Control': 'private, no-store',
      }) as never;
    },
  );
}
