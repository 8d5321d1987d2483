import { z } from 'zod';
import { defineCommand, subcommand } from '../src/chat/command-def.js';
import { reportForm } from '../src/faults/forms.js';
import { FAULT_LIMITS } from '../src/faults/service.js';
import { LIST_SCOPES } from '../src/faults/queries.js';
import { formatFaultId, parseFaultId } from '../src/faults/rules.js';
import { faultDetailMessage, faultListMessage } from '../src/faults/views.js';
import { NotFoundError } from '../src/errors.js';
import { searchSubcommand } from '../src/search/commands.js';
import { faultMarkdown } from '../src/exports/fault-markdown.js';
import { recordExportSubcommand } from '../src/exports/record-export.js';

/** `/fault`: report a fault (policy 4.1), list, show and search them. */
export default defineCommand({
  name: 'fault',
  description: 'faults.command.description',
  bare: 'report',
  subcommands: [
    subcommand({
      name: 'report',
      description: 'faults.command.report',
      role: 'requester',
      // `system` prefills the form's affected system; Discord offers it with autocomplete over the
      // configuration items, since a Discord modal cannot hold a searchable choice.
      options: { system: { kind: 'string', rest: true, suggest: 'ci', schema: z.string().max(FAULT_LIMITS.affectedSystem).optional(), description: 'faults.option.system' } },
      run: async (ctx, { system }) => ({ type: 'form', form: reportForm(ctx.t, await ctx.services.cis.choices(), system?.trim() || undefined) }),
    }),
    subcommand({
      name: 'list',
      description: 'faults.command.list',
      role: 'requester',
      options: { scope: { kind: 'choice', choices: LIST_SCOPES, schema: z.enum(LIST_SCOPES).default('open'), description: 'faults.option.scope' } },
      run: async (ctx, { scope }) => {
        const page = await ctx.services.faultQueries.list(ctx.actor, scope);
        return { type: 'private', message: faultListMessage(page, ctx.t(`faults.list.title.${scope}`), ctx.clock.now(), ctx.t) };
      },
    }),
    subcommand({
      name: 'show',
      description: 'faults.command.show',
      role: 'requester',
      options: { id: { kind: 'string', schema: z.string().regex(/^inc-\d{1,9}$/i), description: 'faults.option.id' } },
      run: async (ctx, { id }) => {
        const number = parseFaultId(id);
        if (number === undefined) throw new NotFoundError('faults.error.notFound', { id });
        const { fault, timeline, people, alerts } = await ctx.services.faultQueries.detail(number);
        const message = faultDetailMessage(fault, timeline, { t: ctx.t, platform: ctx.chatActor.platform, timeZone: ctx.timeZone, people, now: ctx.clock.now(), alerts });
        return { type: 'private', message: { ...message, fallback: `${formatFaultId(fault.id)} ${fault.title}` } };
      },
    }),
    searchSubcommand('fault', 'search.command.fault'),
    recordExportSubcommand({
      idPattern: /^inc-\d{1,9}$/i,
      idDescription: 'faults.option.id',
      parse: parseFaultId,
      format: formatFaultId,
      notFound: 'faults.error.notFound',
      markdown: async (ctx, id) => faultMarkdown(await ctx.services.faultQueries.detail(id), ctx.t, ctx.timeZone),
    }),
  ],
});
