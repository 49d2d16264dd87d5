import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { DocumentGenerate, DocumentList, DocumentTransition, ExportDocument } from '../../../../shared/contracts/documents.js';
import { DOCUMENT_KINDS, KIND_FORMATS, type DocumentKind, type DocumentSnapshot } from '../../../../shared/documents/snapshot.js';
import type { Executor } from '../../db/client.js';
import { documents, orders, shipmentAllocations, shipments } from '../../db/schema/index.js';
import { newId, sha256Bytes } from '../../lib/ids.js';
import { isoNow, type ServiceContext } from '../context.js';
import { conflict, notFound, unprocessable } from '../errors.js';
import { enqueueDocumentFinal } from '../notifications/enqueue.js';
import { loadOrderRow } from '../orders/orders.js';
import { requirePermission } from '../permissions.js';
import { canSeeDocument, documentVisibility } from '../scope.js';
import type { PackEngine, PackEvaluation } from './engine.js';
import { factsDiff, factsHash, type Wording } from './facts.js';
import { packEngine } from './pack-engine.js';
import { scopeNumber } from './numbers.js';
import { snapshotOrProblem, buildSnapshot } from './snapshot.js';
import { CONTENT_TYPES, databaseStore, type DocumentStore } from './store.js';

type DocumentRow = typeof documents.$inferSelect;
type Scope = { orderId: string; shipmentId: string };

const SHIPPING_PACK: DocumentKind[] = ['commercial_invoice', 'packing_list', 'certificate_of_origin', 'shipping_instructions'];
const seriesOf = (kind: DocumentKind) => (kind === 'proforma_invoice' ? 'PI' : 'INV');
const storeOf = (ctx: ServiceContext): DocumentStore => ctx.documentStore ?? databaseStore;
const scopeKey = (s: { shipmentId: string }) => s.shipmentId || 'order';

/** The commercial invoice a shipping document cites (same number: one invoice number per shipment). */
const related = (kind: DocumentKind, invoiceNumber: string | undefined, date: string) =>
  kind === 'proforma_invoice' || kind === 'commercial_invoice' || !invoiceNumber ? {} : { relatedDocuments: [{ kind: 'commercial_invoice' as const, number: invoiceNumber, date }] };

/** Errors and warnings worth keeping with a document version. */
const keptFindings = (e: PackEvaluation) => e.findings.filter((f) => f.severity !== 'info').map(({ rule, severity, path, message }) => ({ rule, severity, path, message }));

/** Which scopes (order, shipments) and kinds a generate request covers. */
async function plan(db: Executor, ctx: ServiceContext, orderId: string, input: DocumentGenerate): Promise<{ scope: Scope; kinds: DocumentKind[] }[]> {
  const wanted = (kinds: DocumentKind[]) => kinds.filter((k) => !input.kinds || input.kinds.includes(k));
  if (input.shipmentId) {
    const [s] = await db.select().from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, input.shipmentId), eq(shipments.orderId, orderId)));
    if (!s) throw notFound('Shipment', input.shipmentId);
    if (s.status === 'cancelled') throw conflict('SHIPMENT_CANCELLED', 'A cancelled shipment gets no documents');
    if (input.kinds?.includes('proforma_invoice')) {
      throw unprocessable('INVALID_KIND', 'The proforma invoice belongs to the order, not to a shipment', [{ path: 'kinds', message: 'Omit shipmentId for a proforma invoice' }]);
    }
    return [{ scope: { orderId, shipmentId: s.id }, kinds: wanted(SHIPPING_PACK) }];
  }
  const live = await db
    .selectDistinct({ id: shipments.id, seq: shipments.seq })
    .from(shipments)
    .innerJoin(shipmentAllocations, eq(shipmentAllocations.shipmentId, shipments.id))
    .where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.orderId, orderId), ne(shipments.status, 'cancelled')))
    .orderBy(asc(shipments.seq));
  const pack = live.length ? live.map((s) => ({ scope: { orderId, shipmentId: s.id }, kinds: wanted(SHIPPING_PACK) })) : [{ scope: { orderId, shipmentId: '' }, kinds: wanted(SHIPPING_PACK) }];
  return [{ scope: { orderId, shipmentId: '' }, kinds: wanted(['proforma_invoice']) }, ...pack].filter((p) => p.kinds.length);
}

/**
 * Make (or remake) the drafts of an order's document pack from one snapshot per scope: the proforma for
 * the order, and commercial invoice, packing list, certificate of origin application and shipping
 * instructions per shipment. A draft or approved version is replaced; a final one is kept and a new
 * draft version is started.
 */
export async function generateDocuments(ctx: ServiceContext, orderId: string, input: DocumentGenerate, engine: PackEngine = packEngine): Promise<ExportDocument[]> {
  requirePermission(ctx, 'documents:write');
  const db = ctx.database.db;
  const order = await loadOrderRow(db, ctx, orderId);
  if (order.status === 'cancelled') throw conflict('ORDER_CANCELLED', 'A cancelled order gets no documents');
  const today = isoNow(ctx).slice(0, 10);
  const ids: string[] = [];
  const made = new Map<string, Current>();
  for (const { scope, kinds } of await plan(db, ctx, orderId, input)) {
    const snapshot = await buildSnapshot(db, ctx, { orderId, shipmentId: scope.shipmentId || null });
    const evaluation = engine.evaluate(snapshot, ctx.now());
    const numbers = await ctx.database.write(async (tx) => {
      const out: Partial<Record<'INV' | 'PI', string>> = {};
      for (const series of new Set(kinds.map(seriesOf))) out[series] = await scopeNumber(tx, ctx, scope, series, today);
      return out;
    });
    const rendered: { kind: DocumentKind; format: 'docx' | 'xlsx'; bytes: Uint8Array; contentHash: string }[] = [];
    for (const kind of kinds) {
      for (const format of KIND_FORMATS[kind]) {
        const bytes = await engine.render({
          kind,
          format,
          snapshot,
          documentNumber: numbers[seriesOf(kind)]!,
          documentDate: today,
          declarations: evaluation.wording[kind] ?? [],
          requiredDocuments: evaluation.requiredDocuments,
          status: 'draft',
          ...related(kind, numbers.INV, today),
        });
        rendered.push({ kind, format, bytes, contentHash: await sha256Bytes(bytes) });
      }
    }
    const facts = await factsHash(snapshot, evaluation.wording);
    made.set(scope.shipmentId, { snapshot, wording: evaluation.wording, hash: facts });
    await ctx.database.write(async (tx) => {
      for (const r of rendered) {
        const key = `${ctx.orgId}/${r.contentHash}`;
        await storeOf(ctx).put(tx, key, r.bytes, CONTENT_TYPES[r.format], isoNow(ctx));
        const [latest] = await tx
          .select()
          .from(documents)
          .where(and(eq(documents.orgId, ctx.orgId), eq(documents.orderId, orderId), eq(documents.shipmentId, scope.shipmentId), eq(documents.kind, r.kind), eq(documents.format, r.format)))
          .orderBy(desc(documents.version))
          .limit(1);
        const content = {
          number: numbers[seriesOf(r.kind)]!,
          documentDate: today,
          snapshot,
          factsHash: facts,
          contentHash: r.contentHash,
          storageKey: key,
          size: r.bytes.byteLength,
          findings: keptFindings(evaluation),
          createdAt: isoNow(ctx),
          createdBy: ctx.actor.userId,
        };
        if (latest && (latest.status === 'draft' || latest.status === 'approved')) {
          await tx.update(documents).set({ ...content, status: 'draft', approvedAt: null, approvedBy: null }).where(eq(documents.id, latest.id));
          ids.push(latest.id);
        } else {
          const id = newId('doc');
          await tx.insert(documents).values({ id, orgId: ctx.orgId, orderId, shipmentId: scope.shipmentId, kind: r.kind, format: r.format, version: (latest?.version ?? 0) + 1, status: 'draft', ...content });
          ids.push(id);
        }
      }
    });
  }
  const rows = await db.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), inArray(documents.id, ids)));
  const wording = wordingOf(engine, ctx);
  return Promise.all(ids.map((id) => rows.find((r) => r.id === id)!).map((r) => toDocument(r, made.get(r.shipmentId) ?? null, wording)));
}

/** The latest version of each of an order's documents, each marked stale when its facts are no longer current. */
export async function listDocuments(ctx: ServiceContext, orderId: string, engine: PackEngine = packEngine): Promise<DocumentList> {
  requirePermission(ctx, 'documents:read');
  const db = ctx.database.db;
  await loadOrderRow(db, ctx, orderId);
  const all = await db.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), eq(documents.orderId, orderId))).orderBy(asc(documents.id));
  const visible = await documentVisibility(db, ctx, orderId);
  const rows = all.filter((r) => visible({ ...r, shipmentId: r.shipmentId || null }));
  const latest = new Map<string, DocumentRow>();
  for (const r of rows) {
    const key = `${r.shipmentId}|${r.kind}|${r.format}`;
    const seen = latest.get(key);
    if (!seen || r.version > seen.version) latest.set(key, r);
  }
  const current = await currentSnapshots(db, ctx, orderId, [...new Set([...latest.values()].map((r) => r.shipmentId))], engine);
  const items = await Promise.all([...latest.values()].map((r) => toDocument(r, current.get(r.shipmentId) ?? null, wordingOf(engine, ctx))));
  const order = (d: ExportDocument) => `${d.shipmentId ?? ''}|${DOCUMENT_KINDS.indexOf(d.kind)}|${d.format}`;
  items.sort((a, b) => order(a).localeCompare(order(b)));
  const scopes = [...new Set(items.map((d) => d.shipmentId))].map((shipmentId) => {
    const finals = items.filter((d) => d.shipmentId === shipmentId && d.status === 'final');
    const stale = finals.filter((d) => d.stale).map((d) => d.id);
    return { shipmentId, consistent: stale.length === 0 && new Set(finals.map((d) => d.factsHash)).size <= 1, staleDocumentIds: stale };
  });
  return { items, scopes };
}

/** Current snapshot per scope, or the reason it cannot be made (then every document of it is stale). */
async function currentSnapshots(db: Executor, ctx: ServiceContext, orderId: string, shipmentIds: string[], engine: PackEngine) {
  const out = new Map<string, Current | { problem: string }>();
  for (const shipmentId of shipmentIds) {
    const result = await snapshotOrProblem(db, ctx, { orderId, shipmentId: shipmentId || null });
    if ('problem' in result) out.set(shipmentId, result);
    else {
      const wording = wordingOf(engine, ctx)(result.snapshot);
      out.set(shipmentId, { snapshot: result.snapshot, wording, hash: await factsHash(result.snapshot, wording) });
    }
  }
  return out;
}

type Current = { snapshot: DocumentSnapshot; wording: Wording; hash: string };
type WordingOf = (s: DocumentSnapshot, factsHash?: string) => Wording;
/** Declarations the country rules give a snapshot (they do not depend on the clock), evaluated once per facts hash. */
const wordingOf = (engine: PackEngine, ctx: ServiceContext): WordingOf => {
  const seen = new Map<string, Wording>();
  return (s, key) => {
    const cached = key ? seen.get(key) : undefined;
    if (cached) return cached;
    const wording = engine.evaluate(s, ctx.now()).wording;
    if (key) seen.set(key, wording);
    return wording;
  };
};

async function toDocument(r: DocumentRow, current: Current | { problem: string } | null, wording: WordingOf): Promise<ExportDocument> {
  let stale = false;
  let staleReasons: ExportDocument['staleReasons'] = [];
  if (current && 'problem' in current) {
    stale = true;
    staleReasons = [{ path: scopeKey(r), before: 'documentable', after: current.problem }];
  } else if (current && current.hash !== r.factsHash) {
    stale = true;
    const made = r.snapshot as DocumentSnapshot;
    staleReasons = factsDiff({ snapshot: made, wording: wording(made, r.factsHash) }, current);
  }
  return {
    id: r.id,
    orderId: r.orderId,
    shipmentId: r.shipmentId || null,
    kind: r.kind as DocumentKind,
    format: r.format as ExportDocument['format'],
    version: r.version,
    status: r.status as ExportDocument['status'],
    number: r.number,
    documentDate: r.documentDate,
    contentHash: r.contentHash,
    factsHash: r.factsHash,
    size: r.size,
    findings: r.findings as ExportDocument['findings'],
    stale: r.status === 'superseded' ? false : stale,
    staleReasons: r.status === 'superseded' ? [] : staleReasons,
    downloadUrl: `/documents/${r.id}/content`,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    approvedAt: r.approvedAt,
    approvedBy: r.approvedBy,
    finalizedAt: r.finalizedAt,
    finalizedBy: r.finalizedBy,
    supersededAt: r.supersededAt,
  };
}

async function loadDocumentRow(db: Executor, ctx: ServiceContext, id: string): Promise<DocumentRow> {
  const [row] = await db.select().from(documents).where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, id)));
  if (!row || !(await canSeeDocument(db, ctx, { ...row, shipmentId: row.shipmentId || null }))) throw notFound('Document', id);
  return row;
}

/** One document version, with its staleness and the snapshot it was made from. */
export async function getDocument(ctx: ServiceContext, id: string, engine: PackEngine = packEngine): Promise<ExportDocument & { snapshot: DocumentSnapshot }> {
  requirePermission(ctx, 'documents:read');
  const db = ctx.database.db;
  const row = await loadDocumentRow(db, ctx, id);
  const current = await currentSnapshots(db, ctx, row.orderId, [row.shipmentId], engine);
  return { ...(await toDocument(row, current.get(row.shipmentId) ?? null, wordingOf(engine, ctx))), snapshot: row.snapshot as DocumentSnapshot };
}

/** The file of a document version, with a download name like INV-26-27-0007_commercial-invoice_v2.docx. */
export async function documentContent(ctx: ServiceContext, id: string): Promise<{ bytes: Uint8Array; contentType: string; filename: string; contentHash: string }> {
  requirePermission(ctx, 'documents:read');
  const row = await loadDocumentRow(ctx.database.db, ctx, id);
  const bytes = await storeOf(ctx).get(ctx.database.db, row.storageKey);
  if (!bytes) throw notFound('Document content', id);
  const filename = `${row.number.replace(/\//g, '-')}_${row.kind.replace(/_/g, '-')}_v${row.version}${row.status === 'final' ? '' : `-${row.status}`}.${row.format}`;
  return { bytes, contentType: CONTENT_TYPES[row.format as 'docx' | 'xlsx'], filename, contentHash: row.contentHash };
}

/**
 * draft → approved → final. Finalising checks that the order still says what the document says and that
 * validation finds no error; the final file is rendered from the stored snapshot (without the DRAFT mark)
 * and the previous final version, if any, is superseded. A final version never changes again.
 */
export async function transitionDocument(ctx: ServiceContext, id: string, input: DocumentTransition, engine: PackEngine = packEngine): Promise<ExportDocument> {
  requirePermission(ctx, 'documents:write');
  const db = ctx.database.db;
  const row = await loadDocumentRow(db, ctx, id);
  const expectFrom = input.to === 'approved' ? 'draft' : 'approved';
  if (row.status !== expectFrom) throw conflict('INVALID_TRANSITION', `A ${row.status} document cannot become ${input.to} (only from ${expectFrom})`);
  if (input.to === 'approved') {
    await ctx.database.write(async (tx) => {
      const done = await tx.update(documents).set({ status: 'approved', approvedAt: isoNow(ctx), approvedBy: ctx.actor.userId }).where(and(eq(documents.id, id), eq(documents.status, 'draft')));
      if (!done.rowsAffected) throw conflict('INVALID_TRANSITION', 'The document changed meanwhile; reload it');
    });
    return (await getDocument(ctx, id, engine)) as ExportDocument;
  }
  const snapshot = row.snapshot as DocumentSnapshot;
  const now = await snapshotOrProblem(db, ctx, { orderId: row.orderId, shipmentId: row.shipmentId || null });
  if ('problem' in now) throw conflict('DOCUMENT_OUTDATED', `The document can no longer be made: ${now.problem}`);
  const evaluation = engine.evaluate(now.snapshot, ctx.now());
  const current = { snapshot: now.snapshot, wording: evaluation.wording };
  if ((await factsHash(current.snapshot, current.wording)) !== row.factsHash) {
    const changes = factsDiff({ snapshot, wording: wordingOf(engine, ctx)(snapshot) }, current);
    throw conflict('DOCUMENT_OUTDATED', 'The order changed since this document was made; generate it again, then approve and finalise', changes.map((d) => ({ path: d.path, message: `${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}` })));
  }
  const errors = evaluation.findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    throw unprocessable('DOCUMENT_BLOCKED', 'Validation finds errors; fix them before this document becomes final', errors.map((f) => ({ path: f.path, message: f.message, code: f.rule })));
  }
  const bytes = await engine.render({
    kind: row.kind as DocumentKind,
    format: row.format as 'docx' | 'xlsx',
    snapshot,
    documentNumber: row.number,
    documentDate: row.documentDate,
    declarations: evaluation.wording[row.kind as DocumentKind] ?? [], // same facts, so the same declarations as the stored snapshot
    requiredDocuments: evaluation.requiredDocuments,
    status: 'final',
    ...related(row.kind as DocumentKind, row.number, row.documentDate),
  });
  const contentHash = await sha256Bytes(bytes);
  await ctx.database.write(async (tx) => {
    // what was checked above must still hold when the final version is written
    const [order] = await tx.select({ version: orders.version }).from(orders).where(and(eq(orders.orgId, ctx.orgId), eq(orders.id, row.orderId)));
    const [shipment] = row.shipmentId
      ? await tx.select({ version: shipments.version }).from(shipments).where(and(eq(shipments.orgId, ctx.orgId), eq(shipments.id, row.shipmentId)))
      : [null];
    if (order?.version !== now.snapshot.order.version || (shipment?.version ?? null) !== (now.snapshot.shipment?.version ?? null)) {
      throw conflict('DOCUMENT_OUTDATED', 'The order changed while the document was being finalised; try again');
    }
    const key = `${ctx.orgId}/${contentHash}`;
    await storeOf(ctx).put(tx, key, bytes, CONTENT_TYPES[row.format as 'docx' | 'xlsx'], isoNow(ctx));
    await tx
      .update(documents)
      .set({ status: 'superseded', supersededAt: isoNow(ctx) })
      .where(and(eq(documents.orgId, ctx.orgId), eq(documents.orderId, row.orderId), eq(documents.shipmentId, row.shipmentId), eq(documents.kind, row.kind), eq(documents.format, row.format), eq(documents.status, 'final')));
    const done = await tx
      .update(documents)
      .set({ status: 'final', contentHash, storageKey: key, size: bytes.byteLength, findings: keptFindings(evaluation), finalizedAt: isoNow(ctx), finalizedBy: ctx.actor.userId })
      .where(and(eq(documents.id, id), eq(documents.status, 'approved')));
    if (!done.rowsAffected) throw conflict('INVALID_TRANSITION', 'The document changed meanwhile; reload it');
    await enqueueDocumentFinal(tx, ctx, id); // the buyer's e-mail with the final documents, if wanted (outbox)
  });
  return (await getDocument(ctx, id, engine)) as ExportDocument;
}

