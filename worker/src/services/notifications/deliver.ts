/**
 * The transactional outbox, delivery side: send the messages that are due, with retries and backoff.
 *
 *   pending ──claim──▶ sending ──accepted──▶ sent
 *      ▲                  │ ├──retryable error, attempts left──▶ pending (next_attempt_at = now + backoff)
 *      │                  │ └──permanent error / out of attempts──▶ failed ──retry (POST /outbox/{id}/retry)──▶ pending
 *      └──lock expired────┘ (the deliverer died mid-send: claimed again, same Message-ID)
 *   pending (never tried) ──buyer's preferences drop it──▶ cancelled
 *
 * A claim is one conditional UPDATE (status and time in its WHERE), so two deliverers — two timers, a timer and
 * POST /outbox/deliver, two processes — never hold the same message at once. A claim counts as an attempt and
 * holds the message for `lockSeconds`; a deliverer that dies leaves it `sending` until the lock expires, and then
 * it is claimed and sent again with the same Message-ID (the only case of a second copy: see buyer-emails.md).
 */
import { and, asc, eq, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DeliveryRun } from '../../../../shared/contracts/notifications.js';
import type { Database } from '../../db/client.js';
import { documents, organisations, outboxMessages } from '../../db/schema/index.js';
import type { EmailAddress, EmailAttachment, OutgoingEmail } from '../../email/message.js';
import { EmailDeliveryError, type EmailTransport, type SendResult } from '../../email/transport.js';
import { recordAudit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { CONTENT_TYPES, databaseStore, type DocumentStore } from '../documents/store.js';
import { addSeconds, documentFilename } from './enqueue.js';

/** What a runtime gives the outbox to send with: the transport and the sender (EMAIL_FROM). */
export interface EmailDelivery {
  transport: EmailTransport;
  /** From. Without a display name the organisation's legal name is used. */
  sender: EmailAddress;
  replyTo?: EmailAddress | null;
}

export interface DeliverOptions extends EmailDelivery {
  database: Database;
  /** Clock (tests inject one). */
  now?: () => Date;
  /** Only this organisation's messages (POST /outbox/deliver); every organisation's when absent (the schedule). */
  orgId?: string;
  /** Messages claimed per run (default 25). */
  batchSize?: number;
  /** Attempts before a message fails for good (default 10: about a day of backoff). */
  maxAttempts?: number;
  /** How long a claim holds a message (default 600 s: longer than any send, whose socket times out after 60 s idle). */
  lockSeconds?: number;
  /** Where document bytes are (default: the database). */
  documentStore?: DocumentStore;
  log?: (message: string, err?: unknown) => void;
}

/** Wait after the 1st, 2nd, … failed attempt: 1 min, 5 min, 15 min, 1 h, 3 h, then every 6 h. */
export const BACKOFF_SECONDS = [60, 300, 900, 3_600, 10_800, 21_600] as const;
export const DEFAULT_MAX_ATTEMPTS = 10;
export const DEFAULT_LOCK_SECONDS = 600;
export const DEFAULT_BATCH_SIZE = 25;

/** Seconds to wait after `attempts` failed attempts; a provider's Retry-After is honoured when longer. No jitter: one deliverer sends in sequence. */
export function backoffSeconds(attempts: number, retryAfterSeconds?: number | null): number {
  const base = BACKOFF_SECONDS[Math.min(Math.max(attempts, 1), BACKOFF_SECONDS.length) - 1]!;
  return Math.max(base, retryAfterSeconds ?? 0);
}

type Row = typeof outboxMessages.$inferSelect;
const SYSTEM = { userId: 'system', role: 'admin' } as const;

/** Due: pending and its time has come, or held by a deliverer whose lock has expired. */
const due = (now: string): SQL =>
  or(and(eq(outboxMessages.status, 'pending'), lte(outboxMessages.nextAttemptAt, now)), and(eq(outboxMessages.status, 'sending'), lte(outboxMessages.lockedUntil, now)))!;

/** An error of a transport as the outbox sees it: unknown errors are retryable (attempts are bounded). */
function asDeliveryError(err: unknown, transport: string): EmailDeliveryError {
  if (err instanceof EmailDeliveryError) return err;
  return new EmailDeliveryError(err instanceof Error ? err.message : String(err), { retryable: true, code: 'EUNKNOWN', transport, cause: err });
}

const describeError = (e: EmailDeliveryError) => `${e.code}${e.status ? ` ${e.status}` : ''}: ${e.message}`.slice(0, 1000);

/**
 * Send the messages that are due (at most `batchSize`), one at a time: claim, read the attachments, send with the
 * message's own Message-ID, record the outcome. Transport errors are recorded on the message; database errors
 * end the run (the claimed message is retried when its lock expires).
 */
export async function deliverDue(opts: DeliverOptions): Promise<DeliveryRun> {
  const t0 = performance.now();
  const now = opts.now ?? (() => new Date());
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const lockSeconds = opts.lockSeconds ?? DEFAULT_LOCK_SECONDS;
  const store = opts.documentStore ?? databaseStore;
  const { database, transport } = opts;
  const run: DeliveryRun = { transport: transport.name, claimed: 0, sent: 0, retrying: 0, failed: 0, ms: 0 };
  const orgNames = new Map<string, string>();

  const start = now().toISOString();
  const candidates = await database.db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(due(start), opts.orgId ? eq(outboxMessages.orgId, opts.orgId) : undefined))
    .orderBy(asc(outboxMessages.nextAttemptAt), asc(outboxMessages.id))
    .limit(opts.batchSize ?? DEFAULT_BATCH_SIZE);

  for (const { id } of candidates) {
    // Claim: only one deliverer gets past this UPDATE for a given message and moment.
    const claimedAt = now().toISOString();
    const lock = addSeconds(claimedAt, lockSeconds);
    const claim = await database.write((tx) =>
      tx
        .update(outboxMessages)
        .set({ status: 'sending', lockedUntil: lock, attempts: sql`${outboxMessages.attempts} + 1` })
        .where(and(eq(outboxMessages.id, id), due(claimedAt))),
    );
    if (!claim.rowsAffected) continue; // someone else has it, or it is no longer due
    run.claimed++;
    const [row] = await database.db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
    if (!row) continue;

    let result: SendResult | null = null;
    let error: EmailDeliveryError | null = null;
    if (row.attempts > maxAttempts) {
      error = new EmailDeliveryError(`Gave up after ${maxAttempts} attempts (the last one did not finish: its deliverer stopped)`, { retryable: false, code: 'EATTEMPTS', transport: transport.name });
    } else {
      try {
        const message = await outgoing(row, opts, store, orgNames);
        result = await transport.send(message);
      } catch (err) {
        error = asDeliveryError(err, transport.name);
      }
    }
    const outcome = await finish(database, row, lock, result, error, { now, maxAttempts });
    if (outcome === 'lost') opts.log?.(`outbox ${row.id}: the lock expired while sending; another deliverer took the message over`);
    else run[outcome]++;
  }
  run.ms = Math.round(performance.now() - t0);
  return run;
}

/** The message as the transport gets it: stored text, From with the organisation's name, attachments' bytes. */
async function outgoing(row: Row, opts: DeliverOptions, store: DocumentStore, orgNames: Map<string, string>): Promise<OutgoingEmail> {
  let orgName = orgNames.get(row.orgId);
  if (orgName === undefined) {
    const [org] = await opts.database.db.select({ legalName: organisations.legalName }).from(organisations).where(eq(organisations.id, row.orgId));
    orgName = org?.legalName ?? '';
    orgNames.set(row.orgId, orgName);
  }
  const attachments: EmailAttachment[] = [];
  if (row.attachments.length) {
    const docs = await opts.database.db.select().from(documents).where(and(eq(documents.orgId, row.orgId), inArray(documents.id, row.attachments)));
    for (const id of row.attachments) {
      const doc = docs.find((d) => d.id === id);
      const bytes = doc ? await store.get(opts.database.db, doc.storageKey) : null;
      if (!doc || !bytes) throw new EmailDeliveryError(`Attachment ${id} is missing`, { retryable: false, code: 'EATTACHMENT', transport: opts.transport.name });
      attachments.push({ filename: documentFilename(doc), contentType: CONTENT_TYPES[doc.format as 'docx' | 'xlsx'] ?? 'application/octet-stream', content: bytes });
    }
  }
  const name = opts.sender.name ?? orgName;
  return {
    messageId: row.messageId,
    from: name ? { name, address: opts.sender.address } : { address: opts.sender.address },
    ...(opts.replyTo ? { replyTo: opts.replyTo } : {}),
    to: row.to,
    subject: row.subject,
    text: row.text,
    ...(row.html ? { html: row.html } : {}),
    attachments,
  };
}

/** Record the outcome of an attempt, if this deliverer still holds the message (its lock unchanged). */
async function finish(
  database: Database,
  row: Row,
  lock: string,
  result: SendResult | null,
  error: EmailDeliveryError | null,
  o: { now: () => Date; maxAttempts: number },
): Promise<'sent' | 'retrying' | 'failed' | 'lost'> {
  const at = o.now().toISOString();
  const held = and(eq(outboxMessages.id, row.id), eq(outboxMessages.status, 'sending'), eq(outboxMessages.lockedUntil, lock));
  const ctx: ServiceContext = { database, orgId: row.orgId, actor: SYSTEM, now: o.now };
  const audit = (action: 'sent' | 'failed', extra: Record<string, unknown>) =>
    row.orderId
      ? [
          {
            entityType: row.shipmentId ? ('shipment' as const) : ('order' as const),
            entityId: row.shipmentId ?? row.orderId,
            orderId: row.orderId,
            action: `${row.shipmentId ? 'shipment' : 'order'}.buyer_email_${action}`,
            after: { outboxId: row.id, event: row.event, to: row.to.map((t) => t.address), subject: row.subject, attachments: row.attachments.length, ...extra },
          },
        ]
      : [];

  return database.write(async (tx) => {
    if (result) {
      const refused = result.rejectedRecipients?.length ? `Accepted, except for: ${result.rejectedRecipients.join(', ')}` : null;
      const done = await tx
        .update(outboxMessages)
        .set({ status: 'sent', sentAt: at, providerMessageId: result.providerMessageId, lockedUntil: null, lastError: refused })
        .where(held);
      if (!done.rowsAffected) return 'lost';
      await recordAudit(tx, ctx, audit('sent', { messageId: row.messageId, ...(refused ? { refused: result.rejectedRecipients } : {}) }));
      return 'sent';
    }
    const e = error!;
    if (e.retryable && row.attempts < o.maxAttempts) {
      const done = await tx
        .update(outboxMessages)
        .set({ status: 'pending', nextAttemptAt: addSeconds(at, backoffSeconds(row.attempts, e.retryAfterSeconds)), lockedUntil: null, lastError: describeError(e) })
        .where(held);
      return done.rowsAffected ? 'retrying' : 'lost';
    }
    const reason = e.retryable ? `Gave up after ${row.attempts} attempts; last: ${describeError(e)}` : describeError(e);
    const done = await tx.update(outboxMessages).set({ status: 'failed', lockedUntil: null, lastError: reason.slice(0, 1000) }).where(held);
    if (!done.rowsAffected) return 'lost';
    await recordAudit(tx, ctx, audit('failed', { error: reason.slice(0, 300) }));
    return 'failed';
  });
}
