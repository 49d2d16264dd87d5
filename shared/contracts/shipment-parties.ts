import { z } from 'zod';
import { Id } from './common.js';

/** Who works on a shipment from outside: its forwarder and its customs agent (CHA). Their users see it. */
export const SHIPMENT_PARTY_ROLES = ['forwarder', 'customs_agent'] as const;
export type ShipmentPartyRole = (typeof SHIPMENT_PARTY_ROLES)[number];

export const ShipmentPartiesUpdate = z
  .strictObject({
    forwarderId: Id('pty').nullable().optional().meta({ description: 'A party with the forwarder role; null removes the forwarder' }),
    customsAgentId: Id('pty').nullable().optional().meta({ description: 'A party with the customs_agent role; null removes the customs agent' }),
  })
  .refine((u) => u.forwarderId !== undefined || u.customsAgentId !== undefined, { message: 'Give forwarderId, customsAgentId or both' })
  .meta({ id: 'ShipmentPartiesUpdate' });
export type ShipmentPartiesUpdate = z.infer<typeof ShipmentPartiesUpdate>;

const PartyRef = z.object({ id: z.string(), name: z.string() }).nullable();

export const ShipmentParties = z
  .object({
    shipmentId: z.string(),
    forwarder: PartyRef,
    customsAgent: PartyRef,
    version: z.number().int().meta({ description: "The shipment's version (assigning a party changes the shipment)" }),
  })
  .meta({ id: 'ShipmentParties' });
export type ShipmentParties = z.infer<typeof ShipmentParties>;
