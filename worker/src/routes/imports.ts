import { OpenAPIHono } from '@hono/zod-openapi';
import { ImportRejected, ImportReport, ImportRequest } from '../../../shared/contracts/imports.js';
import type { AppEnv } from '../http/env.js';
import { apiRoute, jsonBody, jsonResponse } from '../http/route.js';
import { importOrders } from '../services/imports/index.js';

/** Largest body POST /imports accepts (the rest of the API keeps MAX_BODY_BYTES). */
export const MAX_IMPORT_BODY_BYTES = 16 * 1024 * 1024;

/** Bulk import of exporters' order sheets. */
export function importRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/imports',
      tags: ['Imports'],
      summary: 'Import orders from spreadsheet rows (dry run or commit)',
      description: [
        'Rows are one order line each, with the order\'s header fields repeated (or blank after its first line); `columns` says which cell holds which field.',
        'Cells are normalised (Indian and international digit grouping, currency symbols, dates — an ambiguous DD/MM vs MM/DD date is an error unless `defaults.datePreference` is set —, "FOB Nhava Sheva Incoterms 2020", HS codes with dots, country and port names, payment terms such as "30% adv bal CAD").',
        'Every input row gets an entry in the report, with messages pinned to their cell ("F12").',
        '`dry_run` answers 200 with the report and writes nothing. `commit` writes every order in one transaction, or nothing: any error answers 422 IMPORT_REJECTED with the report in `error.report`.',
        `Body limit ${MAX_IMPORT_BODY_BYTES / 1024 / 1024} MiB. Honours \`Idempotency-Key\`.`,
      ].join('\n\n'),
      permission: ['orders:write'],
      errors: [409],
      request: { body: jsonBody(ImportRequest) },
      responses: {
        200: jsonResponse(ImportReport, 'The report: what was (commit) or would be (dry run) created, updated or left unchanged'),
        422: {
          description: 'IMPORT_REJECTED (rows with errors; `error.report` holds the full report, nothing was written), IMPORT_MAPPING_INCOMPLETE (a required field has no column), IMPORT_DEFAULTS_INVALID or IMPORT_EMPTY',
          content: { 'application/json': { schema: ImportRejected } },
        },
      },
    }),
    async (c) => c.json(await importOrders(c.var.ctx, c.req.valid('json')), 200),
  );
}
