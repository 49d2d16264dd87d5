import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  Me,
  Organisation,
  OrganisationCreate,
  OrganisationUpdate,
  User,
  UserCreate,
} from '../../../shared/contracts/organisations.js';
import { ROLE_PERMISSIONS, type Role } from '../../../shared/domain/roles.js';
import type { Database, Executor } from '../db/client.js';
import { apiKeys, organisations, parties, users } from '../db/schema/index.js';
import { newId } from '../lib/ids.js';
import { issueApiKey } from './auth.js';
import { isoNow, type ServiceContext } from './context.js';
import { conflict, notFound, unprocessable } from './errors.js';
import { requirePermission } from './permissions.js';

type OrgRow = typeof organisations.$inferSelect;
type UserRow = typeof users.$inferSelect;
type KeyRow = typeof apiKeys.$inferSelect;

const toOrganisation = (r: OrgRow): Organisation => ({
  id: r.id,
  legalName: r.legalName,
  address: r.address as Organisation['address'],
  iec: r.iec,
  gstin: r.gstin,
  adCode: r.adCode,
  baseCurrency: r.baseCurrency,
  bankDetails: (r.bankDetails as Organisation['bankDetails']) ?? null,
  lut: (r.lut as Organisation['lut']) ?? null,
  claimsRodtep: r.claimsRodtep,
  signatory: (r.signatory as Organisation['signatory']) ?? null,
  logo: r.logo,
  createdAt: r.createdAt,
});
const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, role: r.role, partyId: r.partyId, createdAt: r.createdAt, disabledAt: r.disabledAt });
const toKey = (r: KeyRow): ApiKey => ({ id: r.id, userId: r.userId, name: r.name, prefix: r.prefix, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt });

/**
 * Create an organisation with its first admin user and an API key for that user (CLI and first run).
 * Not a tenant-scoped verb: whoever can run it owns the server.
 */
export async function createOrganisation(
  database: Database,
  input: OrganisationCreate,
  admin: { email: string; name: string },
  now = new Date(),
): Promise<{ organisation: Organisation; user: User; apiKey: ApiKeyCreated }> {
  return database.write(async (tx) => {
    const at = now.toISOString();
    const org: OrgRow = {
      id: newId('org'),
      legalName: input.legalName,
      address: input.address,
      iec: input.iec ?? null,
      gstin: input.gstin ?? null,
      adCode: input.adCode ?? null,
      baseCurrency: input.baseCurrency,
      bankDetails: input.bankDetails ?? null,
      lut: input.lut ?? null,
      claimsRodtep: input.claimsRodtep,
      signatory: input.signatory ?? null,
      logo: input.logo ?? null,
      createdAt: at,
    };
    await tx.insert(organisations).values(org);
    const user = await insertUser(tx, org.id, { email: admin.email, name: admin.name, role: 'admin' }, at);
    const { token, row } = await issueApiKey(tx, { orgId: org.id, userId: user.id, name: 'Initial admin key', now: at });
    return { organisation: toOrganisation(org), user: toUser(user), apiKey: { ...toKey(row), key: token } };
  });
}

async function insertUser(tx: Executor, orgId: string, input: UserCreate, at: string): Promise<UserRow> {
  const [dupe] = await tx.select({ id: users.id }).from(users).where(and(eq(users.orgId, orgId), sql`lower(${users.email}) = lower(${input.email})`));
  if (dupe) throw conflict('DUPLICATE_USER', `A user with e-mail ${input.email} already exists`, [{ path: 'email', message: 'Already in use' }]);
  if (input.partyId) await checkUserParty(tx, orgId, input.partyId, input.role);
  const row: UserRow = { id: newId('usr'), orgId, email: input.email, name: input.name, role: input.role, partyId: input.partyId ?? null, createdAt: at, disabledAt: null };
  await tx.insert(users).values(row);
  return row;
}

/** A forwarder or customs-agent user must belong to a party of this organisation that has that role. */
async function checkUserParty(tx: Executor, orgId: string, partyId: string, role: Role): Promise<void> {
  const [party] = await tx.select({ name: parties.name, roles: parties.roles }).from(parties).where(and(eq(parties.orgId, orgId), eq(parties.id, partyId)));
  if (!party) throw unprocessable('UNKNOWN_PARTY', `Party ${partyId} not found`, [{ path: 'partyId', message: 'No such party in your organisation' }]);
  if (!party.roles.includes(role)) {
    throw unprocessable('PARTY_ROLE_MISMATCH', `${party.name} is not a ${role.replace('_', ' ')} (its roles: ${party.roles.join(', ')})`, [
      { path: 'partyId', message: `The party must have the ${role} role` },
    ]);
  }
}

/** The caller: organisation, user, role and what the role may do. */
export async function getMe(ctx: ServiceContext): Promise<Me> {
  requirePermission(ctx, 'org:read');
  const [org] = await ctx.database.db.select().from(organisations).where(eq(organisations.id, ctx.orgId));
  const [user] = await ctx.database.db.select().from(users).where(eq(users.id, ctx.actor.userId));
  if (!org || !user) throw notFound('User', ctx.actor.userId);
  return { organisation: toOrganisation(org), user: toUser(user), permissions: [...ROLE_PERMISSIONS[user.role as Role]] };
}

export async function updateOrganisation(ctx: ServiceContext, patch: OrganisationUpdate): Promise<Organisation> {
  requirePermission(ctx, 'org:manage');
  return ctx.database.write(async (tx) => {
    const [org] = await tx.select().from(organisations).where(eq(organisations.id, ctx.orgId));
    if (!org) throw notFound('Organisation', ctx.orgId);
    const next = { ...org };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    await tx.update(organisations).set(next).where(eq(organisations.id, ctx.orgId));
    return toOrganisation(next);
  });
}

export async function createUser(ctx: ServiceContext, input: UserCreate): Promise<User> {
  requirePermission(ctx, 'org:manage');
  return toUser(await ctx.database.write((tx) => insertUser(tx, ctx.orgId, input, isoNow(ctx))));
}

export async function listUsers(ctx: ServiceContext): Promise<User[]> {
  requirePermission(ctx, 'org:manage');
  const rows = await ctx.database.db.select().from(users).where(eq(users.orgId, ctx.orgId)).orderBy(asc(users.id));
  return rows.map(toUser);
}

/** Issue an API key for a user of this organisation. The token is in the result only. */
export async function createApiKey(ctx: ServiceContext, input: ApiKeyCreate): Promise<ApiKeyCreated> {
  requirePermission(ctx, 'org:manage');
  return ctx.database.write(async (tx) => {
    const [user] = await tx.select().from(users).where(and(eq(users.orgId, ctx.orgId), eq(users.id, input.userId)));
    if (!user) throw notFound('User', input.userId);
    const { token, row } = await issueApiKey(tx, { orgId: ctx.orgId, userId: user.id, name: input.name, now: isoNow(ctx) });
    return { ...toKey(row), key: token };
  });
}

export async function listApiKeys(ctx: ServiceContext): Promise<ApiKey[]> {
  requirePermission(ctx, 'org:manage');
  const rows = await ctx.database.db.select().from(apiKeys).where(eq(apiKeys.orgId, ctx.orgId)).orderBy(asc(apiKeys.id));
  return rows.map(toKey);
}

export async function revokeApiKey(ctx: ServiceContext, id: string): Promise<ApiKey> {
  requirePermission(ctx, 'org:manage');
  return ctx.database.write(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(and(eq(apiKeys.orgId, ctx.orgId), eq(apiKeys.id, id)));
    if (!row) throw notFound('API key', id);
    const next = { ...row, revokedAt: row.revokedAt ?? isoNow(ctx) };
    await tx.update(apiKeys).set({ revokedAt: next.revokedAt }).where(eq(apiKeys.id, id));
    return toKey(next);
  });
}

/** True when the database holds no organisation yet (first run). */
export async function isEmpty(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ id: organisations.id }).from(organisations).limit(1);
  return !row;
}
