import { and, asc, eq } from 'drizzle-orm';
import type { RequiredDocument, ValidationFinding, ValidationResult } from '../../../shared/contracts/validation.js';
import { evaluate, peggedConverter } from '../../../shared/templates/engine.js';
import { loadTemplates } from '../../../shared/templates/registry.js';
import type { Executor } from '../db/client.js';
import { shipments } from '../db/schema/index.js';
import type { ServiceContext } from './context.js';
import { buildSnapshot } from './documents/snapshot.js';
import { AppError } from './errors.js';
import { loadOrderRow } from './orders/orders.js';
import { requirePermission } from './permissions.js';
import { loadShipmentRow } from './shipments.js';

type ShipmentRow = typeof shipments.$inferSelect;
interface Scope {
  findings: ValidationFinding[];
  requiredDocuments: RequiredDocument[];
  templateIds: string[];
}

/**
 * Validate one scope — the order as a whole, or one shipment — against the country templates. A scope
 * that cannot be documented at all (an order without lines, a shipment without allocations) is one
 * error finding rather than a failure.
 */
async function validateScope(db: Executor, ctx: ServiceContext, orderId: string, shipment: ShipmentRow | null): Promise<Scope> {
  const tag = { shipmentId: shipment?.id ?? null, shipmentReference: shipment?.reference ?? null };
  let snapshot;
  try {
    snapshot = await buildSnapshot(db, ctx, { orderId, shipmentId: shipment?.id ?? null });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'NOTHING_TO_DOCUMENT') throw e;
    const detail = e.details?.[0];
    return {
      findings: [
        {
          rule: shipment ? 'default.allocations' : 'default.lines',
          severity: 'error',
          path: detail?.path ?? (shipment ? 'allocations' : 'lines'),
          message: e.message,
          hint: detail?.message ?? null,
          source: 'ExportDesk consistency check: documents list the goods of the order or shipment',
          ...tag,
        },
      ],
      requiredDocuments: [],
      templateIds: [],
    };
  }
  const result = evaluate(snapshot, loadTemplates(), { now: ctx.now(), convert: peggedConverter });
  return {
    findings: result.findings.map((f) => ({ ...f, ...tag })),
    requiredDocuments: result.requiredDocuments.map((d) => ({ ...d, shipmentId: tag.shipmentId })),
    templateIds: result.templateIds,
  };
}

const findingKey = (f: ValidationFinding) => JSON.stringify([f.rule, f.severity, f.path, f.message, f.due ?? null]);
const documentKey = (d: RequiredDocument) => JSON.stringify([d.code, d.name, d.kind ?? null]);

/** Merge scopes (the order first): a shipment's finding or document identical to the order's is not repeated. */
function merge(target: ValidationResult['target'], scopes: Scope[], checkedAt: string): ValidationResult {
  const [first, ...rest] = scopes;
  const findings = [...(first?.findings ?? [])];
  const requiredDocuments = [...(first?.requiredDocuments ?? [])];
  const orderFindings = new Set(findings.map(findingKey));
  const orderDocuments = new Set(requiredDocuments.map(documentKey));
  for (const s of rest) {
    findings.push(...s.findings.filter((f) => !orderFindings.has(findingKey(f))));
    requiredDocuments.push(...s.requiredDocuments.filter((d) => !orderDocuments.has(documentKey(d))));
  }
  return {
    target,
    valid: !findings.some((f) => f.severity === 'error'),
    findings,
    requiredDocuments,
    templateIds: [...new Set(scopes.flatMap((s) => s.templateIds))],
    checkedAt,
  };
}

/**
 * Validation of an order: the order as a whole, plus each of its shipments that is not cancelled; each
 * finding says which shipment it concerns. No permission check: callers check (also used when confirming,
 * inside the confirming transaction).
 */
export async function orderValidation(db: Executor, ctx: ServiceContext, orderId: string): Promise<ValidationResult> {
  const order = await loadOrderRow(db, ctx, orderId);
  const rows = await db
    .select()
    .from(shipments)
    .where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.orderId, order.id)))
    .orderBy(asc(shipments.seq));
  const scopes = [await validateScope(db, ctx, order.id, null)];
  for (const s of rows.filter((r) => r.status !== 'cancelled')) scopes.push(await validateScope(db, ctx, order.id, s));
  return merge({ orderId: order.id }, scopes, ctx.now().toISOString());
}

const ruleKinds = () => new Map(loadTemplates().flatMap((t) => t.rules.map((r) => [r.id, r.kind] as const)));

/**
 * The errors that stop an order from being confirmed: every error of the order as a whole, and a planned
 * shipment's inconsistencies (`check` rules: its route and Incoterm, HS codes, totals, allocations, its
 * consignee unverified). A shipment's own paperwork — its consignee's EORI, a SABER certificate, an ISF
 * deadline — is needed to ship it, not to confirm the order: it is reported by validation and blocks its
 * documents, not the confirmation.
 */
export function confirmationBlockers(result: ValidationResult): ValidationFinding[] {
  const kinds = ruleKinds();
  return result.findings.filter((f) => f.severity === 'error' && (f.shipmentId === null || (kinds.get(f.rule) ?? 'check') === 'check'));
}

/** Validate an order and its non-cancelled shipments against the country templates. */
export async function validateOrder(ctx: ServiceContext, orderId: string): Promise<ValidationResult> {
  requirePermission(ctx, 'orders:read');
  return orderValidation(ctx.database.db, ctx, orderId);
}

/** Validate one shipment (its own consignee, destination and allocated quantities) against the country templates. */
export async function validateShipment(ctx: ServiceContext, shipmentId: string): Promise<ValidationResult> {
  requirePermission(ctx, 'shipments:read');
  const db = ctx.database.db;
  const row = await loadShipmentRow(db, ctx, shipmentId);
  const scope = await validateScope(db, ctx, row.orderId, row);
  return merge({ orderId: row.orderId, shipmentId: row.id }, [scope], ctx.now().toISOString());
}
