/**
 * The evaluators named by the rules' `check.kind`: pure functions `(facts, rule, now) → Evaluation`, no database,
 * no clock of their own. `null` means "cannot tell now" (e.g. validation not run in this sweep): the exception is
 * then left as it is.
 */
import type { DocumentKind } from '../../../../shared/documents/snapshot.js';
import type { ExceptionRule, RuleCheck, RuleKind } from '../../../../shared/exceptions/schema.js';
import type { DocumentState, Evaluation, OrderFacts, OrganisationFacts, ShipmentFacts } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Check<K extends RuleKind> = Extract<RuleCheck, { kind: K }>;
type ShipmentEvaluator<K extends RuleKind> = (s: ShipmentFacts, check: Check<K>, now: Date) => Evaluation | null;
type OrderEvaluator<K extends RuleKind> = (o: OrderFacts, check: Check<K>, now: Date) => Evaluation | null;
type OrganisationEvaluator<K extends RuleKind> = (org: OrganisationFacts, shipments: ShipmentFacts[], check: Check<K>, now: Date) => Evaluation | null;

const ms = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso);
const iso = (t: number) => new Date(t).toISOString();

const KIND_NAMES: Record<DocumentKind, string> = {
  proforma_invoice: 'proforma invoice',
  commercial_invoice: 'commercial invoice',
  packing_list: 'packing list',
  certificate_of_origin: 'certificate of origin',
  shipping_instructions: 'shipping instructions',
};

const docState = (d: DocumentState | undefined) => (!d ? 'not generated' : d.final ? 'final' : d.approved ? 'approved, not final' : 'draft');
/** A shipment's ETD: the booking's, else 00:00 UTC of the planned ship date. */
export const etdOf = (s: ShipmentFacts): string | null => s.booking?.etd ?? (s.plannedShipDate ? `${s.plannedShipDate}T00:00:00.000Z` : null);
const liveBooking = (s: ShipmentFacts) => (s.booking && s.booking.status !== 'cancelled' ? s.booking : null);
const quiet = (detail: string, facts: Record<string, unknown> = {}): Evaluation => ({ raise: false, detail, dueAt: null, facts });
const planned = (s: ShipmentFacts) => s.status === 'planned';

const documentsNotFinal: ShipmentEvaluator<'documents_not_final_before_cutoff'> = (s, check, now) => {
  const b = liveBooking(s);
  if (!planned(s)) return quiet(`Shipment is ${s.status}`);
  if (!b?.cutoffDocumentsAt) return quiet('No documents cut-off booked');
  const cutoff = ms(b.cutoffDocumentsAt);
  const states = Object.fromEntries(check.documents.map((k) => [k, docState(s.documents[k])]));
  const facts = { cutoffDocumentsAt: b.cutoffDocumentsAt, bookingNumber: b.bookingNumber, documents: states };
  if (now.getTime() < cutoff - check.days * DAY) return quiet(`Documents cut-off ${b.cutoffDocumentsAt} is more than ${check.days} days away`, facts);
  const missing = check.documents.filter((k) => !s.documents[k]?.final);
  if (!missing.length) return quiet('Documents are final', facts);
  const when = cutoff > now.getTime() ? `is less than ${check.days} days away` : 'has passed';
  return {
    raise: true,
    detail: `The documents cut-off (${b.cutoffDocumentsAt}${b.bookingNumber ? `, booking ${b.bookingNumber}` : ''}) ${when}; not final yet: ${missing.map((k) => `${KIND_NAMES[k]} (${states[k]})`).join(', ')}. Approve and finalise, or ask the forwarder to extend the cut-off.`,
    dueAt: b.cutoffDocumentsAt,
    facts,
    vars: { days: check.days },
  };
};

const bookingAheadOfDocuments: ShipmentEvaluator<'booking_confirmed_documents_draft'> = (s, check) => {
  const b = liveBooking(s);
  if (!planned(s)) return quiet(`Shipment is ${s.status}`);
  if (b?.status !== 'confirmed') return quiet('No confirmed booking');
  const drafts = check.documents.filter((k) => {
    const d = s.documents[k];
    return d && d.draft && !d.approved && !d.final;
  });
  const facts = { bookingNumber: b.bookingNumber, documents: Object.fromEntries(check.documents.map((k) => [k, docState(s.documents[k])])) };
  if (!drafts.length) return quiet('Documents are past draft', facts);
  return {
    raise: true,
    detail: `${b.bookingNumber ? `Booking ${b.bookingNumber}` : 'The booking'} is confirmed${b.cutoffDocumentsAt ? ` (documents cut-off ${b.cutoffDocumentsAt})` : ''} while the ${drafts.map((k) => KIND_NAMES[k]).join(', ')} ${drafts.length > 1 ? 'are' : 'is'} still draft.`,
    dueAt: b.cutoffDocumentsAt ?? b.etd,
    facts,
  };
};

const productionLate: ShipmentEvaluator<'production_after_cargo_cutoff'> = (s, _check, now) => {
  const b = liveBooking(s);
  if (!planned(s)) return quiet(`Shipment is ${s.status}`);
  if (!b?.cutoffCargoAt) return quiet('No cargo cut-off booked');
  const cutoff = ms(b.cutoffCargoAt);
  const late = s.production.filter((j) => (j.status === 'planned' || j.status === 'in_progress') && j.plannedCompletionAt && ms(j.plannedCompletionAt) > cutoff);
  const facts = { cutoffCargoAt: b.cutoffCargoAt, lateJobs: late.map((j) => ({ id: j.id, plannedCompletionAt: j.plannedCompletionAt })) };
  if (!late.length) return quiet('Production is planned to finish before the cargo cut-off', facts);
  const latest = Math.max(...late.map((j) => ms(j.plannedCompletionAt!)));
  return {
    raise: true,
    detail: `${late.length} production job${late.length > 1 ? 's are' : ' is'} planned to finish after the cargo cut-off ${b.cutoffCargoAt} (the last on ${iso(latest)}, ${Math.ceil((latest - cutoff) / HOUR)} h late)${cutoff < now.getTime() ? '; the cut-off has passed' : ''}. Expedite, split the shipment or re-book.`,
    dueAt: b.cutoffCargoAt,
    facts,
  };
};

const CONCLUSIVE = new Set(['passed', 'passed_with_remarks', 'failed']);
const inspection: ShipmentEvaluator<'inspection_failed_or_missing'> = (s, check, now) => {
  if (!planned(s)) return quiet(`Shipment is ${s.status}`);
  const stuffing = s.milestones[check.stuffingMilestone];
  const stuffingAt = stuffing?.actualAt ?? stuffing?.plannedAt ?? liveBooking(s)?.cutoffCargoAt ?? null;
  const at = (i: ShipmentFacts['inspections'][number]) => i.inspectedAt ?? i.updatedAt;
  const conclusive = s.inspections.filter((i) => CONCLUSIVE.has(i.result)).sort((a, b) => at(a).localeCompare(at(b)));
  const last = conclusive[conclusive.length - 1];
  const facts = { stuffingAt, inspections: s.inspections.map((i) => ({ id: i.id, kind: i.kind, result: i.result, inspectedAt: i.inspectedAt })) };
  if (last?.result === 'failed') {
    return {
      raise: true,
      detail: `The ${last.kind.replace(/_/g, '-')} inspection failed${last.inspectedAt ? ` on ${last.inspectedAt}` : ''} and none has passed since: rework and book a re-inspection${stuffingAt ? ` before stuffing (${stuffingAt})` : ''}.`,
      dueAt: stuffingAt,
      facts,
    };
  }
  const required =
    s.inspections.length > 0 || check.requiredFor.paymentTermTypes.includes(s.order.paymentTermsType as never) || check.requiredFor.destinationCountries.includes(s.destinationCountry);
  if (!required) return quiet('No inspection required', facts);
  if (last) return quiet('Inspection passed', facts);
  if (!stuffingAt) return quiet('No stuffing date yet', facts);
  if (stuffing?.actualAt) {
    return { raise: true, detail: `The container was stuffed on ${stuffing.actualAt} without a passed inspection.`, dueAt: stuffing.actualAt, facts };
  }
  const t = ms(stuffingAt);
  if (now.getTime() < t - check.hoursBeforeStuffing * HOUR) return quiet(`Stuffing ${stuffingAt} is more than ${check.hoursBeforeStuffing} h away`, facts);
  const pending = s.inspections.some((i) => i.result === 'pending');
  return {
    raise: true,
    detail: `Stuffing (${stuffingAt}) is ${t > now.getTime() ? `less than ${check.hoursBeforeStuffing} h away` : 'overdue'} and no inspection has passed${pending ? ' (one is pending)' : ' (none is scheduled)'}.`,
    dueAt: stuffingAt,
    facts,
  };
};

const etaSlipped: ShipmentEvaluator<'eta_slipped'> = (s, check) => {
  const b = liveBooking(s);
  if (s.status !== 'planned' && s.status !== 'shipped') return quiet(`Shipment is ${s.status}`);
  if (!b?.eta || !s.firstConfirmedEta) return quiet('No confirmed ETA to compare with');
  const slip = ms(b.eta) - ms(s.firstConfirmedEta);
  const facts = { firstConfirmedEta: s.firstConfirmedEta, eta: b.eta, slipDays: Math.round((slip / DAY) * 10) / 10 };
  if (slip <= check.days * DAY) return quiet('ETA within tolerance', facts);
  return {
    raise: true,
    detail: `ETA ${b.eta} is ${facts.slipDays} days later than ${s.firstConfirmedEta}, the ETA when the booking was first confirmed: tell the buyer, and check the LC's latest shipment and expiry dates.`,
    dueAt: null,
    facts,
    vars: { days: check.days },
  };
};

const isf: ShipmentEvaluator<'isf_missing_before_loading'> = (s, check, now) => {
  if (!planned(s)) return quiet(`Shipment is ${s.status}`);
  if (!check.countries.includes(s.destinationCountry) || !check.transportModes.includes(s.transportMode as never)) return quiet('Not concerned');
  const filedAt = s.milestones[check.milestone]?.actualAt ?? null;
  const reference = s.references[check.reference] ?? null;
  const etd = etdOf(s);
  const facts = { etd, isfFiledAt: filedAt, isfReference: reference };
  if (filedAt || reference) return quiet('ISF filed', facts);
  if (!etd) return quiet('No ETD yet', facts);
  const t = ms(etd);
  if (now.getTime() < t - check.warnHoursBeforeLoading * HOUR) return quiet(`Loading is more than ${check.warnHoursBeforeLoading} h away`, facts);
  const due = t - check.deadlineHoursBeforeLoading * HOUR;
  return {
    raise: true,
    detail: `Loading (ETD ${etd}) is ${t > now.getTime() ? `less than ${check.warnHoursBeforeLoading} h away` : 'past'} and no Importer Security Filing is recorded; it is due ${check.deadlineHoursBeforeLoading} h before loading (${iso(due)}${due < now.getTime() ? ', overdue' : ''}). Ask the importer to file and record the "${check.milestone}" milestone.`,
    dueAt: iso(due),
    facts,
    vars: { hours: check.warnHoursBeforeLoading },
  };
};

/** The LUT covers its `validUntil` day in India: it ends at 24:00 IST that day (18:30 UTC). */
export const lutEnd = (validUntil: string) => ms(`${validUntil}T18:30:00.000Z`);

const lut: OrganisationEvaluator<'lut_expired_or_expiring'> = (org, shipments, _check, now) => {
  if (!org.lut) return quiet('No LUT on file: exports are made on payment of IGST');
  const end = lutEnd(org.lut.validUntil);
  const affected = shipments
    .filter((s) => s.open && s.status === 'planned')
    .map((s) => ({ s, etd: etdOf(s) }))
    .filter((x) => x.etd && ms(x.etd) >= end)
    .sort((a, b) => a.etd!.localeCompare(b.etd!));
  const facts = { arn: org.lut.arn, financialYear: org.lut.financialYear, validUntil: org.lut.validUntil, shipmentsAfterExpiry: affected.length, first: affected.slice(0, 10).map((x) => ({ shipmentId: x.s.id, reference: x.s.reference, etd: x.etd })) };
  const first = affected[0];
  if (now.getTime() >= end) {
    return {
      raise: true,
      detail: `The LUT ${org.lut.arn} (FY ${org.lut.financialYear}) expired on ${org.lut.validUntil}${affected.length ? `; ${affected.length} open shipment${affected.length > 1 ? 's' : ''} would leave without one` : ''}. File the new LUT (GST RFD-11) or export on payment of IGST.`,
      dueAt: first?.etd ?? iso(end),
      facts,
    };
  }
  if (!first) return quiet(`LUT valid until ${org.lut.validUntil}`, facts);
  return {
    raise: true,
    detail: `The LUT ${org.lut.arn} (FY ${org.lut.financialYear}) is valid until ${org.lut.validUntil}, but ${affected.length} open shipment${affected.length > 1 ? 's leave' : ' leaves'} after that (first: ${first.s.reference}, ETD ${first.etd}). File next year's LUT before then.`,
    dueAt: iso(end),
    facts,
  };
};

const validation: OrderEvaluator<'validation_errors'> = (o, check) => {
  if (!check.orderStatuses.includes(o.status as never)) return quiet(`Order is ${o.status}`);
  if (!o.validation) return null;
  const errors = o.validation.errors;
  const facts = { checkedAt: o.validation.checkedAt, errors: errors.slice(0, 10) };
  if (!errors.length) return quiet('No validation errors', facts);
  const dues = errors.map((e) => e.due).filter((d): d is string => !!d).sort();
  return {
    raise: true,
    detail: `${errors.length} validation error${errors.length > 1 ? 's' : ''}: ${errors
      .slice(0, 3)
      .map((e) => e.message)
      .join('; ')}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}.`,
    dueAt: dues[0] ?? null,
    facts,
  };
};

export const SHIPMENT_EVALUATORS: { [K in RuleKind]?: ShipmentEvaluator<K> } = {
  documents_not_final_before_cutoff: documentsNotFinal,
  booking_confirmed_documents_draft: bookingAheadOfDocuments,
  production_after_cargo_cutoff: productionLate,
  inspection_failed_or_missing: inspection,
  eta_slipped: etaSlipped,
  isf_missing_before_loading: isf,
};
export const ORDER_EVALUATORS: { [K in RuleKind]?: OrderEvaluator<K> } = { validation_errors: validation };
export const ORGANISATION_EVALUATORS: { [K in RuleKind]?: OrganisationEvaluator<K> } = { lut_expired_or_expiring: lut };

export type Scope = 'shipment' | 'order' | 'organisation';
export const scopeOf = (rule: ExceptionRule): Scope =>
  rule.check.kind in SHIPMENT_EVALUATORS ? 'shipment' : rule.check.kind in ORDER_EVALUATORS ? 'order' : 'organisation';

export const evaluateShipment = (s: ShipmentFacts, rule: ExceptionRule, now: Date): Evaluation | null =>
  (SHIPMENT_EVALUATORS[rule.check.kind] as ShipmentEvaluator<RuleKind>)(s, rule.check as never, now);
export const evaluateOrder = (o: OrderFacts, rule: ExceptionRule, now: Date): Evaluation | null =>
  (ORDER_EVALUATORS[rule.check.kind] as OrderEvaluator<RuleKind>)(o, rule.check as never, now);
export const evaluateOrganisation = (org: OrganisationFacts, shipments: ShipmentFacts[], rule: ExceptionRule, now: Date): Evaluation | null =>
  (ORGANISATION_EVALUATORS[rule.check.kind] as OrganisationEvaluator<RuleKind>)(org, shipments, rule.check as never, now);

/** Fill `{placeholders}` of a title. */
export const fillTitle = (title: string, vars: Record<string, string | number>) => title.replace(/\{([a-zA-Z]+)\}/g, (_, k: string) => (vars[k] !== undefined ? String(vars[k]) : '…'));
