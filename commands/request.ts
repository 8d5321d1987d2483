import { z } from 'zod';
import { defineCommand, subcommand } from '../src/chat/command-def.js';
import { NotFoundError } from '../src/errors.js';
import { newRequestForm } from '../src/requests/forms.js';
import { REQUEST_LIMITS } from '../src/requests/service.js';
import { REQUEST_LIST_SCOPES } from '../src/requests/queries.js';
import { formatRequestId, parseRequestId } from '../src/requests/rules.js';
import { recordExportSubcommand } from '../src/exports/record-export.js';
import { requestMarkdown } from '../src/exports/request-markdown.js';
import { requestDetailMessage, requestListMessage } from '../src/requests/views.js';

/** `/request`: ask IT for something (policy 4.3), list and show requests. */
export default defineCommand({
  name: 'request',
  description: 'requests.command.description',
  bare: 'new',
  subcommands: [
    subcommand({
      name: 'new',
      description: 'requests.command.new',
      role: 'requester',
      // `system` prefills the form's affected system (Discord: autocomplete over the configuration items).
      options: { system: { kind: 'string', rest: true, suggest: 'ci', schema: z.string().max(REQUEST_LIMITS.affectedSystem).optional(), description: 'requests.option.system' } },
      run: async (ctx, { system }) => ({
        type: 'form',
        form: newRequestForm(ctx.t, await ctx.services.requests.catalog(), await ctx.services.cis.choices(), system?.trim() || undefined),
      }),
    }),
    subcommand({
      name: 'list',
      description: 'requests.command.list',
      role: 'requester',
      options: {
        scope: { kind: 'choice', choices: REQUEST_LIST_SCOPES, schema: z.enum(REQUEST_LIST_SCOPES).default('mine'), description: 'requests.option.scope' },
      },
      run: async (ctx, { scope }) => {
        const page = await ctx.services.requestQueries.list(ctx.actor, scope);
        return { type: 'private', message: requestListMessage(page, ctx.t(`requests.list.title.${scope}`), ctx.clock.now(), ctx.t) };
      },
    }),
    subcommand({
      name: 'show',
      description: 'requests.command.show',
      role: 'requester',
      options: { id: { kind: 'string', schema: z.string().regex(/^req-\d{1,9}$/i), description: 'requests.option.id' } },
      run: async (ctx, { id }) => {
        const number = parseRequestId(id);
        if (number === undefined) throw new NotFoundError('requests.error.notFound', { id });
        const detail = await ctx.services.requestQueries.detail(ctx.actor, number);
        return { type: 'private', message: requestDetailMessage(detail, { t: ctx.t, platform: ctx.chatActor.platform, timeZone: ctx.timeZone, now: ctx.clock.now() }) };
      },
    }),
    recordExportSubcommand({
      idPattern: /^req-\d{1,9}$/i,
      idDescription: 'requests.option.id',
      parse: parseRequestId,
      format: formatRequestId,
      notFound: 'requests.error.notFound',
      markdown: async (ctx, id) => requestMarkdown(await ctx.services.requestQueries.detail(ctx.actor, id), ctx.t, ctx.timeZone),
    }),
  ],
});
