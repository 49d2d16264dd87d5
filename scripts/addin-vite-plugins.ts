/**
 * Build steps of the task pane beyond bundling (used by vite.config.ts):
 *
 * - `officeRuntime()` copies the part of Microsoft's office.js runtime (npm @microsoft/office-js) that Excel
 *   needs into <outDir>/office/, so the pane never loads anything from Microsoft's CDN.
 * - `workersAssetRules()` writes `_headers` and `_redirects` next to the `addin/` folder (dist/public), the
 *   same header policy the Node server applies (worker/src/runtime/addin-assets.ts), for Workers Static Assets.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';
import { OFFICE_DIR, workersHeadersFile, workersRedirectsFile } from '../worker/src/runtime/addin-assets.js';

/** Root of the installed @microsoft/office-js package. */
export function officeJsPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@microsoft/office-js/package.json'));
}

/**
 * What office.js loads in Excel, relative to its folder (read from office.js 1.1.x, see its LoadScriptHelper):
 *
 * - `office.js` itself, then one host file named `<host>-<platform>-<version>.js` (excel-web-16.00.js,
 *   excel-win32-16.01.js, excel-mac-16.00.js, excel-ios/android/winrt…) or, for Office 2013-era hosts,
 *   `o15apptofilemappingtable.js`, which then picks excel-15*.js / excelwebapp-15*.js;
 * - `<locale>/office_strings.js` for the host's UI locale (falling back to en-us/), so every locale's strings
 *   file is copied (about 3.7 MB) — not the Outlook strings or the .debug.js variants;
 * - `telemetry/oteljs_agave.js` (office.js) and `ariatelemetry/aria-web-telemetry.js` (host files);
 * - `es6-promise.js`, the Promise polyfill shipped beside office.js.
 *
 * Left out: every other host (Word, PowerPoint, Outlook, OneNote, Project, Access, Visio), all .debug.js files,
 * `webauth/` (only for Office SSO's auth-code flow, which this pane does not use), html2canvas, type definitions.
 */
export function officeRuntimeFiles(dist = join(officeJsPackageDir(), 'dist')): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dist).sort()) {
    const full = join(dist, name);
    if (statSync(full).isDirectory()) {
      if (existsSync(join(full, 'office_strings.js'))) files.push(`${name}/office_strings.js`);
      continue;
    }
    if (name.endsWith('.debug.js')) continue;
    if (name === 'office.js' || name === 'es6-promise.js' || name === 'o15apptofilemappingtable.js' || /^excel(webapp|ios)?-[\w.-]+\.js$/.test(name)) files.push(name);
  }
  files.push('telemetry/oteljs_agave.js', 'ariatelemetry/aria-web-telemetry.js');
  for (const f of ['office.js', 'en-us/office_strings.js', 'excel-web-16.00.js', 'excel-win32-16.01.js', 'excel-mac-16.00.js', ...files]) {
    if (!existsSync(join(dist, f))) throw new Error(`@microsoft/office-js has no dist/${f}: did its layout change?`);
  }
  return files;
}

/** A build-only plugin that runs `step` with the resolved build.outDir at the given output hook. */
function buildStep(name: string, hook: 'writeBundle' | 'closeBundle', step: (outDir: string) => void): Plugin {
  let outDir = '';
  return {
    name,
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    [hook]: () => step(outDir),
  };
}

export function officeRuntime(): Plugin {
  return buildStep('exportdesk:office-runtime', 'writeBundle', (outDir) => {
    const pkg = officeJsPackageDir();
    const dist = join(pkg, 'dist');
    const target = join(outDir, OFFICE_DIR);
    for (const f of officeRuntimeFiles(dist)) {
      mkdirSync(dirname(join(target, f)), { recursive: true });
      copyFileSync(join(dist, f), join(target, f));
    }
    copyFileSync(join(pkg, 'LICENSE.md'), join(target, 'LICENSE.md'));
  });
}

/** HTML files in a folder, relative to it with forward slashes. */
function htmlPages(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return htmlPages(full, base);
    return e.name.endsWith('.html') ? [relative(base, full).split(sep).join('/')] : [];
  });
}

export function workersAssetRules(): Plugin {
  return buildStep('exportdesk:workers-asset-rules', 'closeBundle', (outDir) => {
    if (!existsSync(outDir)) return; // the build failed: let its own error show
    const publicRoot = dirname(outDir);
    writeFileSync(join(publicRoot, '_headers'), workersHeadersFile(htmlPages(outDir).sort()));
    writeFileSync(join(publicRoot, '_redirects'), workersRedirectsFile());
  });
}
