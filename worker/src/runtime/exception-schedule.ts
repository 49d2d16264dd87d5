/**
 * The Node server's exception schedule: sweep every organisation every EXCEPTIONS_SWEEP_MINUTES (default 15; 0 turns
 * it off), the first time shortly after start. Runs never overlap; the timer does not keep the process alive.
 * (On Cloudflare Workers the same sweep runs from the cron trigger in wrangler.toml: see cloudflare.ts.)
 */
import type { Database } from '../db/client.js';
import { sweepAllOrganisations } from '../services/exceptions/index.js';
import { intervalSetting, repeat } from './repeat.js';

export const sweepMinutes = (env: Record<string, string | undefined> = process.env): number => intervalSetting(env, 'EXCEPTIONS_SWEEP_MINUTES', 'minutes', 15);

export function startExceptionSweeps(database: Database, opts: { minutes?: number; firstAfterMs?: number; log?: (line: string) => void } = {}): () => void {
  const minutes = opts.minutes ?? sweepMinutes();
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!minutes) return () => undefined;
  return repeat(
    async () => {
      const r = await sweepAllOrganisations(database, { log: (m, err) => console.error(m, err) });
      log(`Exception sweep: ${r.organisations} organisation(s), ${r.raised} raised, ${r.resolved} resolved, ${r.active} active, ${r.ms} ms${r.failed ? `, ${r.failed} FAILED` : ''}`);
    },
    { everyMs: minutes * 60_000, firstAfterMs: opts.firstAfterMs ?? 2_000, failure: 'Exception sweep failed' },
  );
}
