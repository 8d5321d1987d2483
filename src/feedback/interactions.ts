import { z } from 'zod';
import { COMMENT_FORM, REPLY_FORM, SUGGEST_FORM, commentForm, replyForm, suggestionForm } from './forms.js';
import { formatSuggestionId, parseNumericId, parseRatedValue, parseSuggestionId } from './rules.js';
import { suggestionReplySchema, suggestionSchema } from './suggestions.js';
import { COMMENT_MAX } from './surveys.js';
import { formatTime } from '../chat/format.js';
import { parseForm } from '../chat/forms.js';
import { done, privateText, type ButtonHandler, type FormHandler } from '../chat/interactions.js';
import { NotFoundError } from '../errors.js';

function rated(value: string, missing: 'feedback.error.surveyNotFound' | 'feedback.error.pollNotFound') {
  const parsed = parseRatedValue(value);
  if (!parsed) throw new NotFoundError(missing);
  return parsed;
}

function numericId(value: string): number {
  const id = parseNumericId(value);
  if (id === undefined) throw new NotFoundError('feedback.error.surveyNotFound');
  return id;
}

function suggestionNumber(value: string): number {
  const id = parseSuggestionId(value);
  if (id === undefined) throw new NotFoundError('feedback.error.suggestionNotFound', { id: value.slice(0, 20) });
  return id;
}

const commentSchema = z.object({ comment: z.string().trim().min(1).max(COMMENT_MAX) });

export const feedbackButtons: ButtonHandler[] = [
  {
    // A survey rating 1-5: the DM is edited to show it; the first rating offers the comment form.
    actionId: 'feedback.rate',
    async run(ctx, value) {
      const { id, rating } = rated(value, 'feedback.error.surveyNotFound');
      const { survey, first } = await ctx.services.feedback.surveys.rate(ctx.actor, id, rating);
      return first && !survey.comment ? { type: 'form', form: commentForm(ctx.t, survey) } : done;
    },
  },
  {
    actionId: 'feedback.comment',
    async run(ctx, value) {
      const survey = await ctx.services.feedback.surveys.mine(ctx.actor, numericId(value));
      return { type: 'form', form: commentForm(ctx.t, survey) };
    },
  },
  {
    // An anonymous poll vote. The answer never repeats the choice: private replies can reach logs.
    actionId: 'feedback.vote',
    async run(ctx, value) {
      const { id, rating } = rated(value, 'feedback.error.pollNotFound');
      const { closesAt } = await ctx.services.feedback.polls.vote(ctx.actor, id, rating);
      return privateText(ctx.t('feedback.poll.voted', { time: formatTime(closesAt, ctx.timeZone) }));
    },
  },
  {
    actionId: 'feedback.suggest',
    run: async (ctx) => ({ type: 'form', form: suggestionForm(ctx.t) }),
  },
  {
    actionId: 'feedback.reply',
    async run(ctx, value) {
      const suggestion = await ctx.services.feedback.suggestions.answerable(ctx.actor, suggestionNumber(value));
      return { type: 'form', form: replyForm(ctx.t, suggestion) };
    },
  },
];

export const feedbackForms: FormHandler[] = [
  {
    formId: SUGGEST_FORM,
    async run(ctx, _context, values) {
      const input = parseForm(suggestionSchema, values);
      const { suggestion, posted } = await ctx.services.feedback.suggestions.submit(ctx.actor, input);
      const key = posted ? (input.anonymous ? 'feedback.reply.suggestedAnonymously' : 'feedback.reply.suggested') : 'feedback.reply.suggestedNoChannel';
      return privateText(ctx.t(key, { id: formatSuggestionId(suggestion.id) }));
    },
  },
  {
    formId: COMMENT_FORM,
    async run(ctx, context, values) {
      const { comment } = parseForm(commentSchema, values);
      await ctx.services.feedback.surveys.comment(ctx.actor, numericId(context), comment);
      return privateText(ctx.t('feedback.reply.commentSaved'));
    },
  },
  {
    formId: REPLY_FORM,
    async run(ctx, context, values) {
      const { reply } = parseForm(suggestionReplySchema, values);
      const suggestion = await ctx.services.feedback.suggestions.reply(ctx.actor, suggestionNumber(context), reply);
      return privateText(ctx.t('feedback.reply.answered', { id: formatSuggestionId(suggestion.id) }));
    },
  },
];
