/**
 * Import, step 3 (no queries): turn each order group into what would be written — a new order (the exact
 * `OrderCreate` input of createOrders) or, in upsert mode, the replacement of an existing order's header and
 * complete set of lines computed with the order service's own update helpers (line ids kept where the SKU
 * matches, quantities already allocated to shipments respected) — or "unchanged". Every problem is logged on
 * the sheet cell it comes from.
 */
import type { ImportAction, ImportOrderResult, ImportRequest } from '../../../../shared/contracts/imports.js';
import { checkHeader, type OrderCreate, type OrderLineInput, type OrderUpdate } from '../../../../shared/contracts/orders.js';
import type { PaymentTerms } from '../../../../shared/contracts/payment-terms.js';
import type { TransportMode } from '../../../../shared/domain/incoterms.js';
import { lineAmountMinor, sumMinor } from '../../../../shared/domain/money.js';
import { EDITABLE_STATUSES } from '../../../../shared/domain/order-status.js';
import type { ImportField } from '../../../../shared/import/fields.js';
import type { ParsedIncoterm } from '../../../../shared/import/normalise.js';
import { seaport } from '../../../../shared/reference/ports.js';
import { diff } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { AppError, type ErrorDetail } from '../errors.js';
import { buildLines, type LineRow } from '../orders/lines.js';
import { auditSnapshot, money, type OrderRow } from '../orders/mapping.js';
import { allocationProblems, linesTotal, mergeHeader, orderHeaderProblems, type OrderUpdateWrite } from '../orders/orders.js';
import { SLOT_ROLES } from '../orders/parties-check.js';
import type { HeaderField, ParsedSheet, SheetOrder } from './parse.js';
import type { ImportLog } from './report.js';
import { asciiLower, findParty, type Lookups, type PartyRow, type ProductRow } from './resolve.js';

/** Request-level defaults, already parsed. */
export interface ParsedDefaults {
  currency?: string;
  portOfLoading?: string;
  transportMode?: TransportMode;
  incoterm?: ParsedIncoterm;
  paymentTerms?: PaymentTerms;
}

export interface PlannedOrder {
  sheet: SheetOrder;
  action: ImportAction;
  /** Row indices of the order's lines. */
  rows: number[];
  /** The existing order (upsert, or a create_only clash). */
  existing?: OrderRow;
  /** What createOrders would receive, when the order is new and has no error. */
  create?: OrderCreate;
  /** The computed update, when the order exists, changes, and has no error. */
  update?: OrderUpdateWrite & { lines: LineRow[]; oldLines: LineRow[] };
  total?: { minor: number; currency: string };
  hasError: boolean;
}

/** Incoterm rules whose named place is, by definition, the port of loading or of discharge. */
const PLACE_FROM_PORT: Readonly<Record<string, 'portOfLoading' | 'portOfDischarge'>> = { FAS: 'portOfLoading', FOB: 'portOfLoading', CFR: 'portOfDischarge', CIF: 'portOfDischarge' };

/** API field of an order input → the import field whose cell it came from. */
const HEADER_PATH_FIELD: Readonly<Record<string, ImportField>> = {
  reference: 'reference',
  buyerId: 'buyer',
  consigneeId: 'consignee',
  notifyPartyId: 'reference',
  buyerPo: 'buyerPo',
  portOfLoading: 'portOfLoading',
  portOfDischarge: 'portOfDischarge',
  destinationCountry: 'destinationCountry',
  incoterm: 'incoterm',
  incotermPlace: 'incotermPlace',
  transportMode: 'transportMode',
  paymentTerms: 'paymentTerms',
  currency: 'currency',
  requestedShipDate: 'requestedShipDate',
  remarks: 'remarks',
};
const LINE_PATH_FIELD: Readonly<Record<string, ImportField>> = {
  productId: 'sku',
  id: 'sku',
  description: 'description',
  quantity: 'quantity',
  unit: 'unit',
  unitPrice: 'unitPrice',
  discountPercent: 'discountPercent',
};

/** Audit snapshot plus what it leaves out of lines (description, HS code), so an import that changes only those still counts as a change. */
function importSnapshot(row: OrderRow, lines: LineRow[]): Record<string, unknown> {
  const snap = auditSnapshot(row, lines);
  return { ...snap, lines: lines.map((l, i) => ({ ...(snap.lines as object[])[i], description: l.description, hsCode: l.hsCode })) };
}

export function planOrders(ctx: ServiceContext, request: ImportRequest, sheet: ParsedSheet, lookups: Lookups, defaults: ParsedDefaults, log: ImportLog): PlannedOrder[] {
  const mapped = (f: ImportField) => request.columns[f] !== undefined;
  return sheet.orders.map((o) => planOrder(ctx, request, o, lookups, defaults, log, mapped));
}

function planOrder(
  ctx: ServiceContext,
  request: ImportRequest,
  o: SheetOrder,
  lookups: Lookups,
  defaults: ParsedDefaults,
  log: ImportLog,
  mapped: (f: ImportField) => boolean,
): PlannedOrder {
  const rows = o.lines.map((l) => l.index);
  let bad = o.broken.size > 0 || rows.some((i) => log.rows[i]!.status === 'error');
  const err = (i: number, field: ImportField | undefined, message: string) => {
    log.error(i, field, message);
    bad = true;
  };
  const at = (f: HeaderField) => o.header[f]?.index ?? o.first;
  const value = <K extends HeaderField>(f: K) => o.header[f]?.value;
  const existing = lookups.existing.get(o.key);
  const creating = !existing;
  /** A required header field blank on every line: an error for a new order; an existing order keeps its value. */
  const missing = (f: HeaderField, message: string) => {
    if (creating && !o.broken.has(f)) err(o.first, f, message);
  };

  // In create_only mode an existing reference is a clash: the order was meant to be created.
  const action: ImportAction = existing && request.onExisting === 'upsert' ? 'update' : 'create';
  if (existing && request.onExisting === 'create_only') {
    for (const i of rows) err(i, 'reference', `order ${existing.reference} already exists (${existing.id}); import with onExisting "upsert" to update it`);
  } else if (existing && !EDITABLE_STATUSES.has(existing.status as never)) {
    for (const i of rows) err(i, 'reference', `order ${existing.reference} is ${existing.status} and can no longer be edited`);
  }

  // Parties.
  let buyer: PartyRow | undefined;
  const buyerText = value('buyer');
  if (buyerText === undefined) missing('buyer', `buyer missing on every line of order ${o.reference}`);
  else {
    const r = findParty(lookups, buyerText, SLOT_ROLES.buyerId);
    if ('error' in r) err(at('buyer'), 'buyer', r.error);
    else buyer = r.party;
  }
  let consignee: PartyRow | undefined;
  const consigneeText = value('consignee');
  if (consigneeText !== undefined) {
    const r = findParty(lookups, consigneeText, SLOT_ROLES.consigneeId);
    if ('error' in r) err(at('consignee'), 'consignee', r.error);
    else consignee = r.party;
  }

  // Currency: the column, the default, or what the prices say.
  let currency = value('currency') ?? defaults.currency;
  if (currency === undefined && !o.broken.has('currency')) {
    const priced = o.lines.find((l) => l.priceCurrency);
    if (priced) {
      currency = priced.priceCurrency;
      log.note(priced.index, 'unitPrice', `order currency ${currency} taken from the unit price`);
    } else if (creating) {
      missing('currency', 'no currency: map a currency column, set defaults.currency, or write it with the unit price ("USD 2.50", "€2.50")');
    } else {
      currency = existing!.currency;
    }
  }

  // Ports, destination, Incoterm and its place, mode, terms.
  const portOfLoading = value('portOfLoading') ?? defaults.portOfLoading;
  if (portOfLoading === undefined) missing('portOfLoading', 'port of loading missing: fill the column or set defaults.portOfLoading');
  const portOfDischarge = value('portOfDischarge');
  if (portOfDischarge === undefined) missing('portOfDischarge', `port of discharge missing on every line of order ${o.reference}`);
  let destinationCountry = value('destinationCountry');
  if (destinationCountry === undefined && !o.broken.has('destinationCountry') && portOfDischarge && (creating || !mapped('destinationCountry'))) {
    destinationCountry = seaport(portOfDischarge)?.country;
    if (destinationCountry && creating) log.note(o.first, mapped('destinationCountry') ? 'destinationCountry' : undefined, `destination country ${destinationCountry} taken from the port of discharge ${portOfDischarge}`);
  }
  const incoterm = value('incoterm') ?? defaults.incoterm;
  if (incoterm === undefined && !o.broken.has('incoterm')) missing('incoterm', 'Incoterm missing: fill the column (e.g. "FOB Nhava Sheva") or set defaults.incoterm');
  let incotermPlace = value('incotermPlace');
  if (incoterm) {
    if (incotermPlace !== undefined && incoterm.place && incoterm.place.toLowerCase() !== incotermPlace.toLowerCase()) {
      err(at('incotermPlace'), 'incotermPlace', `Incoterm place "${incotermPlace}" contradicts the place in the Incoterm cell ("${incoterm.place}")`);
    }
    incotermPlace ??= incoterm.place ?? undefined;
    if (incotermPlace === undefined && !o.broken.has('incotermPlace')) {
      const from = PLACE_FROM_PORT[incoterm.rule];
      const code = from === 'portOfLoading' ? portOfLoading : from === 'portOfDischarge' ? portOfDischarge : undefined;
      const name = code ? seaport(code)?.name.replace(/\s*\(.*\)\s*$/, '') : undefined;
      if (name && name.length >= 2) {
        incotermPlace = name;
        log.note(at('incoterm'), value('incoterm') ? 'incoterm' : undefined, `Incoterm place "${name}" taken from the ${from === 'portOfLoading' ? 'port of loading' : 'port of discharge'} (${code})`);
      } else if (!from) {
        err(at('incoterm'), value('incoterm') ? 'incoterm' : mapped('incotermPlace') ? 'incotermPlace' : undefined, `${incoterm.rule} needs a named place: write it with the rule ("${incoterm.rule} Hamburg") or fill an Incoterm place column`);
      }
    }
  }
  const transportMode = value('transportMode') ?? defaults.transportMode ?? (creating ? 'sea' : undefined);
  const paymentTerms = value('paymentTerms') ?? defaults.paymentTerms;
  if (paymentTerms === undefined) missing('paymentTerms', 'payment terms missing: fill the column (e.g. "30% advance, 70% against B/L copy") or set defaults.paymentTerms');

  // Lines.
  if (o.lines.length > 500) err(o.first, 'reference', `order ${o.reference} has ${o.lines.length} lines; at most 500 per order`);
  const products: (ProductRow | undefined)[] = [];
  const amounts: number[] = [];
  for (const l of o.lines) {
    const product = l.sku !== undefined ? lookups.productsBySku.get(asciiLower(l.sku)) : undefined;
    products.push(product);
    if (l.sku !== undefined && !product) err(l.index, 'sku', `unknown SKU "${l.sku}": no product with this SKU in your organisation`);
    if (product && l.hsCode && !product.hsCode.startsWith(l.hsCode) && !l.hsCode.startsWith(product.hsCode)) {
      log.warn(l.index, 'hsCode', `HS code ${l.hsCode} differs from ${product.hsCode} of product ${product.sku}; the product's HS code is used`);
    }
    if (product && l.unit && l.unit !== product.unit) log.warn(l.index, 'unit', `unit ${l.unit} differs from the unit of product ${product.sku} (${product.unit})`);
    if (currency && l.priceCurrency && l.priceCurrency !== currency) {
      err(l.index, 'unitPrice', `price in ${l.priceCurrency} but the order currency is ${currency}; an order has one currency`);
    } else if (currency && l.quantity && l.unitPrice) {
      try {
        amounts.push(lineAmountMinor(l.quantity, l.unitPrice, l.discountPercent ?? '0', currency));
      } catch (e) {
        err(l.index, 'unitPrice', `line amount cannot be computed: ${(e as Error).message}`);
      }
    }
  }
  let total: PlannedOrder['total'];
  if (currency && amounts.length === o.lines.length) {
    try {
      total = { minor: sumMinor(amounts), currency };
    } catch {
      err(o.first, 'unitPrice', `the total of order ${o.reference} exceeds the largest exact amount`);
    }
  }

  const planned: PlannedOrder = { sheet: o, action, rows, hasError: true, ...(existing ? { existing } : {}), ...(total ? { total } : {}) };
  if (bad) return planned;

  // Map problems reported by API paths ("incoterm", "lines.2.quantity") back to cells.
  const report = (problems: ErrorDetail[]) => {
    for (const p of problems) {
      const [head, k, sub] = p.path.split('.');
      if (head === 'lines' && k !== undefined && /^\d+$/.test(k)) err(o.lines[Number(k)]?.index ?? o.first, LINE_PATH_FIELD[sub ?? ''] ?? 'sku', p.message);
      else if (head === 'lines') err(o.first, 'sku', p.message);
      else {
        const field = HEADER_PATH_FIELD[head ?? ''];
        err(field && field !== 'reference' ? at(field as HeaderField) : o.first, field, p.message);
      }
    }
  };

  if (creating) {
    const input: OrderCreate = {
      reference: o.reference,
      buyerId: buyer!.id,
      ...(consignee ? { consigneeId: consignee.id } : {}),
      ...(value('buyerPo') !== undefined ? { buyerPo: value('buyerPo') } : {}),
      portOfLoading: portOfLoading!,
      portOfDischarge: portOfDischarge!,
      destinationCountry: destinationCountry!,
      incoterm: incoterm!.rule,
      incotermPlace: incotermPlace!,
      transportMode: transportMode!,
      paymentTerms: paymentTerms!,
      currency: currency!,
      ...(value('requestedShipDate') !== undefined ? { requestedShipDate: value('requestedShipDate') } : {}),
      ...(value('remarks') !== undefined ? { remarks: value('remarks') } : {}),
      lines: o.lines.map((l, k) => ({
        productId: products[k]!.id,
        ...(l.description !== undefined ? { description: l.description } : {}),
        quantity: l.quantity!,
        ...(l.unit !== undefined ? { unit: l.unit as OrderLineInput['unit'] } : {}),
        unitPrice: l.unitPrice!,
        discountPercent: l.discountPercent ?? '0',
      })),
    };
    // Every value above is already normalised to the contract (references, codes, decimals, terms), so only
    // the cross-field rules remain: Incoterm vs transport mode, seaports for sea legs.
    const problems: ErrorDetail[] = [];
    checkHeader(input, { addIssue: (i: { path?: PropertyKey[]; message?: string }) => problems.push({ path: (i.path ?? []).join('.'), message: i.message ?? 'Invalid' }) } as never);
    if (problems.length) {
      report(problems);
      return planned;
    }
    return { ...planned, create: input, hasError: false };
  }

  // Update: the header and the complete set of lines are replaced. A field the sheet does not map (and has
  // no default for) keeps its value; a mapped optional field left blank on every line is cleared.
  const row = existing!;
  const optional = <K extends 'buyerPo' | 'requestedShipDate' | 'remarks'>(f: K) => (value(f) !== undefined ? value(f) : mapped(f) ? null : undefined);
  const patch: Omit<OrderUpdate, 'lines'> = {
    buyerId: buyer?.id,
    consigneeId: consignee ? consignee.id : mapped('consignee') ? null : undefined,
    buyerPo: optional('buyerPo'),
    portOfLoading,
    portOfDischarge,
    destinationCountry,
    incoterm: incoterm?.rule,
    incotermPlace,
    transportMode,
    paymentTerms,
    currency,
    requestedShipDate: optional('requestedShipDate'),
    remarks: optional('remarks'),
  };
  const next = mergeHeader(row, patch);
  const headerProblems = orderHeaderProblems(next, lookups.partiesById);
  if (headerProblems.length) {
    report(headerProblems);
    return planned;
  }
  const oldLines = lookups.lines.get(row.id) ?? [];
  const pool = new Map<string, LineRow[]>();
  for (const l of oldLines) pool.set(l.productId, [...(pool.get(l.productId) ?? []), l]);
  const input: OrderLineInput[] = o.lines.map((l, k) => {
    const product = products[k]!;
    const old = pool.get(product.id)?.shift();
    const description = l.description ?? (mapped('description') ? undefined : old?.description);
    const unit = l.unit ?? (mapped('unit') ? undefined : old?.unit);
    return {
      ...(old ? { id: old.id } : {}),
      productId: product.id,
      ...(description !== undefined ? { description } : {}),
      quantity: l.quantity!,
      ...(unit !== undefined ? { unit: unit as OrderLineInput['unit'] } : {}),
      unitPrice: l.unitPrice!,
      discountPercent: l.discountPercent ?? (mapped('discountPercent') ? '0' : (old?.discountPercent ?? '0')),
    };
  });
  let lines: LineRow[];
  try {
    lines = buildLines(row.id, ctx, next.currency, input, lookups.productsById, oldLines);
    next.totalMinor = linesTotal(lines, 'lines');
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    report(e.details ?? [{ path: '', message: e.message }]);
    return planned;
  }
  next.lineCount = lines.length;
  const allocation = allocationProblems(lines, oldLines, lookups.progress.get(row.id)?.progress ?? new Map());
  if (allocation.length) {
    report(allocation);
    return planned;
  }
  const changes = diff(importSnapshot(row, oldLines), importSnapshot(next, lines));
  if (!changes) return { ...planned, action: 'unchanged', hasError: false };
  return { ...planned, update: { row, next, changes, lines, oldLines }, hasError: false };
}

/** The orders part of the report. */
export function orderResults(plan: PlannedOrder[], log: ImportLog, ids: Map<PlannedOrder, string> = new Map()): ImportOrderResult[] {
  return plan.map((p) => {
    const orderId = ids.get(p) ?? p.existing?.id;
    const r: ImportOrderResult = { reference: p.sheet.reference, action: p.action, lineCount: p.rows.length, rows: p.rows.map((i) => log.rowNumber(i)) };
    if (orderId && !(p.action === 'create' && !ids.has(p))) r.orderId = orderId;
    if (p.total) r.total = money(p.total.minor, p.total.currency);
    return r;
  });
}
