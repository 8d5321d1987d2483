// Timestamps as alert senders write them: RFC 3339 with up to nine fractional digits (Go's
// time.Time) and any offset; Go's zero time `0001-01-01T00:00:00Z` means "not set"
// (PLATFORM-FACTS.md, Alertmanager details).
import { DateTime } from 'luxon';
import { z } from 'zod';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp to a Date (UTC, millisecond precision: extra digits are cut, not
 * rounded). Returns null for Go's zero time and any year before 1970, which senders use for "unset";
 * undefined when the text is not a timestamp at all, names a day that does not exist (Date.parse would
 * shift `2026-02-30` to March 2; luxon refuses it), or lies after year 9999 in UTC (the database
 * stores 24-character ISO texts).
 */
export function parseTimestamp(text: string): Date | null | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  if (Number(m[1]) < 1970) return null;
  const fraction = (m[7] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[8] === 'z' ? 'Z' : m[8];
  const parsed = DateTime.fromISO(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}${zone}`, { zone: 'utc' });
  if (!parsed.isValid || parsed.year > 9999) return undefined;
  return parsed.toJSDate();
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
