// Chat-model views of surveys, polls, suggestions and summaries.
import {
  RATINGS,
  RATING_EMOJI,
  bar,
  formatAverage,
  formatRecordId,
  formatShare,
  formatSuggestionId,
  ratingLabel,
  rateValue,
  surveyOpen,
  tally,
  trendOf,
  voteValue,
  type Counts,
  type Rating,
} from './rules.js';
import { formatTime, mention, truncate, type PersonView } from '../chat/format.js';
import { countKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatField, ChatMessage, Platform } from '../chat/model.js';
import type { FeedbackSuggestion, FeedbackSurvey } from '../store/entities/index.js';

export interface FeedbackView {
  t: Translate;
  platform: Platform;
  timeZone: string;
}

export function ratingText(rating: Rating, t: Translate): string {
  return `${ratingLabel(rating)} · ${t(`feedback.rating.${rating}`)}`;
}

function surveyRating(survey: FeedbackSurvey): Rating | undefined {
  const rating = survey.rating;
  return rating === 1 || rating === 2 || rating === 3 || rating === 4 || rating === 5 ? rating : undefined;
}

/** The survey DM: one line of question, 1-5 buttons, a comment button; edited in place on every answer. */
export function surveyMessage(survey: FeedbackSurvey, now: Date, view: FeedbackView): ChatMessage {
  const { t, timeZone } = view;
  const id = formatRecordId(survey.recordType, survey.recordId);
  const open = surveyOpen(survey, now);
  const rating = surveyRating(survey);
  const question = t('feedback.survey.question', { id });
  const fields: ChatField[] = [];
  if (rating !== undefined) fields.push({ label: t('feedback.survey.yourRating'), value: ratingText(rating, t) });
  if (survey.comment) fields.push({ label: t('feedback.survey.yourComment'), value: survey.comment });

  const until = formatTime(survey.closesAt, timeZone);
  const context = open
    ? [rating === undefined ? t('feedback.survey.howTo', { time: until }) : t('feedback.survey.thanks', { time: until })]
    : [rating === undefined ? t('feedback.survey.closedUnanswered') : t('feedback.survey.closed')];

  const buttons: ChatButton[] = open
    ? [
        ...RATINGS.map((n): ChatButton => ({
          actionId: 'feedback.rate',
          value: rateValue(survey.id, n),
          label: ratingLabel(n),
          ...(n === rating ? { style: 'primary' as const } : {}),
        })),
        { actionId: 'feedback.comment', value: String(survey.id), label: t(survey.comment ? 'feedback.button.editComment' : 'feedback.button.comment') },
      ]
    : [];
  return {
    fallback: rating === undefined ? question : `${question} ${ratingText(rating, t)}`,
    title: `${id} · ${survey.recordTitle}`,
    color: 'blue',
    body: question,
    fields,
    context,
    buttons,
  };
}

export interface PollView {
  id: number;
  question: string;
  closesAt: Date;
}

/** The open poll: the question, 1-5 buttons and "Suggest something"; no running counts. */
export function openPollMessage(poll: PollView, view: FeedbackView): ChatMessage {
  const { t, timeZone } = view;
  return {
    fallback: t('feedback.poll.fallback', { question: poll.question }),
    title: `📋 ${t('feedback.poll.title')}`,
    color: 'blue',
    body: `*${poll.question}*`,
    context: [t('feedback.poll.anonymous'), t('feedback.poll.closesAt', { time: formatTime(poll.closesAt, timeZone) })],
    buttons: [
      ...RATINGS.map((n): ChatButton => ({ actionId: 'feedback.vote', value: voteValue(poll.id, n), label: ratingLabel(n) })),
      { actionId: 'feedback.suggest', value: String(poll.id), label: t('feedback.button.suggest') },
    ],
  };
}

/** One line per value, 5 down to 1: `😄 5  ██████░░░░  6 (60%)`. */
export function resultLines(counts: Counts): string[] {
  const { total } = tally(counts);
  return [...RATINGS].reverse().map((n) => {
    const share = total === 0 ? 0 : Math.round((counts[n] / total) * 100);
    return `${RATING_EMOJI[n]} ${n}  ${bar(counts[n], total)}  ${counts[n]} (${share}%)`;
  });
}

/** The closed poll, edited in place of the open one: counts, bars, average. */
export function closedPollMessage(poll: PollView & { closedAt: Date }, counts: Counts, view: FeedbackView): ChatMessage {
  const { t, timeZone } = view;
  const result = tally(counts);
  return {
    fallback: t(countKey('feedback.poll.closedFallback', result.total), { question: poll.question, votes: result.total, average: formatAverage(result.average) }),
    title: `📋 ${t('feedback.poll.titleClosed')}`,
    color: 'green',
    body: `*${poll.question}*\n${resultLines(counts).join('\n')}`,
    fields: [
      { label: t('feedback.field.votes'), value: String(result.total) },
      { label: t('feedback.field.average'), value: t('feedback.outOfFive', { value: formatAverage(result.average) }) },
      { label: t('feedback.field.satisfied'), value: formatShare(result.satisfied) },
    ],
    context: [t('feedback.poll.closedAt', { time: formatTime(poll.closedAt, timeZone) }), t('feedback.poll.anonymous')],
  };
}

/** The short summary posted under a closed poll, with the trend against the previous poll. */
export function pollSummaryMessage(question: string, counts: Counts, previous: Counts | undefined, t: Translate): ChatMessage {
  const result = tally(counts);
  const before = previous ? tally(previous) : undefined;
  const lines = [
    t(countKey('feedback.poll.summary', result.total), {
      question,
      votes: result.total,
      average: formatAverage(result.average),
      satisfied: formatShare(result.satisfied),
    }),
  ];
  const trend = trendOf(result.average, before?.average, 'average');
  if (trend && before) lines.push(t('feedback.poll.summaryTrend', { trend, previous: formatAverage(before.average) }));
  const text = lines.join('\n');
  return { fallback: text, body: text };
}

export function topicLabel(topic: string, t: Translate): string {
  switch (topic) {
    case 'support':
    case 'hardware':
    case 'software':
    case 'network':
    case 'security':
    case 'process':
    case 'other':
      return t(`feedback.topic.${topic}`);
    default:
      return topic;
  }
}

/** The suggestion as the IT department sees it; named ones carry a Reply button. */
export function suggestionCard(suggestion: FeedbackSuggestion, people: Map<number, PersonView>, view: FeedbackView): ChatMessage {
  const { t, platform, timeZone } = view;
  const id = formatSuggestionId(suggestion.id);
  const from = suggestion.authorId === null ? t('feedback.suggestion.anonymous') : mention(people.get(suggestion.authorId), platform);
  const context = [t('feedback.suggestion.from', { person: from, time: formatTime(suggestion.createdAt, timeZone) })];
  const fields: ChatField[] = [];
  if (suggestion.reply !== null && suggestion.repliedBy !== null && suggestion.repliedAt) {
    fields.push({ label: t('feedback.field.answer'), value: suggestion.reply });
    context.push(t('feedback.suggestion.answeredBy', { person: mention(people.get(suggestion.repliedBy), platform), time: formatTime(suggestion.repliedAt, timeZone) }));
  }
  const buttons: ChatButton[] =
    suggestion.authorId === null ? [] : [{ actionId: 'feedback.reply', value: id, label: t('feedback.button.reply'), ...(suggestion.reply ? {} : { style: 'primary' as const }) }];
  return {
    fallback: t('feedback.suggestion.fallback', { id, topic: topicLabel(suggestion.topic, t) }),
    title: `💡 ${id} · ${topicLabel(suggestion.topic, t)}`,
    color: 'yellow',
    body: suggestion.text,
    fields,
    context,
    buttons,
  };
}

/** The DM that carries an engineer's answer to the author of a suggestion. */
export function suggestionReplyMessage(suggestion: FeedbackSuggestion, by: string, view: FeedbackView): ChatMessage {
  const { t } = view;
  const id = formatSuggestionId(suggestion.id);
  const text = t('feedback.suggestion.replyDm', { id, person: by });
  return {
    fallback: text,
    title: `💡 ${id} · ${topicLabel(suggestion.topic, t)}`,
    body: text,
    fields: [
      { label: t('feedback.field.yourSuggestion'), value: truncate(suggestion.text, 1000) },
      { label: t('feedback.field.answer'), value: suggestion.reply ?? '—' },
    ],
  };
}
