// The trend chart's weeks are calendar weeks from Monday in TZ_NAME (the weeks of `/ops report weekly`):
// a monthly report covers its month with the first and last week clipped to it and labelled with their
// days; a weekly report shows its week and the seven before. Counted in the zone, across DST too.
import { describe, expect, it } from 'vitest';
import { readPeriod, type NamedPeriod } from '../../src/reports/period.js';
import { TREND_WEEKS, trendWeeks } from '../../src/reports/trend-weeks.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const NOW = new Date('2027-02-10T12:00:00Z');

function period(text: string): NamedPeriod {
  const read = readPeriod(text, ZONE, NOW);
  if ('key' in read) throw new Error(`not a period: ${text}`);
  return read;
}

const iso = (d: Date) => d.toISOString();

describe('trend weeks of the operations report', () => {
  it('a month: its calendar weeks, the partial first and last clipped to the month and labelled with their days', () => {
    // December 2026 in Berlin (UTC+1): Tuesday the 1st to Thursday the 31st.
    const weeks = trendWeeks('monthly', period('2026-12'), ZONE);
    expect(weeks.map((w) => w.label)).toEqual(['12-01–12-06', '12-07', '12-14', '12-21', '12-28–12-31']);
    expect(weeks.map((w) => w.partial)).toEqual([true, false, false, false, true]);
    // Tue 12-01 00:00 local = 11-30 23:00 UTC (not Monday 11-30: that day is November's).
    expect(iso(weeks[0]?.from ?? NOW)).toBe('2026-11-30T23:00:00.000Z');
    // The Mondays in between, local midnight.
    expect(weeks.slice(1).map((w) => iso(w.from))).toEqual(['2026-12-06T23:00:00.000Z', '2026-12-13T23:00:00.000Z', '2026-12-20T23:00:00.000Z', '2026-12-27T23:00:00.000Z']);
    // The last week ends with the month (Fri 01-01 00:00 local), not on Monday 01-04.
    expect(iso(weeks[4]?.to ?? NOW)).toBe('2026-12-31T23:00:00.000Z');
    // Consecutive: each week starts where the one before ended, so no record falls between two.
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]?.from).toEqual(weeks[i - 1]?.to);
  });

  it('a month starting on a Sunday and crossing the spring DST change', () => {
    // March 2026: Sunday the 1st (a one-day week), clocks go forward on Sunday the 29th.
    const weeks = trendWeeks('monthly', period('2026-03'), ZONE);
    expect(weeks.map((w) => w.label)).toEqual(['03-01–03-01', '03-02', '03-09', '03-16', '03-23', '03-30–03-31']);
    const hours = weeks.map((w) => (w.to.getTime() - w.from.getTime()) / HOUR);
    // Mon 03-23 00:00 CET to Mon 03-30 00:00 CEST is 167 hours; the clipped weeks 1 and 2 days.
    expect(hours).toEqual([24, 168, 168, 168, 167, 48]);
  });

  it('a month that is whole calendar weeks has no partial week', () => {
    // February 2027: Monday the 1st to Sunday the 28th.
    const weeks = trendWeeks('monthly', period('2027-02'), ZONE);
    expect(weeks.map((w) => w.label)).toEqual(['02-01', '02-08', '02-15', '02-22']);
    expect(weeks.every((w) => !w.partial)).toBe(true);
  });

  it('a week: the report week and the seven calendar weeks before it, whole', () => {
    const week = period('2026-12-21 2026-12-27');
    const weeks = trendWeeks('weekly', week, ZONE);
    expect(weeks).toHaveLength(TREND_WEEKS);
    expect(weeks.map((w) => w.label)).toEqual(['11-02', '11-09', '11-16', '11-23', '11-30', '12-07', '12-14', '12-21']);
    expect(weeks.every((w) => !w.partial)).toBe(true);
    expect(weeks[7]).toMatchObject({ from: week.from, to: week.to });
    // Across the autumn DST change (Sunday 10-25 2026): the week of 10-26 starts at local midnight.
    const autumn = trendWeeks('weekly', period('2026-11-02 2026-11-08'), ZONE);
    expect(iso(autumn[0]?.from ?? NOW)).toBe('2026-09-13T22:00:00.000Z');
    expect(autumn.map((w) => (w.to.getTime() - w.from.getTime()) / HOUR)).toEqual([168, 168, 168, 168, 168, 169, 168, 168]);
  });

  it('a weekly report scheduled on another day: calendar weeks still, the last one clipped at the period end', () => {
    // report_schedule on Wednesdays: the 7 days before Wednesday 11-25 are Wednesday 11-18 to Tuesday 11-24.
    const weeks = trendWeeks('weekly', period('2026-11-18 2026-11-24'), ZONE);
    expect(weeks.map((w) => w.label)).toEqual(['10-05', '10-12', '10-19', '10-26', '11-02', '11-09', '11-16', '11-23–11-24']);
    expect(weeks.map((w) => w.partial)).toEqual([false, false, false, false, false, false, false, true]);
    expect(iso(weeks[7]?.to ?? NOW)).toBe('2026-11-24T23:00:00.000Z');
  });
});
