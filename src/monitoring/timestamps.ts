// Timestamps as alert senders write them: RFC 3339 with up to nine fractional digits (Go's
// time.Time) and any offset; Go's zero time `0001-01-01T00:00:00Z` means "not set"
// (PLATFORM-FACTS.md, Alertmanager details).
import { z } from 'zod';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp to a Date (UTC, millisecond precision: extra digits are cut, not
 * rounded). Returns null for Go's zero time and any year before 1970, which senders use for "unset";
 * undefined when the text is not a timestamp at all, names a day or time that does not exist
 * (Date.parse would shift `2026-02-30` to March 2), has an offset beyond ±23:59, or lies after year 9999
 * in UTC (the database stores 24-character ISO texts). Plain arithmetic, no date library: every alert
 * of every webhook body passes here twice (bench/results.md, profile).
 */
export function parseTimestamp(text: string): Date | null | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (year < 1970) return null;
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8] ?? 'Z';
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
  return date.getUTCFullYear() > 9999 ? undefined : date;
}

/** A zod field for an optional sender timestamp: absent, empty or zero time become null. */
export const timestampField = z
  .string()
  .max(64)
  .nullish()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value.trim() === '') return null;
    const parsed = parseTimestamp(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a valid RFC 3339 timestamp (years 1970 to 9999, a real calendar day): ${value.slice(0, 40)}` });
      return z.NEVER;
    }
    return parsed;
  });
