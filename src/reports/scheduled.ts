// The scheduled reports to management_channel (policy 5.1, issue #13): the weekly operations report
// (Mondays 09:00 in TZ_NAME, for the week before), the monthly one and the monthly audit report (the
// 1st, 09:00, for the month before). Each period is posted once, ever: the posting is an audit entry
// (`report.posted`, record `weekly:2026-11-16`) checked and written in the transaction that queues
// the message, under the audit chain's lock, so restarts and several processes post it once; a
// fire missed while the bot was down is posted by the run at start-up.
import { DateTime } from 'luxon';
import type { NamedPeriod } from './period.js';

export const SCHEDULED_REPORTS = ['weekly', 'monthly', 'audit'] as const;
export type ScheduledReport = (typeof SCHEDULED_REPORTS)[number];

/** node-cron expressions in TZ_NAME (issue #13 defaults). */
export const REPORT_CRONS: Record<ScheduledReport, string> = { weekly: '0 9 * * 1', monthly: '0 9 1 * *', audit: '5 9 1 * *' };

/**
 * The period the latest fire at or before `now` reports on: for `weekly` the Monday-to-Monday week
 * before the last Monday 09:00, otherwise the calendar month before the last 1st 09:00 (TZ_NAME).
 */
export function dueReportPeriod(kind: ScheduledReport, now: Date, zone: string): NamedPeriod {
  const local = DateTime.fromJSDate(now, { zone });
  const unit = kind === 'weekly' ? 'week' : 'month';
  let fire = local.startOf(unit).set({ hour: 9, minute: kind === 'audit' ? 5 : 0 });
  if (fire > local) fire = fire.minus({ [`${unit}s`]: 1 });
  const to = fire.startOf('day');
  const from = to.minus({ [`${unit}s`]: 1 });
  return { from: from.toJSDate(), to: to.toJSDate(), label: `${from.toISODate() ?? ''} – ${to.minus({ days: 1 }).toISODate() ?? ''}` };
}

export function postedRecordId(kind: ScheduledReport, period: NamedPeriod, zone: string): string {
  return `${kind}:${DateTime.fromJSDate(period.from, { zone }).toISODate() ?? ''}`;
}
