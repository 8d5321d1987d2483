// `/fault export INC-n`, `/request export REQ-n`, `/change export CHG-n`: one record with its whole
// timeline as a Markdown file sent privately to the engineer who asked (policy 3.3, records archived).
import { z } from 'zod';
import { sendFile } from './send.js';
import { subcommand, type SubcommandDef } from '../chat/command-def.js';
import type { CommandContext } from '../chat/context.js';
import type { MessageKey } from '../chat/i18n/catalog.js';
import { privateText } from '../chat/interactions.js';
import { NotFoundError } from '../errors.js';

export interface RecordExportSpec {
  /** What the id option accepts, e.g. /^inc-\d{1,9}$/i. */
  idPattern: RegExp;
  idDescription: MessageKey;
  /** The number of `INC-4` and the like, or undefined. */
  parse: (id: string) => number | undefined;
  format: (id: number) => string;
  /** NotFoundError key (with `{id}`) for an id that does not parse; the loader throws its own for an unknown record. */
  notFound: MessageKey;
  /** The Markdown document (times in ctx.timeZone); throws NotFoundError or ForbiddenError as the record's queries do. */
  markdown: (ctx: CommandContext, id: number) => Promise<string>;
}

/** The `export` subcommand (engineers): the document as `<ID>.md`, a DM attachment through sendFile (audited there). */
export function recordExportSubcommand(spec: RecordExportSpec): SubcommandDef {
  return subcommand({
    name: 'export',
    description: 'exports.command.record',
    role: 'engineer',
    options: { id: { kind: 'string', schema: z.string().regex(spec.idPattern), description: spec.idDescription } },
    run: async (ctx, { id }) => {
      const number = spec.parse(id);
      if (number === undefined) throw new NotFoundError(spec.notFound, { id });
      const bytes = Buffer.from(await spec.markdown(ctx, number), 'utf8');
      const label = spec.format(number);
      const target = { platform: ctx.chatActor.platform, kind: 'dm' as const, id: ctx.chatActor.userId };
      await sendFile(ctx.services.exports, ctx.actor, target, { name: `${label}.md`, mimeType: 'text/markdown; charset=utf-8', bytes, comment: ctx.t('exports.record.comment', { id: label }), recordId: label });
      return privateText(ctx.t('exports.record.sent', { id: label }));
    },
  });
}
