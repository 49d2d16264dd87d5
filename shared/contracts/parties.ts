import { z } from 'zod';
import { Address, CountryCode, Id, PageQuery, Page, Timestamp } from './common.js';

export const PARTY_ROLES = ['buyer', 'consignee', 'notify_party', 'forwarder', 'customs_agent'] as const;
export const PartyRole = z.enum(PARTY_ROLES);
export type PartyRole = z.infer<typeof PartyRole>;

export const TAX_ID_TYPES = ['GSTIN', 'IEC', 'VAT', 'EORI', 'EIN', 'IOR', 'ABN', 'TRN', 'CR', 'USCI', 'GACC', 'CORPORATE_NUMBER', 'OTHER'] as const;

export const TaxId = z
  .strictObject({
    type: z.enum(TAX_ID_TYPES).meta({ description: 'GSTIN/IEC (India), VAT/EORI (EU, GB), EIN or importer-of-record number (US), ABN (AU), TRN (AE), CR (SA), USCI/GACC (CN)…' }),
    value: z.string().trim().min(2).max(40),
    country: CountryCode.optional(),
  })
  .meta({ id: 'TaxId' });

export const Contact = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    email: z.email().max(254).optional(),
    phone: z.string().trim().max(40).optional(),
    role: z.string().trim().max(60).optional().meta({ description: 'e.g. purchasing, logistics, accounts' }),
  })
  .meta({ id: 'Contact' });

export const PartyId = Id('pty');

const partyFields = {
  name: z.string().trim().min(1).max(200),
  roles: z.array(PartyRole).min(1).max(5).meta({ description: 'What this party can be on an order' }),
  address: Address,
  taxIds: z.array(TaxId).max(10).default([]),
  contacts: z.array(Contact).max(20).default([]),
  notes: z.string().max(2000).optional(),
};

export const PartyCreate = z.strictObject(partyFields).meta({ id: 'PartyCreate' });
export type PartyCreate = z.infer<typeof PartyCreate>;

export const PartyUpdate = z
  .strictObject({
    name: partyFields.name.optional(),
    roles: partyFields.roles.optional(),
    address: Address.optional(),
    taxIds: z.array(TaxId).max(10).optional(),
    contacts: z.array(Contact).max(20).optional(),
    notes: z.string().max(2000).nullable().optional(),
  })
  .meta({ id: 'PartyUpdate' });
export type PartyUpdate = z.infer<typeof PartyUpdate>;

export const Party = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(PartyRole),
    address: Address,
    taxIds: z.array(TaxId),
    contacts: z.array(Contact),
    notes: z.string().nullable(),
    verified: z.boolean().meta({ description: 'Checked complete by a user; orders cannot be confirmed with unverified buyer or consignee' }),
    verifiedAt: Timestamp.nullable(),
    verifiedBy: z.string().nullable(),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Party' });
export type Party = z.infer<typeof Party>;

export const PartyListQuery = PageQuery.extend({
  role: PartyRole.optional(),
  country: CountryCode.optional(),
  q: z.string().trim().min(1).max(100).optional().meta({ description: 'Text on the party name' }),
});
export type PartyListQuery = z.infer<typeof PartyListQuery>;
export const PartyPage = Page(Party, 'PartyPage');
