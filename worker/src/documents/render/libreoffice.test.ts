/**
 * A third reader: LibreOffice opens every rendered file (Writer for .docx, Calc for .xlsx) and prints it to PDF,
 * and pdftotext reads the PDF. This catches files that mammoth or SheetJS accept but an office suite lays out
 * wrongly or refuses, and checks what a person actually sees (number formats included).
 *
 * LibreOffice and poppler-utils are required: without them these tests FAIL (CI installs them:
 * `apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils`).
 * All files are converted in one soffice run with a fresh profile, so runs never share a profile lock.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_LAYOUTS } from '../../../../templates/documents/index.js';
import { renderDocument } from './index.js';
import { PAIRS, cases, flat, input } from './render.fixtures.js';

const run = promisify(execFile);

function requireTool(command: string, args: string[], packageHint: string): void {
  const probe = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${command} is not installed or does not run (${probe.error?.message ?? probe.stderr.trim()}). ` +
        `The LibreOffice rendering tests need it: install ${packageHint}. These tests fail rather than skip on purpose.`,
    );
  }
}

const ALL = cases();
let dir: string;
const texts = new Map<string, string>();
/** Why the conversion could not run: every test fails with it (a missing LibreOffice is a failure, not a skip). */
let setupError: Error | null = null;
const fileName = (caseIndex: number, kind: string, format: string) => `case${caseIndex}-${kind}.${format}`;

beforeAll(async () => {
  try {
    await convertAll();
  } catch (e) {
    // kept for the tests to throw: a failing beforeAll would only mark them skipped
    setupError = e instanceof Error ? e : new Error(String(e));
  }
}, 180_000);

async function convertAll(): Promise<void> {
  requireTool('soffice', ['--version'], 'LibreOffice (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)');
  requireTool('pdftotext', ['-v'], 'poppler-utils (apt-get install poppler-utils)');

  dir = mkdtempSync(join(tmpdir(), 'exportdesk-lo-'));
  const files: string[] = [];
  for (const [i, c] of ALL.entries()) {
    for (const [kind, format] of PAIRS) {
      const path = join(dir, fileName(i, kind, format));
      writeFileSync(path, await renderDocument(input(kind, format, c.snapshot), DOCUMENT_LAYOUTS[kind]));
      files.push(path);
    }
  }
  const profile = join(dir, `lo-profile-${Math.random().toString(36).slice(2)}`);
  const pdfDir = join(dir, 'pdf');
  await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', pdfDir, ...files], {
    timeout: 150_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  for (const file of files) {
    const base = file.slice(dir.length + 1).replace(/\.(docx|xlsx)$/, '');
    const pdf = join(pdfDir, `${base}.pdf`);
    if (!existsSync(pdf)) throw new Error(`LibreOffice did not convert ${file}`);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 16 * 1024 * 1024 });
    texts.set(file.slice(dir.length + 1), flat(stdout));
  }
}

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(ALL.map((c, i) => ({ ...c, i })))('LibreOffice prints $name', ({ i, snapshot, expect: e }) => {
  it.each(PAIRS)('%s as %s with its parties, totals and words', (kind, format) => {
    if (setupError) throw setupError;
    const text = texts.get(fileName(i, kind, format));
    expect(text, 'converted').toBeDefined();
    expect(text).toContain(e.exporter);
    expect(text).toContain(e.consignee);
    expect(text).toContain(e.portOfLoading);
    expect(text).toContain(e.portOfDischarge);
    for (const hs of e.hsCodes) expect(text).toContain(hs);
    expect(text).toContain('Authorised Signatory');
    expect(text).toContain('We declare that the goods are of Indian origin.');
    expect(text).toContain('Page 1 of');
    if (kind === 'proforma_invoice' || kind === 'commercial_invoice') {
      expect(text).toContain(e.total);
      expect(text).toContain(e.words);
      for (const l of snapshot.lines) expect(text).toContain(l.description);
    } else {
      expect(text).toContain(e.grossWeight);
      expect(text).not.toContain(e.total);
    }
    if (kind === 'packing_list') expect(text).toContain(e.netWeight);
    if (kind === 'shipping_instructions') expect(text).toContain(`FREIGHT ${e.freight}`);
    expect(text).not.toMatch(/undefined|NaN|#VALUE|#NAME|Err:\d/);
  });
});
