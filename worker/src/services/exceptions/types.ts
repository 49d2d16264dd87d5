import type { DocumentKind } from '../../../../shared/documents/snapshot.js';

/** Facts of one order, as the evaluators see them. */
export interface OrderFacts {
  id: string;
  reference: string;
  status: string;
  paymentTermsType: string;
  destinationCountry: string;
  /** What validation depends on in the order itself (version, shipments' versions and statuses), for the cache. */
  stamp?: string;
  /** Validation errors of the order; `undefined` when not known in this evaluation (the rule is then skipped). */
  validation?: { errors: { rule: string; path: string; message: string; due: string | null; shipmentId: string | null }[]; checkedAt: string };
}

export interface DocumentState {
  draft: boolean;
  approved: boolean;
  final: boolean;
}

/** Facts of one shipment and what hangs off it (booking, documents, production, inspections, milestones). */
export interface ShipmentFacts {
  id: string;
  orderId: string;
  reference: string;
  status: string;
  /** planned or shipped, of an order that is not cancelled or closed: the shipments a sweep looks at. */
  open: boolean;
  destinationCountry: string;
  transportMode: string;
  plannedShipDate: string | null;
  references: Record<string, string>;
  order: OrderFacts;
  booking: {
    status: string;
    bookingNumber: string | null;
    cutoffDocumentsAt: string | null;
    cutoffCargoAt: string | null;
    etd: string | null;
    eta: string | null;
  } | null;
  /** ETA of the booking's first revision whose status was confirmed. */
  firstConfirmedEta: string | null;
  /** Per document kind: which statuses its current versions are in (shipment scope, else the order's pack). */
  documents: Partial<Record<DocumentKind, DocumentState>>;
  /** Production jobs (not cancelled) of the lines this shipment carries (all lines of the order when it has no allocations). */
  production: { id: string; status: string; plannedCompletionAt: string | null; actualCompletionAt: string | null }[];
  /** Inspections of the order, or of this shipment. */
  inspections: { id: string; kind: string; result: string; inspectedAt: string | null; updatedAt: string }[];
  milestones: Record<string, { plannedAt: string | null; actualAt: string | null }>;
}

export interface OrganisationFacts {
  lut: { arn: string; financialYear: string; validUntil: string } | null;
}

export interface Facts {
  organisation: OrganisationFacts;
  orders: OrderFacts[];
  shipments: ShipmentFacts[];
}

/** What an evaluator says about one subject. */
export interface Evaluation {
  raise: boolean;
  detail: string;
  dueAt: string | null;
  facts: Record<string, unknown>;
  /** Values for the title's placeholders. */
  vars?: Record<string, string | number>;
}

/** One (rule, subject) result, ready to reconcile. `evaluation: null` means "not known now": leave the exception as it is. */
export interface Outcome {
  ruleId: string;
  subject: string;
  orderId: string | null;
  shipmentId: string | null;
  evaluation: Evaluation | null;
}
