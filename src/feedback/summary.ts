import { summaryMessage } from './summary-card.js';
import type { FeedbackOptions } from './delivery.js';
import type { ClosedPoll, PollService } from './polls.js';
import { countsOf, formatRecordId, isRating, previousCalendarMonths, rollingPeriods, tally, type Counts, type Period, type Rating, type SummaryPeriod, type Tally } from './rules.js';
import type { FeedbackSettings } from './settings.js';
import type { SuggestionService } from './suggestions.js';
import type { SurveyService } from './surveys.js';
import { translator } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import { enqueue } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { Store } from '../store/store.js';

export const LOWEST_SHOWN = 5;
/** Ratings at or below this count as "low" in the summary's list. */
export const LOW_RATING = 3;

export interface SurveyStats {
  sent: number;
  counts: Counts;
  result: Tally;
}

export interface LowRated {
  record: string;
  title: string;
  rating: Rating;
  comment: string | null;
}

export interface FeedbackSummary {
  current: Period;
  previous: Period;
  surveys: SurveyStats;
  previousSurveys: SurveyStats;
  polls: ClosedPoll[];
  lowest: LowRated[];
  topics: { topic: string; count: number }[];
  suggestions: number;
}

/** Feedback summarised for a period (policy 5.3): CSAT and its trend, polls, low ratings, suggestions. */
export class SummaryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: FeedbackSettings,
    private readonly parts: { surveys: SurveyService; polls: PollService; suggestions: SuggestionService },
    private readonly options: FeedbackOptions,
  ) {}

  /** `/feedback summary [week|month|quarter]`, for engineers and managers. */
  async forPeriod(actor: Actor, kind: SummaryPeriod): Promise<FeedbackSummary> {
    if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('feedback.error.engineerOnlySummary');
    const { current, previous } = rollingPeriods(kind, this.clock.now());
    return this.build(current, previous);
  }

  async build(current: Period, previous: Period): Promise<FeedbackSummary> {
    const { surveys, polls, suggestions } = this.parts;
    const [sent, sentBefore, closedPolls, submitted] = await Promise.all([
      surveys.sentIn(current),
      surveys.sentIn(previous),
      polls.closedIn(current),
      suggestions.submittedIn(current),
    ]);
    const stats = (list: typeof sent): SurveyStats => {
      const counts = countsOf(list.flatMap((s) => (s.rating === null ? [] : [s.rating])));
      return { sent: list.length, counts, result: tally(counts) };
    };
    const lowest = sent
      .flatMap((s): LowRated[] =>
        s.rating !== null && isRating(s.rating) && s.rating <= LOW_RATING
          ? [{ record: formatRecordId(s.recordType, s.recordId), title: s.recordTitle, rating: s.rating, comment: s.comment }]
          : [],
      )
      .sort((a, b) => a.rating - b.rating)
      .slice(0, LOWEST_SHOWN);
    const byTopic = new Map<string, number>();
    for (const s of submitted) byTopic.set(s.topic, (byTopic.get(s.topic) ?? 0) + 1);
    const topics = [...byTopic.entries()].map(([topic, count]) => ({ topic, count })).sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic));
    return {
      current,
      previous,
      surveys: stats(sent),
      previousSurveys: stats(sentBefore),
      polls: closedPolls,
      lowest,
      topics,
      suggestions: submitted.length,
    };
  }

  /** The monthly job: last calendar month's summary to the IT department's channel. */
  async postMonthly(now: Date): Promise<boolean> {
    const channel = await this.settings.itChannel();
    if (!channel) return false;
    const { current, previous } = previousCalendarMonths(now, this.options.timeZone);
    const summary = await this.build(current, previous);
    const message = summaryMessage(summary, { t: translator(this.options.defaultLocale), platform: channel.platform, timeZone: this.options.timeZone });
    await this.store.transaction((manager) => enqueue(manager, now, [{ target: channel, message }]));
    this.options.onOutbox?.();
    return true;
  }
}
