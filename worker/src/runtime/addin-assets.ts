/**
 * How the task pane's static files are served, in one place for both runtimes:
 *
 * - Node (`npm start`): worker/src/runtime/static.ts applies `addinHeaders()` to every file under /addin/.
 * - Workers: the build writes the same rules as `_headers` (and the `/` redirect as `_redirects`) into
 *   dist/public, which Workers Static Assets (and Miniflare) apply to the files they serve.
 *
 * Pure data and string building: no Node or Workers APIs, so vite.config.ts can import it too.
 */

/** URL prefix of the pane; the build's `base` and the folder under dist/public. */
export const ADDIN_PREFIX = '/addin/';
/** The page the manifest opens. */
export const TASKPANE_PATH = '/addin/taskpane.html';
/** Vite's output folder for content-hashed bundles (`build.assetsDir`), cached for a year. */
export const HASHED_DIR = 'bundle';
/** The copy of Microsoft's office.js runtime (not hashed: names are fixed by office.js itself). */
export const OFFICE_DIR = 'office';

/**
 * Pages that may frame the pane. Excel on the web runs the pane in an iframe inside an Excel iframe inside the
 * Microsoft 365 / OneDrive / SharePoint page, and `frame-ancestors` checks every ancestor; Excel on Windows and
 * Mac does not frame the pane (WebView2 / WKWebView show it as a top-level page), so this only matters on the
 * web. Besides, office.js itself blanks a pane that is framed outside an Office host.
 */
export const OFFICE_FRAME_ANCESTORS = [
  'https://*.officeapps.live.com',
  'https://*.office.com',
  'https://office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://microsoft365.com',
  'https://*.cloud.microsoft',
  'https://*.sharepoint.com',
  'https://onedrive.live.com',
  'https://*.live.com',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  // sovereign clouds (US government, China operated by 21Vianet)
  'https://*.office365.us',
  'https://*.sharepoint.us',
  'https://*.officeapps.live.us',
  'https://*.partner.officewebapps.cn',
  'https://*.sharepoint.cn',
];

/**
 * Content-Security-Policy of the pane. Scripts only from this origin (the office.js runtime is served from
 * /addin/office/, never a CDN). Inline styles are allowed because Fluent UI (griffel) inserts <style> elements
 * at run time. connect-src: the API is this origin; office.js's own telemetry posts to Microsoft's collector,
 * which is allowed so the official runtime behaves as it does from Microsoft's CDN.
 */
export const ADDIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https://*.pipe.aria.microsoft.com",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  `frame-ancestors 'self' ${OFFICE_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

/**
 * Headers on every file under /addin/. No X-Frame-Options: Excel on the web frames the pane from another origin.
 * No Cross-Origin-Resource-Policy either: Office's own pages load the manifest's icons from here for the ribbon.
 */
export const ADDIN_COMMON_HEADERS: Record<string, string> = {
  'Content-Security-Policy': ADDIN_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
export const CACHE_REVALIDATE = 'no-cache';
/** office.js runtime and icons: stable names, so a short lifetime (a new office-js version takes effect within the hour). */
export const CACHE_SHORT = 'public, max-age=3600';

/** Cache-Control for a path under /addin/ (one value per path: `_headers` joins repeated headers with commas). */
export function addinCacheControl(path: string): string {
  if (path.startsWith(`${ADDIN_PREFIX}${HASHED_DIR}/`)) return CACHE_IMMUTABLE;
  if (path.endsWith('.html') || path.endsWith('/')) return CACHE_REVALIDATE;
  return CACHE_SHORT;
}

/** All headers the pane's files carry (Content-Type, ETag and the like are the server's). */
export function addinHeaders(path: string): Record<string, string> {
  return { ...ADDIN_COMMON_HEADERS, 'Cache-Control': addinCacheControl(path) };
}

/**
 * The same rules as a Workers Static Assets `_headers` file. Paths are listed so that exactly one rule sets
 * Cache-Control for any file: hashed bundles, the office runtime and icons by folder, and each HTML page by name.
 */
export function workersHeadersFile(htmlPages: string[]): string {
  const block = (pattern: string, headers: Record<string, string>) =>
    [pattern, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n');
  const blocks = [
    block(`${ADDIN_PREFIX}*`, ADDIN_COMMON_HEADERS),
    block(`${ADDIN_PREFIX}${HASHED_DIR}/*`, { 'Cache-Control': CACHE_IMMUTABLE }),
    block(`${ADDIN_PREFIX}${OFFICE_DIR}/*`, { 'Cache-Control': CACHE_SHORT }),
    block(`${ADDIN_PREFIX}assets/*`, { 'Cache-Control': CACHE_SHORT }),
    ...htmlPages.map((p) => block(`${ADDIN_PREFIX}${p}`, { 'Cache-Control': CACHE_REVALIDATE })),
  ];
  return `# Generated by the task pane build from worker/src/runtime/addin-assets.ts; do not edit.\n${blocks.join('\n\n')}\n`;
}

/**
 * Redirects outside /addin/ (302): `/` sends a browser to the pane (handy to check the certificate and that the
 * server is up), and the icon answers browsers' /favicon.ico instead of the API's 401.
 */
export const REDIRECTS: Record<string, string> = {
  '/': TASKPANE_PATH,
  '/favicon.ico': `${ADDIN_PREFIX}assets/icon-32.png`,
};

/** REDIRECTS as a Workers Static Assets `_redirects` file. */
export function workersRedirectsFile(): string {
  const rules = Object.entries(REDIRECTS).map(([from, to]) => `${from} ${to} 302`);
  return `# Generated by the task pane build from worker/src/runtime/addin-assets.ts; do not edit.\n${rules.join('\n')}\n`;
}
