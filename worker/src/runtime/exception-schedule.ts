/**
 * The Node server's exception schedule: sweep every organisation every EXCEPTIONS_SWEEP_MINUTES (default 15; 0 turns
 * it off), the first time shortly after start. Runs never overlap; the timer does not keep the process alive.
 * (On Cloudflare Workers the same sweep runs from the cron trigger in wrangler.toml: see cloudflare.ts.)
 */
import type { Database } from '../db/client.js';
import { sweepAllOrganisations } from '../services/exceptions/index.js';

export function sweepMinutes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.EXCEPTIONS_SWEEP_MINUTES;
  if (raw === undefined || raw.trim() === '') return 15;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`EXCEPTIONS_SWEEP_MINUTES must be a number of minutes (0 = off), not "${raw}"`);
  return n;
}

export function startExceptionSweeps(database: Database, opts: { minutes?: number; firstAfterMs?: number; log?: (line: string) => void } = {}): () => void {
  const minutes = opts.minutes ?? sweepMinutes();
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!minutes) return () => undefined;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await sweepAllOrganisations(database, { log: (m, err) => console.error(m, err) });
      log(`Exception sweep: ${r.organisations} organisation(s), ${r.raised} raised, ${r.resolved} resolved, ${r.active} active, ${r.ms} ms${r.failed ? `, ${r.failed} FAILED` : ''}`);
    } catch (err) {
      console.error('Exception sweep failed', err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(tick, opts.firstAfterMs ?? 2_000);
  const every = setInterval(tick, minutes * 60_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
