import type { DocumentFormat, DocumentKind, DocumentSnapshot } from '../../../../shared/documents/snapshot.js';

export interface PackFinding {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  path: string;
  message: string;
}

/** What the rule engine says about one snapshot: findings, documents required, wording per document kind. */
export interface PackEvaluation {
  findings: PackFinding[];
  requiredDocuments: { code: string; name: string }[];
  wording: Partial<Record<DocumentKind, { id: string; text: string }[]>>;
}

export interface RenderRequest {
  kind: DocumentKind;
  format: DocumentFormat;
  snapshot: DocumentSnapshot;
  documentNumber: string;
  documentDate: string;
  declarations: { id: string; text: string }[];
  requiredDocuments: { code: string; name: string }[];
  status: 'draft' | 'approved' | 'final';
  /** Documents of the same pack this one cites (the commercial invoice, for the packing list and others). */
  relatedDocuments?: { kind: DocumentKind; number: string; date: string }[];
}

/** The two pure halves of document production, wired in ./pack-engine.ts. */
export interface PackEngine {
  evaluate(snapshot: DocumentSnapshot, now: Date): PackEvaluation;
  render(request: RenderRequest): Promise<Uint8Array>;
}
