import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { DocumentGenerate, DocumentId, DocumentList, DocumentTransition, ExportDocument } from '../../../shared/contracts/documents.js';
import { OrderId } from '../../../shared/contracts/orders.js';
import type { AppEnv } from '../http/env.js';
import { IdParam, apiRoute, jsonBody, jsonResponse } from '../http/route.js';
import { documentContent, generateDocuments, getDocument, listDocuments, transitionDocument } from '../services/documents/documents.js';
import { CONTENT_TYPES } from '../services/documents/store.js';

const tags = ['Documents'];
const binary = z.string().meta({ format: 'binary' });

/** Export documents: generate the pack, list with staleness, download, approve and finalise. */
export function documentRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/orders/{id}/documents',
      tags,
      summary: 'Generate the document pack (drafts)',
      description:
        'Proforma invoice for the order; commercial invoice (docx, xlsx), packing list (docx, xlsx), certificate of origin application and shipping instructions per shipment — all from one snapshot per scope. Send `{}` for everything.',
      permission: ['documents:write'],
      errors: [409, 422],
      request: { params: IdParam(OrderId), body: jsonBody(DocumentGenerate) },
      responses: { 201: jsonResponse(z.object({ items: z.array(ExportDocument) }), 'The drafts made') },
    }),
    async (c) => c.json({ items: await generateDocuments(c.var.ctx, c.req.valid('param').id, c.req.valid('json')) }, 201),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/orders/{id}/documents',
      tags,
      summary: 'An order\'s documents, latest versions, with staleness and the consistency check per shipment',
      permission: ['documents:read'],
      request: { params: IdParam(OrderId) },
      responses: { 200: jsonResponse(DocumentList, 'Documents') },
    }),
    async (c) => c.json(await listDocuments(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/documents/{id}',
      tags,
      summary: 'One document version, with the snapshot it was made from',
      permission: ['documents:read'],
      request: { params: IdParam(DocumentId) },
      responses: { 200: jsonResponse(ExportDocument.extend({ snapshot: z.record(z.string(), z.unknown()) }), 'The document') },
    }),
    async (c) => c.json(await getDocument(c.var.ctx, c.req.valid('param').id), 200),
  );
  app.openapi(
    apiRoute({
      method: 'get',
      path: '/documents/{id}/content',
      tags,
      summary: 'Download the file',
      permission: ['documents:read'],
      request: { params: IdParam(DocumentId) },
      responses: { 200: { description: 'The .docx or .xlsx file', content: { [CONTENT_TYPES.docx]: { schema: binary }, [CONTENT_TYPES.xlsx]: { schema: binary } } } },
    }),
    async (c) => {
      const file = await documentContent(c.var.ctx, c.req.valid('param').id);
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
        ETag: `"${file.contentHash}"`,
        'Cache-Control': 'private, max-age=0, must-revalidate',
      }) as never;
    },
  );
  app.openapi(
    apiRoute({
      method: 'post',
      path: '/documents/{id}/transitions',
      tags,
      summary: 'Approve or finalise a document',
      description: 'draft → approved → final. Finalising needs current facts (else 409 DOCUMENT_OUTDATED) and no validation error (else 422 DOCUMENT_BLOCKED); the previous final version is superseded.',
      permission: ['documents:write'],
      errors: [409, 422],
      request: { params: IdParam(DocumentId), body: jsonBody(DocumentTransition) },
      responses: { 200: jsonResponse(ExportDocument, 'The document in its new status') },
    }),
    async (c) => c.json(await transitionDocument(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  );
}
