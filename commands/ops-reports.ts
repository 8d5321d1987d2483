// `/ops audit report [period]` and `/ops audit verify [HASH]` (policy 5.1), as data like every command.
// The audit report is a subcommand of the `audit` group rather than `/ops audit [period]` itself:
// a Discord subcommand group cannot also be run as a subcommand.
import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import type { CommandContext } from '../src/chat/context.js';
import { privateText } from '../src/chat/interactions.js';
import { parseAnchor, type ChainVerdict } from '../src/audit/chain.js';
import { InvalidInputError, NotFoundError } from '../src/errors.js';
import { auditReportMessage } from '../src/reports/audit-report.js';
import { saveReportFile } from '../src/reports/files.js';
import { REPORT_KINDS } from '../src/reports/operations.js';
import { fileNamePart, kpiCsv, kpiMessage, kpiPersonIds } from '../src/reports/kpi-message.js';
import { periodOrThrow, type NamedPeriod } from '../src/reports/period.js';

/** Reads the period option; `fallback` when none was given. Throws InvalidInputError saying what is wrong (period.ts). */
export function periodOption(ctx: CommandContext, text: string | undefined, fallback: string): NamedPeriod {
  return periodOrThrow(text ?? fallback, ctx.timeZone, ctx.clock.now());
}

function verifyText(ctx: CommandContext, verdict: ChainVerdict): string {
  const lines = [verdict.ok ? ctx.t('audit.verify.ok', { entries: verdict.entries }) : ctx.t('audit.verify.broken', { id: verdict.brokenAt, entries: verdict.entries })];
  const check = verdict.anchor;
  if (check) {
    const { anchor, foundAt } = check;
    if (foundAt === null) lines.push(ctx.t('reports.verify.anchorMissing'));
    else if (!check.ok) lines.push(ctx.t('reports.verify.anchorMoved', { position: foundAt, expected: anchor.position ?? foundAt }));
    else lines.push(ctx.t('reports.verify.anchorOk', { anchor: `${anchor.hash.slice(0, 12)}…`, position: foundAt }));
  }
  return lines.join('\n');
}

const periodSchema = z.string().trim().max(40).optional();

export const auditSubcommands: SubcommandDef[] = [
  subcommand({
    group: 'audit',
    name: 'report',
    description: 'reports.audit.command',
    role: 'manager',
    options: { period: { kind: 'string', rest: true, schema: periodSchema, description: 'reports.option.period' } },
    run: async (ctx, { period }) => {
      const named = periodOption(ctx, period, 'last-month');
      const report = await ctx.services.reports.audit(ctx.actor, named);
      return { type: 'private', message: auditReportMessage(report.findings, report.verdict, named.label, ctx.t) };
    },
  }),
  subcommand({
    group: 'audit',
    name: 'verify',
    description: 'audit.command.verify',
    role: 'manager',
    options: { anchor: { kind: 'string', schema: z.string().trim().max(80).optional(), description: 'reports.option.anchor' } },
    run: async (ctx, { anchor }) => {
      const parsed = anchor === undefined || anchor === '' ? undefined : parseAnchor(anchor);
      if (anchor && !parsed) throw new InvalidInputError('reports.error.badAnchor');
      return privateText(verifyText(ctx, await ctx.services.audit.verify(ctx.actor, parsed)));
    },
  }),
];

/** `[period] [detail]`: the trailing word `detail` asks for the records behind each figure and the CSV. */
function splitDetail(text: string | undefined): { period: string | undefined; detail: boolean } {
  const words = (text ?? '').trim().split(/\s+/).filter((w) => w.length > 0);
  const detail = words[words.length - 1]?.toLowerCase() === 'detail';
  const rest = (detail ? words.slice(0, -1) : words).join(' ');
  return { period: rest === '' ? undefined : rest, detail };
}

async function kpiReply(ctx: CommandContext, personId: number | null, who: string, text: string | undefined) {
  const { period, detail } = splitDetail(text);
  const named = periodOption(ctx, period, 'month');
  const result = await ctx.services.reports.kpis(ctx.actor, personId, named);
  const message = kpiMessage(result, who, named.label, ctx.t, detail);
  if (detail) {
    const names = new Map<number, string>();
    for (const id of kpiPersonIds(result)) {
      const person = await ctx.services.people.person(id);
      if (person) names.set(id, person.displayName);
    }
    const file = `kpi-${personId === null ? 'team' : fileNamePart(who)}-${named.from.toISOString().slice(0, 10)}.csv`;
    const path = saveReportFile({ name: file, mime: 'text/csv', bytes: Buffer.from(kpiCsv(result, names), 'utf8') });
    message.context = [...(message.context ?? []), ctx.t('reports.kpi.csvSaved', { path })];
  }
  return { type: 'private' as const, message };
}

const kpiText = { kind: 'string' as const, rest: true, schema: z.string().trim().max(60).optional(), description: 'reports.option.period' as const };

export const kpiSubcommands: SubcommandDef[] = [
  subcommand({
    group: 'kpi',
    name: 'me',
    description: 'reports.kpi.command',
    role: 'engineer',
    options: { period: kpiText },
    run: async (ctx, { period }) => kpiReply(ctx, ctx.actor.personId, ctx.actor.displayName, period),
  }),
  subcommand({
    group: 'kpi',
    name: 'team',
    description: 'reports.kpi.command',
    role: 'manager',
    options: { period: kpiText },
    run: async (ctx, { period }) => kpiReply(ctx, null, ctx.t('reports.kpi.team'), period),
  }),
  subcommand({
    group: 'kpi',
    name: 'person',
    description: 'reports.kpi.command',
    role: 'manager',
    options: { user: { kind: 'user', schema: z.object({ userId: z.string().min(1).max(64), displayName: z.string().max(120).optional() }), description: 'reports.kpi.optionWho' }, period: kpiText },
    run: async (ctx, { user, period }) => {
      // Read only: naming someone must not create them (a typo would add a person with a zero card).
      const person = await ctx.services.people.lookup(ctx.chatActor.platform, user.userId);
      if (!person) throw new NotFoundError('reports.error.unknownPerson', { who: user.displayName ?? user.userId });
      return kpiReply(ctx, person.id, person.displayName, period);
    },
  }),
];

/**
 * `/ops report weekly|monthly [period]` (managers): the report as a private reply, and its chart to the
 * person's own DM through the outbox (Slack's ephemeral replies and response_url cannot carry a file;
 * the DM uses the upload flow on Slack, an attachment shown in the embed on Discord, a file under
 * ./data/reports/ with its path printed in the terminal).
 */
export const reportSubcommands: SubcommandDef[] = REPORT_KINDS.map((kind) =>
  subcommand({
    group: 'report',
    name: kind,
    description: 'reports.ops.command',
    role: 'manager',
    options: { period: { kind: 'string', rest: true, schema: periodSchema, description: 'reports.option.period' } },
    run: async (ctx, { period }) => {
      const named = periodOption(ctx, period, kind === 'weekly' ? 'last-week' : 'last-month');
      // The report is titled by its kind: a weekly one over a month (or the reverse) would mislabel it.
      if (kind === 'weekly' && named.span !== 'week') throw new InvalidInputError('reports.error.weeklyNeedsWeek', { period: named.label });
      if (kind === 'monthly' && named.span !== 'month') throw new InvalidInputError('reports.error.monthlyNeedsMonth', { period: named.label });
      const report = await ctx.services.reports.operations(ctx.actor, kind, named, ctx.t, ctx.timeZone);
      await ctx.services.reports.sendChart({ platform: ctx.chatActor.platform, kind: 'dm', id: ctx.chatActor.userId }, report, kind, named, ctx.t);
      const message = { ...report.message, context: [...(report.message.context ?? []), ctx.t('reports.ops.chartSent')] };
      return { type: 'private' as const, message };
    },
  }),
);
