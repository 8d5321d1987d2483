// Issue 9, item 4: one reader for every typed time, tried as a table, in a zone with DST.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { routeCommand } from '../../src/chat/command-router.js';
import { readTimeArgument } from '../../src/chat/time-argument.js';
import { parseWindow } from '../../src/changes/rules.js';
import { InvalidInputError } from '../../src/errors.js';
import { translator } from '../../src/chat/i18n/catalog.js';
import { parseTimeInput, TIME_INPUT_FORMS } from '../../src/time/time-input.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
/** Monday 2026-11-23 10:30 in Berlin (UTC+1). */
const NOW = new Date('2026-11-23T09:30:00Z');

const read = (text: string, options: { now?: Date; zone?: string; base?: Date } = {}) => {
  const result = parseTimeInput(text, { now: options.now ?? NOW, timeZone: options.zone ?? BERLIN, ...(options.base ? { base: options.base } : {}) });
  return result.ok ? result.at.toISOString() : result.problem;
};

describe('parseTimeInput', () => {
  it.each([
    // The form's format, with one or more spaces or a T, and one-digit hours.
    ['2026-12-07 09:00', '2026-12-07T08:00:00.000Z'],
    ['2026-12-07  9:00', '2026-12-07T08:00:00.000Z'],
    ['2026-12-07T09:00', '2026-12-07T08:00:00.000Z'],
    [' 2026-07-01 09:00 ', '2026-07-01T07:00:00.000Z'],
    // Today in TZ_NAME, now, and after now.
    ['18:00', '2026-11-23T17:00:00.000Z'],
    ['7:05', '2026-11-23T06:05:00.000Z'],
    ['now', '2026-11-23T09:30:00.000Z'],
    ['NOW', '2026-11-23T09:30:00.000Z'],
    ['+30m', '2026-11-23T10:00:00.000Z'],
    ['+8h', '2026-11-23T17:30:00.000Z'],
    ['+2d', '2026-11-25T09:30:00.000Z'],
    ['+1w', '2026-11-30T09:30:00.000Z'],
    ['+1h30m', '2026-11-23T11:00:00.000Z'],
  ])('reads %j', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it.each([
    'tomorrow',
    '2026-12-07',
    '2026-13-01 09:00',
    '2026-02-30 09:00',
    '2026-12-07 24:00',
    '2026-12-07 09:60',
    '25:00',
    '9',
    '07.12.2026 09:00',
    '+0h',
    '+8',
    '+h',
    '+1h1h',
    '-8h',
    '',
  ])('refuses %j as no time', (text) => {
    expect(read(text)).toBe('format');
  });

  it('refuses a wall time a DST change skips, in the date form and as a time of today', () => {
    // Berlin: 2026-03-29 02:00 -> 03:00; New York: 2026-03-08 02:00 -> 03:00.
    expect(read('2026-03-29 02:30')).toBe('skipped');
    expect(read('2026-03-29T02:00')).toBe('skipped');
    expect(read('2026-03-29 03:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(read('2026-03-29 01:59')).toBe('2026-03-29T00:59:00.000Z');
    expect(read('02:15', { now: new Date('2026-03-29T00:30:00Z') })).toBe('skipped');
    expect(read('2026-03-08 02:30', { zone: NEW_YORK })).toBe('skipped');
  });

  it('reads a wall time a DST change repeats as its first occurrence', () => {
    // Berlin: 2026-10-25 03:00 CEST -> 02:00 CET, so 02:30 happens at 00:30Z and again at 01:30Z.
    expect(read('2026-10-25 02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(read('02:30', { now: new Date('2026-10-25T03:00:00Z') })).toBe('2026-10-25T00:30:00.000Z');
    // New York: 2026-11-01 02:00 EDT -> 01:00 EST, so 01:30 happens at 05:30Z and again at 06:30Z.
    expect(read('2026-11-01 01:30', { zone: NEW_YORK })).toBe('2026-11-01T05:30:00.000Z');
  });

  it('counts +Nh in elapsed hours and +Nd in calendar days, across a DST change', () => {
    const before = new Date('2026-03-28T11:00:00Z'); // Saturday 12:00 CET
    expect(read('+1d', { base: before })).toBe('2026-03-29T10:00:00.000Z'); // Sunday 12:00 CEST
    expect(read('+24h', { base: before })).toBe('2026-03-29T11:00:00.000Z'); // Sunday 13:00 CEST
    expect(read('now', { base: before })).toBe(NOW.toISOString());
  });

  it('reads a small m as minutes and refuses a capital M (minutes or months?) as ambiguous', () => {
    expect(read('+1m')).toBe('2026-11-23T09:31:00.000Z');
    expect(read('+2H')).toBe('2026-11-23T11:30:00.000Z');
    for (const text of ['+1M', '+30M', '+1h30M', '+1M1d']) expect(read(text)).toBe('month');
  });
});

describe('time arguments of commands', () => {
  const oncall = COMMANDS.find((c) => c.name === 'oncall');
  if (!oncall) throw new Error('no /oncall');

  it('reads a date and a time typed as two words as one argument, as in the field report', () => {
    const routed = routeCommand(oncall, 'override <@U1|a> 2026-12-07 09:00 2026-12-14 09:00');
    expect(routed.args).toMatchObject({ user: { userId: 'U1' }, from: '2026-12-07 09:00', to: '2026-12-14 09:00', level: 'primary' });
    expect(routeCommand(oncall, 'override @a 2026-12-07 09:00 +8h secondary').args).toMatchObject({ from: '2026-12-07 09:00', to: '+8h', level: 'secondary' });
    expect(routeCommand(oncall, 'override @a "2026-12-07 09:00" 2026-12-14T09:00').args).toMatchObject({ from: '2026-12-07 09:00', to: '2026-12-14T09:00' });
    expect(routeCommand(oncall, 'override @a now 18:00 manager').args).toMatchObject({ from: 'now', to: '18:00', level: 'manager' });
    expect(routeCommand(oncall, 'override @a from="2026-12-07 09:00" to=+2d').args).toMatchObject({ from: '2026-12-07 09:00', to: '+2d' });
  });

  it('says which argument is wrong and shows the accepted forms', () => {
    const context = { now: NOW, timeZone: BERLIN };
    expect(readTimeArgument('from', '2026-12-07 09:00', context).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(() => readTimeArgument('to', 'next monday', context)).toThrow(
      expect.objectContaining({ messageKey: 'core.error.badTime', params: { option: 'to', value: 'next monday', zone: BERLIN, forms: TIME_INPUT_FORMS } }) as Error,
    );
    expect(() => readTimeArgument('from', '2026-03-29 02:30', context)).toThrow(expect.objectContaining({ messageKey: 'core.error.skippedTime' }) as Error);
    expect(() => readTimeArgument('from', 'x', context)).toThrow(InvalidInputError);
    expect(() => readTimeArgument('to', '+1M', context)).toThrow(expect.objectContaining({ messageKey: 'core.error.ambiguousMonth', params: { option: 'to', value: '+1M' } }) as Error);
  });

  it('words the minutes-or-months error with +30m, +2h, +1d, in English and Chinese', () => {
    const params = { option: 'to', value: '+1M' };
    expect(translator('en')('core.error.ambiguousMonth', params)).toBe(
      '"+1M" is not a time for to: M could mean minutes or months. Write minutes with a small m, or hours, days or weeks: +30m, +2h, +1d, +1w.',
    );
    expect(translator('zh-CN')('core.error.ambiguousMonth', params)).toContain('+30m、+2h、+1d');
  });
});

describe('change windows use the same reader', () => {
  const now = new Date('2026-03-20T10:00:00Z');

  it('accepts every form, an end relative to the start, and refuses as before', () => {
    expect(parseWindow('2026-03-21T22:00', '+2h', BERLIN, now)).toEqual({
      ok: true,
      window: { start: new Date('2026-03-21T21:00:00Z'), end: new Date('2026-03-21T23:00:00Z') },
    });
    expect(parseWindow('now', '+30m', BERLIN, now)).toEqual({ ok: true, window: { start: now, end: new Date('2026-03-20T10:30:00Z') } });
    expect(parseWindow('2026-03-29 02:30', 'soon', BERLIN, now)).toEqual({ ok: false, errors: { windowStart: 'nonexistent', windowEnd: 'format' } });
    expect(parseWindow('now', '+2M', BERLIN, now)).toEqual({ ok: false, errors: { windowEnd: 'month' } });
  });
});
