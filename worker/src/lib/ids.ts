const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = 0;
let lastRandom: number[] = [];

/**
 * A prefixed ULID ("ord_01JD…"): 48-bit millisecond time + 80 random bits, Crockford base32.
 * Monotonic within a millisecond, so ids sort in creation order and serve as pagination cursors.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let random: number[];
  if (now <= lastTime && lastRandom.length) {
    random = increment(lastRandom);
    now = lastTime;
  } else {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    random = Array.from(bytes.subarray(0, 16), (b) => b % 32);
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${prefix}_${time}${random.map((d) => ALPHABET[d]).join('')}`;
}

function increment(digits: number[]): number[] {
  const out = digits.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 31) {
      out[i]!++;
      return out;
    }
    out[i] = 0;
  }
  return out;
}

/** Random Crockford base32 secret, 5 bits a character (256 is a multiple of 32, so `% 32` is unbiased): API keys use 32 (160 bits). */
export function newSecret(chars = 32): string {
  const bytes = crypto.getRandomValues(new Uint8Array(chars));
  return Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
}

/** Compare two strings (hex digests) without an early exit, so timing does not tell how much of a secret matched. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Hex SHA-256 of a string's UTF-8 bytes (Web Crypto, works on Node and Workers). */
export function sha256Hex(text: string): Promise<string> {
  return sha256Bytes(new TextEncoder().encode(text));
}

/** Hex SHA-256 of bytes. */
export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
