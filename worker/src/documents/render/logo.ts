/**
 * The exporter's logo: a `data:` URL of a PNG or JPEG, decoded with `atob` (no Buffer, so it runs in workerd
 * without nodejs_compat), with its pixel size read from the image header so it keeps its proportions.
 */
export interface Logo {
  type: 'png' | 'jpg';
  data: Uint8Array;
  /** Size to draw, in pixels at 96 per inch, fitted into MAX_WIDTH × MAX_HEIGHT. */
  width: number;
  height: number;
}

const MAX_WIDTH = 180;
const MAX_HEIGHT = 60;
/** Logos over this size are not embedded (a letterhead logo is a few KiB). */
const MAX_BYTES = 1024 * 1024;

const DATA_URL = /^data:image\/(png|jpeg|jpg);base64,([A-Za-z0-9+/=\s]+)$/i;

function pngSize(b: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || !sig.every((v, i) => b[i] === v)) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegSize(b: Uint8Array): { width: number; height: number } | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const length = view.getUint16(i + 2);
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

/** The logo to embed, or null when there is none or it is not a readable PNG/JPEG data URL. */
export function decodeLogo(dataUrl: string | null): Logo | null {
  if (!dataUrl) return null;
  const m = DATA_URL.exec(dataUrl.trim());
  if (!m) return null;
  let binary: string;
  try {
    binary = atob(m[2]!.replace(/\s+/g, ''));
  } catch {
    return null;
  }
  if (binary.length > MAX_BYTES) return null;
  const data = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
  const declared = m[1]!.toLowerCase() === 'png' ? 'png' : 'jpg';
  const size = pngSize(data) ?? jpegSize(data);
  const type = pngSize(data) ? 'png' : jpegSize(data) ? 'jpg' : null;
  if (!size || !type || type !== declared || size.width === 0 || size.height === 0) return null;
  const scale = Math.min(MAX_WIDTH / size.width, MAX_HEIGHT / size.height, 1);
  return { type, data, width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}
