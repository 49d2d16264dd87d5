import type { Database } from '../../worker/src/db/client.js';
import { exceptions } from '../../worker/src/db/schema/index.js';
import { newId } from '../../worker/src/lib/ids.js';

/** An open exception inserted directly (for route-wide tests that need a real /exceptions/{id}; the engine is tested in api-exceptions.test.ts). */
export async function insertException(database: Database, orgId: string, fields: Partial<typeof exceptions.$inferInsert> = {}): Promise<string> {
  const id = newId('exc');
  const now = new Date().toISOString();
  await database.db.insert(exceptions).values({
    id,
    orgId,
    ruleId: 'docs.not-final-before-cutoff',
    subject: `test:${id}`,
    severity: 'high',
    ownerRole: 'documentation',
    title: 'Test exception',
    detail: 'Inserted by a test',
    state: 'open',
    raisedAt: now,
    lastSeenAt: now,
    ...fields,
  });
  return id;
}
