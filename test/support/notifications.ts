import { and, eq } from 'drizzle-orm';
import { outboxMessages } from '../../worker/src/db/schema/index.js';
import type { ServiceContext } from '../../worker/src/services/context.js';
import { listMilestones, updateMilestone } from '../../worker/src/services/milestones.js';
import { getNotificationPreferences, putNotificationPreferences } from '../../worker/src/services/notifications/prefs.js';

/**
 * A pending buyer e-mail (an outbox message), made the real way: the shipment's buyer wants `departed`, and the
 * departure is recorded. For tests that need an /outbox/{id}. Returns the message id.
 */
export async function queueBuyerEmail(ctx: ServiceContext, buyerId: string, shipmentId: string): Promise<string> {
  const prefs = await getNotificationPreferences(ctx, buyerId);
  if (!prefs.enabled || !prefs.events.includes('departed')) {
    await putNotificationPreferences(ctx, buyerId, { enabled: true, events: [...new Set([...prefs.events, 'departed'])], recipients: prefs.recipients }, prefs.version || null);
  }
  const departed = (await listMilestones(ctx, shipmentId)).items.find((m) => m.code === 'departed')!;
  await updateMilestone(ctx, shipmentId, 'departed', departed.version, { actualAt: ctx.now().toISOString(), timeZone: 'Asia/Kolkata' });
  const [row] = await ctx.database.db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.orgId, ctx.orgId), eq(outboxMessages.dedupeKey, `milestone:departed:${shipmentId}`)));
  if (!row) throw new Error(`no buyer e-mail was queued for shipment ${shipmentId}: does its buyer have a contact with an e-mail?`);
  return row.id;
}
