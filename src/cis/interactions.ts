import { ADD_CI_FORM, EDIT_CI_FORM, IMPORT_CI_FORM } from './forms.js';
import { rowsFromCsv } from './batch-input.js';
import { formatCiId, parseCiId } from './rules.js';
import { batchResultMessage } from './views.js';
import type { CommandContext } from '../chat/context.js';
import { privateText, type FormHandler } from '../chat/interactions.js';
import type { ChatReply } from '../chat/model.js';
import { NotFoundError } from '../errors.js';

/** Form values as the line schema reads them; the owner picker gives an account on the actor's platform. */
function lineValues(ctx: CommandContext, values: Record<string, string>): Record<string, unknown> {
  const owner = (values.owner ?? '').trim().replace(/^@/, '');
  return {
    name: values.name,
    type: values.type,
    environment: values.environment,
    criticality: values.criticality,
    runbook: values.runbook,
    aliases: values.aliases,
    notes: values.notes ?? '',
    ...(owner ? { owner: `${ctx.chatActor.platform}:${owner}` } : {}),
  };
}

export async function importReply(ctx: CommandContext, csv: string, atomic: boolean): Promise<ChatReply> {
  ctx.services.cis.assertWriter(ctx.actor);
  const { rows, lines } = rowsFromCsv(csv);
  const result = await ctx.services.cis.upsert(ctx.actor, rows, { atomic, platform: ctx.chatActor.platform, lines });
  return { type: 'private', message: batchResultMessage(result, ctx.t) };
}

export const ciForms: FormHandler[] = [
  {
    formId: ADD_CI_FORM,
    async run(ctx, _context, values) {
      const item = await ctx.services.cis.add(ctx.actor, lineValues(ctx, values));
      return privateText(ctx.t('cis.reply.added', { id: formatCiId(item.id), name: item.name }));
    },
  },
  {
    formId: EDIT_CI_FORM,
    async run(ctx, context, values) {
      const id = parseCiId(context);
      if (id === undefined) throw new NotFoundError('cis.error.notFound', { ref: context.slice(0, 20) });
      const item = await ctx.services.cis.edit(ctx.actor, id, lineValues(ctx, values));
      return privateText(ctx.t('cis.reply.edited', { id: formatCiId(item.id), name: item.name }));
    },
  },
  {
    formId: IMPORT_CI_FORM,
    async run(ctx, _context, values) {
      return importReply(ctx, values.csv ?? '', values.atomic === 'yes');
    },
  },
];
