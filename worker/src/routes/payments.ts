import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { OrderId } from '../../../shared/contracts/orders.js';
import {
  AllocationId,
  LetterOfCredit,
  LetterOfCreditInput,
  OrderPayments,
  PaymentMilestone,
  PaymentMilestoneId,
  PaymentMilestoneUpdate,
  Realisation,
  RealisationInput,
  Receipt,
  ReceiptAllocate,
  ReceiptCreate,
  ReceiptId,
  ReceiptListQuery,
  ReceiptPage,
  Receivables,
  ReceivablesQuery,
  WriteOffInput,
} from '../../../shared/contracts/payments.js';
import { ShipmentId } from '../../../shared/contracts/shipments.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, IfMatchHeader, apiRoute, expectedVersion, jsonBody, jsonResponse, withEtag } from '../http/route.js';
import { XLSX_TYPE } from '../reports/xlsx-table.js';
import { getOrderPayments, putLetterOfCredit, updatePaymentMilestone, writeOffMilestone } from '../services/money/payments.js';
import { getRealisation, putRealisation } from '../services/money/realisation.js';
import { allocateReceiptCredit, createReceipt, getReceipt, listReceipts, reverseAllocation } from '../services/money/receipts.js';
import { receivables, receivablesXlsx } from '../services/money/receivables.js';

const tags = ['Payments'];
const binary = z.string().meta({ format: 'binary' });

/** Payment milestones, letters of credit, receipts with their allocations, e-BRC and receivables. */
export function paymentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/payments',
      tags,
      summary: "An order's payment milestones, receipts against them and letter of credit",
      description:
        'Milestones come from the payment terms (e.g. 30% advance due on confirmation, 70% against copy of B/L due on the B/L date) and follow the order total. Status on today: pending (due date not known yet), due, partly_paid, overdue, paid.',
      permission: ['payments:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(OrderPayments, 'Payments of the order') },
    }),
    async (c) => c.json(await getOrderPayments(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'put',
      path: '/orders/{id}/letter-of-credit',
      tags,
      summary: 'Record or replace the letter of credit of an LC order',
      description: 'Creating answers 201 without If-Match; replacing needs If-Match. Warnings: latest shipment date or expiry near or passed, presentation deadline (B/L date + presentation days, at most the expiry).',
      permission: ['payments:write'],
      errors: [412, 422, 428],
      request: { params: IdParam(OrderId), headers: IfMatchHeader, body: jsonBody(LetterOfCreditInput) },
      responses: { 200: jsonResponse(LetterOfCredit, 'Replaced', true), 201: jsonResponse(LetterOfCredit, 'Recorded', true) },
    }),
    async (c) => {
      const version = c.req.header('If-Match') ? expectedVersion(c) : null;
      const { lc, created } = await putLetterOfCredit(c.var.ctx, c.req.valid('param').id, version, c.req.valid('json'));
      return c.json(withEtag(c, lc), created ? 201 : 200);
    },
  );
  app.openapi(
    apiRoute({
      method: 'patch',
      path: '/payment-milestones/{id}',
      tags,
      summary: "Set a payment milestone's due date by hand",
      description: 'E.g. the maturity date the bank advised for a usance bill; `dueDate: null` follows the terms again. Requires If-Match.',
      permission: ['payments:write'],
      errors: [412, 428],
      request: { params: IdParam(PaymentMilestoneId), headers: IfMatchHeader, body: jsonBody(PaymentMilestoneUpdate) },
      responses: { 200: jsonResponse(PaymentMilestone, 'Updated', true) },
    }),
    async (c) => c.json(withEtag(c, await updatePaymentMilestone(c.var.ctx, c.req.valid('param').id, expectedVersion(c), c.req.valid('json'))), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/payment-milestones/{id}/write-off',
      tags,
      summary: 'Write off a short payment',
      description: 'Closes what is left of a milestone explicitly (at most its outstanding amount, else 409), with a reason. Reversible with DELETE /allocations/{id}.',
      permission: ['payments:write'],
      errors: [409, 422],
      request: { params: IdParam(PaymentMilestoneId), body: jsonBody(WriteOffInput) },
      responses: { 200: jsonResponse(PaymentMilestone, 'The milestone after the write-off') },
    }),
    async (c) => c.json(await writeOffMilestone(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/receipts',
      tags,
      summary: 'Record money received from a buyer',
      description:
        'Amount, currency, value date, bank reference (unique), bank charges and the rate the bank applied (base per 1 unit). Allocated in the same transaction: to the given milestones, or, without `allocations`, to the buyer\'s open milestones in that currency, oldest due first. What is not allocated stays as the buyer\'s credit. Problems name the field (`allocations[1].amount`); nothing is written then.',
      permission: ['payments:write'],
      errors: [409, 422],
      request: { body: jsonBody(ReceiptCreate) },
      responses: { 201: jsonResponse(Receipt, 'Recorded') },
    }),
    async (c) => {
      const receipt = await createReceipt(c.var.ctx, c.req.valid('json'));
      c.header('Location', `/receipts/${receipt.id}`);
      return c.json(receipt, 201);
    },
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/receipts', tags, summary: 'List receipts', permission: ['payments:read'], request: { query: ReceiptListQuery }, responses: { 200: jsonResponse(ReceiptPage, 'A page of receipts') } }),
    async (c) => c.json(await listReceipts(c.var.ctx, c.req.valid('query')), 200),
  );
  app.openapi(
    apiRoute({ method: 'get', path: '/receipts/{id}', tags, summary: 'A receipt with its allocations', permission: ['payments:read'], request: { params: IdParam(ReceiptId) }, responses: { 200: jsonResponse(Receipt, 'The receipt') } }),
    async (c) => c.json(await getReceipt(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/receipts/{id}/allocations',
      tags,
      summary: "Allocate a receipt's remaining credit",
      permission: ['payments:write'],
      errors: [409, 422],
      request: { params: IdParam(ReceiptId), body: jsonBody(ReceiptAllocate) },
      responses: { 200: jsonResponse(Receipt, 'The receipt with its allocations') },
    }),
    async (c) => c.json(await allocateReceiptCredit(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(
    apiRoute({
      method: 'delete',
      path: '/allocations/{id}',
      tags,
      summary: 'Reverse an allocation or a write-off',
      description: 'The money goes back to the receipt as credit; the milestone is owed again.',
      permission: ['payments:write'],
      request: { params: IdParam(AllocationId) },
      responses: { 200: jsonResponse(z.object({ id: z.string(), milestoneId: z.string(), receiptId: z.string().nullable() }), 'Reversed') },
    }),
    async (c) => c.json(await reverseAllocation(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'put',
      path: '/shipments/{id}/realisation',
      tags,
      summary: "Record a shipment's export proceeds realisation (e-BRC)",
      description: 'e-BRC number and date, amount realised (and its base-currency value). Only for shipped shipments. Replacing needs If-Match.',
      permission: ['payments:write'],
      errors: [412, 422, 428],
      request: { params: IdParam(ShipmentId), headers: IfMatchHeader, body: jsonBody(RealisationInput) },
      responses: { 200: jsonResponse(Realisation, 'Corrected', true), 201: jsonResponse(Realisation, 'Recorded', true) },
    }),
    async (c) => {
      const version = c.req.header('If-Match') ? expectedVersion(c) : null;
      const { realisation, created } = await putRealisation(c.var.ctx, c.req.valid('param').id, version, c.req.valid('json'));
      return c.json(withEtag(c, realisation), created ? 201 : 200);
    },
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/shipments/{id}/realisation',
      tags,
      summary: "A shipment's e-BRC and realisation against its invoice value",
      description: 'Before an e-BRC is recorded the realisation fields are null, `version` is 0 and the shortfall is the whole invoice value.',
      permission: ['payments:read'],
      request: { params: IdParam(ShipmentId) },
      responses: { 200: jsonResponse(Realisation, 'The realisation', true) },
    }),
    async (c) => c.json(withEtag(c, await getRealisation(c.var.ctx, c.req.valid('param').id)), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/reports/receivables',
      tags,
      summary: 'Receivables aged per buyer and currency',
      description: 'Outstanding payment milestones of confirmed orders, in buckets: due date not known yet, not due, 1–30, 31–60, 61–90 and over 90 days overdue; with unapplied credit. `format=xlsx` downloads it as a workbook.',
      permission: ['payments:read'],
      request: { query: ReceivablesQuery },
      responses: { 200: { description: 'The report', content: { 'application/json': { schema: Receivables }, [XLSX_TYPE]: { schema: binary } } } },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.format === 'xlsx') {
        const file = await receivablesXlsx(c.var.ctx, q);
        return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': `attachment; filename="${file.filename}"` }) as never;
      }
      return c.json(await receivables(c.var.ctx, q), 200);
    },
  );
}
