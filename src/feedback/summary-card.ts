import { topicLabel, type FeedbackView } from './cards.js';
import { RATING_EMOJI, formatAverage, formatPeriod, formatShare, trendOf } from './rules.js';
import type { FeedbackSummary } from './summary.js';
import { truncate } from '../chat/format.js';
import type { ChatMessage } from '../chat/model.js';
import { countKey } from '../chat/i18n/catalog.js';

/** The summary as a report card: the numbers that matter with their trend, then the details. */
export function summaryMessage(summary: FeedbackSummary, view: FeedbackView): ChatMessage {
  const { t, timeZone } = view;
  const period = formatPeriod(summary.current, timeZone);
  const now = summary.surveys.result;
  const before = summary.previousSurveys.result;
  const withTrend = (value: string, trend: string) => (trend ? `${value}  ${trend}` : value);
  const pollVotes = summary.polls.reduce((sum, p) => sum + p.result.total, 0);

  const sections: string[] = [];
  if (summary.polls.length > 0) {
    const lines = summary.polls.map((p) =>
      t(countKey('feedback.summary.pollLine', p.result.total), { question: truncate(p.question, 120), votes: p.result.total, average: formatAverage(p.result.average), satisfied: formatShare(p.result.satisfied) }),
    );
    sections.push(`*${t('feedback.summary.polls')}*\n${lines.join('\n')}`);
  }
  if (summary.lowest.length > 0) {
    const lines = summary.lowest.map((low) => {
      const line = t('feedback.summary.lowLine', { record: low.record, title: truncate(low.title, 80), rating: `${RATING_EMOJI[low.rating]} ${low.rating}` });
      return low.comment ? `${line}\n    “${truncate(low.comment, 200)}”` : line;
    });
    sections.push(`*${t('feedback.summary.lowest')}*\n${lines.join('\n')}`);
  }
  if (summary.topics.length > 0) {
    const lines = summary.topics.map((topic) => t('feedback.summary.topicLine', { topic: topicLabel(topic.topic, t), count: topic.count }));
    sections.push(`*${t('feedback.summary.topics')}*\n${lines.join('\n')}`);
  }
  if (sections.length === 0) sections.push(t('feedback.summary.nothing'));

  return {
    fallback: t('feedback.summary.fallback', { period, average: formatAverage(now.average), satisfied: formatShare(now.satisfied) }),
    title: `📊 ${t('feedback.summary.title', { period })}`,
    color: 'blue',
    body: sections.join('\n\n'),
    fields: [
      { label: t('feedback.field.csat'), value: withTrend(t('feedback.outOfFive', { value: formatAverage(now.average) }), trendOf(now.average, before.average, 'average')) },
      { label: t('feedback.field.satisfied'), value: withTrend(formatShare(now.satisfied), trendOf(now.satisfied, before.satisfied, 'share')) },
      { label: t('feedback.field.ratings'), value: t(countKey('feedback.summary.ratings', summary.surveys.sent), { rated: now.total, sent: summary.surveys.sent }) },
      { label: t('feedback.field.polls'), value: t(countKey('feedback.summary.pollsValue', pollVotes), { polls: summary.polls.length, votes: pollVotes }) },
      { label: t('feedback.field.suggestions'), value: String(summary.suggestions) },
    ],
    context: [t('feedback.summary.trendAgainst', { period: formatPeriod(summary.previous, timeZone) })],
  };
}
