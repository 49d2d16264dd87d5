/**
 * Instants with the IANA time zone they were given in. Stored as UTC (`…Z`); shown as the forwarder wrote them
 * ("ETD 14 Dec 18:00 IST"). Intl only: works on Node and Cloudflare Workers.
 */

const zoneCache = new Map<string, boolean>();

/** True for an IANA time zone name the runtime knows ("Asia/Kolkata", "UTC"). */
export function isTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(tz);
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

/** Offset of `tz` at `instant` in minutes east of UTC (Asia/Kolkata: 330). */
export function offsetMinutes(instant: Date, tz: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** An instant as ISO 8601 local time with offset in `tz`: "2026-12-14T18:00:00+05:30". */
export function toZonedIso(iso: string, tz: string): string {
  const instant = new Date(iso);
  const off = offsetMinutes(instant, tz);
  const local = new Date(instant.getTime() + off * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const sign = off < 0 ? '-' : '+';
  return `${date}T${time}${off === 0 ? 'Z' : `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`}`;
}

const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU'];
const abbreviations = new Map<string, string>();

/** The zone's short name at `instant`: "IST", "CET", "EST", else "GMT+5:30". */
export function zoneAbbreviation(instant: Date, tz: string): string {
  const key = `${tz}|${offsetMinutes(instant, tz)}`;
  let abbr = abbreviations.get(key);
  if (abbr === undefined) {
    const names = ABBREVIATION_LOCALES.map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? '',
    );
    abbr = names.find((n) => n && !/^(GMT|UTC)[+-]/.test(n)) ?? names[0] ?? tz;
    abbreviations.set(key, abbr);
  }
  return abbr;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14 Dec 18:00 IST" — day, month, 24-hour time and zone, as read in `tz` (UTC when none). */
export function formatZoned(iso: string, tz: string | null | undefined): string {
  const zone = tz && isTimeZone(tz) ? tz : 'UTC';
  const instant = new Date(iso);
  const local = new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000);
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} ${zoneAbbreviation(instant, zone)}`;
}

/** `iso` moved by a number of hours, as a UTC ISO string. */
export const addHours = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();
