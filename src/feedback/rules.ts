// Feedback (policy 5.3), the pure part: ratings, tallies, bars, trends, anonymous voter keys, schedule
// slots and summary periods. No I/O here; unit-tested in test/unit/feedback-rules.test.ts.
import { createHmac } from 'node:crypto';
import { DateTime } from 'luxon';
import { formatFaultId } from '../faults/rules.js';
import { formatRequestId } from '../requests/rules.js';

export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

export function isRating(value: number): value is Rating {
  return (RATINGS as readonly number[]).includes(value);
}

/** 😞 1 … 😄 5, as on the survey and poll buttons. */
export const RATING_EMOJI: Record<Rating, string> = { 1: '😞', 2: '🙁', 3: '😐', 4: '🙂', 5: '😄' };

export function ratingLabel(rating: Rating): string {
  return `${RATING_EMOJI[rating]} ${rating}`;
}

/** The kinds of record a satisfaction survey can be about; a survey row names its record by (record_type, record_id). */
export const SURVEY_RECORD_TYPES = ['fault', 'request'] as const;
export type SurveyRecordType = (typeof SURVEY_RECORD_TYPES)[number];

const RECORD_ID_FORMAT: Record<SurveyRecordType, (id: number) => string> = { fault: formatFaultId, request: formatRequestId };

export function formatRecordId(type: SurveyRecordType, id: number): string {
  return RECORD_ID_FORMAT[type](id);
}

export function isSurveyRecordType(value: string): value is SurveyRecordType {
  return (SURVEY_RECORD_TYPES as readonly string[]).includes(value);
}

/** Whether a survey still takes ratings and comments at `now`. */
export function surveyOpen(survey: { closesAt: Date; closedAt: Date | null }, now: Date): boolean {
  return survey.closedAt === null && now.getTime() < survey.closesAt.getTime();
}

/** Counts of votes or ratings per value 1..5. */
export type Counts = Record<Rating, number>;

export function emptyCounts(): Counts {
  return { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
}

export function countsOf(values: readonly number[]): Counts {
  const counts = emptyCounts();
  for (const value of values) if (isRating(value)) counts[value]++;
  return counts;
}

export interface Tally {
  total: number;
  /** Mean of the values; undefined when nobody answered. */
  average: number | undefined;
  /** Share of 4 and 5 (0..1), the CSAT "satisfied" share; undefined when nobody answered. */
  satisfied: number | undefined;
}

export function tally(counts: Counts): Tally {
  let total = 0;
  let sum = 0;
  for (const rating of RATINGS) {
    total += counts[rating];
    sum += rating * counts[rating];
  }
  if (total === 0) return { total, average: undefined, satisfied: undefined };
  return { total, average: sum / total, satisfied: (counts[4] + counts[5]) / total };
}

/** A bar of text blocks, `█████░░░░░` for half. */
export function bar(part: number, whole: number, width = 10): string {
  const filled = whole <= 0 ? 0 : Math.min(width, Math.max(0, Math.round((part / whole) * width)));
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** `3.8`: one decimal, the way averages are shown. */
export function formatAverage(average: number | undefined): string {
  return average === undefined ? '—' : average.toFixed(1);
}

/** `67%` */
export function formatShare(share: number | undefined): string {
  return share === undefined ? '—' : `${Math.round(share * 100)}%`;
}

/** `▲ 0.3`, `▼ 12%`, `= 0.0`; empty when either side has no data. */
export function trendOf(current: number | undefined, previous: number | undefined, kind: 'average' | 'share'): string {
  if (current === undefined || previous === undefined) return '';
  const delta = current - previous;
  const size = kind === 'average' ? Math.abs(delta).toFixed(1) : `${Math.round(Math.abs(delta) * 100)}%`;
  const rounded = kind === 'average' ? Math.round(delta * 10) : Math.round(delta * 100);
  const arrow = rounded > 0 ? '▲' : rounded < 0 ? '▼' : '=';
  return `${arrow} ${size}`;
}

/**
 * The key a poll ballot is stored under: HMAC-SHA256(secret, "pollId:personId"). It lets a second click
 * replace the first vote without storing who voted; without the secret it cannot be traced back.
 */
export function voterKey(secret: string, pollId: number, personId: number): string {
  return createHmac('sha256', secret).update(`${pollId}:${personId}`).digest('hex');
}

/** The value of a vote button: `pollId:choice`. */
export function voteValue(pollId: number, choice: Rating): string {
  return `${pollId}:${choice}`;
}

/** The value of a survey rating button: `surveyId:rating`. */
export const rateValue = voteValue;

/** Reads `id:rating` back; undefined for anything else. */
export function parseRatedValue(value: string): { id: number; rating: Rating } | undefined {
  const match = /^(\d{1,9}):([1-5])$/.exec(value.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const rating = Number(match[2]);
  return isRating(rating) ? { id: Number(match[1]), rating } : undefined;
}

export function parseNumericId(value: string): number | undefined {
  const match = /^(\d{1,9})$/.exec(value.trim());
  return match?.[1] ? Number(match[1]) : undefined;
}

/** Suggestion topics, offered as a select in the form. */
export const SUGGESTION_TOPICS = ['support', 'hardware', 'software', 'network', 'security', 'process', 'other'] as const;
export type SuggestionTopic = (typeof SUGGESTION_TOPICS)[number];

export function formatSuggestionId(id: number): string {
  return `FB-${id}`;
}

export function parseSuggestionId(value: string): number | undefined {
  const match = /^(?:fb-)?(\d{1,9})$/i.exec(value.trim());
  return match?.[1] ? Number(match[1]) : undefined;
}

const MINUTE_MS = 60_000;

/**
 * The latest minute in (now - lookback, now] that a schedule matches, or undefined. The weekly poll
 * job asks this every minute: a fire missed while the bot was down is still posted within the lookback.
 */
export function latestSlot(matches: (minute: Date) => boolean, now: Date, lookbackMinutes: number): Date | undefined {
  const current = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let step = 0; step < lookbackMinutes; step++) {
    const minute = new Date(current - step * MINUTE_MS);
    if (matches(minute)) return minute;
  }
  return undefined;
}

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export const SUMMARY_PERIODS = ['week', 'month', 'quarter'] as const;
export type SummaryPeriod = (typeof SUMMARY_PERIODS)[number];

const PERIOD_DAYS: Record<SummaryPeriod, number> = { week: 7, month: 30, quarter: 91 };
const DAY_MS = 86_400_000;

/** The last 7 / 30 / 91 days up to now, and the same length before it (for the trend). */
export function rollingPeriods(kind: SummaryPeriod, now: Date): { current: Period; previous: Period } {
  const length = PERIOD_DAYS[kind] * DAY_MS;
  const to = now.getTime();
  return {
    current: { from: new Date(to - length), to: new Date(to) },
    previous: { from: new Date(to - 2 * length), to: new Date(to - length) },
  };
}

/** The calendar month before the one `now` is in (in `timeZone`), and the month before that. */
export function previousCalendarMonths(now: Date, timeZone: string): { current: Period; previous: Period } {
  const thisMonth = DateTime.fromJSDate(now, { zone: timeZone }).startOf('month');
  const lastMonth = thisMonth.minus({ months: 1 });
  const monthBefore = lastMonth.minus({ months: 1 });
  return {
    current: { from: lastMonth.toJSDate(), to: thisMonth.toJSDate() },
    previous: { from: monthBefore.toJSDate(), to: lastMonth.toJSDate() },
  };
}

/** `2026-11-01 – 2026-11-30` in `timeZone` (the end is exclusive, so the day before it is shown). */
export function formatPeriod(period: Period, timeZone: string): string {
  const from = DateTime.fromJSDate(period.from, { zone: timeZone }).toFormat('yyyy-MM-dd');
  const to = DateTime.fromJSDate(new Date(period.to.getTime() - 1), { zone: timeZone }).toFormat('yyyy-MM-dd');
  return `${from} – ${to}`;
}
