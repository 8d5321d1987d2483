import { describe, expect, it } from 'vitest';
import {
  latestHandoff,
  onCallAt,
  parseHandoff,
  parseLength,
  shiftAt,
  shiftsBetween,
  timeline,
  type OverrideSpan,
  type Rotation,
} from '../../src/oncall/rotation.js';

const ZONE = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();
const [ANNA, BOB, CHEN] = [1, 2, 3];

// Weekly rotation handing off on Mondays 09:00 Berlin, anchored Monday 16 Mar 2026 (CET, 08:00Z).
const weekly: Rotation = { members: [ANNA, BOB, CHEN], weekday: 1, minute: 540, lengthDays: 7, anchorAt: at('2026-03-16T08:00:00Z') };

describe('on-call rotations', () => {
  it('hands off at the local time, also across the daylight-saving change', () => {
    expect(shiftAt(weekly, at('2026-03-18T12:00:00Z'), ZONE)).toMatchObject({ index: 0, personId: ANNA });
    // Monday 23 Mar 09:00 is still CET (08:00Z); Monday 30 Mar 09:00 is CEST (07:00Z).
    const shifts = shiftsBetween(weekly, at('2026-03-16T08:00:00Z'), at('2026-04-06T00:00:00Z'), ZONE);
    expect(shifts.map((s) => [s.personId, iso(s.start)])).toEqual([
      [ANNA, '2026-03-16T08:00:00.000Z'],
      [BOB, '2026-03-23T08:00:00.000Z'],
      [CHEN, '2026-03-30T07:00:00.000Z'],
    ]);
    // Just before and after the hand-off on 30 Mar.
    expect(shiftAt(weekly, at('2026-03-30T06:59:59Z'), ZONE).personId).toBe(BOB);
    expect(shiftAt(weekly, at('2026-03-30T07:00:00Z'), ZONE).personId).toBe(CHEN);
    // Wraps around to the first person, and works before the anchor too.
    expect(shiftAt(weekly, at('2026-04-07T00:00:00Z'), ZONE).personId).toBe(ANNA);
    expect(shiftAt(weekly, at('2026-03-10T00:00:00Z'), ZONE).personId).toBe(CHEN);
  });

  it('starts a new rotation at the latest hand-off before now', () => {
    expect(iso(latestHandoff({ weekday: 1, minute: 540 }, at('2026-11-25T15:00:00Z'), ZONE))).toBe('2026-11-23T08:00:00.000Z');
    expect(iso(latestHandoff({ weekday: 1, minute: 540 }, at('2026-11-23T07:59:00Z'), ZONE))).toBe('2026-11-16T08:00:00.000Z');
    expect(iso(latestHandoff({ weekday: null, minute: 540 }, at('2026-11-25T07:00:00Z'), ZONE))).toBe('2026-11-24T08:00:00.000Z');
  });

  it('lays overrides over the rotation; the one set last wins', () => {
    const overrides: OverrideSpan[] = [
      { id: 1, personId: CHEN, startsAt: at('2026-03-17T08:00:00Z'), endsAt: at('2026-03-17T17:00:00Z') },
      { id: 2, personId: BOB, startsAt: at('2026-03-17T12:00:00Z'), endsAt: at('2026-03-17T13:00:00Z') },
    ];
    const line = timeline(weekly, overrides, at('2026-03-17T00:00:00Z'), at('2026-03-18T00:00:00Z'), ZONE);
    expect(line.map((s) => [s.personId, iso(s.start), iso(s.end), s.overrideId])).toEqual([
      [ANNA, '2026-03-17T00:00:00.000Z', '2026-03-17T08:00:00.000Z', null],
      [CHEN, '2026-03-17T08:00:00.000Z', '2026-03-17T12:00:00.000Z', 1],
      [BOB, '2026-03-17T12:00:00.000Z', '2026-03-17T13:00:00.000Z', 2],
      [CHEN, '2026-03-17T13:00:00.000Z', '2026-03-17T17:00:00.000Z', 1],
      [ANNA, '2026-03-17T17:00:00.000Z', '2026-03-18T00:00:00.000Z', null],
    ]);
  });

  it('says who is on call now, until when, and who comes next', () => {
    const { now, next } = onCallAt(weekly, [], at('2026-03-18T12:00:00Z'), ZONE);
    expect([now?.personId, iso(now?.end), next?.personId, iso(next?.start)]).toEqual([ANNA, '2026-03-23T08:00:00.000Z', BOB, '2026-03-23T08:00:00.000Z']);
    const single: Rotation = { ...weekly, members: [ANNA] };
    expect(onCallAt(single, [], at('2026-03-18T12:00:00Z'), ZONE)).toMatchObject({ next: undefined, openEnded: true });
    expect(onCallAt(weekly, [], at('2026-03-18T12:00:00Z'), ZONE).openEnded).toBe(false);
    expect(onCallAt(undefined, [], at('2026-03-18T12:00:00Z'), ZONE).now).toBeUndefined();
  });

  it('reads hand-offs and lengths as managers type them', () => {
    expect(parseHandoff('Mon 09:00')).toEqual({ weekday: 1, minute: 540 });
    expect(parseHandoff('fri@17:30')).toEqual({ weekday: 5, minute: 1050 });
    expect(parseHandoff('08:00')).toEqual({ weekday: null, minute: 480 });
    expect(parseHandoff('Someday 09:00')).toBeUndefined();
    expect(parseHandoff('Mon 25:00')).toBeUndefined();
    expect(parseLength('1w')).toBe(7);
    expect(parseLength('3d')).toBe(3);
    expect(parseLength('5w')).toBeUndefined();
    expect(parseLength('0d')).toBeUndefined();
  });
});
