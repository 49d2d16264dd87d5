import { z } from 'zod';
import { DOCUMENT_FORMATS, DOCUMENT_KINDS } from '../documents/snapshot.js';
import { Id, Timestamp } from './common.js';

export const DocumentKind = z.enum(DOCUMENT_KINDS);
export const DocumentFormat = z.enum(DOCUMENT_FORMATS);
export const DocumentStatus = z.enum(['draft', 'approved', 'final', 'superseded']);
export const DocumentId = Id('doc');

export const DocumentGenerate = z
  .strictObject({
    shipmentId: Id('shp').optional().meta({ description: 'Only this shipment\'s documents; default: the proforma for the order and the shipping pack for every live shipment (or for the order when it has none)' }),
    kinds: z.array(DocumentKind).min(1).max(5).optional().meta({ description: 'Only these kinds (default: all five)' }),
  })
  .meta({ id: 'DocumentGenerate' });
export type DocumentGenerate = z.infer<typeof DocumentGenerate>;

export const DocumentFinding = z.object({
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  path: z.string(),
  message: z.string(),
});

export const StaleReason = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });

export const ExportDocument = z
  .object({
    id: z.string(),
    orderId: z.string(),
    shipmentId: z.string().nullable(),
    kind: DocumentKind,
    format: DocumentFormat,
    version: z.number().int(),
    status: DocumentStatus,
    number: z.string().meta({ description: 'Invoice or proforma number, shared by the documents of one order or shipment' }),
    documentDate: z.string(),
    contentHash: z.string().meta({ description: 'SHA-256 of the file' }),
    factsHash: z.string().meta({ description: 'SHA-256 of the facts the documents of one scope must agree on' }),
    size: z.number().int(),
    findings: z.array(DocumentFinding).meta({ description: 'Validation findings (errors and warnings) when the version was made' }),
    stale: z.boolean().meta({ description: 'The order or shipment changed since this version was made: what it prints no longer matches' }),
    staleReasons: z.array(StaleReason),
    downloadUrl: z.string(),
    createdAt: Timestamp,
    createdBy: z.string(),
    approvedAt: Timestamp.nullable(),
    approvedBy: z.string().nullable(),
    finalizedAt: Timestamp.nullable(),
    finalizedBy: z.string().nullable(),
    supersededAt: Timestamp.nullable(),
  })
  .meta({ id: 'ExportDocument' });
export type ExportDocument = z.infer<typeof ExportDocument>;

export const DocumentScopeCheck = z
  .object({
    shipmentId: z.string().nullable(),
    consistent: z.boolean().meta({ description: 'All final documents of this scope were made from the same facts, and those facts are current' }),
    staleDocumentIds: z.array(z.string()),
  })
  .meta({ id: 'DocumentScopeCheck' });

export const DocumentList = z
  .object({ items: z.array(ExportDocument), scopes: z.array(DocumentScopeCheck) })
  .meta({ id: 'DocumentList', description: 'The latest version of each document, plus the consistency check per scope' });
export type DocumentList = z.infer<typeof DocumentList>;

export const DocumentTransition = z.strictObject({ to: z.enum(['approved', 'final']) }).meta({ id: 'DocumentTransition' });
export type DocumentTransition = z.infer<typeof DocumentTransition>;
