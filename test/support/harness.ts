import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { z } from 'zod';
import { OrderCreate } from '../../shared/contracts/orders.js';
import { OrganisationCreate } from '../../shared/contracts/organisations.js';
import { PartyCreate } from '../../shared/contracts/parties.js';
import { ProductCreate } from '../../shared/contracts/products.js';
import type { Role } from '../../shared/domain/roles.js';
import { createApp } from '../../worker/src/app.js';
import type { Database } from '../../worker/src/db/client.js';
import { openDatabase } from '../../worker/src/db/open.js';
import type { ServiceContext } from '../../worker/src/services/context.js';
import { createApiKey, createOrganisation, createUser } from '../../worker/src/services/organisations.js';
import { createParty, verifyParty } from '../../worker/src/services/parties.js';
import { createProduct } from '../../worker/src/services/products.js';

/** A real libSQL database file in a fresh temp folder, migrated. */
export async function tempDatabase(): Promise<{ database: Database; path: string; dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'exportdesk-test-'));
  const path = join(dir, 'test.db');
  const database = await openDatabase(`file:${path}`);
  return {
    database,
    path,
    dir,
    cleanup: () => {
      database.client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An organisation with one user per role, an API key each, and service contexts. */
export async function seedOrg(database: Database, name = 'Test Exports Pvt Ltd') {
  const { organisation, user, apiKey } = await createOrganisation(
    database,
    OrganisationCreate.parse({
      legalName: name,
      address: { lines: ['1 Test Road'], city: 'Tiruppur', country: 'IN' },
      baseCurrency: 'INR',
      // What the Indian origin template requires of every exporter (IEC, GSTIN, AD code).
      iec: '0312345678',
      gstin: '33AABCT1234M1Z5',
      adCode: '6390001',
    }),
    { email: `admin@${organisation_slug(name)}.example`, name: 'Admin' },
  );
  const ctxFor = (userId: string, role: Role): ServiceContext => ({ database, orgId: organisation.id, actor: { userId, role }, now: () => new Date() });
  const admin = ctxFor(user.id, 'admin');
  const keys: Record<Role, string> = { admin: apiKey.key } as Record<Role, string>;
  const contexts: Record<Role, ServiceContext> = { admin } as Record<Role, ServiceContext>;
  for (const role of ['ops', 'documentation', 'finance', 'viewer'] as const) {
    const u = await createUser(admin, { email: `${role}@${organisation_slug(name)}.example`, name: role, role });
    keys[role] = (await createApiKey(admin, { userId: u.id, name: `${role} key` })).key;
    contexts[role] = ctxFor(u.id, role);
  }
  return { organisation, keys, contexts, admin };
}

function organisation_slug(name: string) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Verified buyer + second consignee, and two products, ready for orders. */
export async function seedMasterData(ctx: ServiceContext) {
  const party = async (input: z.input<typeof PartyCreate>) => {
    const p = await createParty(ctx, PartyCreate.parse(input));
    return verifyParty(ctx, p.id, p.version);
  };
  const buyer = await party({
    name: 'Nordlicht Textilhandel GmbH',
    roles: ['buyer', 'consignee'],
    address: { lines: ['Große Elbstraße 145'], city: 'Hamburg', postcode: '22767', country: 'DE' },
    taxIds: [{ type: 'EORI', value: 'DE1234567890123' }],
    contacts: [{ name: 'Katrin Vogel', email: 'k.vogel@nordlicht.example' }],
  });
  const consignee2 = await party({
    name: 'Nordlicht Benelux B.V.',
    roles: ['consignee'],
    address: { lines: ['Waalhaven Zuidzijde 21'], city: 'Rotterdam', country: 'NL' },
    taxIds: [{ type: 'EORI', value: 'NL859123456' }],
    contacts: [{ name: 'Joost de Vries', email: 'j.devries@nordlicht.example' }],
  });
  const tee = await createProduct(ctx, ProductCreate.parse({ sku: 'TS-1', description: 'Cotton T-shirt', hsCode: '6109.10.00', unit: 'PCS', netWeightKg: '0.18', grossWeightKg: '0.21' }));
  const polo = await createProduct(ctx, ProductCreate.parse({ sku: 'PL-1', description: 'Cotton polo shirt', hsCode: '610510', unit: 'PCS', netWeightKg: '0.25', grossWeightKg: '0.29' }));
  return { buyer, consignee2, tee, polo };
}

/** A valid order body (API input shape) for the given master data. */
export function orderInput(m: Awaited<ReturnType<typeof seedMasterData>>, overrides: Partial<z.input<typeof OrderCreate>> = {}): z.input<typeof OrderCreate> {
  return {
    reference: `EXP-${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    buyerPo: 'PO-1',
    buyerId: m.buyer.id,
    portOfLoading: 'INNSA',
    portOfDischarge: 'DEHAM',
    destinationCountry: 'DE',
    incoterm: 'FOB',
    incotermPlace: 'Nhava Sheva',
    paymentTerms: { type: 'advance', percent: '30', balance: 'against_bl_copy' },
    currency: 'EUR',
    requestedShipDate: '2026-12-20',
    lines: [
      { productId: m.tee.id, quantity: '1000', unitPrice: '2.85' },
      { productId: m.polo.id, quantity: '500', unitPrice: '5.40', discountPercent: '2.5' },
    ],
    ...overrides,
  };
}

export interface CallOptions {
  body?: unknown;
  /** API key; `null` for none; omitted for the client's default key. */
  key?: string | null;
  headers?: Record<string, string>;
}

/** Method, headers and JSON body of an API test request. */
export function requestInit(method: string, opts: CallOptions, defaultKey?: string): { method: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const k = opts.key === undefined ? defaultKey : opts.key;
  if (k) headers.Authorization = `Bearer ${k}`;
  if (opts.body === undefined) return { method, headers };
  headers['Content-Type'] = 'application/json';
  return { method, headers, body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) };
}

/** Status, headers, text and (when it parses) JSON of a response. */
export async function readResponse(res: Response): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The API as a fetch function over the real Hono app, with a default key. */
export function apiClient(database: Database, key?: string, now?: () => Date) {
  const app = createApp({ database: () => database, ...(now ? { now } : {}), logError: () => undefined });
  const call = async (method: string, path: string, opts: CallOptions = {}) => readResponse(await app.request(path, requestInit(method, opts, key)));
  return { app, call };
}

export interface ApiFixture {
  /** The migrated temp database (removed after the suite). */
  database: Database;
  /** An organisation from seedOrg. */
  org: Awaited<ReturnType<typeof seedOrg>>;
  /** Its master data from seedMasterData. */
  master: Awaited<ReturnType<typeof seedMasterData>>;
  /** The API with the organisation's admin key. */
  api: ReturnType<typeof apiClient>;
}

/**
 * The usual API suite setup, registered in the calling suite: beforeAll makes a temp database, an organisation
 * with master data and an API client for its admin; afterAll removes the database. The returned object's fields
 * are filled in by beforeAll, so read them inside tests and hooks only.
 */
export function useApiFixture(): ApiFixture {
  const fx = {} as ApiFixture;
  let temp: Awaited<ReturnType<typeof tempDatabase>> | undefined;
  beforeAll(async () => {
    temp = await tempDatabase();
    fx.database = temp.database;
    fx.org = await seedOrg(temp.database);
    fx.master = await seedMasterData(fx.org.admin);
    fx.api = apiClient(temp.database, fx.org.keys.admin);
  });
  afterAll(() => temp?.cleanup());
  return fx;
}

/** A complete, valid sea booking body (PUT /shipments/{id}/booking) as a forwarder gives it, in India time. */
export function bookingInput(overrides: Record<string, unknown> = {}) {
  return {
    status: 'requested',
    carrier: 'Maersk',
    bookingNumber: 'MAEU262104981',
    vessel: 'MAERSK KENSINGTON',
    voyage: '612W',
    equipment: [{ type: '40HC', count: 2 }],
    portOfLoading: 'INNSA',
    portOfDischarge: 'DEHAM',
    cutoffs: { documents: '2026-12-11T17:00:00+05:30', vgm: '2026-12-12T12:00:00+05:30', cargo: '2026-12-12T18:00:00+05:30' },
    etd: '2026-12-14T18:00:00+05:30',
    eta: '2027-01-08T06:00:00+01:00',
    timeZone: 'Asia/Kolkata',
    ...overrides,
  };
}

/**
 * A forwarder and a customs agent (parties), each with one user of that role and an API key; the keys and service
 * contexts are added to `org.keys` / `org.contexts`, so tests can walk every role. Nothing is assigned yet.
 */
export async function seedScopedUsers(org: Awaited<ReturnType<typeof seedOrg>>, label = 'Test') {
  const admin = org.admin;
  const forwarder = await createParty(
    admin,
    PartyCreate.parse({ name: `${label} Logistics Pvt Ltd`, roles: ['forwarder'], address: { lines: ['Sahar Cargo Complex'], city: 'Mumbai', country: 'IN' } }),
  );
  const customsAgent = await createParty(
    admin,
    PartyCreate.parse({ name: `${label} Customs Brokers`, roles: ['customs_agent'], address: { lines: ['JNPT Road'], city: 'Navi Mumbai', country: 'IN' } }),
  );
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  for (const [role, party] of [
    ['forwarder', forwarder],
    ['customs_agent', customsAgent],
  ] as const) {
    const u = await createUser(admin, { email: `${role}@${slug}.example`, name: `${label} ${role}`, role, partyId: party.id });
    org.keys[role] = (await createApiKey(admin, { userId: u.id, name: `${role} key` })).key;
    org.contexts[role] = { database: admin.database, orgId: admin.orgId, actor: { userId: u.id, role, partyId: party.id }, now: () => new Date() };
  }
  return { forwarder, customsAgent };
}
