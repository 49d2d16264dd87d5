import countries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(en);

/** True when `code` is an assigned ISO 3166-1 alpha-2 country code (upper case). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && countries.isValid(code);
}

/** English short name of an ISO 3166-1 alpha-2 country ("DE" → "Germany"). */
export function countryName(code: string): string | undefined {
  return countries.getName(code, 'en') ?? undefined;
}

/**
 * Resolve a country written as alpha-2, alpha-3 or an English name ("Germany", "DEU", "de") to alpha-2.
 * Used by imports; the API itself takes alpha-2 only.
 */
export function resolveCountry(input: string): string | undefined {
  const s = input.trim();
  if (/^[A-Za-z]{2}$/.test(s) && countries.isValid(s.toUpperCase())) return s.toUpperCase();
  if (/^[A-Za-z]{3}$/.test(s)) {
    const a2 = countries.alpha3ToAlpha2(s.toUpperCase());
    if (a2) return a2;
  }
  return countries.getAlpha2Code(s, 'en') ?? undefined;
}
