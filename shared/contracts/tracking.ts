import { z } from 'zod';
import { Actor } from './bookings.js';
import { Id, Timestamp } from './common.js';

/**
 * Buyer tracking links: a signed, expiring, revocable URL per order that opens a read-only page
 * (`GET /track/{token}`). The token is `trk_<26-character id part>_<52-character secret>`, Crockford base32;
 * the secret carries 260 random bits and only its SHA-256 is stored, so the token is shown once, at issue.
 */
export const TrackingLinkId = Id('trk').meta({ description: 'Tracking link id (not a secret: the token starts with it)', example: 'trk_01JD7Z3K8Q2W9V4N6M5R1T0Y3X' });

/** Characters of the secret part of a token. */
export const TRACKING_SECRET_CHARS = 52;
/** `trk_<id part>_<secret>`, both Crockford base32 (upper case). */
export const TRACKING_TOKEN_RE = /^trk_([0-9A-HJKMNP-TV-Z]{26})_([0-9A-HJKMNP-TV-Z]{52})$/;

export const TRACKING_LINK_STATUSES = ['active', 'expired', 'revoked'] as const;
export const TrackingLinkStatus = z.enum(TRACKING_LINK_STATUSES).meta({ description: 'active: opens the page; expired: past expiresAt; revoked: withdrawn (revocation wins over expiry)' });

export const MAX_TRACKING_DAYS = 365;
export const DEFAULT_TRACKING_DAYS = 30;

export const TrackingLinkCreate = z
  .strictObject({
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_TRACKING_DAYS)
      .default(DEFAULT_TRACKING_DAYS)
      .meta({ description: `Days until the link stops working (1–${MAX_TRACKING_DAYS}, default ${DEFAULT_TRACKING_DAYS})`, example: 30 }),
  })
  .meta({ id: 'TrackingLinkCreate' });
export type TrackingLinkCreate = z.infer<typeof TrackingLinkCreate>;

export const TrackingLink = z
  .object({
    id: z.string(),
    orderId: z.string(),
    status: TrackingLinkStatus,
    expiresAt: Timestamp,
    revokedAt: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable().meta({ description: 'Last time the page or a document was opened (recorded at most every 5 minutes)' }),
    createdAt: Timestamp,
    createdBy: Actor,
  })
  .meta({ id: 'TrackingLink' });
export type TrackingLink = z.infer<typeof TrackingLink>;

export const TrackingLinkCreated = TrackingLink.extend({
  token: z.string().meta({ description: 'The secret token, shown in this response only (stored as a SHA-256 hash)', example: 'trk_01JD7Z3K8Q2W9V4N6M5R1T0Y3X_…' }),
  url: z.string().meta({ description: 'The page to send the buyer: `<this server>/track/<token>`', example: 'https://exportdesk.example/track/trk_01JD7Z3K8Q2W9V4N6M5R1T0Y3X_…' }),
}).meta({ id: 'TrackingLinkCreated' });
export type TrackingLinkCreated = z.infer<typeof TrackingLinkCreated>;

export const TrackingLinkList = z.object({ items: z.array(TrackingLink).meta({ description: 'Newest first, whatever their status' }) }).meta({ id: 'TrackingLinkList' });
export type TrackingLinkList = z.infer<typeof TrackingLinkList>;
