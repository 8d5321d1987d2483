import { describe, expect, it } from 'vitest';
import { parseWindow } from '../../src/changes/rules.js';
import { dateKey, offsetMinutes, parseWallTime, startOfDay, wallTimeAt, zonedToUtc } from '../../src/time/zoned-time.js';

const wall = (text: string) => {
  const parsed = parseWallTime(text);
  if (!parsed) throw new Error(`bad wall time in test: ${text}`);
  return parsed;
};
const utc = (text: string, zone: string) => zonedToUtc(wall(text), zone)?.toISOString();

describe('wall-clock times in a zone', () => {
  it('reads YYYY-MM-DD HH:mm and refuses dates and times that do not exist on any calendar', () => {
    expect(parseWallTime('2026-11-25 22:00')).toEqual({ year: 2026, month: 11, day: 25, hour: 22, minute: 0 });
    expect(parseWallTime(' 2026-11-25T07:05 ')).toEqual({ year: 2026, month: 11, day: 25, hour: 7, minute: 5 });
    expect(parseWallTime('2026-12-31')).toEqual({ year: 2026, month: 12, day: 31, hour: 0, minute: 0 });
    expect(parseWallTime('2028-02-29 10:00')?.day).toBe(29);
    for (const bad of ['2026-02-29 10:00', '2026-02-30 10:00', '2026-13-01 10:00', '2026-11-25 24:00', '2026-11-25 10:60', '25.11.2026 10:00', 'tomorrow', '']) {
      expect([bad, parseWallTime(bad)]).toEqual([bad, undefined]);
    }
  });

  it('knows the offset of Europe/Berlin on both sides of a DST change', () => {
    expect(offsetMinutes(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(new Date('2026-10-25T00:59:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(new Date('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(new Date('2026-07-01T12:00:00Z'), 'Asia/Shanghai')).toBe(480);
    expect(offsetMinutes(new Date('2026-07-01T12:00:00Z'), 'UTC')).toBe(0);
  });

  it('converts Berlin wall-clock times to UTC across the spring change (2026-03-29), refusing the skipped hour', () => {
    expect(utc('2026-03-28 22:00', 'Europe/Berlin')).toBe('2026-03-28T21:00:00.000Z');
    expect(utc('2026-03-29 01:30', 'Europe/Berlin')).toBe('2026-03-29T00:30:00.000Z');
    expect(utc('2026-03-29 02:00', 'Europe/Berlin')).toBeUndefined();
    expect(utc('2026-03-29 02:30', 'Europe/Berlin')).toBeUndefined();
    expect(utc('2026-03-29 03:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    expect(utc('2026-03-29 03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(utc('2026-03-30 09:00', 'Europe/Berlin')).toBe('2026-03-30T07:00:00.000Z');
  });

  it('converts across the autumn change (2026-10-25), taking the earlier of a repeated hour', () => {
    expect(utc('2026-10-25 01:30', 'Europe/Berlin')).toBe('2026-10-24T23:30:00.000Z');
    expect(utc('2026-10-25 02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(utc('2026-10-25 03:00', 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
    expect(utc('2026-10-26 09:00', 'Europe/Berlin')).toBe('2026-10-26T08:00:00.000Z');
  });

  it('handles other zones: New York spring gap, Shanghai without DST, UTC', () => {
    expect(utc('2026-03-08 02:30', 'America/New_York')).toBeUndefined();
    expect(utc('2026-03-08 03:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(utc('2026-11-01 01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(utc('2026-11-25 22:00', 'Asia/Shanghai')).toBe('2026-11-25T14:00:00.000Z');
    expect(utc('2026-11-25 22:00', 'UTC')).toBe('2026-11-25T22:00:00.000Z');
  });

  it('round-trips: the instant shows the same wall-clock time in its zone', () => {
    for (const [text, zone] of [['2026-03-29 03:15', 'Europe/Berlin'], ['2026-10-25 02:45', 'Europe/Berlin'], ['2026-06-30 23:59', 'Asia/Kolkata']] as const) {
      const instant = zonedToUtc(wall(text), zone);
      if (!instant) throw new Error('no instant');
      expect(wallTimeAt(instant, zone)).toEqual(wall(text));
    }
    expect(dateKey(new Date('2026-11-25T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-26');
    expect(startOfDay({ year: 2026, month: 3, day: 29 }, 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay({ year: 2026, month: 10, day: 26 }, 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('reads a change window in the configured zone, with a reason for each problem', () => {
    const now = new Date('2026-03-20T09:00:00Z');
    expect(parseWindow('2026-03-29 01:00', '2026-03-29 04:00', 'Europe/Berlin', now)).toEqual({
      ok: true,
      window: { start: new Date('2026-03-29T00:00:00Z'), end: new Date('2026-03-29T02:00:00Z') },
    });
    expect(parseWindow('2026-03-29 02:30', '29.03.2026', 'Europe/Berlin', now)).toEqual({ ok: false, errors: { windowStart: 'nonexistent', windowEnd: 'format' } });
    expect(parseWindow('2026-03-29', '2026-03-29 04:00', 'Europe/Berlin', now)).toEqual({ ok: false, errors: { windowStart: 'format' } });
    expect(parseWindow('2026-03-29 04:00', '2026-03-29 04:00', 'Europe/Berlin', now)).toEqual({ ok: false, errors: { windowEnd: 'end_before_start' } });
    expect(parseWindow('2026-03-19 04:00', '2026-03-19 05:00', 'Europe/Berlin', now)).toEqual({ ok: false, errors: { windowEnd: 'ended' } });
    expect(parseWindow('2026-03-21 04:00', '2026-03-28 05:00', 'Europe/Berlin', now)).toEqual({ ok: false, errors: { windowEnd: 'too_long' } });
  });
});
