/**
 * The fake Excel host (addin/src/excel/fake/browser-entry.ts) bundled for the browser as one IIFE with Vite's
 * build API: served in place of office.js, it installs `Excel`, `Office`, `OfficeExtension` and `__fakeExcel`
 * on window before the pane's module script runs.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const ENTRY = resolve('addin/src/excel/fake/browser-entry.ts');
const FILE = 'fake-office.js';

/** Bundle into `outDir` (emptied first); returns the script's text. */
export async function buildFakeOffice(outDir: string): Promise<string> {
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      write: true,
      minify: false,
      sourcemap: false,
      target: 'es2020',
      copyPublicDir: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'ExportDeskFakeOffice', fileName: () => FILE },
    },
  });
  const code = readFileSync(join(outDir, FILE), 'utf8');
  if (!code.includes('__fakeExcel')) throw new Error(`${FILE} does not install __fakeExcel: the fake host's browser entry changed?`);
  return code;
}
