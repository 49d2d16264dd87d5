/**
 * Developer tool: regenerates the compact reference data under
 * `shared/reference/data/` from the read-only source CSVs in `../shared`.
 *
 *   npx tsx scripts/build-reference-data.ts [path-to-shared]
 *
 * `path-to-shared` defaults to `../shared` (resolved against the project root,
 * i.e. the directory holding `scripts/`). It must contain
 * `data/harmonized-system/data/harmonized-system.csv` and
 * `data/un-locode/ports.csv`.
 *
 * Never run by tests or at run time: the product imports only the generated
 * JSON files, so it has no dependency on `../shared`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedRoot = process.argv[2] ? resolve(process.argv[2]) : resolve(projectRoot, '..', 'shared');
const hsCsv = join(sharedRoot, 'data', 'harmonized-system', 'data', 'harmonized-system.csv');
const portsCsv = join(sharedRoot, 'data', 'un-locode', 'ports.csv');
const outDir = join(projectRoot, 'shared', 'reference', 'data');

/**
 * RFC 4180 CSV parser: comma-separated fields, optional double-quoted fields
 * that may contain commas, newlines and doubled quotes (`""`). Accepts LF or
 * CRLF line endings and a leading UTF-8 BOM. Every field is returned as text.
 */
function parseCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`CSV: unexpected quote inside unquoted field at offset ${i}`);
      inQuotes = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (inQuotes) throw new Error('CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Parses a CSV file with a header row into records keyed by column name. */
function readCsv(path: string, expectedHeader: string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  if (!header || header.join(',') !== expectedHeader.join(',')) {
    throw new Error(`${path}: unexpected header ${JSON.stringify(header)}`);
  }
  return rows.map((cells, index) => {
    if (cells.length !== header.length) {
      throw new Error(`${path}: row ${index + 2} has ${cells.length} fields, expected ${header.length}`);
    }
    return Object.fromEntries(header.map((name, k) => [name, cells[k]!]));
  });
}

/** Serialises a string-keyed map compactly with keys in sorted order (stable diffs). */
function compactObject(entries: [string, unknown][]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
}

function fail(message: string): never {
  throw new Error(message);
}

// --- Harmonized System (HS 2022) -------------------------------------------

const NOT_SPECIFIED = new Set(['99', '9999', '999999']);
const chapters = new Map<string, string>();
const headings = new Map<string, string>();
const subheadings = new Map<string, string>();
const parents = new Map<string, string>();

for (const r of readCsv(hsCsv, ['section', 'hscode', 'description', 'parent', 'level'])) {
  const code = r.hscode!;
  if (code === 'TOTAL' || r.section === 'TOTAL' || NOT_SPECIFIED.has(code)) continue;
  const description = r.description!.trim();
  if (!description) fail(`HS ${code}: empty description`);
  const level = Number(r.level);
  if (!/^\d+$/.test(code) || code.length !== level) fail(`HS ${code}: code does not match level ${r.level}`);
  const target = level === 2 ? chapters : level === 4 ? headings : level === 6 ? subheadings : fail(`HS ${code}: level ${r.level}`);
  if (target.has(code)) fail(`HS ${code}: duplicate`);
  target.set(code, description);
  parents.set(code, r.parent!);
}
for (const [code, parent] of parents) {
  const expected = code.length === 2 ? 'TOTAL' : code.slice(0, code.length - 2);
  if (parent !== expected) fail(`HS ${code}: parent ${parent}, expected ${expected}`);
  if (code.length === 4 && !chapters.has(parent)) fail(`HS ${code}: missing chapter ${parent}`);
  if (code.length === 6 && !headings.has(parent)) fail(`HS ${code}: missing heading ${parent}`);
}

const hsJson =
  `{"chapters":${compactObject([...chapters])},` +
  `"headings":${compactObject([...headings])},` +
  `"subheadings":${compactObject([...subheadings])}}\n`;

// --- UN/LOCODE seaports ------------------------------------------------------

type PortRow = [name: string, country: string, subdivision: string, alternateNames?: string[]];
const ports = new Map<string, PortRow>();
let portRows = 0;
let duplicates = 0;

for (const r of readCsv(portsCsv, ['country', 'location', 'locode', 'name', 'subdivision', 'function', 'status', 'coordinates'])) {
  if (!r.function!.startsWith('1')) continue;
  portRows++;
  const locode = r.locode!;
  if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(locode) || locode !== r.country! + r.location!) fail(`LOCODE ${locode}: malformed`);
  const name = r.name!.trim();
  if (!name) fail(`LOCODE ${locode}: empty name`);
  const existing = ports.get(locode);
  if (existing) {
    // Same place listed again under an alternative-language name: keep the first.
    duplicates++;
    if (existing[0] !== name && !existing[3]?.includes(name)) (existing[3] ??= []).push(name);
    continue;
  }
  ports.set(locode, [name, r.country!, r.subdivision!.trim()]);
}

const portsJson = `${compactObject([...ports])}\n`;

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'hs-codes.json'), hsJson);
writeFileSync(join(outDir, 'seaports.json'), portsJson);

console.log(`source: ${sharedRoot}`);
console.log(`hs-codes.json: ${chapters.size} chapters, ${headings.size} headings, ${subheadings.size} subheadings (${hsJson.length} bytes)`);
console.log(`seaports.json: ${ports.size} seaports from ${portRows} rows, ${duplicates} duplicate rows folded (${portsJson.length} bytes)`);
