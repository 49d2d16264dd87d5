import { and, eq, isNull } from 'drizzle-orm';
import type { Role } from '../../../shared/domain/roles.js';
import type { Database, Executor } from '../db/client.js';
import { apiKeys, users } from '../db/schema/index.js';
import { newId, newSecret, sha256Hex, timingSafeEqual } from '../lib/ids.js';

const TOKEN_RE = /^exd_([0-9A-HJKMNP-TV-Z]{26})([0-9A-HJKMNP-TV-Z]{32})$/;

/** Who a valid API key acts as. */
export interface Principal {
  orgId: string;
  userId: string;
  role: Role;
  /** Forwarder and customs-agent users: the party whose shipments they see. */
  partyId: string | null;
  keyId: string;
}

/** Issue a key for a user: returns the secret token (shown once) and the stored row (hash only). */
export async function issueApiKey(tx: Executor, input: { orgId: string; userId: string; name: string; now: string }) {
  const id = newId('key');
  const secret = newSecret();
  const token = `exd_${id.slice(4)}${secret}`;
  const row = {
    id,
    orgId: input.orgId,
    userId: input.userId,
    name: input.name,
    prefix: token.slice(0, 18),
    secretHash: await sha256Hex(secret),
    createdAt: input.now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await tx.insert(apiKeys).values(row);
  return { token, row };
}

/**
 * Resolve `Authorization: Bearer exd_…` to a principal, or null when the key is unknown, revoked,
 * or its user disabled. Records last use at most every 5 minutes to keep reads cheap.
 */
export async function authenticate(database: Database, token: string, now: Date): Promise<Principal | null> {
  const m = TOKEN_RE.exec(token);
  if (!m) return null;
  const keyId = `key_${m[1]}`;
  const [hit] = await database.db
    .select({ key: apiKeys, role: users.role, partyId: users.partyId })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt), isNull(users.disabledAt)));
  if (!hit) return null;
  const hash = await sha256Hex(m[2]!);
  if (!timingSafeEqual(hash, hit.key.secretHash)) return null;
  const last = hit.key.lastUsedAt ? Date.parse(hit.key.lastUsedAt) : 0;
  if (now.getTime() - last > 5 * 60_000) {
    await database.write((tx) => tx.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, keyId)));
  }
  return { orgId: hit.key.orgId, userId: hit.key.userId, role: hit.role, partyId: hit.partyId, keyId };
}

