/** Per-buyer e-mail preferences: which events, which of the buyer's contacts. */
import { and, eq, notInArray } from 'drizzle-orm';
import type { NotificationPreferences, NotificationPreferencesInput } from '../../../../shared/contracts/notifications.js';
import type { Party } from '../../../../shared/contracts/parties.js';
import type { Executor } from '../../db/client.js';
import { buyerNotificationPrefs, outboxMessages, parties } from '../../db/schema/index.js';
import { isoNow, type ServiceContext } from '../context.js';
import { AppError, stale, unprocessable } from '../errors.js';
import { loadParty } from '../parties.js';
import { requirePermission } from '../permissions.js';
import type { EmailAddress } from '../../email/message.js';

export type PrefsRow = typeof buyerNotificationPrefs.$inferSelect;
type PartyRow = typeof parties.$inferSelect;

/** The outbox event a preference event stands for: `departed` → `milestone.departed`; `documents_final` → `documents.final`. */
export const outboxEventOf = (event: string) => (event === 'documents_final' ? 'documents.final' : `milestone.${event}`);

const contactsWithEmail = (party: Pick<PartyRow, 'contacts'>) => ((party.contacts as Party['contacts']) ?? []).filter((c) => c.email);

/**
 * Who receives the buyer's updates: the chosen contacts that are still contacts of the party (matched without
 * regard to case), or every contact with an e-mail when none were chosen. One mailbox per address.
 */
export function recipientsOf(party: Pick<PartyRow, 'contacts'>, chosen: readonly string[]): EmailAddress[] {
  const want = new Set(chosen.map((e) => e.toLowerCase()));
  const seen = new Set<string>();
  const out: EmailAddress[] = [];
  for (const c of contactsWithEmail(party)) {
    const key = c.email!.toLowerCase();
    if ((want.size && !want.has(key)) || seen.has(key)) continue;
    seen.add(key);
    out.push({ name: c.name, address: c.email! });
  }
  return out;
}

/** The preferences row of a buyer, if any were ever set. */
export async function loadPrefs(db: Executor, orgId: string, buyerId: string): Promise<PrefsRow | null> {
  const [row] = await db.select().from(buyerNotificationPrefs).where(and(eq(buyerNotificationPrefs.orgId, orgId), eq(buyerNotificationPrefs.buyerId, buyerId)));
  return row ?? null;
}

function toPrefs(party: PartyRow, row: PrefsRow | null): NotificationPreferences {
  if (!row) return { buyerId: party.id, enabled: false, events: [], recipients: [], sendsTo: [], version: 0, updatedAt: null, updatedBy: null };
  return {
    buyerId: party.id,
    enabled: row.enabled,
    events: row.events,
    recipients: row.recipients,
    sendsTo: row.enabled ? recipientsOf(party, row.recipients) : [],
    version: row.version,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  };
}

async function loadBuyer(db: Executor, ctx: ServiceContext, partyId: string): Promise<PartyRow> {
  const party = await loadParty(db, ctx, partyId);
  if (!(party.roles as string[]).includes('buyer')) {
    throw unprocessable('NOT_A_BUYER', `${party.name} is not a buyer: only buyers get e-mail updates`, [{ path: 'id', message: `Party roles: ${(party.roles as string[]).join(', ')}` }]);
  }
  return party;
}

/** A buyer's preferences; version 0 (nothing sent) while they were never set. */
export async function getNotificationPreferences(ctx: ServiceContext, partyId: string): Promise<NotificationPreferences> {
  requirePermission(ctx, 'parties:read');
  const db = ctx.database.db;
  const party = await loadBuyer(db, ctx, partyId);
  return toPrefs(party, await loadPrefs(db, ctx.orgId, party.id));
}

/**
 * Set a buyer's preferences (the whole of them). The first PUT creates them without If-Match; later ones need the
 * version. Recipients must be e-mails of the party's contacts. Messages not tried yet that the new preferences no
 * longer want (disabled, or their event removed) are cancelled in the same transaction.
 */
export async function putNotificationPreferences(
  ctx: ServiceContext,
  partyId: string,
  input: NotificationPreferencesInput,
  expectedVersion: number | null,
): Promise<{ prefs: NotificationPreferences; created: boolean }> {
  requirePermission(ctx, 'buyers:notify');
  return ctx.database.write(async (tx) => {
    const party = await loadBuyer(tx, ctx, partyId);
    const existing = await loadPrefs(tx, ctx.orgId, party.id);
    if (existing) {
      if (expectedVersion === null) throw new AppError(428, 'PRECONDITION_REQUIRED', "This buyer's e-mail preferences exist: send If-Match with their ETag, so no one else's change is overwritten");
      if (existing.version !== expectedVersion) throw stale('Notification preferences', toPrefs(party, existing));
    } else if (expectedVersion !== null) {
      throw new AppError(412, 'PRECONDITION_FAILED', `${party.name} has no e-mail preferences yet: send the PUT without If-Match to create them`);
    }

    const contacts = new Set(contactsWithEmail(party).map((c) => c.email!.toLowerCase()));
    const problems = input.recipients.flatMap((email, i) =>
      contacts.has(email.toLowerCase()) ? [] : [{ path: `recipients.${i}`, message: `${email} is not an e-mail of a contact of ${party.name}` }],
    );
    if (!contacts.size && input.enabled && input.events.length) {
      problems.push({ path: 'recipients', message: `${party.name} has no contact with an e-mail address: add one to the party first` });
    }
    if (problems.length) throw unprocessable('INVALID_RECIPIENTS', 'The recipients must be contacts of the buyer', problems);

    const now = isoNow(ctx);
    const next: PrefsRow = {
      buyerId: party.id,
      orgId: ctx.orgId,
      enabled: input.enabled,
      events: input.events,
      recipients: input.recipients,
      version: (existing?.version ?? 0) + 1,
      updatedBy: ctx.actor.userId,
      updatedAt: now,
    };
    if (existing) {
      await tx
        .update(buyerNotificationPrefs)
        .set(next)
        .where(and(eq(buyerNotificationPrefs.buyerId, party.id), eq(buyerNotificationPrefs.version, existing.version)));
    } else {
      await tx.insert(buyerNotificationPrefs).values(next);
    }

    // Untried messages the buyer no longer wants: cancelled (a message already tried may have reached the buyer).
    const wanted = next.enabled ? next.events.map(outboxEventOf) : [];
    await tx
      .update(outboxMessages)
      .set({ status: 'cancelled', lastError: `Cancelled: the buyer's e-mail preferences no longer include it (${now})`, lockedUntil: null })
      .where(
        and(
          eq(outboxMessages.orgId, ctx.orgId),
          eq(outboxMessages.buyerId, party.id),
          eq(outboxMessages.status, 'pending'),
          eq(outboxMessages.attempts, 0),
          ...(wanted.length ? [notInArray(outboxMessages.event, wanted)] : []),
        ),
      );
    return { prefs: toPrefs(party, next), created: !existing };
  });
}
