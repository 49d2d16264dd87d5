/**
 * Harmonized System (HS 2022) lookups backed by bundled, generated data
 * (`./data/hs-codes.json`, see `./data/README.md`). No file-system access, so
 * this works unchanged on Node and on Cloudflare Workers.
 */
import data from './data/hs-codes.json' with { type: 'json' };

interface HsData {
  chapters: Record<string, string>;
  headings: Record<string, string>;
  subheadings: Record<string, string>;
}

const hs = data as unknown as HsData;
const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** An HS 2022 chapter (2 digits). */
export interface HsChapter {
  code: string;
  description: string;
}

/** An HS 2022 heading (4 digits) with its chapter. */
export interface HsHeading extends HsChapter {
  chapter: string;
  chapterDescription: string;
}

/** An HS 2022 subheading (6 digits) with its heading and chapter. */
export interface HsSubheading {
  code: string;
  description: string;
  heading: string;
  headingDescription: string;
  chapter: string;
  chapterDescription: string;
}

/**
 * Removes the separators people type into HS codes (dots, whitespace, hyphens),
 * e.g. "6109.10.00" → "61091000". Other characters are kept, so a result that
 * is not all digits is simply not a valid code.
 */
export function normaliseHsCode(input: string): string {
  return input.replace(/[.\s-]+/g, '');
}

/**
 * Chapter of an HS or national tariff code (2–10 digits; only the first two
 * are used), or `undefined` if the chapter does not exist in HS 2022.
 */
export function hsChapter(code: string): HsChapter | undefined {
  const digits = normaliseHsCode(code);
  if (!/^\d{2,10}$/.test(digits)) return undefined;
  const chapter = digits.slice(0, 2);
  const description = own(hs.chapters, chapter);
  return description === undefined ? undefined : { code: chapter, description };
}

/**
 * Heading of an HS or national tariff code (4–10 digits; only the first four
 * are used), or `undefined` if the heading does not exist in HS 2022.
 */
export function hsHeading(code: string): HsHeading | undefined {
  const digits = normaliseHsCode(code);
  if (!/^\d{4,10}$/.test(digits)) return undefined;
  const heading = digits.slice(0, 4);
  const description = own(hs.headings, heading);
  const chapter = hsChapter(heading);
  if (description === undefined || chapter === undefined) return undefined;
  return { code: heading, description, chapter: chapter.code, chapterDescription: chapter.description };
}

/**
 * HS 2022 subheading for a 6-digit HS code or a 6–10 digit national code
 * (e.g. an Indian ITC-HS 8-digit code): looks up the first six digits.
 * Returns `undefined` for malformed codes and for codes whose first six digits
 * are not a real subheading (including 999999 "not specified").
 */
export function hsSubheading(code: string): HsSubheading | undefined {
  const digits = normaliseHsCode(code);
  if (!/^\d{6,10}$/.test(digits)) return undefined;
  const sub = digits.slice(0, 6);
  const description = own(hs.subheadings, sub);
  const heading = hsHeading(sub);
  if (description === undefined || heading === undefined) return undefined;
  return {
    code: sub,
    description,
    heading: heading.code,
    headingDescription: heading.description,
    chapter: heading.chapter,
    chapterDescription: heading.chapterDescription,
  };
}

/**
 * True for a 6-, 8- or 10-digit code (after `normaliseHsCode`) whose first six
 * digits are a real HS 2022 subheading. The national digits beyond six are not
 * checked against any national tariff.
 */
export function isValidHsCode(code: string): boolean {
  const digits = normaliseHsCode(code);
  return /^(\d{6}|\d{8}|\d{10})$/.test(digits) && hsSubheading(digits) !== undefined;
}
