// Report periods in TZ_NAME: `week`, `month`, `quarter` (the calendar one containing now),
// `last-week`, `last-month`, `last-quarter`, a month `2026-12`, or `FROM TO` dates (both included).
import { DateTime } from 'luxon';
import type { Period } from './inputs.js';

export interface NamedPeriod extends Period {
  /** `2026-12-21 – 2027-01-03` (the last day included), for titles. */
  label: string;
}

const UNITS = { week: 'week', month: 'month', quarter: 'quarter' } as const;
const MAX_DAYS = 400;

function named(from: DateTime, to: DateTime): NamedPeriod {
  return { from: from.toJSDate(), to: to.toJSDate(), label: `${from.toISODate() ?? ''} – ${to.minus({ days: 1 }).toISODate() ?? ''}` };
}

/**
 * Reads a period; undefined when the text is none of the forms above, when FROM is after TO, or when
 * the span exceeds 400 days. Instants are UTC; days, weeks (from Monday) and months are TZ_NAME's.
 */
export function parsePeriod(text: string, zone: string, now: Date): NamedPeriod | undefined {
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
      return month.isValid ? named(month, month.plus({ months: 1 })) : undefined;
    }
    return undefined;
  }
  if (words.length === 2 && words.every((w) => /^\d{4}-\d{2}-\d{2}$/.test(w))) {
    const from = DateTime.fromISO(words[0] as string, { zone });
    const to = DateTime.fromISO(words[1] as string, { zone }).plus({ days: 1 });
    if (!from.isValid || !to.isValid || to <= from || to.diff(from, 'days').days > MAX_DAYS) return undefined;
    return named(from, to);
  }
  return undefined;
}

/** The period of the same length just before (for "change against the previous period"). */
export function previousPeriod(period: Period): Period {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from };
}
