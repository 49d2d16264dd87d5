/**
 * Operator CLI: `npm run cli -- <command>`. Works directly on DATABASE_URL (default: the embedded
 * file), so it needs no API key — whoever runs it operates the server.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ImportRequest, type ImportReport } from '../../shared/contracts/imports.js';
import { OrganisationCreate, UserCreate, UserIdentity } from '../../shared/contracts/organisations.js';
import { ROLES, type Role } from '../../shared/domain/roles.js';
import type { Database } from './db/client.js';
import { databaseFromEnv, openDatabase } from './db/open.js';
import { organisations, users } from './db/schema/index.js';
import { seedDemo } from './demo/seed.js';
import { zodDetails } from './http/errors.js';
import { readWorkbook, WorkbookError } from './imports/read-workbook.js';
import { formatReport, requestFromMatrix, type MappingFile } from './imports/sheet-request.js';
import type { ServiceContext } from './services/context.js';
import { AppError } from './services/errors.js';
import { importOrders } from './services/imports/index.js';
import { createApiKey, createOrganisation, createUser, listApiKeys, listUsers, revokeApiKey } from './services/organisations.js';

const USAGE = `Usage: npm run cli -- <command> [options]

  org create --name "Legal name" --city City --country IN --admin-email E --admin-name N
             [--address "Street 1"] [--postcode P] [--iec X] [--gstin X] [--ad-code X] [--currency INR]
                                   create an organisation, its admin user and an API key
  org list                         list organisations
  user create --org ORG --email E --name N --role ${ROLES.join('|')} [--party PARTY_ID]
                                   forwarder and customs_agent users need --party: the party they work
                                   for; they see only the shipments assigned to it
  user list --org ORG
  key create --email E [--org ORG] [--name "Excel add-in"]
                                   issue an API key for a user (printed once)
  key list --org ORG
  key revoke KEY_ID --org ORG
  import FILE [--org ORG] [--user EMAIL] [--sheet S] [--map mapping.json] [--dry-run] [--upsert] [--verbose]
                                   import orders from an .xlsx or .csv sheet (one row per order line):
                                   finds the header row, maps columns by their headers (mapping.json
                                   overrides: {"reference": "Order No", "buyer": "C", "defaults": {...}}),
                                   reports problems by sheet row and cell; all or nothing. --dry-run writes
                                   nothing; --upsert replaces existing editable orders instead of refusing
                                   them. Exit code 1 when any row has an error.
  demo                             add the demo organisation and data
  migrate                          apply database migrations

Database: DATABASE_URL (default file:./data/exportdesk.db), DATABASE_AUTH_TOKEN for Turso.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    city: { type: 'string' },
    country: { type: 'string' },
    address: { type: 'string' },
    postcode: { type: 'string' },
    iec: { type: 'string' },
    gstin: { type: 'string' },
    'ad-code': { type: 'string' },
    currency: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-name': { type: 'string' },
    org: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    party: { type: 'string' },
    user: { type: 'string' },
    sheet: { type: 'string' },
    map: { type: 'string' },
    'dry-run': { type: 'boolean' },
    upsert: { type: 'boolean' },
    verbose: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

class UsageError extends Error {}
const need = (key: keyof typeof values): string => {
  const v = values[key];
  if (typeof v !== 'string' || !v) throw new UsageError(`Missing --${key}`);
  return v;
};

/** Act as the organisation's first admin (the CLI operator owns the server). */
async function adminContext(database: Database, orgId: string): Promise<ServiceContext> {
  const [admin] = await database.db.select().from(users).where(and(eq(users.orgId, orgId), eq(users.role, 'admin'))).orderBy(asc(users.id)).limit(1);
  if (!admin) throw new UsageError(`No organisation ${orgId} with an admin user`);
  return { database, orgId, actor: { userId: admin.id, role: 'admin' }, now: () => new Date() };
}

/** --org, or the organisation when the database has only one (the usual single-exporter install). */
async function organisationOrOnly(database: Database): Promise<string> {
  if (values.org) return values.org;
  const rows = await database.db.select({ id: organisations.id }).from(organisations).limit(2);
  if (rows.length === 1) return rows[0]!.id;
  throw new UsageError(rows.length ? 'Several organisations in this database: add --org ORG (npm run cli -- org list)' : 'No organisation yet: run npm start once, or npm run cli -- org create');
}

/** Act as the user with this e-mail in the organisation (their role applies), or as its first admin. */
async function userContext(database: Database, orgId: string, email: string | undefined): Promise<ServiceContext> {
  if (!email) return adminContext(database, orgId);
  const [user] = await database.db.select().from(users).where(and(eq(users.orgId, orgId), sql`lower(${users.email}) = lower(${email})`));
  if (!user) throw new UsageError(`No user ${email} in organisation ${orgId}`);
  return { database, orgId, actor: { userId: user.id, role: user.role as Role, partyId: user.partyId }, now: () => new Date() };
}

async function importCommand(database: Database, file: string | undefined): Promise<void> {
  if (!file) throw new UsageError('import needs the file to read');
  const ctx = await userContext(database, await organisationOrOnly(database), values.user);
  let mapping: MappingFile | undefined;
  if (values.map) {
    try {
      mapping = JSON.parse(await readFile(values.map, 'utf8')) as MappingFile;
    } catch (e) {
      throw new UsageError(`Cannot read the mapping file ${values.map}: ${(e as Error).message}`);
    }
  }
  const sheet = await readWorkbook(file, values.sheet !== undefined ? { sheet: values.sheet } : {});
  const built = requestFromMatrix(sheet.rows, { mapping, mode: values['dry-run'] ? 'dry_run' : 'commit', onExisting: values.upsert ? 'upsert' : 'create_only' });
  console.log(`${basename(file)}, sheet "${sheet.sheet}": header on row ${built.headerRow}`);
  console.log(`Columns: ${built.mapped.map((m) => `${m.field} ← ${m.column} "${m.header}"`).join(', ')}`);
  if (built.ignored.length) console.log(`Not imported: ${built.ignored.map((c) => `${c.column} "${c.header}"`).join(', ')}`);
  for (const n of built.notes) console.log(`Note: ${n}`);
  let report: ImportReport;
  try {
    report = await importOrders(ctx, ImportRequest.parse(built.request), { source: basename(file) });
  } catch (e) {
    if (e instanceof AppError && e.report) {
      console.log(formatReport(e.report as ImportReport, { verbose: !!values.verbose }));
      console.error(`${e.code}: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  console.log(formatReport(report, { verbose: !!values.verbose }));
  if (report.summary.errorRows) process.exitCode = 1;
}

async function run(database: Database, [noun, verb, arg]: string[]): Promise<void> {
  if (noun === 'import') return importCommand(database, verb);
  const cmd = `${noun ?? ''} ${verb ?? ''}`.trim();
  switch (cmd) {
    case 'org create': {
      const input = OrganisationCreate.parse({
        legalName: need('name'),
        address: { lines: [values.address ?? need('city')], city: need('city'), postcode: values.postcode, country: need('country') },
        iec: values.iec,
        gstin: values.gstin,
        adCode: values['ad-code'],
        baseCurrency: values.currency ?? 'INR',
      });
      const admin = UserIdentity.parse({ email: need('admin-email'), name: need('admin-name') });
      const out = await createOrganisation(database, input, admin);
      console.log(`Organisation: ${out.organisation.id} ${out.organisation.legalName}`);
      console.log(`Admin user:   ${out.user.id} ${out.user.email}`);
      console.log(`API key: ${out.apiKey.key}`);
      return;
    }
    case 'org list': {
      const rows = await database.db.select({ id: organisations.id, name: organisations.legalName, created: organisations.createdAt }).from(organisations).orderBy(asc(organisations.id));
      console.table(rows);
      return;
    }
    case 'user create': {
      const ctx = await adminContext(database, need('org'));
      const u = await createUser(ctx, UserCreate.parse({ email: need('email'), name: need('name'), role: need('role') as Role, ...(values.party ? { partyId: values.party } : {}) }));
      console.log(`User: ${u.id} ${u.email} (${u.role})`);
      return;
    }
    case 'user list':
      console.table(await listUsers(await adminContext(database, need('org'))));
      return;
    case 'key create': {
      const email = need('email');
      const where = [sql`lower(${users.email}) = lower(${email})`];
      if (values.org) where.push(eq(users.orgId, values.org));
      const found = await database.db.select().from(users).where(and(...where));
      if (found.length !== 1) throw new UsageError(found.length ? `Several users have ${email}: add --org` : `No user with e-mail ${email}`);
      const user = found[0]!;
      const key = await createApiKey(await adminContext(database, user.orgId), { userId: user.id, name: values.name ?? 'CLI-issued key' });
      console.log(`Key ${key.id} for ${user.email} (${user.role})`);
      console.log(`API key: ${key.key}`);
      return;
    }
    case 'key list':
      console.table(await listApiKeys(await adminContext(database, need('org'))));
      return;
    case 'key revoke': {
      if (!arg) throw new UsageError('key revoke needs the key id');
      const key = await revokeApiKey(await adminContext(database, need('org')), arg);
      console.log(`Revoked ${key.id} at ${key.revokedAt}`);
      return;
    }
    case 'demo': {
      const demo = await seedDemo(database);
      console.log(`Demo organisation ${demo.organisation.id}: ${demo.organisation.legalName}`);
      console.log(`API key: ${demo.apiKey}`);
      return;
    }
    case 'migrate':
      console.log('Migrations applied.');
      return;
    default:
      throw new UsageError(cmd ? `Unknown command: ${cmd}` : 'No command given');
  }
}

if (values.help || positionals.length === 0) {
  console.log(USAGE);
  process.exit(positionals.length === 0 && !values.help ? 1 : 0);
}

const { url, authToken } = databaseFromEnv();
const database = await openDatabase(url, authToken);
try {
  await run(database, positionals);
} catch (e) {
  if (e instanceof UsageError) console.error(`${e.message}\n\n${USAGE}`);
  else if (e instanceof WorkbookError) console.error(`Cannot import: ${e.message}`);
  else if (e instanceof z.ZodError) console.error(`Invalid input:\n${zodDetails(e).map((d) => `  ${d.path}: ${d.message}`).join('\n')}`);
  else if (e instanceof AppError) console.error(`${e.code}: ${e.message}${e.details ? `\n${e.details.map((d) => `  ${d.path}: ${d.message}`).join('\n')}` : ''}`);
  else throw e;
  process.exitCode = 1;
} finally {
  database.client.close();
}
