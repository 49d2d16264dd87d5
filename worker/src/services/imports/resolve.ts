/**
 * Import, step 2: everything the sheet refers to, read in bulk — existing orders by reference (with their
 * lines and shipment allocations when they may be updated), products by SKU, and the organisation's parties
 * (buyers and consignees are named by id, name or tax id). A fixed number of queries per 400–500 keys,
 * never one per row.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { orderLines, orders, organisations, parties, products } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import type { LineRow } from '../orders/lines.js';
import type { OrderRow } from '../orders/mapping.js';
import { loadProgressMany, type OrderProgress } from '../orders/orders.js';

export type ProductRow = typeof products.$inferSelect;
export type PartyRow = typeof parties.$inferSelect;

/** SQLite's lower(): ASCII only, so keys match what the lower(...) indexes hold. */
export const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** Party names compared without case, accents or repeated spaces. */
export const nameKey = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
/** Tax ids compared without case, spaces, dots, dashes or slashes. */
export const taxKey = (s: string) => s.toUpperCase().replace(/[\s./-]+/g, '');
export const PARTY_ID = /^pty_[0-9A-HJKMNP-TV-Z]{26}$/;

export interface Lookups {
  /** Existing orders by lower-case reference. */
  existing: Map<string, OrderRow>;
  /** Lines of the existing orders (only loaded for upserts), by order id. */
  lines: Map<string, LineRow[]>;
  /** Shipment progress of the existing orders (only for upserts), by order id. */
  progress: Map<string, OrderProgress>;
  /** Products by ASCII-lower-case SKU. */
  productsBySku: Map<string, ProductRow>;
  /** Products by id: those named in the sheet and those on existing lines. */
  productsById: Map<string, ProductRow>;
  partiesById: Map<string, PartyRow>;
  partiesByName: Map<string, PartyRow[]>;
  partiesByTaxId: Map<string, PartyRow[]>;
  /** The exporter's country. */
  originCountry?: string;
}

const CHUNK = 400;
function* chunks<T>(xs: T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < xs.length; i += size) yield xs.slice(i, i + size);
}

export async function originCountry(db: Executor, ctx: ServiceContext): Promise<string | undefined> {
  const [org] = await db.select({ address: organisations.address }).from(organisations).where(eq(organisations.id, ctx.orgId));
  return (org?.address as { country?: string } | undefined)?.country;
}

/** Read what the sheet refers to. `references` are lower-case; `skus` as written. */
export async function resolveLookups(db: Executor, ctx: ServiceContext, input: { references: string[]; skus: string[]; withLines: boolean }): Promise<Lookups> {
  const existing = new Map<string, OrderRow>();
  for (const chunk of chunks([...new Set(input.references)])) {
    const rows = await db.select().from(orders).where(and(eq(orders.orgId, ctx.orgId), inArray(sql`lower(${orders.reference})`, chunk)));
    for (const r of rows) existing.set(asciiLower(r.reference), r);
  }

  const lines = new Map<string, LineRow[]>();
  let progress = new Map<string, OrderProgress>();
  if (input.withLines && existing.size) {
    const ids = [...existing.values()].map((o) => o.id);
    for (const chunk of chunks(ids, 500)) {
      const rows = await db.select().from(orderLines).where(inArray(orderLines.orderId, chunk)).orderBy(asc(orderLines.orderId), asc(orderLines.lineNo));
      for (const l of rows) {
        let list = lines.get(l.orderId);
        if (!list) lines.set(l.orderId, (list = []));
        list.push(l);
      }
    }
    progress = await loadProgressMany(db, ids);
  }

  const productsBySku = new Map<string, ProductRow>();
  const productsById = new Map<string, ProductRow>();
  for (const chunk of chunks([...new Set(input.skus.map(asciiLower))])) {
    const rows = await db.select().from(products).where(and(eq(products.orgId, ctx.orgId), inArray(sql`lower(${products.sku})`, chunk)));
    for (const p of rows) {
      productsBySku.set(asciiLower(p.sku), p);
      productsById.set(p.id, p);
    }
  }
  const missing = [...new Set([...lines.values()].flat().map((l) => l.productId))].filter((id) => !productsById.has(id));
  for (const chunk of chunks(missing)) {
    const rows = await db.select().from(products).where(and(eq(products.orgId, ctx.orgId), inArray(products.id, chunk)));
    for (const p of rows) productsById.set(p.id, p);
  }

  // Parties are matched by name and tax id as well as by id, with Unicode case folding that SQLite's lower()
  // lacks: read the organisation's parties once (one query, however many rows name them).
  const partiesById = new Map<string, PartyRow>();
  const partiesByName = new Map<string, PartyRow[]>();
  const partiesByTaxId = new Map<string, PartyRow[]>();
  const push = (map: Map<string, PartyRow[]>, key: string, p: PartyRow) => {
    const list = map.get(key);
    if (!list) map.set(key, [p]);
    else if (!list.includes(p)) list.push(p);
  };
  for (const p of await db.select().from(parties).where(eq(parties.orgId, ctx.orgId))) {
    partiesById.set(p.id, p);
    push(partiesByName, nameKey(p.name), p);
    for (const t of (p.taxIds as { value: string }[]) ?? []) push(partiesByTaxId, taxKey(t.value), p);
  }
  const origin = await originCountry(db, ctx);
  return { existing, lines, progress, productsBySku, productsById, partiesById, partiesByName, partiesByTaxId, ...(origin ? { originCountry: origin } : {}) };
}

/** The party a cell names, among those allowed in `roles`: by id, exact name, or tax id. */
export function findParty(l: Lookups, text: string, roles: readonly string[]): { party: PartyRow; by: 'id' | 'name' | 'tax id' } | { error: string } {
  const allowed = (p: PartyRow) => roles.some((r) => (p.roles as string[]).includes(r));
  const what = roles[0] === 'buyer' && roles.length === 1 ? 'buyer' : 'consignee';
  if (PARTY_ID.test(text)) {
    const p = l.partiesById.get(text);
    if (!p) return { error: `no party ${text} in this organisation` };
    if (!allowed(p)) return { error: `${p.name} cannot be the ${what}: its roles are ${(p.roles as string[]).join(', ')}` };
    return { party: p, by: 'id' };
  }
  for (const [by, candidates] of [
    ['name', l.partiesByName.get(nameKey(text)) ?? []],
    ['tax id', l.partiesByTaxId.get(taxKey(text)) ?? []],
  ] as const) {
    if (!candidates.length) continue;
    const fit = candidates.filter(allowed);
    if (fit.length === 1) return { party: fit[0]!, by };
    if (fit.length > 1) return { error: `"${text}" matches ${fit.length} parties by ${by} (${fit.map((p) => p.id).join(', ')}); use the party id` };
    return { error: `${candidates[0]!.name} cannot be the ${what}: its roles are ${(candidates[0]!.roles as string[]).join(', ')}` };
  }
  return { error: `unknown ${what} "${text}": no party with that name, id or tax id (create it under Parties first)` };
}
