// Report periods in TZ_NAME: `week`, `month`, `quarter` (the calendar one containing now),
// `last-week`, `last-month`, `last-quarter`, a month `2026-12`, or `FROM TO` dates (both included).
import { DateTime } from 'luxon';
import type { MessageKey } from '../chat/i18n/catalog.js';
import { InvalidInputError } from '../errors.js';
import type { Period } from './inputs.js';

/** What a period covers: a calendar week (Monday to Sunday), month or quarter, or any other days. */
export type PeriodSpan = 'week' | 'month' | 'quarter' | 'days';

export interface NamedPeriod extends Period {
  /** `2026-12-21 – 2027-01-03` (the last day included), for titles. */
  label: string;
  span: PeriodSpan;
}

/** Why a text is not a period: a message key of reports/messages.ts and its parameters. */
export interface PeriodProblem {
  key: MessageKey;
  params: Record<string, string | number>;
}

const UNITS = { week: 'week', month: 'month', quarter: 'quarter' } as const;
const MAX_DAYS = 400;

/** The span of [from, to): a calendar unit when it is exactly one, else `days`. */
function spanOf(from: DateTime, to: DateTime): PeriodSpan {
  for (const unit of ['week', 'month', 'quarter'] as const) {
    if (from.startOf(unit).equals(from) && from.plus({ [`${unit}s`]: 1 }).equals(to)) return unit;
  }
  return 'days';
}

/** The period [from, to) with its label and span. */
export function named(from: DateTime, to: DateTime): NamedPeriod {
  return { from: from.toJSDate(), to: to.toJSDate(), label: `${from.toISODate() ?? ''} – ${to.minus({ days: 1 }).toISODate() ?? ''}`, span: spanOf(from, to) };
}

const unknown = (text: string): PeriodProblem => ({ key: 'reports.error.badPeriod', params: { text } });

/**
 * Reads a period, or says why it is none: not one of the forms above, no such date or month
 * (2026-13-01, 2026-02-30), FROM after TO, or a span over 400 days. Instants are UTC; days, weeks
 * (from Monday) and months are TZ_NAME's.
 */
export function readPeriod(text: string, zone: string, now: Date): NamedPeriod | PeriodProblem {
  const words = text.trim().toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  const local = DateTime.fromJSDate(now, { zone });
  if (words.length === 1) {
    const word = words[0] as string;
    const last = word.startsWith('last-');
    const unit = UNITS[(last ? word.slice(5) : word) as keyof typeof UNITS];
    if (unit) {
      const start = local.startOf(unit).minus(last ? { [`${unit}s`]: 1 } : {});
      return named(start, start.plus({ [`${unit}s`]: 1 }));
    }
    if (/^\d{4}-\d{2}$/.test(word)) {
      const month = DateTime.fromISO(word, { zone });
      return month.isValid ? named(month, month.plus({ months: 1 })) : { key: 'reports.error.noSuchMonth', params: { text: word } };
    }
    return unknown(text.trim());
  }
  if (words.length === 2 && words.every((w) => /^\d{4}-\d{2}-\d{2}$/.test(w))) {
    const [first, second] = words as [string, string];
    const from = DateTime.fromISO(first, { zone });
    if (!from.isValid) return { key: 'reports.error.noSuchDate', params: { text: first } };
    const last = DateTime.fromISO(second, { zone });
    if (!last.isValid) return { key: 'reports.error.noSuchDate', params: { text: second } };
    const to = last.plus({ days: 1 });
    if (to <= from) return { key: 'reports.error.periodOrder', params: { from: first, to: second } };
    const days = Math.round(to.diff(from, 'days').days);
    if (days > MAX_DAYS) return { key: 'reports.error.periodTooLong', params: { days, max: MAX_DAYS } };
    return named(from, to);
  }
  return unknown(text.trim());
}

/** readPeriod, undefined for any problem. */
export function parsePeriod(text: string, zone: string, now: Date): NamedPeriod | undefined {
  const read = readPeriod(text, zone, now);
  return 'key' in read ? undefined : read;
}

/** readPeriod for a command: throws InvalidInputError with the reason (reports/messages.ts). */
export function periodOrThrow(text: string, zone: string, now: Date): NamedPeriod {
  const read = readPeriod(text, zone, now);
  if ('key' in read) throw new InvalidInputError(read.key, read.params);
  return read;
}

/** The period of the same length just before (for "change against the previous period"). */
export function previousPeriod(period: Period): Period {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from };
}
