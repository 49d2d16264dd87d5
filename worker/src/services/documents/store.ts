import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { documentBlobs } from '../../db/schema/index.js';

/**
 * Where document bytes live. Keys are content-addressed (`<org>/<sha256>`), so writing the same bytes
 * twice is harmless and a stored document can never change under its key.
 */
export interface DocumentStore {
  readonly name: 'database' | 'r2';
  /** Store bytes. `tx` is the caller's transaction, used by stores that live in the database. */
  put(tx: Executor, key: string, content: Uint8Array, contentType: string, now: string): Promise<void>;
  get(db: Executor, key: string): Promise<Uint8Array | null>;
}

/** The default: bytes in the `document_blobs` table, written in the same transaction as the document row. */
export const databaseStore: DocumentStore = {
  name: 'database',
  async put(tx, key, content, contentType, now) {
    await tx.insert(documentBlobs).values({ key, content, contentType, createdAt: now }).onConflictDoNothing();
  },
  async get(db, key) {
    const [row] = await db.select({ content: documentBlobs.content }).from(documentBlobs).where(eq(documentBlobs.key, key));
    return row?.content ?? null;
  },
};

/** Minimal shape of a Cloudflare R2 bucket binding (kept structural so Node code needs no Workers types). */
export interface R2BucketLike {
  put(key: string, value: Uint8Array, options?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

/** Cloudflare R2, when the Worker has a `DOCUMENTS` bucket binding. */
export function r2Store(bucket: R2BucketLike): DocumentStore {
  return {
    name: 'r2',
    async put(_tx, key, content, contentType) {
      await bucket.put(key, content, { httpMetadata: { contentType } });
    },
    async get(_db, key) {
      const object = await bucket.get(key);
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
  };
}

export const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
