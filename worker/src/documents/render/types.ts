import type { DocumentFormat, DocumentKind, DocumentSnapshot } from '../../../../shared/documents/snapshot.js';

export type DocumentStatus = 'draft' | 'approved' | 'final';

/** Everything a renderer needs; rendering is a pure function of this and the layout. */
export interface RenderInput {
  kind: DocumentKind;
  format: DocumentFormat;
  snapshot: DocumentSnapshot;
  /** This document's number, e.g. "KK/CI/2026-27/0141-S1". */
  documentNumber: string;
  /** This document's date, ISO 8601 (YYYY-MM-DD). Also the timestamp written into the file's metadata. */
  documentDate: string;
  /** Declarations chosen by the rule engine, printed in the given order. */
  declarations: { id: string; text: string }[];
  /** Shipping instructions: documents the forwarder or bank must receive. */
  requiredDocuments?: { code: string; name: string }[];
  status: DocumentStatus;
  /**
   * Numbers and dates of other documents of the same pack, for documents that cite them (the packing list,
   * certificate of origin and shipping instructions cite the commercial invoice). Not in the snapshot, which is
   * taken before documents are numbered.
   */
  relatedDocuments?: { kind: DocumentKind; number: string; date: string }[];
}

export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}
