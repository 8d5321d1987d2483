import { z } from 'zod';
import { defineCommand, subcommand } from '../src/chat/command-def.js';
import { requestForm } from '../src/changes/forms.js';
import { detailReply } from '../src/changes/interactions.js';
import { LIST_SCOPES } from '../src/changes/queries.js';
import { formatChangeId, parseChangeId } from '../src/changes/rules.js';
import { recordExportSubcommand } from '../src/exports/record-export.js';
import { changeMarkdown } from '../src/exports/change-markdown.js';
import { calendarMessage, changeListMessage } from '../src/changes/views.js';
import { NotFoundError } from '../src/errors.js';

/** `/change`: request a change (policy 4.2), list, show, and the calendar of approved windows. */
export default defineCommand({
  name: 'change',
  description: 'changes.command.description',
  bare: 'new',
  subcommands: [
    subcommand({
      name: 'new',
      description: 'changes.command.new',
      role: 'requester',
      options: {},
      run: async (ctx) => ({ type: 'form', form: requestForm(ctx.t, ctx.timeZone) }),
    }),
    subcommand({
      name: 'list',
      description: 'changes.command.list',
      role: 'requester',
      options: { scope: { kind: 'choice', choices: LIST_SCOPES, schema: z.enum(LIST_SCOPES).default('pending'), description: 'changes.option.scope' } },
      run: async (ctx, { scope }) => {
        const page = await ctx.services.changeQueries.list(scope);
        return { type: 'private', message: changeListMessage(page, ctx.t(`changes.list.title.${scope}`), ctx.timeZone, ctx.t) };
      },
    }),
    subcommand({
      name: 'show',
      description: 'changes.command.show',
      role: 'requester',
      options: { id: { kind: 'string', schema: z.string().regex(/^chg-\d{1,9}$/i), description: 'changes.option.id' } },
      run: async (ctx, { id }) => {
        const number = parseChangeId(id);
        if (number === undefined) throw new NotFoundError('changes.error.notFound', { id });
        return detailReply(ctx, number);
      },
    }),
    subcommand({
      name: 'calendar',
      description: 'changes.command.calendar',
      role: 'requester',
      options: {},
      run: async (ctx) => {
        const changes = await ctx.services.changeQueries.calendar(ctx.clock.now());
        return { type: 'private', message: calendarMessage(changes, ctx.timeZone, ctx.locale, ctx.t) };
      },
    }),
    recordExportSubcommand({
      idPattern: /^chg-\d{1,9}$/i,
      idDescription: 'changes.option.id',
      parse: parseChangeId,
      format: formatChangeId,
      notFound: 'changes.error.notFound',
      markdown: async (ctx, id) => changeMarkdown(await ctx.services.changeQueries.detail(id), ctx.t, ctx.timeZone),
    }),
  ],
});
