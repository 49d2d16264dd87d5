import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Party, PartyCreate, PartyListQuery, PartyUpdate } from '../../../shared/contracts/parties.js';
import type { Address } from '../../../shared/contracts/common.js';
import type { Executor } from '../db/client.js';
import { parties } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { isoNow, type ServiceContext } from './context.js';
import { notFound, stale, unprocessable } from './errors.js';
import { decodeCursor, pageOf } from './pagination.js';
import { requirePermission } from './permissions.js';
import { contains } from './sql-helpers.js';

type PartyRow = typeof parties.$inferSelect;

export function toParty(r: PartyRow): Party {
  return {
    id: r.id,
    name: r.name,
    roles: r.roles as Party['roles'],
    address: r.address as Address,
    taxIds: r.taxIds as Party['taxIds'],
    contacts: r.contacts as Party['contacts'],
    notes: r.notes,
    verified: r.verifiedAt !== null,
    verifiedAt: r.verifiedAt,
    verifiedBy: r.verifiedBy,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Load a party of this organisation (404 for anyone else's). */
export async function loadParty(db: Executor, ctx: ServiceContext, id: string): Promise<PartyRow> {
  const [row] = await db.select().from(parties).where(and(eq(parties.orgId, ctx.orgId), eq(parties.id, id)));
  if (!row) throw notFound('Party', id);
  return row;
}

export async function createParty(ctx: ServiceContext, input: PartyCreate): Promise<Party> {
  requirePermission(ctx, 'parties:write');
  const now = isoNow(ctx);
  const row: PartyRow = {
    id: newId('pty'),
    orgId: ctx.orgId,
    name: input.name,
    roles: [...new Set(input.roles)],
    address: input.address,
    country: input.address.country,
    taxIds: input.taxIds,
    contacts: input.contacts,
    notes: input.notes ?? null,
    verifiedAt: null,
    verifiedBy: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.database.write((tx) => tx.insert(parties).values(row));
  return toParty(row);
}

export async function getParty(ctx: ServiceContext, id: string): Promise<Party> {
  requirePermission(ctx, 'parties:read');
  return toParty(await loadParty(ctx.database.db, ctx, id));
}

/** Update with optimistic concurrency. Any change to identity data (name, address, tax ids) clears verification. */
export async function updateParty(ctx: ServiceContext, id: string, expectedVersion: number, input: PartyUpdate): Promise<Party> {
  requirePermission(ctx, 'parties:write');
  return ctx.database.write(async (tx) => {
    const row = await loadParty(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Party', toParty(row));
    const next: PartyRow = {
      ...row,
      name: input.name ?? row.name,
      roles: input.roles ? [...new Set(input.roles)] : row.roles,
      address: input.address ?? row.address,
      country: input.address?.country ?? row.country,
      taxIds: input.taxIds ?? row.taxIds,
      contacts: input.contacts ?? row.contacts,
      notes: input.notes === undefined ? row.notes : input.notes,
      version: row.version + 1,
      updatedAt: isoNow(ctx),
    };
    const identityChanged =
      next.name !== row.name || JSON.stringify(next.address) !== JSON.stringify(row.address) || JSON.stringify(next.taxIds) !== JSON.stringify(row.taxIds);
    if (identityChanged) {
      next.verifiedAt = null;
      next.verifiedBy = null;
    }
    await tx.update(parties).set(next).where(and(eq(parties.id, id), eq(parties.version, row.version)));
    return toParty(next);
  });
}

/** Mark a party as checked. Requires a contact with an e-mail address for buyers and consignees. */
export async function verifyParty(ctx: ServiceContext, id: string, expectedVersion: number): Promise<Party> {
  requirePermission(ctx, 'parties:write');
  return ctx.database.write(async (tx) => {
    const row = await loadParty(tx, ctx, id);
    if (row.version !== expectedVersion) throw stale('Party', toParty(row));
    const party = toParty(row);
    const needsContact = party.roles.some((r) => r === 'buyer' || r === 'consignee');
    if (needsContact && !party.contacts.some((c) => c.email)) {
      throw unprocessable('PARTY_INCOMPLETE', 'A buyer or consignee needs at least one contact with an e-mail address before it can be verified', [
        { path: 'contacts', message: 'Add a contact with an e-mail address' },
      ]);
    }
    const next = { ...row, verifiedAt: isoNow(ctx), verifiedBy: ctx.actor.userId, version: row.version + 1, updatedAt: isoNow(ctx) };
    await tx.update(parties).set(next).where(eq(parties.id, id));
    return toParty(next);
  });
}

export async function listParties(ctx: ServiceContext, q: PartyListQuery): Promise<{ items: Party[]; nextCursor: string | null }> {
  requirePermission(ctx, 'parties:read');
  const after = decodeCursor(q.cursor);
  const where = [eq(parties.orgId, ctx.orgId)];
  if (after) where.push(lt(parties.id, after));
  if (q.country) where.push(eq(parties.country, q.country));
  if (q.role) where.push(sql`exists (select 1 from json_each(${parties.roles}) where value = ${q.role})`);
  if (q.q) where.push(contains(parties.name, q.q));
  const rows = await ctx.database.db
    .select()
    .from(parties)
    .where(and(...where))
    .orderBy(desc(parties.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit);
  return { items: page.items.map(toParty), nextCursor: page.nextCursor };
}

