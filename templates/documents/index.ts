/**
 * Registry of the document layouts. The JSON files are imported statically, so they are bundled with the
 * Worker (no file system at run time), and validated once, when this module loads: a broken layout fails
 * the first import, and the tests, not a render in production.
 */
import { DocumentLayout } from '../../shared/documents/layout.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../../shared/documents/snapshot.js';
import certificateOfOrigin from './certificate-of-origin.json' with { type: 'json' };
import commercialInvoice from './commercial-invoice.json' with { type: 'json' };
import packingList from './packing-list.json' with { type: 'json' };
import proformaInvoice from './proforma-invoice.json' with { type: 'json' };
import shippingInstructions from './shipping-instructions.json' with { type: 'json' };

const FILES: Record<DocumentKind, unknown> = {
  proforma_invoice: proformaInvoice,
  commercial_invoice: commercialInvoice,
  packing_list: packingList,
  certificate_of_origin: certificateOfOrigin,
  shipping_instructions: shippingInstructions,
};

function load(kind: DocumentKind): DocumentLayout {
  const parsed = DocumentLayout.safeParse(FILES[kind]);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Layout templates/documents for ${kind} is invalid: ${issues}`);
  }
  if (parsed.data.kind !== kind) throw new Error(`Layout file for ${kind} declares kind ${parsed.data.kind}`);
  return parsed.data;
}

/** The default layout of every document kind, validated. */
export const DOCUMENT_LAYOUTS: Readonly<Record<DocumentKind, DocumentLayout>> = Object.freeze(
  Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind, load(kind)])) as Record<DocumentKind, DocumentLayout>,
);

/** The default layout of a document kind. */
export function documentLayout(kind: DocumentKind): DocumentLayout {
  return DOCUMENT_LAYOUTS[kind];
}
