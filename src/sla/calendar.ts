// Working-time calendars for SLA clocks (policy 3.4). Pure, no I/O: a calendar is either around the
// clock (24x7) or business hours per weekday in a time zone, minus holidays. Local times are turned
// into instants with luxon, so windows keep their wall-clock times across daylight-saving changes.
import { DateTime } from 'luxon';

/** A working window within one local day, in minutes since midnight (end may be 1440, i.e. 24:00). */
export interface Window {
  start: number;
  end: number;
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export interface BusinessCalendar {
  kind: 'business';
  /** IANA time zone the windows and holidays are read in. */
  zone: string;
  /** Windows per ISO weekday: index 0 is unused, 1 is Monday ... 7 is Sunday; sorted, not overlapping. */
  week: readonly (readonly Window[])[];
  /** Local dates (`2026-12-25`) without working time. */
  holidays: ReadonlySet<string>;
}

export type Calendar = { kind: '24x7' } | BusinessCalendar;

export const ALWAYS: Calendar = { kind: '24x7' };

/** Looking further than this for working time means the calendar has none (e.g. all holidays). */
const MAX_DAYS_SEARCHED = 3660;

const MINUTES_PER_DAY = 1440;

// ---------------------------------------------------------------------------------------------------
// Parsing: `Mon-Fri 09:00-18:00`, `Mon-Thu 09:00-18:00, Fri 09:00-15:00`, holidays `2026-12-24..2026-12-26, 2027-01-01`

export interface WeekHours {
  week: Window[][];
  /** The canonical text, e.g. `Mon-Fri 09:00-18:00`. */
  text: string;
}

function parseClockTime(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return undefined;
  return hours * 60 + minutes;
}

export function formatClockTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function weekdayOf(text: string): number | undefined {
  const index = WEEKDAYS.findIndex((d) => d.toLowerCase() === text.toLowerCase().slice(0, 3) && text.length >= 3);
  return index === -1 ? undefined : index + 1;
}

/** `Mon-Fri` -> [1..5]; `Sat-Mon` wraps -> [6, 7, 1]; `Wed` -> [3]. */
function parseDays(text: string): number[] | undefined {
  const [fromText, toText, ...rest] = text.split('-');
  if (fromText === undefined || rest.length > 0) return undefined;
  const from = weekdayOf(fromText);
  const to = toText === undefined ? from : weekdayOf(toText);
  if (from === undefined || to === undefined) return undefined;
  const days: number[] = [];
  for (let day = from; ; day = (day % 7) + 1) {
    days.push(day);
    if (day === to) break;
  }
  return days;
}

/** Parses business hours; undefined when the text is not valid or names no working time at all. */
export function parseWeekHours(text: string): WeekHours | undefined {
  const week: Window[][] = Array.from({ length: 8 }, () => []);
  const groups = text
    .split(/[,;]/)
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
  if (groups.length === 0) return undefined;
  const canonical: string[] = [];
  for (const group of groups) {
    const match = /^([A-Za-z]{3,9}(?:-[A-Za-z]{3,9})?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(group);
    if (!match?.[1] || !match[2] || !match[3]) return undefined;
    const days = parseDays(match[1]);
    const start = parseClockTime(match[2]);
    const end = parseClockTime(match[3]);
    if (!days || start === undefined || end === undefined || end <= start) return undefined;
    for (const day of days) week[day]?.push({ start, end });
    const dayText = match[1]
      .split('-')
      .map((d) => WEEKDAYS[(weekdayOf(d) ?? 1) - 1])
      .join('-');
    canonical.push(`${dayText} ${formatClockTime(start)}-${formatClockTime(end)}`);
  }
  for (const windows of week) {
    windows.sort((a, b) => a.start - b.start);
    for (let i = 1; i < windows.length; i++) {
      const previous = windows[i - 1];
      const current = windows[i];
      if (previous && current && current.start < previous.end) return undefined;
    }
  }
  if (week.every((w) => w.length === 0)) return undefined;
  return { week, text: canonical.join(', ') };
}

/** Holidays: dates and ranges, or `none`. Returns the sorted, unique dates, or undefined when invalid. */
export function parseHolidays(text: string, maxDays = 800): string[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || /^(none|-)$/i.test(trimmed)) return [];
  const dates = new Set<string>();
  for (const token of trimmed.split(/[\s,;]+/).filter((t) => t.length > 0)) {
    const [fromText, toText, ...rest] = token.split('..');
    if (fromText === undefined || rest.length > 0) return undefined;
    const from = DateTime.fromISO(fromText, { zone: 'UTC' });
    const to = toText === undefined ? from : DateTime.fromISO(toText, { zone: 'UTC' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fromText) || (toText !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(toText))) return undefined;
    if (!from.isValid || !to.isValid || to < from) return undefined;
    for (let day = from; day <= to; day = day.plus({ days: 1 })) {
      const iso = day.toISODate();
      if (iso) dates.add(iso);
      if (dates.size > maxDays) return undefined;
    }
  }
  return [...dates].sort();
}

export function businessCalendar(zone: string, hours: WeekHours, holidays: readonly string[]): BusinessCalendar {
  return { kind: 'business', zone, week: hours.week, holidays: new Set(holidays) };
}

// ---------------------------------------------------------------------------------------------------
// Arithmetic

function startOfLocalDay(at: number, zone: string): DateTime {
  return DateTime.fromMillis(at, { zone }).startOf('day');
}

function localInstant(day: DateTime, minutes: number, zone: string): number {
  if (minutes >= MINUTES_PER_DAY) return day.plus({ days: 1 }).startOf('day').toMillis();
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toMillis();
}

/** The working windows of one local day as instants (epoch ms), in order. */
function windowsOf(day: DateTime, calendar: BusinessCalendar): [number, number][] {
  const date = day.toISODate();
  if (date !== null && calendar.holidays.has(date)) return [];
  return (calendar.week[day.weekday] ?? []).map((w) => [localInstant(day, w.start, calendar.zone), localInstant(day, w.end, calendar.zone)]);
}

/**
 * The instant `ms` of working time after `from`. With no working time left in the day, the next day's
 * windows count. Days come from the per-calendar cache (localDay, dayContaining): every change of a
 * record computes a dozen of these instants (SLA steps), and luxon's zone arithmetic per day was most
 * of a click's SLA cost (issue #15 item 4, profiles). Throws RangeError for a negative `ms`, or when
 * the calendar has no working time in the next ten years.
 */
export function addWorkingTime(from: Date, ms: number, calendar: Calendar): Date {
  if (ms < 0) throw new RangeError('working time must not be negative');
  if (calendar.kind === '24x7' || ms === 0) return new Date(from.getTime() + ms);
  let remaining = ms;
  const start = from.getTime();
  let day = dayContaining(start, calendar);
  for (let searched = 0; searched < MAX_DAYS_SEARCHED; searched++) {
    for (const [windowStart, windowEnd] of day.windows) {
      const begin = Math.max(windowStart, start);
      if (windowEnd <= begin) continue;
      if (remaining <= windowEnd - begin) return new Date(begin + remaining);
      remaining -= windowEnd - begin;
    }
    day = localDay(day.next, calendar);
  }
  throw new RangeError('the calendar has no working time in the next ten years');
}

/** Working time between two instants (0 when b is not after a). */
export function workingTimeBetween(a: Date, b: Date, calendar: Calendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to <= from) return 0;
  if (calendar.kind === '24x7') return to - from;
  let total = 0;
  for (let day = dayContaining(from, calendar); day.start < to; day = localDay(day.next, calendar)) {
    for (const [windowStart, windowEnd] of day.windows) {
      const overlap = Math.min(windowEnd, to) - Math.max(windowStart, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

interface LocalDay {
  /** The day's local midnight and the next one, epoch ms. */
  start: number;
  next: number;
  windows: [number, number][];
}

/** Days remembered per calendar: about eleven years of days, a few hundred KB. */
const DAY_CACHE_LIMIT = 4096;
const HOUR_MS = 3_600_000;

interface DayCache {
  /** By local midnight (epoch ms). */
  days: Map<number, LocalDay>;
  /** By UTC hour (epoch ms / 1 h): the day last found for an instant in that hour, a hint checked before use. */
  hints: Map<number, LocalDay>;
}

const dayCache = new WeakMap<BusinessCalendar, DayCache>();

function cacheOf(calendar: BusinessCalendar): DayCache {
  let cache = dayCache.get(calendar);
  if (!cache) dayCache.set(calendar, (cache = { days: new Map(), hints: new Map() }));
  return cache;
}

/**
 * The local day starting at `start` (a local midnight, epoch ms) with its working windows, remembered
 * per calendar: luxon's zone arithmetic per day dominated the KPIs over long spans (bench/results.md).
 */
function localDay(start: number, calendar: BusinessCalendar): LocalDay {
  const { days } = cacheOf(calendar);
  const known = days.get(start);
  if (known) return known;
  const day = DateTime.fromMillis(start, { zone: calendar.zone });
  const computed = { start, next: day.plus({ days: 1 }).startOf('day').toMillis(), windows: windowsOf(day, calendar) };
  if (days.size >= DAY_CACHE_LIMIT) days.clear();
  days.set(start, computed);
  return computed;
}

/**
 * The local day containing the instant `at` (epoch ms). Finding its midnight with luxon cost more than
 * the rest of a KPI's duration (bench/results.md, reports), so the day found for an instant is
 * remembered for its UTC hour and reused for any instant of that hour that lies inside it: the check
 * against the day's bounds keeps the answer exact across midnights and daylight-saving changes.
 */
function dayContaining(at: number, calendar: BusinessCalendar): LocalDay {
  const { hints } = cacheOf(calendar);
  const hour = Math.floor(at / HOUR_MS);
  const hinted = hints.get(hour);
  if (hinted && hinted.start <= at && at < hinted.next) return hinted;
  const day = localDay(startOfLocalDay(at, calendar.zone).toMillis(), calendar);
  if (hints.size >= DAY_CACHE_LIMIT * 24) hints.clear();
  hints.set(hour, day);
  return day;
}

/** Whether `at` lies inside working time. */
export function isWorkingTime(at: Date, calendar: Calendar): boolean {
  if (calendar.kind === '24x7') return true;
  const t = at.getTime();
  return windowsOf(startOfLocalDay(t, calendar.zone), calendar).some(([s, e]) => s <= t && t < e);
}
