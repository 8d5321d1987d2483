// Wall-clock times in an IANA time zone <-> UTC instants, with luxon. Pure, no I/O.
// Every time people type (a change window, an on-call override) means that wall time in TZ_NAME.
import { DateTime } from 'luxon';

/** A local date and time as people type it, without a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const DATE_FORMAT = 'yyyy-MM-dd';
/** `H` takes one or two digits, so `7:05` and `07:05` both read. */
const FORMATS = [`${DATE_FORMAT} H:mm`, DATE_FORMAT];
const WALL_FIELDS = ['year', 'month', 'day', 'hour', 'minute'] as const;
const MIN_YEAR = 1970;

function wallOf(time: DateTime): WallTime {
  return { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute };
}

/** Reads `YYYY-MM-DD HH:mm` (or `YYYY-MM-DD`, meaning 00:00); undefined when it is not a real date and time. */
export function parseWallTime(text: string): WallTime | undefined {
  // A `T` or several spaces may separate the date and the time, as in ISO 8601.
  const normal = text.trim().replace(/[ T]+/, ' ');
  const parsed = FORMATS.map((format) => DateTime.fromFormat(normal, format, { zone: 'utc' })).find((time) => time.isValid);
  // luxon reads `24:00` as midnight of the next day: refused, like any other hour past 23.
  if (!parsed || parsed.toFormat(DATE_FORMAT) !== normal.slice(0, DATE_FORMAT.length) || parsed.year < MIN_YEAR) return undefined;
  return wallOf(parsed);
}

/** The wall-clock time an instant shows in a zone. */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  return wallOf(DateTime.fromJSDate(instant, { zone: timeZone }));
}

/** The zone's offset from UTC at an instant, in minutes (Europe/Berlin: 60 in winter, 120 in summer). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return DateTime.fromJSDate(instant, { zone: timeZone }).offset;
}

/**
 * The instant a wall-clock time names in a zone. Around a DST change: a time that occurs twice
 * (clocks go back) gives the earlier instant, and a time that never occurs (clocks jump forward)
 * gives undefined.
 */
export function zonedToUtc(wall: WallTime, timeZone: string): Date | undefined {
  const time = DateTime.fromObject(wall, { zone: timeZone });
  // luxon moves a skipped time forward by the gap; such a time was never shown on a clock there.
  if (!time.isValid || WALL_FIELDS.some((field) => time[field] !== wall[field])) return undefined;
  // Which of a repeated time's two instants luxon picks depends on today's offset: take the first.
  const instants = time.getPossibleOffsets().map((candidate) => candidate.toMillis());
  return new Date(Math.min(...instants));
}

/** Midnight at the start of a date in a zone (or the first minute that exists, where midnight is skipped). */
export function startOfDay(date: Pick<WallTime, 'year' | 'month' | 'day'>, timeZone: string): Date {
  // Where midnight is skipped, luxon moves it forward to the first minute of the day that exists.
  return zonedToUtc({ ...date, hour: 0, minute: 0 }, timeZone) ?? DateTime.fromObject(date, { zone: timeZone }).toJSDate();
}

/** The date after `date`, as a calendar date. */
export function nextDay(date: Pick<WallTime, 'year' | 'month' | 'day'>): Pick<WallTime, 'year' | 'month' | 'day'> {
  const next = DateTime.utc(date.year, date.month, date.day).plus({ days: 1 });
  return { year: next.year, month: next.month, day: next.day };
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function dateKey(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toFormat(DATE_FORMAT);
}
