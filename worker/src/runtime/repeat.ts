/**
 * The Node server's periodic jobs (exception-schedule.ts, email-schedule.ts): a non-negative interval read from
 * the environment, and a timer loop whose runs never overlap and which does not keep the process alive.
 */

/** A number from `env[name]` (`fallback` when unset or blank); 0 means off. Throws naming the variable otherwise. */
export function intervalSetting(env: Record<string, string | undefined>, name: string, unit: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of ${unit} (0 = off), not "${raw}"`);
  return n;
}

/**
 * Run `task` after `firstAfterMs`, then every `everyMs`. A run still going when the next is due is not
 * overlapped (that tick is skipped); a run that throws is logged as `failure`. Returns a function that stops it.
 */
export function repeat(task: () => Promise<void>, opts: { everyMs: number; firstAfterMs: number; failure: string }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (err) {
      console.error(opts.failure, err);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(tick, opts.firstAfterMs);
  const every = setInterval(tick, opts.everyMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
