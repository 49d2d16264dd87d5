/**
 * Zip helpers for the renderers: reading one entry back, and reproducible timestamps.
 *
 * Reproducible zip packages. docx (fflate) and exceljs (JSZip) stamp every zip entry with the current time, so two
 * renders of the same document differ in those bytes only. This rewrites the timestamps of every entry — the
 * MS-DOS date/time in each local header and central directory record, and any extended-timestamp (0x5455) extra
 * field — to one fixed moment. Only those bytes change: no entry is recompressed, CRCs and sizes stay valid.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const EXTENDED_TIMESTAMP = 0x5455;

export class ZipFormatError extends Error {}

/** MS-DOS date and time of midnight on an ISO date (DOS time has no time zone; we write the date as given). */
function dosDateTime(isoDate: string): { date: number; time: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) throw new RangeError(`Not an ISO date: ${isoDate}`);
  const year = Math.min(Math.max(Number(m[1]), 1980), 2107);
  return { date: ((year - 1980) << 9) | (Number(m[2]) << 5) | Number(m[3]), time: 0 };
}

function unixSeconds(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`) / 1000);
}

function patchExtraFields(view: DataView, start: number, length: number, seconds: number): void {
  let p = start;
  const end = start + length;
  while (p + 4 <= end) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === EXTENDED_TIMESTAMP && size >= 1) {
      // flags byte, then up to three 4-byte times (mtime, atime, ctime) as the flags say
      let q = p + 5;
      while (q + 4 <= p + 4 + size) {
        view.setUint32(q, seconds, true);
        q += 4;
      }
    }
    p += 4 + size;
  }
}

/** Offset of the end-of-central-directory record. */
function endOfCentralDirectory(view: DataView): number {
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  throw new ZipFormatError('Not a zip file: no end of central directory');
}

/**
 * The text (UTF-8) of one entry of a zip, inflated with the platform's DecompressionStream (Node 20 and workerd
 * both have 'deflate-raw'). Stored and deflated entries only, which is what docx (fflate) and exceljs (JSZip) write.
 */
export async function readZipText(zip: Uint8Array, name: string): Promise<string> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = endOfCentralDirectory(view);
  const entries = view.getUint16(eocd + 10, true);
  const wanted = new TextEncoder().encode(name);
  let p = view.getUint32(eocd + 16, true);
  for (let n = 0; n < entries; n++) {
    if (p + 46 > zip.length || view.getUint32(p, true) !== CENTRAL_HEADER) throw new ZipFormatError('Bad central directory');
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const entryName = zip.subarray(p + 46, p + 46 + nameLength);
    if (entryName.length === wanted.length && entryName.every((b, i) => b === wanted[i])) {
      const local = view.getUint32(p + 42, true);
      if (local + 30 > zip.length || view.getUint32(local, true) !== LOCAL_HEADER) throw new ZipFormatError('Bad local header');
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = zip.slice(start, start + compressedSize); // a copy: Blob wants an ArrayBuffer-backed view
      if (method === 0) return new TextDecoder().decode(data);
      if (method !== 8) throw new ZipFormatError(`${name}: unsupported compression method ${method}`);
      const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
      return new Response(stream).text();
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new ZipFormatError(`No ${name} in the zip`);
}

/** A copy of `zip` with every entry's timestamps set to 00:00 on `isoDate`. */
export function withFixedTimestamps(zip: Uint8Array, isoDate: string): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const { date, time } = dosDateTime(isoDate);
  const seconds = unixSeconds(isoDate);

  // End of central directory: the last 22+ bytes (a comment may follow it)
  const eocd = endOfCentralDirectory(view);
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);

  for (let n = 0; n < entries; n++) {
    if (p + 46 > out.length || view.getUint32(p, true) !== CENTRAL_HEADER) throw new ZipFormatError('Bad central directory');
    view.setUint16(p + 12, time, true);
    view.setUint16(p + 14, date, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    patchExtraFields(view, p + 46 + nameLength, extraLength, seconds);

    const local = view.getUint32(p + 42, true);
    if (local + 30 > out.length || view.getUint32(local, true) !== LOCAL_HEADER) throw new ZipFormatError('Bad local header');
    view.setUint16(local + 10, time, true);
    view.setUint16(local + 12, date, true);
    const localName = view.getUint16(local + 26, true);
    const localExtra = view.getUint16(local + 28, true);
    patchExtraFields(view, local + 30 + localName, localExtra, seconds);

    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}
