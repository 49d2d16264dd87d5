/**
 * Draw the add-in's icons — a white "export" arrow on an Excel-green rounded square — as PNGs in
 * addin/public/assets/icon-<size>.png (16, 32, 64, 80, 128: ribbon 16/32/80, IconUrl 32, HighResolutionIconUrl
 * 64, 128 for catalogs). The PNGs are committed; run `npx tsx scripts/make-icons.ts` after changing the drawing.
 * No image library: shapes are drawn with 8×8 supersampling per pixel and written as RGBA PNG with node:zlib.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const ICON_SIZES = [16, 32, 64, 80, 128] as const;

const GREEN: RGB = [0x10, 0x7c, 0x41]; // Excel's brand green
const WHITE: RGB = [0xff, 0xff, 0xff];
type RGB = [number, number, number];

/** Is the point (x, y) in the unit square inside the rounded background? */
function inBackground(x: number, y: number): boolean {
  const m = 0.02;
  const r = 0.2;
  if (x < m || y < m || x > 1 - m || y > 1 - m) return false;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Is the point inside the arrow (a shaft and a triangular head pointing right)? */
function inArrow(x: number, y: number): boolean {
  const shaft = x >= 0.18 && x <= 0.56 && y >= 0.41 && y <= 0.59;
  // head: from (0.5, 0.2) and (0.5, 0.8) to the tip (0.84, 0.5)
  const head = x >= 0.5 && x <= 0.84 && Math.abs(y - 0.5) <= 0.3 * (1 - (x - 0.5) / 0.34);
  return shaft || head;
}

/** RGBA pixels of one icon. */
export function drawIcon(size: number): Buffer {
  const ss = 8;
  const px = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let pxX = 0; pxX < size; pxX++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (pxX + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          if (!inBackground(x, y)) continue;
          bg++;
          if (inArrow(x, y)) fg++;
        }
      }
      const o = (py * size + pxX) * 4;
      if (bg === 0) continue;
      const t = fg / bg; // share of white within the covered part
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(GREEN[c]! * (1 - t) + WHITE[c]! * t);
      px[o + 3] = Math.round((255 * bg) / (ss * ss));
    }
  }
  return px;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Encode RGBA pixels as a PNG (8-bit RGBA, no filtering). */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'addin', 'public', 'assets');
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) {
    const file = join(dir, `icon-${size}.png`);
    writeFileSync(file, encodePng(size, size, drawIcon(size)));
    console.log(`wrote ${file}`);
  }
}
