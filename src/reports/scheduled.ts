// The scheduled reports to management_channel (policy 5.1, issue #13): the weekly operations report
// (setting report_schedule, default Mondays 09:00 in TZ_NAME, for the 7 days before the fire's day),
// the monthly one and the monthly audit report (setting report_schedule_monthly, default the 1st
// 09:00, for the calendar month before). Each period is posted once, ever: the posting is an audit
// entry (`report.posted`, record `weekly:2026-11-16`) checked and written in the transaction that
// queues the message, under the audit chain's lock, so restarts and several processes post it once;
// a fire missed while the bot was down is posted by the first look after start-up (schedule-runner.ts).
import { DateTime } from 'luxon';
import { named, type NamedPeriod } from './period.js';
import { latestFire, type ReportSchedule } from './schedule-setting.js';

export const SCHEDULED_REPORTS = ['weekly', 'monthly', 'audit'] as const;
export type ScheduledReport = (typeof SCHEDULED_REPORTS)[number];

/** Which setting schedules a report: the audit report goes with the monthly one. */
export function scheduleUnit(kind: ScheduledReport): 'week' | 'month' {
  return kind === 'weekly' ? 'week' : 'month';
}

/**
 * The period a fire reports on, in the fire's zone: for a weekly schedule the 7 days before the
 * fire's day (Monday to Sunday for the default Monday fire), for a monthly one the calendar month
 * before the fire's month.
 */
export function weekBeforeFire(fire: DateTime): NamedPeriod {
  return named(fire.startOf('day').minus({ weeks: 1 }), fire.startOf('day'));
}

export function monthBeforeFire(fire: DateTime): NamedPeriod {
  const to = fire.startOf('month');
  return named(to.minus({ months: 1 }), to);
}

export interface DueReport {
  /** The latest fire at or before now (UTC instant). */
  fire: Date;
  period: NamedPeriod;
}

/** The latest fire of `schedule` at or before `now` and the period it reports on (TZ_NAME `zone`). */
export function dueReport(schedule: ReportSchedule, now: Date, zone: string): DueReport {
  const fire = latestFire(schedule, now, zone);
  return { fire: fire.toJSDate(), period: schedule.unit === 'week' ? weekBeforeFire(fire) : monthBeforeFire(fire) };
}

/** The audit entry's record id that marks a period posted, e.g. `weekly:2026-11-16` (first day, TZ_NAME). */
export function postedRecordId(kind: ScheduledReport, period: NamedPeriod, zone: string): string {
  return `${kind}:${DateTime.fromJSDate(period.from, { zone }).toISODate() ?? ''}`;
}
