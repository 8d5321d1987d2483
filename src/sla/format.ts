// How SLA and on-call times read in messages: short when they are today, with the weekday in
// schedules, and spans as `12 min`, `3 h 5 min`, `2 d 4 h`.
import { DateTime } from 'luxon';
import type { Locale, Translate } from '../chat/i18n/catalog.js';
import { formatTime } from '../chat/format.js';

/** `10:15` when `date` falls on the same local day as `now`, else `2026-11-24 10:15`. */
export function formatDeadline(date: Date, now: Date, zone: string): string {
  // Both through formatTime's cached formatter (`YYYY-MM-DD HH:mm`): two luxon DateTimes per deadline
  // were a visible share of drawing a card after every click (issue #15 item 4).
  const due = formatTime(date, zone);
  const today = formatTime(now, zone);
  return due.slice(0, 10) === today.slice(0, 10) ? due.slice(11) : due;
}

/** `Mon 2026-11-24 09:00` (the weekday in the reader's language). */
export function formatWithWeekday(date: Date, zone: string, locale: Locale): string {
  return `${DateTime.fromMillis(date.getTime(), { zone }).setLocale(locale).toFormat('ccc')} ${formatTime(date, zone)}`;
}

/** A span rounded up to the minute: `1 min`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatSpan(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.ceil(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('sla.span.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest === 0 ? t('sla.span.hours', { h: hours }) : t('sla.span.hoursMinutes', { h: hours, m: rest });
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours === 0 ? t('sla.span.days', { d: days }) : t('sla.span.daysHours', { d: days, h: restHours });
}
