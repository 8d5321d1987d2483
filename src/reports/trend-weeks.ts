// The weeks of the operations report's trend chart: calendar weeks (Monday 00:00 to Monday 00:00 in
// TZ_NAME, the weeks of `/ops report weekly`), so that a bar of the chart is a week a reader can name
// and the counts of a weekly report and of the monthly chart agree. Pure: instants in, weeks out.
import { DateTime } from 'luxon';
import type { Period } from './inputs.js';

/** Weeks shown in the weekly report's trend, ending with the report's week. */
export const TREND_WEEKS = 8;

/** One week of the trend: `[from, to)` as UTC instants, clipped to the report's span. */
export interface TrendWeek extends Period {
  /**
   * The axis label in TZ_NAME: the Monday (`12-07`) for a whole week; the days covered, first and last
   * included (`12-01–12-06`), for a week clipped to the report's month.
   */
  label: string;
  /** The week was clipped: it covers fewer than its 7 days. */
  partial: boolean;
}

const day = (d: DateTime) => d.toFormat('MM-dd');

/**
 * The calendar weeks (from Monday, in `zone`) that overlap `[start, end)`, oldest first, each clipped to
 * `[start, end)`. Weeks are counted in the zone, so a week across a daylight-saving change is 167 or 169
 * hours, not 168.
 */
export function calendarWeeks(start: DateTime, end: DateTime, zone: string): TrendWeek[] {
  const weeks: TrendWeek[] = [];
  const from = start.setZone(zone);
  const to = end.setZone(zone);
  for (let monday = from.startOf('week'); monday < to; monday = monday.plus({ weeks: 1 })) {
    const nextMonday = monday.plus({ weeks: 1 });
    const first = monday < from ? from : monday;
    const last = nextMonday > to ? to : nextMonday;
    const partial = !first.equals(monday) || !last.equals(nextMonday);
    weeks.push({ from: first.toJSDate(), to: last.toJSDate(), partial, label: partial ? `${day(first)}–${day(last.minus({ days: 1 }))}` : day(first) });
  }
  return weeks;
}

/**
 * The trend's weeks for a report of `period` (TZ_NAME `zone`). Weekly: the TREND_WEEKS calendar weeks
 * ending with the one the period ends in (for the default schedule, the report's week and the seven
 * before). Monthly: the calendar weeks of the month, the first and last clipped to it (and labelled
 * with their days) when the month does not start on a Monday or end on a Sunday.
 */
export function trendWeeks(kind: 'weekly' | 'monthly', period: Period, zone: string): TrendWeek[] {
  const end = DateTime.fromJSDate(period.to, { zone });
  // The last day of the period (its end is exclusive) names the week the trend ends with.
  const start = kind === 'monthly' ? DateTime.fromJSDate(period.from, { zone }) : end.minus({ days: 1 }).startOf('week').minus({ weeks: TREND_WEEKS - 1 });
  return calendarWeeks(start, end, zone);
}
