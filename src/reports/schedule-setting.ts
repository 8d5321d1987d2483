// The report schedule settings (issue #13 item 2): `report_schedule`, when the weekly operations report
// is posted (default Monday 09:00 in TZ_NAME), and `report_schedule_monthly`, when the monthly
// operations report and the monthly audit report are posted (default the 1st, 09:00). Both are cron
// expressions like the feedback capability's `poll_schedule`, limited to one fire per week or month:
// a report covers the period before its fire, so a schedule firing twice a week would post two
// overlapping "weekly" reports. Pure: the settings registry imports this file.
import { DateTime, type WeekdayNumbers } from 'luxon';
import type { SettingSpec } from '../settings/registry.js';

export const WEEKLY_SCHEDULE_KEY = 'report_schedule';
export const MONTHLY_SCHEDULE_KEY = 'report_schedule_monthly';
export const DEFAULT_WEEKLY_SCHEDULE = '0 9 * * 1';
export const DEFAULT_MONTHLY_SCHEDULE = '0 9 1 * *';
/** What `/ops config show` lists while a schedule was never set. */
export const REPORT_SETTING_DEFAULTS: Record<string, string> = { report_schedule: DEFAULT_WEEKLY_SCHEDULE, report_schedule_monthly: DEFAULT_MONTHLY_SCHEDULE };
/** The last day of the month a monthly report may fire on: every month has it. */
export const LAST_MONTHLY_DAY = 28;

/** One fire a week (`weekday` 1 Monday … 7 Sunday, luxon's) or a month (`day` 1-28), at hour:minute in TZ_NAME. */
export type ReportSchedule = { unit: 'week'; weekday: WeekdayNumbers; hour: number; minute: number } | { unit: 'month'; day: number; hour: number; minute: number };

function fields(raw: string): string[] {
  return raw.trim().replace(/^"|"$/g, '').trim().split(/\s+/);
}

const int = (text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined || !/^\d{1,2}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
};

/**
 * Reads a weekly schedule: `MINUTE HOUR * * WEEKDAY` with single numbers (weekday 0-7, 0 and 7 both
 * Sunday, as in cron). Undefined for anything else, including valid cron that fires more often.
 */
export function readWeeklySchedule(raw: string): ReportSchedule | undefined {
  const [m, h, dom, month, dow, ...rest] = fields(raw);
  const minute = int(m, 0, 59);
  const hour = int(h, 0, 23);
  const weekday = int(dow, 0, 7);
  if (rest.length > 0 || dom !== '*' || month !== '*' || minute === undefined || hour === undefined || weekday === undefined) return undefined;
  // Checked 0-7 above; cron's Sunday 0 is luxon's 7.
  return { unit: 'week', weekday: (weekday === 0 ? 7 : weekday) as WeekdayNumbers, hour, minute };
}

/** Reads a monthly schedule: `MINUTE HOUR DAY * *`, day 1-28. Undefined for anything else. */
export function readMonthlySchedule(raw: string): ReportSchedule | undefined {
  const [m, h, dom, month, dow, ...rest] = fields(raw);
  const minute = int(m, 0, 59);
  const hour = int(h, 0, 23);
  const day = int(dom, 1, LAST_MONTHLY_DAY);
  if (rest.length > 0 || month !== '*' || dow !== '*' || minute === undefined || hour === undefined || day === undefined) return undefined;
  return { unit: 'month', day, hour, minute };
}

/** The schedule back as its normalised cron text (what the setting stores and `/ops config` shows). */
export function scheduleText(schedule: ReportSchedule): string {
  return schedule.unit === 'week' ? `${schedule.minute} ${schedule.hour} * * ${schedule.weekday % 7}` : `${schedule.minute} ${schedule.hour} ${schedule.day} * *`;
}

/**
 * The latest fire of `schedule` at or before `now`, computed in `zone` (TZ_NAME): this week's (or
 * month's) fire, or the one before when that is still ahead. A local time skipped by a daylight
 * saving change moves forward, as luxon does.
 */
export function latestFire(schedule: ReportSchedule, now: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(now, { zone });
  const time = { hour: schedule.hour, minute: schedule.minute, second: 0, millisecond: 0 };
  if (schedule.unit === 'week') {
    const fire = local.set({ weekday: schedule.weekday, ...time });
    return fire > local ? fire.minus({ weeks: 1 }) : fire;
  }
  const fire = local.set({ day: schedule.day, ...time });
  return fire > local ? fire.minus({ months: 1 }) : fire;
}

/** The report settings (`/ops config set report_schedule "0 9 * * 1"`), registered through the reports capability. */
export const REPORT_SETTINGS: SettingSpec[] = [
  {
    key: WEEKLY_SCHEDULE_KEY,
    description: 'reports.setting.report_schedule',
    parse: (raw) => {
      const schedule = readWeeklySchedule(raw);
      return schedule && scheduleText(schedule);
    },
    invalid: 'reports.setting.badWeekly',
  },
  {
    key: MONTHLY_SCHEDULE_KEY,
    description: 'reports.setting.report_schedule_monthly',
    parse: (raw) => {
      const schedule = readMonthlySchedule(raw);
      return schedule && scheduleText(schedule);
    },
    invalid: 'reports.setting.badMonthly',
  },
];
