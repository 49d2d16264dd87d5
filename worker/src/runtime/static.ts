/**
 * Node: serve the built task pane (dist/public) at /addin/*, with the headers of worker/src/runtime/addin-assets.ts,
 * and send `/` to the pane (REDIRECTS). On Workers, Static Assets does the same from dist/public (`_headers`, `_redirects`).
 * Anything else — and any /addin/ path that is not a file — is left to the API app (which answers 404 there).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { ADDIN_PREFIX, REDIRECTS, addinHeaders } from './addin-assets.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Content type of a served file by extension. */
export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` (resolved) for a request path, or null when the path is not a plain file path under /addin/. */
function fileFor(root: string, pathname: string): string | null {
  if (!pathname.startsWith(ADDIN_PREFIX)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) return null;
  const file = resolve(root, ...segments);
  return file.startsWith(root + sep) ? file : null;
}

/**
 * A handler that answers GET/HEAD for the pane's files and `/`, or returns null to let the API answer.
 * Files are read on each request (the OS caches them); ETag/If-None-Match give 304s to revalidating clients.
 */
export function addinStatic(publicDir: string): (request: Request) => Promise<Response | null> {
  const root = resolve(publicDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null;
    const url = new URL(request.url);
    const to = REDIRECTS[url.pathname];
    if (to) return new Response(null, { status: 302, headers: { Location: to } });
    const file = fileFor(root, url.pathname);
    if (!file) return null;
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const etag = `W/"${createHash('sha1').update(`${info.size}:${info.mtimeMs}:${file}`).digest('base64url').slice(0, 20)}"`;
    const headers = new Headers({ ...addinHeaders(url.pathname), ETag: etag, 'Last-Modified': info.mtime.toUTCString() });
    const inm = request.headers.get('if-none-match');
    if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return new Response(null, { status: 304, headers });
    headers.set('Content-Type', contentType(file));
    headers.set('Content-Length', String(info.size));
    return new Response(request.method === 'HEAD' ? null : await readFile(file), { status: 200, headers });
  };
}

/** dist/public in a checkout (built by `npm run build:addin`). */
export function defaultPublicDir(projectRoot: string): string {
  return join(projectRoot, 'dist', 'public');
}
