/**
 * The Worker in workerd, for test/workerd.test.ts and the benchmark (bench/lib/workerd.ts): the bundle built by
 * `wrangler deploy --dry-run` (what `npm run build:worker` builds), run by Miniflare with wrangler.toml's
 * compatibility settings. Miniflare's `outboundService` is the only network the Worker has: requests to the
 * fake database host are forwarded to the Hrana HTTP server (test/support/hrana-server.ts), everything else
 * is refused and recorded.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare, Response as MfResponse, fetch as mfFetch, type Request as MfRequest } from 'miniflare';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DB_HOST = 'db.internal';

/** compatibility_date / compatibility_flags from wrangler.toml, so what runs here is what deploys. */
export function wranglerCompat(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error('wrangler.toml has no compatibility_date');
  const flags = /^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1];
  return { compatibilityDate: date, compatibilityFlags: flags ? [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [] };
}

/**
 * wrangler.toml's [assets] as Miniflare options, the way `wrangler dev` passes them (Miniflare itself reads the
 * directory's `_headers` and `_redirects`): the task pane's files in front of the Worker.
 */
export function wranglerAssets(): { directory: string; routerConfig: { has_user_worker: boolean }; assetConfig: Record<string, string> } {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const section = /^\[assets\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(toml)?.[1];
  if (!section) throw new Error('wrangler.toml has no [assets] section');
  const value = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]+)"`, 'm').exec(section)?.[1];
  const directory = value('directory');
  if (!directory) throw new Error('wrangler.toml [assets] has no directory');
  const assetConfig: Record<string, string> = {};
  for (const key of ['html_handling', 'not_found_handling']) {
    const v = value(key);
    if (v) assetConfig[key] = v;
  }
  return { directory: resolve(ROOT, directory), routerConfig: { has_user_worker: true }, assetConfig };
}

/** Build the Worker bundle into `outdir` as `npm run build:worker` does (only the output folder differs); returns its path. */
export async function buildWorkerBundle(outdir: string): Promise<string> {
  await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: ROOT,
    timeout: 180_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CI: '1' },
  });
  const built = readdirSync(outdir).filter((f) => f.endsWith('.js'));
  if (built.length !== 1) throw new Error(`expected one .js file from wrangler in ${outdir}, found ${built.join(', ') || 'none'}`);
  return join(outdir, built[0]!);
}

export interface StartWorkerOptions {
  bundlePath: string;
  /** Base URL of the Hrana server the database host is forwarded to. */
  hranaUrl: string;
  /** The Hrana server's auth token, given to the Worker as LIBSQL_AUTH_TOKEN. */
  token: string;
  /** R2 bucket bindings (document files go to R2 when the Worker has the DOCUMENTS binding). */
  r2Buckets?: string[];
  /** Who refuses other outbound requests, for the 403 body ("test", "bench"). */
  refusedBy?: string;
  /** Serve wrangler.toml's [assets] (the built task pane) in front of the Worker, as a deployment does. */
  assets?: boolean;
}

export interface StartedWorker {
  mf: Miniflare;
  /** Outbound requests the Worker made to anything but the database (refused). */
  refused: string[];
}

/** Start the bundle in workerd with the Hrana server as its only network. */
export async function startWorker(opts: StartWorkerOptions): Promise<StartedWorker> {
  const { bundlePath, hranaUrl, token, r2Buckets, refusedBy = 'test', assets } = opts;
  const refused: string[] = [];
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundlePath,
    // Module names are paths relative to modulesRoot (default: cwd); the bundle lives outside the project.
    modulesRoot: dirname(bundlePath),
    ...wranglerCompat(),
    bindings: { LIBSQL_URL: `http://${DB_HOST}`, LIBSQL_AUTH_TOKEN: token },
    ...(r2Buckets ? { r2Buckets } : {}),
    ...(assets ? { assets: wranglerAssets() } : {}),
    outboundService: async (request: MfRequest) => {
      const url = new URL(request.url);
      if (url.hostname !== DB_HOST) {
        refused.push(request.url);
        return new MfResponse(`Outbound request to ${url.host} refused by the ${refusedBy}`, { status: 403 });
      }
      const target = new URL(url.pathname + url.search, hranaUrl);
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        if (name !== 'host' && name !== 'content-length') headers[name] = value;
      });
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      return mfFetch(target, { method: request.method, headers, body: hasBody ? await request.arrayBuffer() : undefined });
    },
  });
  try {
    await mf.ready;
  } catch (e) {
    await mf.dispose().catch(() => undefined);
    throw e;
  }
  return { mf, refused };
}
