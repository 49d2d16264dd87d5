import { sql } from 'drizzle-orm';
import { ROLES } from '../../../../shared/domain/roles.js';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The exporter: one tenant. Address and bank details are JSON documents validated by the shared contracts. */
export const organisations = sqliteTable('organisations', {
  id: text('id').primaryKey(),
  legalName: text('legal_name').notNull(),
  address: text('address', { mode: 'json' }).notNull(),
  iec: text('iec'),
  gstin: text('gstin'),
  adCode: text('ad_code'),
  baseCurrency: text('base_currency').notNull().default('INR'),
  bankDetails: text('bank_details', { mode: 'json' }),
  lut: text('lut', { mode: 'json' }),
  claimsRodtep: integer('claims_rodtep', { mode: 'boolean' }).notNull().default(false),
  signatory: text('signatory', { mode: 'json' }),
  logo: text('logo'),
  createdAt: text('created_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** For forwarder and customs-agent users: the party they work for (they see only its shipments). */
    partyId: text('party_id'),
    createdAt: text('created_at').notNull(),
    disabledAt: text('disabled_at'),
  },
  (t) => [uniqueIndex('users_org_email').on(t.orgId, sql`lower(${t.email})`)],
);

/** API keys: only a SHA-256 hash of the secret is stored; `id` is the public part of the key. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull().references(() => organisations.id),
    userId: text('user_id').notNull().references(() => users.id),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('api_keys_user').on(t.userId)],
);

/** Stored responses of POSTs that carried an Idempotency-Key. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    orgId: text('org_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    headers: text('headers', { mode: 'json' }),
    body: text('body'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('idempotency_org_key').on(t.orgId, t.key)],
);
