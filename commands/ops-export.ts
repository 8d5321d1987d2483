import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import type { Translate } from '../src/chat/i18n/catalog.js';
import { privateText } from '../src/chat/interactions.js';
import { sendCsvExport } from '../src/exports/send.js';
import { EXPORT_KINDS } from '../src/exports/tables.js';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/).optional();

/**
 * `/ops export faults|requests|changes|cis|audit [FROM] [TO]`: a CSV file sent to the person as a
 * direct message (Slack upload, Discord attachment, a file under ./data/exports/ in the terminal).
 * Managers; the audit log needs an admin (checked by the export service). Joined in commands/index.ts.
 */
export const opsExportSubcommands: SubcommandDef[] = [
  subcommand({
    name: 'export',
    description: 'exports.command.export',
    role: 'manager',
    options: {
      kind: { kind: 'choice', choices: EXPORT_KINDS, schema: z.enum(EXPORT_KINDS), description: 'exports.option.kind' },
      from: { kind: 'string', schema: day, description: 'exports.option.from' },
      to: { kind: 'string', schema: day, description: 'exports.option.to' },
    },
    run: async (ctx, { kind, from, to }) => {
      const sent = await sendCsvExport(
        ctx.services.exports,
        ctx.actor,
        { kind, from, to, target: { platform: ctx.chatActor.platform, kind: 'dm', id: ctx.chatActor.userId } },
        (file) => (file.parts === 1 ? ctx.t('exports.comment', { name: file.name, rows: rowCount(file.rows, ctx.t) }) : ctx.t('exports.comment.part', { ...file, rows: rowCount(file.rows, ctx.t) })),
      );
      const rows = rowCount(sent.rows, ctx.t);
      const reply = sent.parts === 1 ? ctx.t('exports.reply.sent', { name: sent.name, rows }) : ctx.t('exports.reply.sentParts', { name: sent.name, rows, parts: sent.parts });
      return privateText(reply);
    },
  }),
];

/** `1 row`, `12 rows` (zh-CN has one form; the catalog keeps both keys complete). */
export function rowCount(rows: number, t: Translate): string {
  return rows === 1 ? t('exports.rows.one') : t('exports.rows.other', { n: rows });
}
