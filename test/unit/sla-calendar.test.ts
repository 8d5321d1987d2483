import { formatDeadline } from '../../src/sla/format.js';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS,
  addWorkingTime,
  businessCalendar,
  isWorkingTime,
  parseHolidays,
  parseWeekHours,
  workingTimeBetween,
  type Calendar,
} from '../../src/sla/calendar.js';
import { formatDuration, parseDuration } from '../../src/sla/durations.js';

const H = 3_600_000;
const M = 60_000;
const ZONE = 'Europe/Berlin';

function calendar(hours: string, holidays: string[] = []): Calendar {
  const parsed = parseWeekHours(hours);
  if (!parsed) throw new Error(`bad hours ${hours}`);
  return businessCalendar(ZONE, parsed, holidays);
}

const office = calendar('Mon-Fri 09:00-18:00', ['2026-12-24', '2026-12-25']);
const at = (iso: string) => new Date(iso);
const add = (from: string, ms: number, cal: Calendar = office) => addWorkingTime(at(from), ms, cal).toISOString();

describe('business-hours arithmetic (Mon-Fri 09:00-18:00, Europe/Berlin)', () => {
  it('counts within one working day', () => {
    // Monday 23 Nov 2026, 10:00 in Berlin is 09:00 UTC (CET, UTC+1).
    expect(add('2026-11-23T09:00:00Z', 2 * H)).toBe('2026-11-23T11:00:00.000Z');
  });

  it('ends exactly at closing time rather than the next morning', () => {
    expect(add('2026-11-23T08:00:00Z', 9 * H)).toBe('2026-11-23T17:00:00.000Z');
  });

  it('carries over the evening to the next morning', () => {
    // Mon 17:00 + 2 h = 1 h on Monday, 1 h on Tuesday -> Tue 10:00 Berlin.
    expect(add('2026-11-23T16:00:00Z', 2 * H)).toBe('2026-11-24T09:00:00.000Z');
  });

  it('starts counting at opening time when started in the evening, at night or before opening', () => {
    expect(add('2026-11-23T19:00:00Z', 30 * M)).toBe('2026-11-24T08:30:00.000Z'); // Mon 20:00 -> Tue 09:30
    expect(add('2026-11-24T06:00:00Z', 30 * M)).toBe('2026-11-24T08:30:00.000Z'); // Tue 07:00 -> Tue 09:30
  });

  it('skips the weekend', () => {
    // Fri 27 Nov 17:30 + 1 h -> Mon 30 Nov 09:30.
    expect(add('2026-11-27T16:30:00Z', 1 * H)).toBe('2026-11-30T08:30:00.000Z');
    // Sat noon + 30 min -> Mon 09:30.
    expect(add('2026-11-28T11:00:00Z', 30 * M)).toBe('2026-11-30T08:30:00.000Z');
  });

  it('skips holidays (24 and 25 Dec) and the weekend after them', () => {
    // Wed 23 Dec 17:00 + 2 h: 1 h on Wednesday, Thu/Fri holidays, weekend -> Mon 28 Dec 10:00.
    expect(add('2026-12-23T16:00:00Z', 2 * H)).toBe('2026-12-28T09:00:00.000Z');
    expect(workingTimeBetween(at('2026-12-23T08:00:00Z'), at('2026-12-28T17:00:00Z'), office)).toBe(18 * H);
  });

  it('reads a 24 h target as 24 working hours', () => {
    // Mon 09:00 + 24 h = Mon 9 h + Tue 9 h + Wed 6 h -> Wed 15:00.
    expect(add('2026-11-23T08:00:00Z', 24 * H)).toBe('2026-11-25T14:00:00.000Z');
  });

  it('keeps local opening hours across the spring daylight-saving change (29 Mar 2026)', () => {
    // Fri 27 Mar 17:00 CET (16:00Z) + 2 h -> Mon 30 Mar 10:00 CEST, which is 08:00Z (not 09:00Z).
    expect(add('2026-03-27T16:00:00Z', 2 * H)).toBe('2026-03-30T08:00:00.000Z');
    expect(workingTimeBetween(at('2026-03-27T16:00:00Z'), at('2026-03-30T08:00:00Z'), office)).toBe(2 * H);
  });

  it('keeps local opening hours across the autumn change (25 Oct 2026)', () => {
    // Fri 23 Oct 17:00 CEST (15:00Z) + 2 h -> Mon 26 Oct 10:00 CET, which is 09:00Z.
    expect(add('2026-10-23T15:00:00Z', 2 * H)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts the real length of a day whose clock jumps: 23 h in spring, 25 h in autumn', () => {
    const allDay = calendar('Mon-Sun 00:00-24:00');
    expect(workingTimeBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), allDay)).toBe(23 * H);
    expect(workingTimeBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), allDay)).toBe(25 * H);
    // A night window 01:00-04:00 on the spring-forward Sunday holds only 2 hours.
    const night = calendar('Sun 01:00-04:00');
    expect(workingTimeBetween(at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'), night)).toBe(2 * H);
    expect(add('2026-03-29T00:00:00Z', 90 * M, night)).toBe('2026-03-29T01:30:00.000Z'); // 01:00 CET + 1.5 h = 03:30 CEST
  });

  it('adds plain time on a 24x7 calendar, DST or not', () => {
    expect(add('2026-03-28T23:30:00Z', 4 * H, ALWAYS)).toBe('2026-03-29T03:30:00.000Z');
    expect(workingTimeBetween(at('2026-03-28T23:30:00Z'), at('2026-03-29T03:30:00Z'), ALWAYS)).toBe(4 * H);
  });

  it('agrees with itself: the working time between a start and start + w is w', () => {
    const starts = ['2026-11-23T07:13:00Z', '2026-11-27T16:59:00Z', '2026-12-23T12:00:00Z', '2026-03-27T10:00:00Z', '2026-10-23T17:45:00Z'];
    for (const start of starts) {
      for (const w of [1 * M, 37 * M, 5 * H, 9 * H, 30 * H, 72 * H]) {
        const end = addWorkingTime(at(start), w, office);
        expect([start, w, workingTimeBetween(at(start), end, office)]).toEqual([start, w, w]);
      }
    }
  });

  it('knows when it is working time', () => {
    expect(isWorkingTime(at('2026-11-23T08:00:00Z'), office)).toBe(true); // Mon 09:00
    expect(isWorkingTime(at('2026-11-23T17:00:00Z'), office)).toBe(false); // Mon 18:00
    expect(isWorkingTime(at('2026-12-24T10:00:00Z'), office)).toBe(false); // holiday
    expect(isWorkingTime(at('2026-11-28T10:00:00Z'), office)).toBe(false); // Saturday
  });
});

describe('parsing calendars and durations', () => {
  it('reads business hours, with several groups and weekday ranges that wrap', () => {
    expect(parseWeekHours('mon-fri 9:00-18:00')?.text).toBe('Mon-Fri 09:00-18:00');
    const split = parseWeekHours('Mon-Thu 09:00-18:00, Fri 09:00-15:00');
    expect(split?.week[4]).toEqual([{ start: 540, end: 1080 }]);
    expect(split?.week[5]).toEqual([{ start: 540, end: 900 }]);
    expect(split?.week[6]).toEqual([]);
    expect(parseWeekHours('Sat-Mon 10:00-12:00')?.week.map((w) => w.length)).toEqual([0, 1, 0, 0, 0, 0, 1, 1]);
    expect(parseWeekHours('Mon-Fri 09:00-12:00; Mon-Fri 13:00-18:00')?.week[1]).toHaveLength(2);
  });

  it('refuses hours that end before they start, overlap, or name no day', () => {
    expect(parseWeekHours('Mon-Fri 18:00-09:00')).toBeUndefined();
    expect(parseWeekHours('Funday 09:00-10:00')).toBeUndefined();
    expect(parseWeekHours('Mon 09:00-12:00, Mon 11:00-13:00')).toBeUndefined();
    expect(parseWeekHours('Mon 09:00-25:00')).toBeUndefined();
    expect(parseWeekHours('')).toBeUndefined();
  });

  it('reads holidays as dates and ranges', () => {
    expect(parseHolidays('2026-12-24..2026-12-26, 2027-01-01 2026-12-25')).toEqual(['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01']);
    expect(parseHolidays('none')).toEqual([]);
    expect(parseHolidays('2026-02-30')).toBeUndefined();
    expect(parseHolidays('24.12.2026')).toBeUndefined();
    expect(parseHolidays('2026-12-26..2026-12-24')).toBeUndefined();
  });

  it('reads and writes durations', () => {
    expect(parseDuration('15m')).toBe(15 * M);
    expect(parseDuration('1h30m')).toBe(90 * M);
    expect(parseDuration('2w')).toBe(14 * 24 * H);
    expect(parseDuration('0m')).toBe(0);
    expect(parseDuration('30m1h')).toBeUndefined();
    expect(parseDuration('1.5h')).toBeUndefined();
    expect(formatDuration(90 * M)).toBe('1h30m');
    expect(formatDuration(72 * H)).toBe('3d');
    expect(formatDuration(72 * H, { days: false })).toBe('72h');
  });
});

describe('the local day of an instant, remembered per UTC hour', () => {
  it('tells apart two local days within one UTC hour (Asia/Kolkata, UTC+05:30), whichever is asked first', () => {
    const hours = parseWeekHours('Mon-Sun 23:00-24:00');
    if (!hours) throw new Error('bad hours');
    const lateHour = businessCalendar('Asia/Kolkata', hours, []);
    // 18:40Z is 00:10 on Tuesday 24 Nov in Kolkata (no working time until 23:00); 18:10Z is 23:40 on
    // Monday, inside Monday's last hour. Both instants fall in the UTC hour 18:00-19:00.
    expect(workingTimeBetween(at('2026-11-23T18:40:00Z'), at('2026-11-23T18:50:00Z'), lateHour)).toBe(0);
    expect(workingTimeBetween(at('2026-11-23T18:10:00Z'), at('2026-11-23T18:25:00Z'), lateHour)).toBe(15 * M);
    expect(workingTimeBetween(at('2026-11-23T18:45:00Z'), at('2026-11-24T17:40:00Z'), lateHour)).toBe(10 * M);
  });
});

describe('formatDeadline', () => {
  const now = new Date('2026-11-27T22:30:00Z'); // 23:30 in Berlin

  it('shows only the time on the same local day, in the zone', () => {
    expect(formatDeadline(new Date('2026-11-27T22:50:00Z'), now, 'Europe/Berlin')).toBe('23:50');
  });

  it('shows the date when the deadline falls on another local day, even the same UTC day', () => {
    expect(formatDeadline(new Date('2026-11-27T23:15:00Z'), now, 'Europe/Berlin')).toBe('2026-11-28 00:15');
    expect(formatDeadline(new Date('2026-11-27T23:15:00Z'), now, 'UTC')).toBe('23:15');
  });
});
