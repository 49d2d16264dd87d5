/**
 * Size of the Workers bundle: raw and gzipped bytes of every `*.js` in dist/worker (or the folder given as
 * the first argument), and their total. Exits 1 when the gzipped total is over the 2 MiB budget, or when
 * there is no bundle. Build first: `npm run build:worker`, then `npx tsx scripts/bundle-size.ts`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Our budget: 2 MiB gzipped, well inside the 3 MiB limit of the Workers free plan (10 MiB paid). */
const GZIP_BUDGET_BYTES = 2 * 1024 * 1024;

const dir = resolve(process.argv[2] ?? 'dist/worker');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : [];
if (files.length === 0) {
  console.error(`No *.js bundle in ${dir}. Build it first: npm run build:worker`);
  process.exit(1);
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
let raw = 0;
let gzip = 0;
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  console.log(`${relative(process.cwd(), join(dir, file))}: ${bytes.length} bytes (${kib(bytes.length)}), gzip ${zipped} bytes (${kib(zipped)})`);
}
if (files.length > 1) console.log(`total: ${raw} bytes (${kib(raw)}), gzip ${gzip} bytes (${kib(gzip)})`);

if (gzip > GZIP_BUDGET_BYTES) {
  console.error(`Gzipped bundle ${kib(gzip)} is over the ${kib(GZIP_BUDGET_BYTES)} budget.`);
  process.exit(1);
}
console.log(`OK: gzipped ${kib(gzip)} of the ${kib(GZIP_BUDGET_BYTES)} budget (${((gzip / GZIP_BUDGET_BYTES) * 100).toFixed(0)}%).`);
