/**
 * Text formatting for documents, on decimal strings only: grouping and padding are done on the digits, so an
 * amount is printed exactly as the snapshot holds it (never through a float).
 */
import type { Address } from '../../../../shared/contracts/common.js';
import { countryName } from '../../../../shared/domain/countries.js';
import { currencyExponent } from '../../../../shared/domain/currency.js';

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Characters that XML 1.0 does not allow (C0 controls other than tab, LF and CR, lone surrogates, U+FFFE/U+FFFF).
 * Word and Excel refuse a file that has them, so user text is cleaned before it is written.
 */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** User text made safe to write into OOXML: invalid characters dropped, line ends normalised to \n. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(XML_INVALID, '');
}

/** "12050000" → "12,050,000" (international) or "1,20,50,000" (Indian). */
export function groupDigits(int: string, indian = false): string {
  if (int.length <= 3) return int;
  if (!indian) return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const last3 = int.slice(-3);
  const rest = int.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${rest},${last3}`;
}

/**
 * A decimal string with grouped digits and at least `minFraction` decimals (padded with zeros, never rounded):
 * ("54390", 2) → "54,390.00"; ("2.855", 2) → "2.855".
 */
export function formatDecimal(value: string, minFraction = 0, indian = false): string {
  const m = DECIMAL.exec(value);
  if (!m) throw new RangeError(`Not a plain decimal: ${value}`);
  const int = m[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').padEnd(minFraction, '0');
  return fraction ? `${groupDigits(int, indian)}.${fraction}` : groupDigits(int, indian);
}

/** Number of digits after the point in a decimal string. */
export function fractionDigits(value: string): number {
  const i = value.indexOf('.');
  return i < 0 ? 0 : value.length - i - 1;
}

/** Indian digit grouping is used for rupee amounts. */
export const usesIndianGrouping = (currency: string) => currency === 'INR';

/** An amount with exactly the currency's decimals: ("54390.00", EUR) → "54,390.00"; INR in lakh grouping. */
export function formatAmount(amount: string, currency: string): string {
  return formatDecimal(amount, currencyExponent(currency), usesIndianGrouping(currency));
}

/** A unit price as written, with at least the currency's decimals: ("5.4", EUR) → "5.40"; ("2.855", USD) → "2.855". */
export function formatUnitPrice(price: string, currency: string): string {
  return formatDecimal(price, currencyExponent(currency), usesIndianGrouping(currency));
}

/** A quantity as written, grouped: "12000" → "12,000"; "12.5" → "12.5". */
export function formatQuantity(quantity: string): string {
  return formatDecimal(quantity, 0);
}

/** Kilograms with three decimals (weights are held to the gram): "1440" → "1,440.000". */
export function formatWeight(kg: string): string {
  return formatDecimal(kg, 3);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-20" (or a timestamp starting so) → "20 Nov 2026": unambiguous in every country. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new RangeError(`Not an ISO date: ${iso}`);
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) throw new RangeError(`Not an ISO date: ${iso}`);
  return `${Number(m[3])} ${month} ${m[1]}`;
}

/** English name of a country code, or the code itself. */
export function country(code: string): string {
  return countryName(code) ?? code;
}

/** Address lines for a document: street lines, "City Postcode", region, country name. */
export function addressLines(address: Address, countryNameOverride?: string): string[] {
  const cityLine = [address.city, address.postcode].filter(Boolean).join(' ');
  return [...address.lines, address.region ? `${cityLine}, ${address.region}` : cityLine, countryNameOverride ?? country(address.country)];
}

const PACKAGE_NAMES: Readonly<Record<string, [singular: string, plural: string]>> = {
  CTN: ['Carton', 'Cartons'],
  BOX: ['Box', 'Boxes'],
  BAL: ['Bale', 'Bales'],
  BAG: ['Bag', 'Bags'],
  PLT: ['Pallet', 'Pallets'],
  PKG: ['Package', 'Packages'],
  ROL: ['Roll', 'Rolls'],
  CRT: ['Crate', 'Crates'],
  CS: ['Case', 'Cases'],
  DRM: ['Drum', 'Drums'],
  BDL: ['Bundle', 'Bundles'],
};

/** "160 CTN" for tables. */
export function packagesShort(count: number, type: string): string {
  return `${groupDigits(String(count))} ${type}`;
}

/** "160 Cartons" for texts; unknown codes stay as they are. */
export function packagesLong(count: number, type: string): string {
  const names = PACKAGE_NAMES[type];
  return `${groupDigits(String(count))} ${names ? names[count === 1 ? 0 : 1] : type}`;
}

/** Human word for a package kind ("Cartons"), or the code. */
export function packageKindName(type: string, count: number): string {
  const names = PACKAGE_NAMES[type];
  return names ? names[count === 1 ? 0 : 1] : type;
}

const MODES: Readonly<Record<string, string>> = {
  sea: 'Sea',
  air: 'Air',
  road: 'Road',
  rail: 'Rail',
  inland_waterway: 'Inland waterway',
  multimodal: 'Multimodal',
};

export function transportModeName(mode: string): string {
  return MODES[mode] ?? mode;
}
