import { and, eq, inArray } from 'drizzle-orm';
import type { PartyRole } from '../../../../shared/contracts/parties.js';
import type { Executor } from '../../db/client.js';
import { parties } from '../../db/schema/index.js';
import type { ServiceContext } from '../context.js';
import type { ErrorDetail } from '../errors.js';

type PartyRow = typeof parties.$inferSelect;

/** Which party roles may fill each slot of an order or shipment. */
export const SLOT_ROLES: Record<'buyerId' | 'consigneeId' | 'notifyPartyId', PartyRole[]> = {
  buyerId: ['buyer'],
  consigneeId: ['consignee', 'buyer'],
  notifyPartyId: ['notify_party', 'consignee', 'buyer', 'customs_agent'],
};

export async function loadParties(db: Executor, ctx: ServiceContext, ids: (string | null | undefined)[]): Promise<Map<string, PartyRow>> {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  const map = new Map<string, PartyRow>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db.select().from(parties).where(and(eq(parties.orgId, ctx.orgId), inArray(parties.id, unique.slice(i, i + 500))));
    for (const r of rows) map.set(r.id, r);
  }
  return map;
}

/** Problems with the parties named in an order or shipment: missing, or not allowed in that slot. */
export function partyProblems(
  slots: Partial<Record<keyof typeof SLOT_ROLES, string | null | undefined>>,
  partyMap: Map<string, PartyRow>,
  pathPrefix = '',
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [slot, id] of Object.entries(slots) as [keyof typeof SLOT_ROLES, string | null | undefined][]) {
    if (!id) continue;
    const party = partyMap.get(id);
    const path = `${pathPrefix}${slot}`;
    if (!party) {
      problems.push({ path, message: `Party ${id} not found`, code: 'NOT_FOUND' });
    } else if (!SLOT_ROLES[slot].some((r) => (party.roles as string[]).includes(r))) {
      problems.push({ path, message: `${party.name} cannot be used as ${slot.replace(/Id$/, '')}: its roles are ${(party.roles as string[]).join(', ')}` });
    }
  }
  return problems;
}
