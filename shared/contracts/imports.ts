import { z } from 'zod';
import { TRANSPORT_MODES } from '../domain/incoterms.js';
import { IMPORT_FIELDS } from '../import/fields.js';
import { ErrorBody, Money } from './common.js';

/** Most rows one request may carry (the body limit of POST /imports, 16 MiB, usually binds first). */
export const MAX_IMPORT_ROWS = 100_000;
/** Most cells per row. */
export const MAX_IMPORT_COLUMNS = 200;
/** Longest text cell. */
export const MAX_IMPORT_CELL_CHARS = 10_000;

export const ImportField = z.enum(IMPORT_FIELDS).meta({ id: 'ImportField', description: 'A field an import can read from a column' });

export const ImportCell = z
  .union([z.string().max(MAX_IMPORT_CELL_CHARS), z.number(), z.boolean(), z.null()])
  .meta({ description: 'A raw cell: text, number, boolean or empty. Dates as ISO text (YYYY-MM-DD) or Excel serial numbers.' });

export const ImportDefaults = z
  .strictObject({
    currency: z.string().trim().min(1).max(10).optional().meta({ description: 'Order currency when no column gives it (ISO code or symbol)', example: 'USD' }),
    portOfLoading: z.string().trim().min(1).max(100).optional().meta({ description: 'Port of loading when no column gives it (UN/LOCODE or name)', example: 'INNSA' }),
    transportMode: z.string().trim().min(1).max(40).optional().meta({ description: `Transport mode when no column gives it (${TRANSPORT_MODES.join(', ')}); sea when not set` }),
    incoterm: z.string().trim().min(1).max(120).optional().meta({ description: 'Incoterm (with place) when no column gives it', example: 'FOB Nhava Sheva' }),
    paymentTerms: z.string().trim().min(1).max(200).optional().meta({ description: 'Payment terms text when no column gives them', example: '30% advance, 70% against B/L copy' }),
    datePreference: z.enum(['DMY', 'MDY']).optional().meta({ description: 'How to read numeric dates such as 05/12/2026; without it an ambiguous date is an error' }),
  })
  .meta({ id: 'ImportDefaults' });
export type ImportDefaults = z.infer<typeof ImportDefaults>;

export const ImportRequest = z
  .strictObject({
    mode: z.enum(['dry_run', 'commit']).meta({ description: 'dry_run reports what would happen and writes nothing; commit writes everything or, on any error, nothing' }),
    onExisting: z
      .enum(['create_only', 'upsert'])
      .default('create_only')
      .meta({ description: 'create_only: a reference that already exists is an error; upsert: an existing editable order gets its header and complete set of lines replaced' }),
    rows: z
      .array(z.array(ImportCell).max(MAX_IMPORT_COLUMNS))
      .max(MAX_IMPORT_ROWS)
      .meta({ description: 'The sheet\'s data rows as raw cells, one row per order line, the header row NOT included' }),
    firstRow: z.number().int().min(1).max(1_048_576).default(2).meta({ description: 'Sheet row number of rows[0], used in the report' }),
    firstColumn: z.number().int().min(0).max(16_383).default(0).meta({ description: '0-based sheet column of rows[*][0], used for column letters in the report' }),
    columns: z
      .partialRecord(ImportField, z.number().int().min(0).max(MAX_IMPORT_COLUMNS - 1))
      .meta({ description: '0-based index into each row of the cell holding each field. Required: reference, buyer, portOfDischarge, sku, quantity, unitPrice' }),
    defaults: ImportDefaults.optional(),
  })
  .meta({ id: 'ImportRequest' });
export type ImportRequest = z.infer<typeof ImportRequest>;
export type ImportRequestInput = z.input<typeof ImportRequest>;

export const ImportMessage = z
  .object({
    severity: z.enum(['error', 'warning', 'note']),
    field: ImportField.optional(),
    column: z.string().optional().meta({ description: 'Sheet column letter', example: 'F' }),
    cell: z.string().optional().meta({ description: 'Sheet cell reference', example: 'F12' }),
    value: z.union([z.string(), z.number(), z.boolean()]).optional().meta({ description: 'The cell as sent' }),
    message: z.string(),
  })
  .meta({ id: 'ImportMessage' });
export type ImportMessage = z.infer<typeof ImportMessage>;

export const ImportAction = z.enum(['create', 'update', 'unchanged']);
export type ImportAction = z.infer<typeof ImportAction>;

export const ImportRowResult = z
  .object({
    row: z.number().int().meta({ description: 'Sheet row number' }),
    status: z.enum(['ok', 'warning', 'error', 'skipped']).meta({ description: 'skipped: a blank or subtotal row' }),
    reference: z.string().optional(),
    orderId: z.string().optional().meta({ description: 'The order this row belongs to, when it exists (after a commit, or an existing order in upsert)' }),
    action: ImportAction.optional(),
    messages: z.array(ImportMessage),
  })
  .meta({ id: 'ImportRowResult' });
export type ImportRowResult = z.infer<typeof ImportRowResult>;

export const ImportOrderResult = z
  .object({
    reference: z.string(),
    action: ImportAction,
    orderId: z.string().optional(),
    lineCount: z.number().int(),
    total: Money.optional().meta({ description: 'Order total as it would be (or was) saved; absent when a line has an error' }),
    rows: z.array(z.number().int()).meta({ description: 'Sheet rows of the order\'s lines' }),
  })
  .meta({ id: 'ImportOrderResult' });
export type ImportOrderResult = z.infer<typeof ImportOrderResult>;

export const ImportSummary = z
  .object({
    rows: z.number().int().meta({ description: 'Rows received' }),
    lineRows: z.number().int().meta({ description: 'Rows read as order lines' }),
    skippedRows: z.number().int().meta({ description: 'Blank and subtotal rows' }),
    orders: z.number().int().meta({ description: 'Distinct order references' }),
    toCreate: z.number().int(),
    toUpdate: z.number().int(),
    unchanged: z.number().int(),
    errorRows: z.number().int(),
    warningRows: z.number().int(),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ImportReport = z
  .object({
    mode: z.enum(['dry_run', 'commit']),
    committed: z.boolean().meta({ description: 'True when the orders were written' }),
    summary: ImportSummary,
    rows: z.array(ImportRowResult).meta({ description: 'One entry per input row, in order' }),
    orders: z.array(ImportOrderResult),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof ImportReport>;

/** 422 IMPORT_REJECTED: the error body with the full report; nothing was written. */
export const ImportRejected = z
  .object({ error: ErrorBody.shape.error.extend({ report: ImportReport.optional().meta({ description: 'On IMPORT_REJECTED: the full report' }) }) })
  .meta({ id: 'ImportRejected' });
