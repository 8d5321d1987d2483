import { z } from 'zod';
import { defineCommand, subcommand } from '../src/chat/command-def.js';
import { formatTime } from '../src/chat/format.js';
import { privateText } from '../src/chat/interactions.js';
import { suggestionForm } from '../src/feedback/forms.js';
import { SUMMARY_PERIODS } from '../src/feedback/rules.js';
import { QUESTION_LIMITS } from '../src/feedback/setting-specs.js';
import { summaryMessage } from '../src/feedback/summary-card.js';

/** `/feedback`: suggestions for everyone (policy 5.3), a poll now for admins, the summary for engineers. */
export default defineCommand({
  name: 'feedback',
  description: 'feedback.command.description',
  bare: 'send',
  subcommands: [
    subcommand({
      name: 'send',
      description: 'feedback.command.send',
      role: 'requester',
      options: {},
      run: async (ctx) => ({ type: 'form', form: suggestionForm(ctx.t) }),
    }),
    subcommand({
      name: 'poll',
      description: 'feedback.command.poll',
      role: 'admin',
      options: {
        question: {
          kind: 'string',
          rest: true,
          schema: z.string().trim().min(QUESTION_LIMITS.min).max(QUESTION_LIMITS.max).optional(),
          description: 'feedback.option.question',
        },
      },
      run: async (ctx, { question }) => {
        const poll = await ctx.services.feedback.polls.post(ctx.actor, question);
        return privateText(ctx.t('feedback.reply.pollPosted', { time: formatTime(poll.closesAt, ctx.timeZone) }));
      },
    }),
    subcommand({
      name: 'summary',
      description: 'feedback.command.summary',
      role: 'engineer',
      options: {
        period: { kind: 'choice', choices: SUMMARY_PERIODS, schema: z.enum(SUMMARY_PERIODS).default('month'), description: 'feedback.option.period' },
      },
      run: async (ctx, { period }) => {
        const summary = await ctx.services.feedback.summaries.forPeriod(ctx.actor, period);
        return { type: 'private', message: summaryMessage(summary, { t: ctx.t, platform: ctx.chatActor.platform, timeZone: ctx.timeZone }) };
      },
    }),
  ],
});
