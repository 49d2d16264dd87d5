/**
 * Facts for the evaluators, loaded in bulk: one query per table for all open shipments of an organisation (or all
 * shipments of one order), never one per shipment.
 */
import type { DocumentKind } from '../../../../shared/documents/snapshot.js';
import type { ExceptionRule } from '../../../../shared/exceptions/schema.js';
import type { Executor } from '../../db/client.js';
import { placeholders, rawAll } from './sql.js';
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

const paymentType = (json: unknown) => {
  try {
    return (JSON.parse(String(json)) as { type?: string }).type ?? '';
  } catch {
    return '';
  }
};
const parseJson = <T>(json: unknown, fallback: T): T => {
  if (json === null || json === undefined) return fallback;
  try {
    return JSON.parse(String(json)) as T;
  } catch {
    return fallback;
  }
};

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function loadFacts(db: Executor, orgId: string, scope: FactsScope, rules: ExceptionRule[]): Promise<Facts> {
  const need = needs(rules);
  const byOrder = 'orderId' in scope;
  // shipments s JOIN orders o, restricted to the scope
  const sWhere = byOrder ? 's.org_id = ? AND s.order_id = ?' : `s.org_id = ? AND ${OPEN_SHIPMENT}`;
  const sArgs = byOrder ? [orgId, scope.orderId] : [orgId];
  // tables keyed by order (documents, production, inspections), JOIN orders o
  const oWhere = byOrder ? 'o.org_id = ? AND o.id = ?' : `o.org_id = ? AND ${DONE_ORDER}`;
  const oArgs = byOrder ? [orgId, scope.orderId] : [orgId];

  const [orgRow] = await rawAll<Row>(db, 'SELECT lut FROM organisations WHERE id = ?', [orgId]);
  const shipmentRows = await rawAll<Row>(
    db,
    `SELECT s.id, s.order_id, s.reference, s.status, s.destination_country, s.transport_mode, s.planned_ship_date, s."references" AS refs,
            o.reference AS order_reference, o.status AS order_status, o.payment_terms, o.destination_country AS order_destination
       FROM shipments s JOIN orders o ON o.id = s.order_id WHERE ${sWhere}`,
    sArgs,
  );

  const orders = new Map<string, OrderFacts>();
  const orderOf = (r: Row): OrderFacts => {
    const id = String(r.order_id ?? r.id);
    let o = orders.get(id);
    if (!o) {
      o = { id, reference: String(r.order_reference ?? r.reference), status: String(r.order_status ?? r.status), paymentTermsType: paymentType(r.payment_terms), destinationCountry: String(r.order_destination ?? r.destination_country) };
      orders.set(id, o);
    }
    return o;
  };
  // Orders that are subjects themselves (validation): in the rule's statuses, or the one order of the scope.
  if (need.kinds.has('validation_errors')) {
    const rows = byOrder
      ? await rawAll<Row>(db, 'SELECT id, reference, status, payment_terms, destination_country FROM orders WHERE org_id = ? AND id = ?', [orgId, scope.orderId])
      : need.validationStatuses.length
        ? await rawAll<Row>(db, `SELECT id, reference, status, payment_terms, destination_country FROM orders WHERE org_id = ? AND status IN (${placeholders(need.validationStatuses.length)})`, [orgId, ...need.validationStatuses])
        : [];
    rows.forEach(orderOf);
  } else if (byOrder) {
    (await rawAll<Row>(db, 'SELECT id, reference, status, payment_terms, destination_country FROM orders WHERE org_id = ? AND id = ?', [orgId, scope.orderId])).forEach(orderOf);
  }
  const subjectOrders = new Set(orders.keys());

  const shipments = new Map<string, ShipmentFacts>();
  for (const r of shipmentRows) {
    const order = orderOf(r);
    const status = String(r.status);
    shipments.set(String(r.id), {
      id: String(r.id),
      orderId: order.id,
      reference: String(r.reference),
      status,
      open: (status === 'planned' || status === 'shipped') && order.status !== 'cancelled' && order.status !== 'closed',
      destinationCountry: String(r.destination_country),
      transportMode: String(r.transport_mode),
      plannedShipDate: str(r.planned_ship_date),
      references: parseJson(r.refs, {}),
      order,
      booking: null,
      firstConfirmedEta: null,
      documents: {},
      production: [],
      inspections: [],
      milestones: {},
    });
  }
  const byOrderId = new Map<string, ShipmentFacts[]>();
  for (const s of shipments.values()) {
    const list = byOrderId.get(s.orderId) ?? [];
    list.push(s);
    byOrderId.set(s.orderId, list);
  }

  if (shipments.size) {
    for (const r of await rawAll<Row>(
      db,
      `SELECT b.shipment_id, b.status, b.booking_number, b.cutoff_documents_at, b.cutoff_cargo_at, b.etd, b.eta
         FROM shipments s JOIN orders o ON o.id = s.order_id JOIN bookings b ON b.shipment_id = s.id WHERE ${sWhere}`,
      sArgs,
    )) {
      const s = shipments.get(String(r.shipment_id));
      if (s) s.booking = { status: String(r.status), bookingNumber: str(r.booking_number), cutoffDocumentsAt: str(r.cutoff_documents_at), cutoffCargoAt: str(r.cutoff_cargo_at), etd: str(r.etd), eta: str(r.eta) };
    }

    if (need.kinds.has('eta_slipped')) {
      // SQLite: with min(), the bare columns come from the row holding the minimum (the first confirmed revision).
      for (const r of await rawAll<Row>(
        db,
        `SELECT r.shipment_id, json_extract(r.snapshot, '$.eta') AS eta, min(r.version) AS v
           FROM shipments s JOIN orders o ON o.id = s.order_id JOIN booking_revisions r ON r.shipment_id = s.id
          WHERE ${sWhere} AND json_extract(r.snapshot, '$.status') = 'confirmed' GROUP BY r.shipment_id`,
        sArgs,
      )) {
        const s = shipments.get(String(r.shipment_id));
        if (s) s.firstConfirmedEta = str(r.eta);
      }
    }

    if (need.documentKinds.length) {
      const orderPack = new Map<string, Partial<Record<DocumentKind, DocumentState>>>();
      for (const r of await rawAll<Row>(
        db,
        `SELECT d.order_id, d.shipment_id, d.kind, max(d.status = 'draft') AS draft, max(d.status = 'approved') AS approved, max(d.status = 'final') AS final
           FROM documents d JOIN orders o ON o.id = d.order_id
          WHERE ${oWhere.replace('o.org_id', 'd.org_id')} AND d.kind IN (${placeholders(need.documentKinds.length)})
          GROUP BY d.order_id, d.shipment_id, d.kind`,
        [...oArgs, ...need.documentKinds],
      )) {
        const state = { draft: Number(r.draft) === 1, approved: Number(r.approved) === 1, final: Number(r.final) === 1 };
        const kind = String(r.kind) as DocumentKind;
        const shipmentId = String(r.shipment_id ?? '');
        if (shipmentId) {
          const s = shipments.get(shipmentId);
          if (s) s.documents[kind] = state;
        } else {
          const pack = orderPack.get(String(r.order_id)) ?? {};
          pack[kind] = state;
          orderPack.set(String(r.order_id), pack);
        }
      }
      // A shipment without its own version of a kind is covered by the order's pack (made while the order was not split).
      for (const [orderId, pack] of orderPack) {
        for (const s of byOrderId.get(orderId) ?? []) for (const [k, v] of Object.entries(pack)) s.documents[k as DocumentKind] ??= v;
      }
    }

    if (need.kinds.has('production_after_cargo_cutoff')) {
      const jobs = await rawAll<Row>(
        db,
        `SELECT p.id, p.order_id, p.order_line_id, p.status, p.planned_completion_at, p.actual_completion_at
           FROM production_jobs p JOIN orders o ON o.id = p.order_id
          WHERE ${oWhere.replace('o.org_id', 'p.org_id')} AND p.status IN ('planned', 'in_progress')`,
        oArgs,
      );
      if (jobs.length) {
        const lines = new Map<string, Set<string>>(); // shipment → order lines it carries
        for (const r of await rawAll<Row>(
          db,
          `SELECT a.shipment_id, a.order_line_id FROM shipments s JOIN orders o ON o.id = s.order_id JOIN shipment_allocations a ON a.shipment_id = s.id WHERE ${sWhere}`,
          sArgs,
        )) {
          const set = lines.get(String(r.shipment_id)) ?? new Set<string>();
          set.add(String(r.order_line_id));
          lines.set(String(r.shipment_id), set);
        }
        for (const j of jobs) {
          const job = { id: String(j.id), status: String(j.status), plannedCompletionAt: str(j.planned_completion_at), actualCompletionAt: str(j.actual_completion_at) };
          for (const s of byOrderId.get(String(j.order_id)) ?? []) {
            const carried = lines.get(s.id);
            if (!carried || carried.has(String(j.order_line_id))) s.production.push(job);
          }
        }
      }
    }

    if (need.kinds.has('inspection_failed_or_missing')) {
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

    if (need.milestoneCodes.length) {
      for (const r of await rawAll<Row>(
        db,
        `SELECT m.shipment_id, m.code, m.planned_at, m.actual_at
           FROM shipments s JOIN orders o ON o.id = s.order_id JOIN milestones m ON m.shipment_id = s.id
          WHERE ${sWhere} AND m.code IN (${placeholders(need.milestoneCodes.length)})`,
        [...sArgs, ...need.milestoneCodes],
      )) {
        const s = shipments.get(String(r.shipment_id));
        if (s) s.milestones[String(r.code)] = { plannedAt: str(r.planned_at), actualAt: str(r.actual_at) };
      }
    }
  }

  return {
    organisation: { lut: parseJson(orgRow?.lut, null) },
    orders: [...orders.values()].filter((o) => subjectOrders.has(o.id)),
    shipments: [...shipments.values()],
  };
}
