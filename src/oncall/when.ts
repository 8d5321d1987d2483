// Times as managers type them in `/oncall override @user FROM TO`, read in the configured time zone.
import { DateTime } from 'luxon';
import { parseDuration } from '../sla/durations.js';

/**
 * `now`, `2026-11-24` (local midnight), `2026-11-24T09:00` or `2026-11-24 09:00`, `18:00` (today),
 * or `+8h` / `+2d` after `base`. Undefined when the text is none of these.
 */
export function parseWhen(text: string, base: Date, zone: string): Date | undefined {
  const trimmed = text.trim();
  if (/^now$/i.test(trimmed)) return base;
  if (trimmed.startsWith('+')) {
    const ms = parseDuration(trimmed.slice(1));
    return ms === undefined || ms === 0 ? undefined : new Date(base.getTime() + ms);
  }
  const time = /^(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (time?.[1] && time[2]) {
    const day = DateTime.fromMillis(base.getTime(), { zone });
    const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Number(time[1]), minute: Number(time[2]) }, { zone });
    return at.isValid && Number(time[1]) < 24 && Number(time[2]) < 60 ? at.toJSDate() : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2})?$/.test(trimmed)) return undefined;
  const parsed = DateTime.fromISO(trimmed.replace(' ', 'T'), { zone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}
