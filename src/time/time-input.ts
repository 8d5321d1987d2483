// The one reader of times people type, in commands and forms alike (issue 9, item 4). Pure, no I/O.
import { DateTime, type DurationLikeObject } from 'luxon';
import { parseWallTime, wallTimeAt, zonedToUtc } from './zoned-time.js';

/** The forms every time argument accepts, as shown in errors and hints (times in TZ_NAME). */
export const TIME_INPUT_FORMS = 'YYYY-MM-DD HH:mm, YYYY-MM-DDTHH:mm, HH:mm (today), now, +30m, +8h, +2d';

export interface TimeInputContext {
  /** The current instant: `now`, and the day `HH:mm` falls on. */
  now: Date;
  /** IANA zone the wall times are in (TZ_NAME). */
  timeZone: string;
  /** What `+8h` counts from (an override's end from its start); default `now`. */
  base?: Date;
}

/**
 * A time read, or why not: `format` (none of the forms), `skipped` (a wall time a DST change skips) or
 * `month` (a capital `M` in `+1M`: months or minutes? `m` is minutes, README "Times"; months are not
 * offered, so it is refused rather than guessed).
 */
export type TimeInput = { ok: true; at: Date } | { ok: false; problem: 'format' | 'skipped' | 'month' };

const RELATIVE_UNITS: Record<string, keyof DurationLikeObject> = { w: 'weeks', d: 'days', h: 'hours', m: 'minutes' };
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T| +)\d{1,2}:\d{2}$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})$/;

/**
 * Reads `YYYY-MM-DD HH:mm`, `YYYY-MM-DDTHH:mm`, `HH:mm` (that time today in `timeZone`), `now`, or a
 * time after `base` such as `+30m`, `+8h`, `+2d`, `+1w`, `+1h30m` (`m` minutes, never a capital `M`:
 * see TimeInput; days and weeks are calendar days
 * in `timeZone`, so `+1d` across a DST change is the same wall time tomorrow). A wall time the zone
 * skips (clocks jump forward) is `skipped`; one it shows twice (clocks go back) is its first instant.
 */
export function parseTimeInput(text: string, context: TimeInputContext): TimeInput {
  const trimmed = text.trim();
  if (/^now$/i.test(trimmed)) return { ok: true, at: context.now };
  if (trimmed.startsWith('+')) return relative(trimmed.slice(1), context.base ?? context.now, context.timeZone);
  const clock = TIME_OF_DAY.exec(trimmed);
  if (clock) {
    const today = wallTimeAt(context.now, context.timeZone);
    const date = `${today.year}-${pad(today.month)}-${pad(today.day)}`;
    return wallTime(`${date} ${clock[1] ?? ''}:${clock[2] ?? ''}`, context.timeZone);
  }
  return DATE_TIME.test(trimmed) ? wallTime(trimmed, context.timeZone) : { ok: false, problem: 'format' };
}

function wallTime(text: string, timeZone: string): TimeInput {
  const wall = parseWallTime(text);
  if (!wall) return { ok: false, problem: 'format' };
  const at = zonedToUtc(wall, timeZone);
  return at ? { ok: true, at } : { ok: false, problem: 'skipped' };
}

function relative(text: string, base: Date, timeZone: string): TimeInput {
  if (!/^(\d{1,4}[wdhm])+$/i.test(text)) return { ok: false, problem: 'format' };
  if (text.includes('M')) return { ok: false, problem: 'month' };
  const duration: DurationLikeObject = {};
  let total = 0;
  for (const match of text.toLowerCase().matchAll(/(\d{1,4})([wdhm])/g)) {
    const unit = RELATIVE_UNITS[match[2] ?? ''];
    if (!unit || duration[unit] !== undefined) return { ok: false, problem: 'format' };
    duration[unit] = Number(match[1]);
    total += Number(match[1]);
  }
  if (total === 0) return { ok: false, problem: 'format' };
  return { ok: true, at: DateTime.fromJSDate(base, { zone: timeZone }).plus(duration).toJSDate() };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A date followed by a time of day, as a command's words: `2026-12-07` `09:00` -> one argument. */
export function isDateWord(word: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(word);
}

/**
 * A word typed where a date was meant, well formed or not (`2026-12-7`, `2026/12/07`, full-width
 * digits): joined with a following clock-like word so that the error names the time argument instead
 * of spilling the words into the next ones.
 */
export function isDateLikeWord(word: string): boolean {
  return /^[\d\uFF10-\uFF19]{1,4}[-/.][\d\uFF10-\uFF19]{1,2}[-/.][\d\uFF10-\uFF19]{1,4}$/.test(word);
}

/** A word typed where a time of day was meant, well formed or not (`09:00`, `9:5`, `09:00:00`). */
export function isClockLikeWord(word: string): boolean {
  return /^[\d\uFF10-\uFF19]{1,2}[:：][\d\uFF10-\uFF19]{1,2}([:：][\d\uFF10-\uFF19]{1,2})?$/.test(word);
}

/** `09:00`, `9:00`: the second word of a date and time typed unquoted. */
export function isClockWord(word: string): boolean {
  return TIME_OF_DAY.test(word);
}
