import type { DocumentKind, DocumentSnapshot } from '../../../../shared/documents/snapshot.js';
import type { RenderInput } from '../../documents/render/types.js';

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

/** What one file is rendered from (the renderer's input). */
export type RenderRequest = RenderInput;

/** The two pure halves of document production, wired in ./pack-engine.ts. */
export interface PackEngine {
  evaluate(snapshot: DocumentSnapshot, now: Date): PackEvaluation;
  render(request: RenderRequest): Promise<Uint8Array>;
}
