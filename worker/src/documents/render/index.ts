/**
 * Document renderers: a pure function from a snapshot, a document number and date, the declarations and a
 * layout to the bytes of a Word or Excel file. Same input, same bytes (timestamps inside the files are the
 * document date; see docx/render.ts and zip.ts).
 *
 *   const layout = documentLayout('commercial_invoice');          // templates/documents
 *   const bytes = await renderDocument({ kind: 'commercial_invoice', format: 'xlsx', snapshot, … }, layout);
 */
import type { DocumentLayout } from '../../../../shared/documents/layout.js';
import { KIND_FORMATS } from '../../../../shared/documents/snapshot.js';
import { renderDocx } from './docx/render.js';
import { buildModel } from './model.js';
import { RenderError, type RenderInput } from './types.js';
import { renderXlsx } from './xlsx/render.js';

export type { DocumentStatus, RenderInput } from './types.js';
export { RenderError } from './types.js';
export { buildModel, type DocumentModel } from './model.js';

export const MIME_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export async function renderDocument(input: RenderInput, layout: DocumentLayout): Promise<Uint8Array> {
  if (layout.kind !== input.kind) throw new RenderError(`Layout is for ${layout.kind}, not ${input.kind}`);
  if (!KIND_FORMATS[input.kind].includes(input.format)) throw new RenderError(`${input.kind} is not produced as ${input.format}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.documentDate)) throw new RenderError(`documentDate must be an ISO date (YYYY-MM-DD): ${input.documentDate}`);
  if (!input.documentNumber.trim()) throw new RenderError('documentNumber is empty');
  const model = buildModel(input, layout);
  return input.format === 'docx' ? renderDocx(model) : renderXlsx(model);
}
