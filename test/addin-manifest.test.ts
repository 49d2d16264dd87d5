/**
 * manifest.xml against the built task pane (dist/public, built by test/support/global-setup.ts): every URL is on
 * one HTTPS origin and names a file the server serves, icons are real PNGs of the sizes the manifest declares,
 * and the ribbon button opens the same page as the manifest. The XML Schema check itself is
 * `npm run validate:manifest` (it needs ../shared, which a clone may not have).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync, crc32 } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ICON_SIZES, drawIcon } from '../scripts/make-icons.js';
import { PUBLIC_DIR, requireAddinBuild } from './support/addin.js';

const xml = readFileSync(join(process.cwd(), 'manifest.xml'), 'utf8');
const body = xml.replace(/<!--[\s\S]*?-->/g, '');

/** Attribute values of `<tag … attr="…">` (tag may carry a prefix such as bt:). */
function attrs(tag: string, attr: string): string[] {
  return [...body.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}
function one(tag: string, attr = 'DefaultValue'): string {
  const all = attrs(tag, attr);
  expect(all, `<${tag} ${attr}>`).toHaveLength(1);
  return all[0]!;
}
/** Resources: id → DefaultValue, per resource element (bt:Image, bt:Url, bt:String). */
function resources(tag: string): Map<string, string> {
  return new Map([...body.matchAll(new RegExp(`<${tag}\\s+id="([^"]+)"\\s+DefaultValue="([^"]*)"`, 'g'))].map((m) => [m[1]!, m[2]!]));
}

interface Png {
  width: number;
  height: number;
  /** Inflated scanlines (filter byte + pixels per row). */
  raw: Buffer;
}

/** A strict reader for the PNGs we serve: signature, chunk CRCs, IHDR first, IDAT data of the right length, IEND last. */
function readPng(bytes: Buffer): Png {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature').toBe(true);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let o = 8; o < bytes.length; ) {
    const len = bytes.readUInt32BE(o);
    const type = bytes.toString('ascii', o + 4, o + 8);
    const data = bytes.subarray(o + 8, o + 8 + len);
    expect(bytes.readUInt32BE(o + 8 + len), `${type} CRC`).toBe(crc32(bytes.subarray(o + 4, o + 8 + len)) >>> 0);
    chunks.push({ type, data });
    o += 12 + len;
  }
  expect(chunks[0]?.type).toBe('IHDR');
  expect(chunks.at(-1)?.type).toBe('IEND');
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [depth, colour, , , interlace] = [ihdr[8]!, ihdr[9]!, ihdr[10]!, ihdr[11]!, ihdr[12]!];
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colour as 0 | 2 | 3 | 4 | 6];
  expect(channels, `colour type ${colour}`).toBeDefined();
  expect(interlace).toBe(0);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(raw.length).toBe(height * (1 + Math.ceil((width * channels! * depth) / 8)));
  return { width, height, raw };
}

const servedFile = (url: string) => join(PUBLIC_DIR, ...new URL(url).pathname.split('/').filter(Boolean));

describe('manifest.xml and the built task pane', () => {
  beforeAll(() => {
    requireAddinBuild();
  });

  const source = one('SourceLocation');
  const origin = new URL(source).origin;

  it('points every URL at one HTTPS origin, and each at a file the server serves under /addin/', () => {
    expect(origin).toBe('https://localhost:8787');
    expect(new URL(source).pathname).toBe('/addin/taskpane.html');
    const urls = [...body.matchAll(/DefaultValue="(https?:\/\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(8);
    for (const u of urls) {
      expect(new URL(u).origin, u).toBe(origin);
      expect(new URL(u).pathname, u).toMatch(/^\/addin\//);
      expect(existsSync(servedFile(u)), `${u} → ${servedFile(u)}`).toBe(true);
    }
    // Any other absolute URL in the markup is an XML namespace, never something Office fetches.
    const others = [...body.matchAll(/"(https?:\/\/[^"]+)"/g)].map((m) => m[1]!).filter((u) => !urls.includes(u));
    for (const u of others) expect(u, u).toMatch(/^http:\/\/(schemas\.microsoft\.com\/office\/|www\.w3\.org\/2001\/XMLSchema-instance)/);
    expect(body).not.toMatch(/<AppDomain>/); // the pane needs no other domain
  });

  it('declares icons that are valid PNGs of the declared sizes, drawn by scripts/make-icons.ts', () => {
    const declared: [string, number][] = [
      [one('IconUrl'), 32],
      [one('HighResolutionIconUrl'), 64],
    ];
    const images = resources('bt:Image');
    for (const [size, resid] of [...body.matchAll(/<bt:Image\s+size="(\d+)"\s+resid="([^"]+)"/g)].map((m) => [Number(m[1]), m[2]!] as const)) {
      expect(images.has(resid), resid).toBe(true);
      declared.push([images.get(resid)!, size]);
    }
    expect(new Set(declared.map(([, s]) => s))).toEqual(new Set([16, 32, 64, 80]));
    for (const [url, size] of declared) {
      const png = readPng(readFileSync(servedFile(url)));
      expect([png.width, png.height], url).toEqual([size, size]);
    }
    // The committed PNGs are what the script draws (compared as pixels: deflate output may differ between zlib versions).
    for (const size of ICON_SIZES) {
      const png = readPng(readFileSync(join(process.cwd(), 'addin', 'public', 'assets', `icon-${size}.png`)));
      const rgba = drawIcon(size);
      const rows = Array.from({ length: size }, (_, y) => Buffer.concat([Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4)]));
      expect(png.raw.equals(Buffer.concat(rows)), `icon-${size}.png`).toBe(true);
    }
  });

  it('adds a Home tab button that opens the same page, for workbooks with ExcelApi 1.7', () => {
    expect(attrs('Host', 'Name')).toEqual(['Workbook']);
    expect(body).toMatch(/<Set Name="ExcelApi" MinVersion="1\.7"\s*\/>/);
    expect(body).toMatch(/<VersionOverrides xmlns="http:\/\/schemas\.microsoft\.com\/office\/taskpaneappversionoverrides" xsi:type="VersionOverridesV1_0">/);
    expect(body).toMatch(/<Host xsi:type="Workbook">\s*<DesktopFormFactor>/);
    expect(body).toMatch(/<ExtensionPoint xsi:type="PrimaryCommandSurface">\s*<OfficeTab id="TabHome">/);
    const action = /<Action xsi:type="ShowTaskpane">[\s\S]*?<SourceLocation resid="([^"]+)"/.exec(body)?.[1];
    expect(resources('bt:Url').get(action!)).toBe(source);
    // every resid resolves to a resource, and the strings fit Office's limits (short 125, long 250 characters)
    const ids = new Set([...body.matchAll(/<bt:(?:Image|Url|String)\s+id="([^"]+)"/g)].map((m) => m[1]!));
    for (const resid of attrs('[A-Za-z:]+', 'resid')) expect(ids.has(resid), resid).toBe(true);
    const short = /<bt:ShortStrings>([\s\S]*?)<\/bt:ShortStrings>/.exec(body)![1]!;
    const long = /<bt:LongStrings>([\s\S]*?)<\/bt:LongStrings>/.exec(body)![1]!;
    for (const [, v] of short.matchAll(/DefaultValue="([^"]*)"/g)) expect(v!.length).toBeLessThanOrEqual(125);
    for (const [, v] of long.matchAll(/DefaultValue="([^"]*)"/g)) expect(v!.length).toBeLessThanOrEqual(250);
  });

  it('builds the page the manifest opens with the office.js runtime beside it', () => {
    const html = readFileSync(servedFile(source), 'utf8');
    expect(html).toContain('<script src="./office/office.js"></script>');
    for (const f of ['office.js', 'excel-web-16.00.js', 'excel-win32-16.01.js', 'excel-mac-16.00.js', 'o15apptofilemappingtable.js', 'en-us/office_strings.js', 'telemetry/oteljs_agave.js', 'ariatelemetry/aria-web-telemetry.js']) {
      expect(existsSync(join(PUBLIC_DIR, 'addin', 'office', f)), f).toBe(true);
    }
    expect(existsSync(join(PUBLIC_DIR, 'addin', 'office', 'word-web-16.00.js'))).toBe(false); // Excel only
    expect(existsSync(join(PUBLIC_DIR, 'addin', 'office', 'excel-web-16.00.debug.js'))).toBe(false);
    const headers = readFileSync(join(PUBLIC_DIR, '_headers'), 'utf8');
    expect(headers).toMatch(/^\/addin\/taskpane\.html\n {2}Cache-Control: no-cache$/m);
  });
});
