/**
 * UN/LOCODE seaport lookups backed by bundled, generated data
 * (`./data/seaports.json`, see `./data/README.md`). No file-system access, so
 * this works unchanged on Node and on Cloudflare Workers.
 *
 * "Seaport" means a UN/LOCODE entry whose function starts with `1` ("port, as
 * defined in Rec 16"), which in these editions also covers river ports.
 */
import data from './data/seaports.json' with { type: 'json' };

type SeaportRow = [name: string, country: string, subdivision: string, alternateNames?: string[]];

const ports = data as unknown as Record<string, SeaportRow>;
const LOCODE = /^[A-Z]{2}[A-Z0-9]{3}$/;

/** A UN/LOCODE location with the port function. */
export interface Seaport {
  /** Five characters: ISO 3166 alpha-2 country + 3-character location. */
  locode: string;
  /** Name without diacritics (ASCII), as in UN/LOCODE. */
  name: string;
  /** ISO 3166 alpha-2 (`XZ` = international waters). */
  country: string;
  /** ISO 3166-2 subdivision suffix, when UN/LOCODE gives one. */
  subdivision?: string;
  /** Alternative-language names listed under the same code, if any. */
  alternateNames?: string[];
}

/** Uppercases and removes whitespace, e.g. "in nsa" → "INNSA". */
export function normaliseLocode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The seaport for a UN/LOCODE (normalised first), or `undefined` if it is not a known port. */
export function seaport(locode: string): Seaport | undefined {
  const code = normaliseLocode(locode);
  if (!LOCODE.test(code) || !Object.prototype.hasOwnProperty.call(ports, code)) return undefined;
  const [name, country, subdivision, alternateNames] = ports[code]!;
  const result: Seaport = { locode: code, name, country };
  if (subdivision) result.subdivision = subdivision;
  if (alternateNames?.length) result.alternateNames = [...alternateNames];
  return result;
}

/** True if the UN/LOCODE (normalised first) is a known port (function 1). */
export function isSeaport(locode: string): boolean {
  const code = normaliseLocode(locode);
  return LOCODE.test(code) && Object.prototype.hasOwnProperty.call(ports, code);
}
