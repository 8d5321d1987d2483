import { createHash } from 'node:crypto';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import { closedPollMessage, openPollMessage, resultLines, surveyMessage } from '../../src/feedback/cards.js';
import {
  bar,
  countsOf,
  formatAverage,
  formatPeriod,
  formatRecordId,
  formatShare,
  latestSlot,
  parseRatedValue,
  parseSuggestionId,
  previousCalendarMonths,
  rollingPeriods,
  surveyOpen,
  tally,
  trendOf,
  voterKey,
} from '../../src/feedback/rules.js';
import { parseDays, parseQuestion, parseSchedule } from '../../src/feedback/setting-specs.js';
import { translator } from '../../src/chat/i18n/catalog.js';
import { FeedbackSurvey } from '../../src/store/entities/index.js';

const t = translator('en');

describe('feedback rules', () => {
  it('tallies counts into total, average and the share of 4-5', () => {
    const counts = countsOf([5, 4, 4, 3, 1, 9, 0]);
    expect(counts).toEqual({ 1: 1, 2: 0, 3: 1, 4: 2, 5: 1 });
    const result = tally(counts);
    expect(result.total).toBe(5);
    expect(result.average).toBeCloseTo(3.4);
    expect(result.satisfied).toBeCloseTo(0.6);
    expect(tally(countsOf([]))).toEqual({ total: 0, average: undefined, satisfied: undefined });
    expect(formatAverage(result.average)).toBe('3.4');
    expect(formatShare(result.satisfied)).toBe('60%');
    expect(formatAverage(undefined)).toBe('—');
  });

  it('draws bars of ten text blocks, rounded, empty for nothing', () => {
    expect(bar(5, 10)).toBe('█████░░░░░');
    expect(bar(1, 3)).toBe('███░░░░░░░');
    expect(bar(2, 3)).toBe('███████░░░');
    expect(bar(3, 3)).toBe('██████████');
    expect(bar(0, 0)).toBe('░░░░░░░░░░');
  });

  it('shows a trend with an arrow, or nothing when a side has no data', () => {
    expect(trendOf(4.2, 3.9, 'average')).toBe('▲ 0.3');
    expect(trendOf(3.5, 4, 'average')).toBe('▼ 0.5');
    expect(trendOf(4, 4.01, 'average')).toBe('= 0.0');
    expect(trendOf(0.5, 0.62, 'share')).toBe('▼ 12%');
    expect(trendOf(undefined, 4, 'average')).toBe('');
    expect(trendOf(4, undefined, 'share')).toBe('');
  });

  it('keys a voter by a keyed hash that depends on secret, poll and person and reveals neither', () => {
    const key = voterKey('s3cret', 7, 42);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(voterKey('s3cret', 7, 42)).toBe(key);
    expect(voterKey('s3cret', 8, 42)).not.toBe(key);
    expect(voterKey('s3cret', 7, 43)).not.toBe(key);
    expect(voterKey('other', 7, 42)).not.toBe(key);
    // Without the secret, hashing the obvious inputs does not find it.
    for (const guess of ['7:42', '42', '42:7']) expect(createHash('sha256').update(guess).digest('hex')).not.toBe(key);
  });

  it('reads button values and ids back, refusing anything else', () => {
    expect(parseRatedValue('12:4')).toEqual({ id: 12, rating: 4 });
    expect(parseRatedValue('12:6')).toBeUndefined();
    expect(parseRatedValue('x:1')).toBeUndefined();
    expect(parseRatedValue('12:4:1')).toBeUndefined();
    expect(parseSuggestionId('FB-3')).toBe(3);
    expect(parseSuggestionId('fb-3')).toBe(3);
    expect(parseSuggestionId('INC-3')).toBeUndefined();
    expect(formatRecordId('fault', 9)).toBe('INC-9');
  });

  it('finds the latest schedule minute within the lookback, in the configured time zone', () => {
    const monday10 = cron.createTask('0 10 * * 1', () => undefined, { timezone: 'Europe/Berlin' });
    const match = (d: Date) => monday10.match(d);
    // Monday 2026-11-30 10:00 in Berlin is 09:00 UTC.
    expect(latestSlot(match, new Date('2026-11-30T09:00:00Z'), 60)?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(latestSlot(match, new Date('2026-11-30T09:59:59Z'), 60)?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(latestSlot(match, new Date('2026-11-30T10:00:00Z'), 60)).toBeUndefined();
    expect(latestSlot(match, new Date('2026-11-30T08:59:59Z'), 60)).toBeUndefined();
    expect(latestSlot(match, new Date('2026-12-01T09:00:00Z'), 60)).toBeUndefined();
    void monday10.destroy();
  });

  it('computes rolling periods and the previous calendar month in the time zone', () => {
    const now = new Date('2026-12-01T08:30:00Z');
    const week = rollingPeriods('week', now);
    expect(week.current).toEqual({ from: new Date('2026-11-24T08:30:00Z'), to: now });
    expect(week.previous).toEqual({ from: new Date('2026-11-17T08:30:00Z'), to: new Date('2026-11-24T08:30:00Z') });
    const months = previousCalendarMonths(now, 'Europe/Berlin');
    expect(months.current.from.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(months.current.to.toISOString()).toBe('2026-11-30T23:00:00.000Z');
    // October starts in summer time (UTC+2).
    expect(months.previous.from.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(formatPeriod(months.current, 'Europe/Berlin')).toBe('2026-11-01 – 2026-11-30');
  });

  it('validates the feedback settings', () => {
    expect(parseSchedule('0 10 * * 1')).toBe('0 10 * * 1');
    expect(parseSchedule('  30   9 * * 1-5 ')).toBe('30 9 * * 1-5');
    expect(parseSchedule('0 0 10 * * 1')).toBeUndefined();
    expect(parseSchedule('every monday')).toBeUndefined();
    expect(parseSchedule('61 10 * * 1')).toBeUndefined();
    expect(parseDays(14)('3')).toBe('3');
    expect(parseDays(14)('0')).toBeUndefined();
    expect(parseDays(14)('15')).toBeUndefined();
    expect(parseDays(14)('2.5')).toBeUndefined();
    expect(parseQuestion('"How was IT this week?"')).toBe('How was IT this week?');
    expect(parseQuestion('ok')).toBeUndefined();
  });
});

function survey(overrides: Partial<FeedbackSurvey> = {}): FeedbackSurvey {
  return Object.assign(new FeedbackSurvey(), {
    id: 3,
    recordType: 'fault',
    recordId: 4,
    recordTitle: 'Mail server unreachable',
    respondentId: 1,
    resolverId: 2,
    platform: 'slack',
    rating: null,
    comment: null,
    createdAt: new Date('2026-11-23T09:00:00Z'),
    closesAt: new Date('2026-11-30T09:00:00Z'),
    ratedAt: null,
    closedAt: null,
    ...overrides,
  });
}

describe('feedback cards', () => {
  const view = { t, platform: 'slack' as const, timeZone: 'UTC' };
  const now = new Date('2026-11-24T09:00:00Z');

  it('asks with 1-5 buttons and a comment button, and marks the chosen rating', () => {
    const open = surveyMessage(survey(), now, view);
    expect(open.body).toBe('How satisfied are you with how INC-4 was handled?');
    expect(open.buttons?.map((b) => [b.actionId, b.value, b.label])).toEqual([
      ['feedback.rate', '3:1', '😞 1'],
      ['feedback.rate', '3:2', '🙁 2'],
      ['feedback.rate', '3:3', '😐 3'],
      ['feedback.rate', '3:4', '🙂 4'],
      ['feedback.rate', '3:5', '😄 5'],
      ['feedback.comment', '3', '💬 Add a comment'],
    ]);
    const rated = surveyMessage(survey({ rating: 4, comment: 'Quick, thanks' }), now, view);
    expect(rated.buttons?.filter((b) => b.style === 'primary').map((b) => b.value)).toEqual(['3:4']);
    expect(rated.fields).toEqual([
      { label: 'Your rating', value: '🙂 4 · Satisfied' },
      { label: 'Your comment', value: 'Quick, thanks' },
    ]);
    const closed = surveyMessage(survey({ rating: 4 }), new Date('2026-11-30T09:00:00Z'), view);
    expect(closed.buttons).toEqual([]);
    expect(surveyOpen(survey(), new Date('2026-11-30T09:00:00Z'))).toBe(false);
    expect(closed.context).toEqual(['Thank you for your answer. This survey is closed.']);
  });

  it('shows no counts on an open poll and counts, bars and the average once closed', () => {
    const poll = { id: 5, question: 'How satisfied were you?', closesAt: new Date('2026-11-26T09:00:00Z') };
    const open = openPollMessage(poll, view);
    expect(JSON.stringify(open)).not.toMatch(/votes|█|░/i);
    expect(open.buttons?.map((b) => b.value)).toEqual(['5:1', '5:2', '5:3', '5:4', '5:5', '5']);
    const counts = { 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 };
    expect(resultLines(counts)).toEqual([
      '😄 5  ███░░░░░░░  1 (25%)',
      '🙂 4  █████░░░░░  2 (50%)',
      '😐 3  ░░░░░░░░░░  0 (0%)',
      '🙁 2  ███░░░░░░░  1 (25%)',
      '😞 1  ░░░░░░░░░░  0 (0%)',
    ]);
    const closed = closedPollMessage({ ...poll, closedAt: poll.closesAt }, counts, view);
    expect(closed.buttons).toBeUndefined();
    expect(closed.fields).toEqual([
      { label: 'Votes', value: '4' },
      { label: 'Average', value: '3.8 / 5' },
      { label: 'Satisfied (4-5)', value: '75%' },
    ]);
  });
});
