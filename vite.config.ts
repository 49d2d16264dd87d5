/**
 * The Excel task pane: addin/taskpane.html (+ addin/src) → dist/public/addin/, served under /addin/ by the
 * API server on Node and by Workers Static Assets on Cloudflare (one origin with the API).
 * Build: `npm run build:addin` (or scripts/build-addin.ts, which `npm start`, `npm test` and wrangler run when
 * the build is missing or older than its sources).
 */
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig } from 'vite';
import { officeRuntime, workersAssetRules } from './scripts/addin-vite-plugins.js';
import { HASHED_DIR } from './worker/src/runtime/addin-assets.js';

const root = fileURLToPath(new URL('./addin/', import.meta.url));

// office.js is a classic script on purpose (Office requires it loaded before the app, not bundled): drop Vite's
// "can't be bundled without type=module" notice about it, keep every other warning.
const logger = createLogger('warn');
const warn = logger.warn.bind(logger);
logger.warn = (msg, options) => {
  if (!/office\/office\.js.*can't be bundled/.test(msg)) warn(msg, options);
};

export default defineConfig({
  root,
  base: '/addin/',
  // addin/public/ (icons, static pages) is copied as is to dist/public/addin/.
  publicDir: 'public',
  logLevel: 'warn',
  customLogger: logger,
  build: {
    outDir: fileURLToPath(new URL('./dist/public/addin/', import.meta.url)),
    emptyOutDir: true,
    // Content-hashed bundles go to /addin/bundle/ (cached for a year); /addin/assets/ keeps the fixed-name icons.
    assetsDir: HASHED_DIR,
    // Excel on Mac runs the pane in the system's WKWebView (Safari of that macOS), older than Vite's default target.
    target: 'es2020',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: { taskpane: fileURLToPath(new URL('./addin/taskpane.html', import.meta.url)) },
      // Fluent UI marks its modules 'use client' (a React Server Components hint, meaningless in a task pane).
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        warn(warning);
      },
    },
  },
  plugins: [officeRuntime(), workersAssetRules()],
});
