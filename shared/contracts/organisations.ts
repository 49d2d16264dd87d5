import { z } from 'zod';
import { PERMISSIONS, ROLES, isScopedRole } from '../domain/roles.js';
import { Address, CurrencyCode, Id, Timestamp } from './common.js';

export const Role = z.enum(ROLES);

export const BankDetails = z
  .strictObject({
    bankName: z.string().trim().min(1).max(120),
    branch: z.string().trim().max(120).optional(),
    accountName: z.string().trim().min(1).max(120),
    accountNumber: z.string().trim().min(4).max(40),
    swift: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'Must be an 8 or 11 character SWIFT/BIC').optional(),
    ifsc: z.string().regex(/^[A-Z]{4}0[A-Z0-9]{6}$/, 'Must be an 11 character IFSC, e.g. HDFC0000123').optional(),
    iban: z.string().max(34).optional(),
  })
  .meta({ id: 'BankDetails' });

const GSTIN_RE = /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

export const GstLut = z
  .strictObject({
    arn: z.string().trim().min(5).max(30).meta({ description: 'ARN of the Letter of Undertaking filed on the GST portal (RFD-11)' }),
    financialYear: z.string().regex(/^\d{4}-\d{2}$/, 'Financial year as 2026-27').meta({ example: '2026-27' }),
    validUntil: z.iso.date().meta({ description: 'Usually 31 March at the end of the financial year' }),
  })
  .meta({ id: 'GstLut', description: 'GST Letter of Undertaking: export of goods without payment of IGST' });

export const Signatory = z.strictObject({ name: z.string().trim().min(1).max(120), designation: z.string().trim().min(1).max(120) }).meta({ id: 'Signatory' });

export const OrganisationFields = {
  legalName: z.string().trim().min(1).max(200),
  address: Address,
  iec: z.string().regex(/^[A-Z0-9]{10}$/, 'IEC (Importer-Exporter Code) is 10 characters').optional(),
  gstin: z.string().regex(GSTIN_RE, 'GSTIN is 15 characters, e.g. 27AAACE1234F1Z5').optional(),
  adCode: z.string().regex(/^\d{7,14}$/, 'AD code is 7 to 14 digits').optional().meta({ description: 'Authorised Dealer bank code registered at the port' }),
  baseCurrency: CurrencyCode.default('INR'),
  bankDetails: BankDetails.optional(),
  lut: GstLut.optional(),
  claimsRodtep: z.boolean().default(false).meta({ description: 'Claims RoDTEP remission: the declaration goes on invoices' }),
  signatory: Signatory.optional().meta({ description: 'Who signs export documents' }),
  logo: z
    .string()
    .max(300_000)
    .regex(/^data:image\/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$/, 'Logo must be a data: URL of a PNG, JPEG or SVG image')
    .optional(),
};

export const OrganisationCreate = z.strictObject(OrganisationFields).meta({ id: 'OrganisationCreate' });
export type OrganisationCreate = z.infer<typeof OrganisationCreate>;

export const OrganisationUpdate = z
  .strictObject({
    legalName: OrganisationFields.legalName.optional(),
    address: Address.optional(),
    iec: OrganisationFields.iec.nullable(),
    gstin: OrganisationFields.gstin.nullable(),
    adCode: OrganisationFields.adCode.nullable(),
    baseCurrency: CurrencyCode.optional(),
    bankDetails: BankDetails.nullable().optional(),
    lut: GstLut.nullable().optional(),
    claimsRodtep: z.boolean().optional(),
    signatory: Signatory.nullable().optional(),
    logo: OrganisationFields.logo.nullable(),
  })
  .meta({ id: 'OrganisationUpdate' });
export type OrganisationUpdate = z.infer<typeof OrganisationUpdate>;

export const Organisation = z
  .object({
    id: z.string(),
    legalName: z.string(),
    address: Address,
    iec: z.string().nullable(),
    gstin: z.string().nullable(),
    adCode: z.string().nullable(),
    baseCurrency: z.string(),
    bankDetails: BankDetails.nullable(),
    lut: GstLut.nullable(),
    claimsRodtep: z.boolean(),
    signatory: Signatory.nullable(),
    logo: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Organisation' });
export type Organisation = z.infer<typeof Organisation>;

/** Who a user is: e-mail and name (also what creating an organisation's first admin takes). */
export const UserIdentity = z.strictObject({ email: z.email().max(254), name: z.string().trim().min(1).max(120) });

export const UserCreate = UserIdentity.extend({
    role: Role,
    partyId: Id('pty')
      .optional()
      .meta({ description: 'Required for forwarder and customs_agent users (and only for them): the party they work for, which must have that role. They see only the shipments assigned to it.' }),
})
  .superRefine((u, ctx) => {
    if (isScopedRole(u.role) && !u.partyId) ctx.addIssue({ code: 'custom', path: ['partyId'], message: `A ${u.role} user needs the party they work for` });
    if (!isScopedRole(u.role) && u.partyId) ctx.addIssue({ code: 'custom', path: ['partyId'], message: `Only forwarder and customs_agent users belong to a party; a ${u.role} user sees the whole organisation` });
  })
  .meta({ id: 'UserCreate' });
export type UserCreate = z.infer<typeof UserCreate>;

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: Role,
    partyId: z.string().nullable().meta({ description: 'For forwarder and customs_agent users: the party whose shipments they see' }),
    createdAt: Timestamp,
    disabledAt: Timestamp.nullable(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const ApiKeyCreate = z
  .strictObject({ userId: Id('usr'), name: z.string().trim().min(1).max(80).meta({ example: 'Excel add-in, Priya laptop' }) })
  .meta({ id: 'ApiKeyCreate' });
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

export const ApiKey = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the key, to recognise it' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyCreated = ApiKey.extend({ key: z.string().meta({ description: 'The secret key. Shown only once; store it now.' }) }).meta({ id: 'ApiKeyCreated' });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const Me = z
  .object({
    organisation: Organisation,
    user: User,
    permissions: z.array(z.enum(Object.keys(PERMISSIONS) as [string, ...string[]])),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;
