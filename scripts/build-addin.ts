/**
 * Build the task pane (vite.config.ts → dist/public/addin/) — `npm run build:addin`.
 *
 * `--if-stale` builds only when the output is missing or its inputs changed since the last build: what
 * `npm start` (prestart), `npm test` (vitest globalSetup) and wrangler ([build] in wrangler.toml) run, so a
 * fresh clone needs no extra step and a pulled change to the pane is never served stale.
 * The inputs' fingerprint (path, size and mtime of every file) is kept in dist/.addin-build.json.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PUBLIC_DIR = join(ROOT, 'dist', 'public');
export const ADDIN_OUT = join(PUBLIC_DIR, 'addin');
const STAMP = join(ROOT, 'dist', '.addin-build.json');

/** Everything the build reads. shared/ because the pane imports the contracts. */
const INPUTS = [
  'addin',
  'shared',
  'vite.config.ts',
  'scripts/build-addin.ts',
  'scripts/addin-vite-plugins.ts',
  'worker/src/runtime/addin-assets.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
/** Outputs that must exist for the build to count as done. */
const OUTPUTS = ['taskpane.html', 'office/office.js', 'office/en-us/office_strings.js'];

function walk(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(`${relative(ROOT, path)}\t${st.size}\t${Math.trunc(st.mtimeMs)}`);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.endsWith('.test.ts') || name.endsWith('.test.tsx')) continue;
    walk(join(path, name), out);
  }
}

export function inputFingerprint(): string {
  const lines: string[] = [];
  for (const p of INPUTS) walk(join(ROOT, p), lines);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Why the pane needs building, or null when dist/public/addin is up to date. */
export function staleReason(): string | null {
  const missing = OUTPUTS.find((f) => !existsSync(join(ADDIN_OUT, f)));
  if (missing) return `dist/public/addin/${missing} is missing`;
  if (!existsSync(STAMP)) return 'no record of the last build';
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { inputs?: string };
    return stamp.inputs === inputFingerprint() ? null : 'its sources changed';
  } catch {
    return 'unreadable build record';
  }
}

/** Move `from` to `to`, replacing `to`; readers see the old or the new tree, never a half-written one. */
function replace(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    const old = `${to}.old-${process.pid}-${attempt}`;
    try {
      if (existsSync(to)) renameSync(to, old);
      renameSync(from, to);
      rmSync(old, { recursive: true, force: true });
      return;
    } catch (e) {
      // another build swapped in between: try again
      if (attempt >= 5) throw e;
    }
  }
}

/**
 * Run `vite build` into a staging folder, then swap the result into dist/public, so a server or test reading
 * the pane while another process rebuilds it never sees an emptied folder. Throws with vite's output on failure.
 */
export function buildAddin(): void {
  const inputs = inputFingerprint();
  const staging = join(ROOT, 'dist', `.addin-staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    const run = spawnSync(process.execPath, [vite, 'build', '--outDir', join(staging, 'addin')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (run.status !== 0) throw new Error(`Task pane build failed (vite build, exit ${run.status}):\n${run.stdout}${run.stderr}`);
    mkdirSync(PUBLIC_DIR, { recursive: true });
    for (const name of ['_headers', '_redirects']) renameSync(join(staging, name), join(PUBLIC_DIR, name));
    replace(join(staging, 'addin'), ADDIN_OUT);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  writeFileSync(STAMP, `${JSON.stringify({ builtAt: new Date().toISOString(), inputs }, null, 2)}\n`);
}

/** Build when stale; returns whether it built. */
export function ensureAddinBuilt(log: (line: string) => void = console.log): boolean {
  const reason = staleReason();
  if (!reason) return false;
  log(`Building the Excel task pane (${reason})…`);
  const started = Date.now();
  buildAddin();
  log(`Task pane built into dist/public/addin in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale')) ensureAddinBuilt();
    else {
      buildAddin();
      console.log('Task pane built into dist/public/addin.');
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
