import { SUGGESTION_TOPICS, formatRecordId, formatSuggestionId } from './rules.js';
import { SUGGESTION_LIMITS } from './suggestions.js';
import { COMMENT_MAX } from './surveys.js';
import { topicLabel } from './cards.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatForm } from '../chat/model.js';
import type { FeedbackSuggestion, FeedbackSurvey } from '../store/entities/index.js';

export const SUGGEST_FORM = 'feedback.suggest';
export const COMMENT_FORM = 'feedback.comment';
export const REPLY_FORM = 'feedback.reply';

/** `/feedback` and the poll's "Suggest something": topic, text, anonymous yes/no. */
export function suggestionForm(t: Translate): ChatForm {
  return {
    formId: SUGGEST_FORM,
    title: t('feedback.form.suggestTitle'),
    submitLabel: t('feedback.form.suggestSubmit'),
    context: '',
    fields: [
      { id: 'topic', label: t('feedback.field.topic'), kind: 'select', required: true, options: SUGGESTION_TOPICS.map((topic) => ({ value: topic, label: topicLabel(topic, t) })), initial: 'other' },
      { id: 'text', label: t('feedback.field.suggestion'), kind: 'textarea', required: true, maxLength: SUGGESTION_LIMITS.text, hint: t('feedback.hint.suggestion') },
      {
        id: 'anonymous',
        label: t('feedback.field.anonymous'),
        kind: 'select',
        required: true,
        options: [
          { value: 'no', label: t('feedback.anonymous.no') },
          { value: 'yes', label: t('feedback.anonymous.yes') },
        ],
        initial: 'no',
        hint: t('feedback.hint.anonymous'),
      },
    ],
  };
}

/** The optional comment after a rating. */
export function commentForm(t: Translate, survey: FeedbackSurvey): ChatForm {
  const id = formatRecordId(survey.recordType, survey.recordId);
  return {
    formId: COMMENT_FORM,
    title: t('feedback.form.commentTitle', { id }),
    submitLabel: t('feedback.form.commentSubmit'),
    context: String(survey.id),
    skippable: true,
    skippedNote: t(commentSkippedKey(survey)),
    fields: [
      {
        id: 'comment',
        label: t('feedback.field.comment'),
        kind: 'textarea',
        required: true,
        maxLength: COMMENT_MAX,
        hint: t('feedback.hint.comment'),
        ...(survey.comment ? { initial: survey.comment } : {}),
      },
    ],
  };
}

/**
 * What skipping the comment leaves saved: the rating when there is one (the form follows a first
 * rating, or the "Add a comment" button after it), and an earlier comment, which skipping keeps.
 */
function commentSkippedKey(survey: FeedbackSurvey) {
  const rated = survey.rating !== null;
  if (survey.comment) return rated ? 'feedback.form.commentKeptRated' : 'feedback.form.commentKept';
  return rated ? 'feedback.form.commentSkippedRated' : 'feedback.form.commentSkipped';
}

/** An engineer's answer to a named suggestion. */
export function replyForm(t: Translate, suggestion: FeedbackSuggestion): ChatForm {
  const id = formatSuggestionId(suggestion.id);
  return {
    formId: REPLY_FORM,
    title: t('feedback.form.replyTitle', { id }),
    submitLabel: t('feedback.form.replySubmit'),
    context: id,
    fields: [{ id: 'reply', label: t('feedback.field.answer'), kind: 'textarea', required: true, maxLength: SUGGESTION_LIMITS.reply, hint: t('feedback.hint.reply'), ...(suggestion.reply ? { initial: suggestion.reply } : {}) }],
  };
}
