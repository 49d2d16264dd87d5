/**
 * Facts for the evaluators, loaded in bulk: one query per table for all open shipments of an organisation (or all
 * shipments of one order), never one per shipment.
 */
import type { DocumentKind } from '../../../../shared/documents/snapshot.js';
import type { ExceptionRule } from '../../../../shared/exceptions/schema.js';
import type { Executor } from '../../db/client.js';
import { placeholders, rawAll } from '../../db/raw.js';
import type { DocumentState, Facts, OrderFacts, ShipmentFacts } from './types.js';

/** Whole organisation (open shipments only), or every shipment of one order. */
export type FactsScope = { all: true } | { orderId: string };

const OPEN_SHIPMENT = `s.status IN ('planned', 'shipped') AND o.status NOT IN ('cancelled', 'closed')`;
const DONE_ORDER = `o.status NOT IN ('cancelled', 'closed', 'delivered', 'shipped')`;

/** What the enabled rules need loaded. */
function needs(rules: ExceptionRule[]) {
  const kinds = new Set(rules.map((r) => r.check.kind));
  const documentKinds = new Set<DocumentKind>();
  const milestoneCodes = new Set<string>();
  const validationStatuses = new Set<string>();
  for (const r of rules) {
    const c = r.check;
    if (c.kind === 'documents_not_final_before_cutoff' || c.kind === 'booking_confirmed_documents_draft') c.documents.forEach((k) => documentKinds.add(k));
    if (c.kind === 'inspection_failed_or_missing') milestoneCodes.add(c.stuffingMilestone);
    if (c.kind === 'isf_missing_before_loading') milestoneCodes.add(c.milestone);
    if (c.kind === 'validation_errors') c.orderStatuses.forEach((s) => validationStatuses.add(s));
  }
  return { kinds, documentKinds: [...documentKinds], milestoneCodes: [...milestoneCodes], validationStatuses: [...validationStatuses] };
}

const parseJson = <T>(json: unknown, fallback: T): T => {
  if (json === null || json === undefined) return fallback;
  try {
    return JSON.parse(String(json)) as T;
  } catch {
    return fallback;
  }
};

type Row = Record<string, unknown>;
/** Names of the packed shipment columns below, in their order. */
const SHIPMENT_KEYS = ['id', 'order_id', 'reference', 'status', 'destination_country', 'transport_mode', 'planned_ship_date', 'refs', 'order_reference', 'order_status', 'payment_type', 'order_destination', 'b_status', 'booking_number', 'cutoff_documents_at', 'cutoff_cargo_at', 'etd', 'eta', 'first_eta', 'docs', 'ms'];
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function loadFacts(db: Executor, orgId: string, scope: FactsScope, rules: ExceptionRule[]): Promise<Facts> {
  const need = needs(rules);
  const byOrder = 'orderId' in scope;
  // shipments s JOIN orders o, restricted to the scope
  const sWhere = byOrder ? 's.org_id = ? AND s.order_id = ?' : `s.org_id = ? AND ${OPEN_SHIPMENT}`;
  const sArgs = byOrder ? [orgId, scope.orderId] : [orgId];
  const oWhere = byOrder ? 'o.org_id = ? AND o.id = ?' : `o.org_id = ? AND ${DONE_ORDER}`;
  const oArgs = byOrder ? [orgId, scope.orderId] : [orgId];

  const [orgRow] = await rawAll<Row>(db, 'SELECT lut FROM organisations WHERE id = ?', [orgId]);
  // One row per shipment with its order, booking, first confirmed ETA, document states and milestones: one query
  // rather than one per table.
  const docKinds = need.documentKinds;
  const codes = need.milestoneCodes;
  // The client's cost is per value returned (~5 µs each), so each row comes packed into ONE text value, fields
  // separated by U+001F, NULL as '' (no field is legitimately empty).
  const packed = (cols: string[]) => cols.map((c) => `coalesce(${c}, '')`).join(` || char(31) || `);
  const shipmentColumns = [
    's.id', 's.order_id', 's.reference', 's.status', 's.destination_country', 's.transport_mode', 's.planned_ship_date', 's."references"',
    'o.reference', 'o.status', "json_extract(o.payment_terms, '$.type')", 'o.destination_country',
    'b.status', 'b.booking_number', 'b.cutoff_documents_at', 'b.cutoff_cargo_at', 'b.etd', 'b.eta',
    need.kinds.has('eta_slipped') ? `(SELECT json_extract(r.snapshot, '$.eta') FROM booking_revisions r WHERE r.booking_id = b.id AND json_extract(r.snapshot, '$.status') = 'confirmed' ORDER BY r.version LIMIT 1)` : 'NULL',
    docKinds.length ? `(SELECT group_concat(d.shipment_id || ':' || d.kind || ':' || d.status, ',') FROM documents d WHERE d.order_id = s.order_id AND d.shipment_id IN (s.id, '') AND d.kind IN (${placeholders(docKinds.length)}))` : 'NULL',
    codes.length ? `(SELECT group_concat(m.code || '|' || coalesce(m.planned_at, '') || '|' || coalesce(m.actual_at, ''), ',') FROM milestones m WHERE m.shipment_id = s.id AND m.code IN (${placeholders(codes.length)}))` : 'NULL',
  ];
  const shipmentRows = (
    await rawAll<{ r: string }>(
      db,
      `SELECT ${packed(shipmentColumns)} AS r FROM shipments s JOIN orders o ON o.id = s.order_id LEFT JOIN bookings b ON b.shipment_id = s.id WHERE ${sWhere}`,
      [...docKinds, ...codes, ...sArgs],
    )
  ).map(({ r }): Row => {
    const f = r.split('\u001f');
    const row: Row = {};
    SHIPMENT_KEYS.forEach((k, i) => (row[k] = f[i] === '' ? null : f[i]));
    return row;
  });

  const orders = new Map<string, OrderFacts>();
  const orderOf = (r: Row): OrderFacts => {
    const id = String(r.order_id ?? r.id);
    let o = orders.get(id);
    if (!o) {
      o = { id, reference: String(r.order_reference ?? r.reference), status: String(r.order_status ?? r.status), paymentTermsType: String(r.payment_type ?? ''), destinationCountry: String(r.order_destination ?? r.destination_country) };
      if (r.stamp !== undefined) o.stamp = String(r.stamp);
      orders.set(id, o);
    }
    return o;
  };
  // Orders that are subjects themselves (validation): in the rule's statuses, or the one order of the scope; with the
  // stamp the validation cache compares (the order's version and its shipments' versions and statuses).
  const orderColumns = packed([
    'id',
    'reference',
    'status',
    "json_extract(payment_terms, '$.type')",
    'destination_country',
    `version || '|' || updated_at || '|' || coalesce((SELECT group_concat(x.id || ':' || x.version || ':' || x.status, ',') FROM shipments x WHERE x.order_id = orders.id), '')`,
  ]);
  const unpackOrder = ({ r }: { r: string }): Row => {
    const [id, reference, status, payment_type, destination_country, stamp] = r.split('\u001f');
    return { id, reference, status, payment_type, destination_country, stamp };
  };
  if (byOrder) {
    (await rawAll<{ r: string }>(db, `SELECT ${orderColumns} AS r FROM orders WHERE org_id = ? AND id = ?`, [orgId, scope.orderId])).map(unpackOrder).forEach(orderOf);
  } else if (need.kinds.has('validation_errors') && need.validationStatuses.length) {
    (await rawAll<{ r: string }>(db, `SELECT ${orderColumns} AS r FROM orders WHERE org_id = ? AND status IN (${placeholders(need.validationStatuses.length)})`, [orgId, ...need.validationStatuses]))
      .map(unpackOrder)
      .forEach(orderOf);
  }
  const subjectOrders = new Set(orders.keys());

  const shipments = new Map<string, ShipmentFacts>();
  const byOrderId = new Map<string, ShipmentFacts[]>();
  for (const r of shipmentRows) {
    const order = orderOf(r);
    const status = String(r.status);
    const s: ShipmentFacts = {
      id: String(r.id),
      orderId: order.id,
      reference: String(r.reference),
      status,
      open: (status === 'planned' || status === 'shipped') && order.status !== 'cancelled' && order.status !== 'closed',
      destinationCountry: String(r.destination_country),
      transportMode: String(r.transport_mode),
      plannedShipDate: str(r.planned_ship_date),
      references: r.refs === '{}' ? {} : parseJson(r.refs, {}),
      order,
      booking: r.b_status === null || r.b_status === undefined ? null : { status: String(r.b_status), bookingNumber: str(r.booking_number), cutoffDocumentsAt: str(r.cutoff_documents_at), cutoffCargoAt: str(r.cutoff_cargo_at), etd: str(r.etd), eta: str(r.eta) },
      firstConfirmedEta: str(r.first_eta),
      documents: {},
      production: [],
      inspections: [],
      milestones: {},
    };
    if (r.docs) {
      // the shipment's own versions first; the order's pack (made while the order was not split) only for kinds it lacks
      const own: Partial<Record<DocumentKind, DocumentState>> = {};
      const pack: Partial<Record<DocumentKind, DocumentState>> = {};
      for (const item of String(r.docs).split(',')) {
        const [shipmentId, kind, st] = item.split(':') as [string, DocumentKind, string];
        const target = shipmentId ? own : pack;
        const d = (target[kind] ??= { draft: false, approved: false, final: false });
        if (st === 'draft') d.draft = true;
        else if (st === 'approved') d.approved = true;
        else if (st === 'final') d.final = true;
      }
      s.documents = { ...pack, ...own };
    }
    if (r.ms) {
      for (const item of String(r.ms).split(',')) {
        const [code, plannedAt, actualAt] = item.split('|') as [string, string, string];
        s.milestones[code] = { plannedAt: plannedAt || null, actualAt: actualAt || null };
      }
    }
    shipments.set(s.id, s);
    const list = byOrderId.get(s.orderId) ?? [];
    list.push(s);
    byOrderId.set(s.orderId, list);
  }

  if (shipments.size && need.kinds.has('production_after_cargo_cutoff')) {
    // Jobs reach a shipment through the order lines it carries (its allocations).
    for (const j of await rawAll<Row>(
      db,
      `SELECT a.shipment_id, p.id, p.status, p.planned_completion_at, p.actual_completion_at
         FROM production_jobs p JOIN orders o ON o.id = p.order_id JOIN shipment_allocations a ON a.order_line_id = p.order_line_id
        WHERE ${oWhere.replace('o.org_id', 'p.org_id')} AND p.status IN ('planned', 'in_progress')`,
      oArgs,
    )) {
      shipments.get(String(j.shipment_id))?.production.push({ id: String(j.id), status: String(j.status), plannedCompletionAt: str(j.planned_completion_at), actualCompletionAt: str(j.actual_completion_at) });
    }
  }

  if (shipments.size && need.kinds.has('inspection_failed_or_missing')) {
    for (const r of await rawAll<Row>(
      db,
      `SELECT i.id, i.order_id, i.shipment_id, i.kind, i.result, i.inspected_at, i.updated_at
         FROM inspections i JOIN orders o ON o.id = i.order_id WHERE ${oWhere.replace('o.org_id', 'i.org_id')}`,
      oArgs,
    )) {
      const item = { id: String(r.id), kind: String(r.kind), result: String(r.result), inspectedAt: str(r.inspected_at), updatedAt: String(r.updated_at) };
      const target = str(r.shipment_id);
      for (const s of byOrderId.get(String(r.order_id)) ?? []) if (!target || target === s.id) s.inspections.push(item);
    }
  }

  return {
    organisation: { lut: parseJson(orgRow?.lut, null) },
    orders: [...orders.values()].filter((o) => subjectOrders.has(o.id)),
    shipments: [...shipments.values()],
  };
}
