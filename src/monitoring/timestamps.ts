// Timestamps as alert senders write them: RFC 3339 with up to nine fractional digits (Go's
// time.Time) and any offset; Go's zero time `0001-01-01T00:00:00Z` means "not set"
// (PLATFORM-FACTS.md, Alertmanager details).
import { z } from 'zod';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp to a Date (UTC, millisecond precision: extra digits are cut, not
 * rounded). Returns null for Go's zero time and any year before 1970, which senders use for "unset";
 * undefined when the text is not a timestamp at all.
 */
export function parseTimestamp(text: string): Date | null | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  if (Number(m[1]) < 1970) return null;
  const fraction = (m[7] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[8] === 'z' ? 'Z' : m[8];
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
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
      ctx.addIssue({ code: 'custom', message: `not an RFC 3339 timestamp: ${value.slice(0, 40)}` });
      return z.NEVER;
    }
    return parsed;
  });
