// `/ops audit [period]`, `/ops audit verify [HASH]` (policy 5.1), `/ops kpi` (5.2) and `/ops report`
// (3.4), as data like every command.
import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import type { CommandContext } from '../src/chat/context.js';
import { privateText } from '../src/chat/interactions.js';
import { parseAnchor, type ChainVerdict } from '../src/audit/chain.js';
import { InvalidInputError, NotFoundError } from '../src/errors.js';
import { parseUserRef, tokenize, type UserRef } from '../src/chat/parse-text.js';
import { requireRole } from '../src/people/roles.js';
import { auditReportMessage } from '../src/reports/audit-report.js';
import { kpiCsvName, saveReportFile } from '../src/reports/files.js';
import { REPORT_KINDS } from '../src/reports/operations.js';
import { fileNamePart, kpiCsv, kpiMessage, kpiPersonIds } from '../src/reports/kpi-message.js';
import { periodOrThrow, type NamedPeriod } from '../src/reports/period.js';
import { countKey } from '../src/chat/i18n/catalog.js';

/** Reads the period option; `fallback` when none was given. Throws InvalidInputError saying what is wrong (period.ts). */
export function periodOption(ctx: CommandContext, text: string | undefined, fallback: string): NamedPeriod {
  return periodOrThrow(text ?? fallback, ctx.timeZone, ctx.clock.now());
}

function verifyText(ctx: CommandContext, verdict: ChainVerdict): string {
  const lines = [verdict.ok ? ctx.t(countKey('audit.verify.ok', verdict.entries), { entries: verdict.entries }) : ctx.t(countKey('audit.verify.broken', verdict.entries), { id: verdict.brokenAt, entries: verdict.entries })];
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

/** The words of a free-text option, a mention with a space in its name kept whole (parse-text.ts). */
function wordsOf(...texts: (string | undefined)[]): string[] {
  // Joined first: with a verbatim period option, a mention's name may run on into it.
  const joined = texts.filter((text): text is string => text !== undefined).join(' ');
  return joined.trim() === '' ? [] : tokenize(joined).words;
}

/**
 * `/ops audit [period]` and `/ops audit verify [HASH]` (DESIGN.md, policy 5.1): one subcommand whose
 * first word chooses, because a Discord subcommand group cannot also run bare. `/ops audit report
 * [period]`, the earlier spelling, still works.
 */
export const auditSubcommands: SubcommandDef[] = [
  subcommand({
    name: 'audit',
    description: 'reports.audit.command',
    // Checked below, naming the form typed (`/ops audit verify needs the manager role`).
    role: 'requester',
    options: { period: { kind: 'string', rest: true, schema: z.string().trim().max(120).optional(), description: 'reports.option.audit' } },
    run: async (ctx, { period }) => {
      const words = wordsOf(period);
      if (words[0]?.toLowerCase() === 'verify') {
        requireRole(ctx.actor.roles, 'approver', '/ops audit verify');
        if (words.length > 2) throw new InvalidInputError('core.error.usage', { usage: '/ops audit verify [N:HASH]' });
        const anchor = words[1];
        const parsed = anchor === undefined ? undefined : parseAnchor(anchor);
        if (anchor !== undefined && !parsed) throw new InvalidInputError('reports.error.badAnchor');
        return privateText(verifyText(ctx, await ctx.services.audit.verify(ctx.actor, parsed)));
      }
      requireRole(ctx.actor.roles, 'manager', '/ops audit');
      const rest = words[0]?.toLowerCase() === 'report' ? words.slice(1) : words;
      const named = periodOption(ctx, rest.length === 0 ? undefined : rest.join(' '), 'last-month');
      const report = await ctx.services.reports.audit(ctx.actor, named);
      return { type: 'private', message: auditReportMessage(report.findings, report.verdict, named.label, ctx.t) };
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
    const file = kpiCsvName(personId, fileNamePart(who), named.from, named.to, ctx.timeZone);
    const path = saveReportFile({ name: file, mime: 'text/csv', bytes: Buffer.from(kpiCsv(result, names), 'utf8') });
    message.context = [...(message.context ?? []), ctx.t('reports.kpi.csvSaved', { path })];
  }
  return { type: 'private' as const, message };
}

/** Whose KPIs `/ops kpi` shows: the first word when it names someone (`@user`, `team`, `me`), else the actor. */
type KpiTarget = { kind: 'me' } | { kind: 'team' } | { kind: 'person'; ref: UserRef };

function kpiTarget(words: string[]): { target: KpiTarget; rest: string[] } {
  const [first, ...rest] = words;
  const lower = first?.toLowerCase();
  if (lower === 'me') return { target: { kind: 'me' }, rest };
  if (lower === 'team') return { target: { kind: 'team' }, rest };
  // `person @user`, the earlier spelling, still works.
  const mention = lower === 'person' ? rest.shift() : first;
  if (mention !== undefined && /^(<@|@)/.test(mention)) {
    const ref = parseUserRef(mention);
    if (!ref) throw new InvalidInputError('core.error.badUser', { value: mention.slice(0, 80), usage: KPI_USAGE });
    return { target: { kind: 'person', ref }, rest: lower === 'person' ? rest : words.slice(1) };
  }
  if (lower === 'person') throw new InvalidInputError('core.error.usage', { usage: KPI_USAGE });
  return { target: { kind: 'me' }, rest: words };
}

/**
 * The period part as the person typed it (so an error echoes their text, not words re-joined
 * after tokenizing): the typed text less the `consumed` leading words that named whose figures;
 * undefined when it does not start with them (then the caller re-joins the words).
 */
function typedRest(who: string | undefined, period: string | undefined, words: readonly string[], consumed: number): string | undefined {
  let typed = [who, period].filter((p): p is string => p !== undefined).join(' ').trim();
  for (const word of words.slice(0, consumed)) {
    if (!typed.startsWith(word)) return undefined;
    typed = typed.slice(word.length).trimStart();
  }
  return typed === '' ? undefined : typed;
}

const KPI_USAGE = '/ops kpi [@user|team] [period] [detail]';

/**
 * `/ops kpi [@user|team] [period] [detail]` (DESIGN.md; policy 5.2): engineers see their own figures,
 * managers anyone's and the team's. `me`, `team` and `person @user` are read as the first word.
 */
export const kpiSubcommands: SubcommandDef[] = [
  subcommand({
    name: 'kpi',
    description: 'reports.kpi.command',
    // Checked below: who may run it depends on whose figures are asked for.
    role: 'requester',
    options: {
      who: { kind: 'string', schema: z.string().trim().max(120).optional(), description: 'reports.kpi.optionWho' },
      // Verbatim (line), so that an unknown period is echoed exactly as typed.
      period: { kind: 'string', line: true, usage: '[PERIOD] [detail]', schema: z.string().trim().max(60).optional(), description: 'reports.option.kpiPeriod' },
    },
    run: async (ctx, { who, period }) => {
      const words = wordsOf(who, period);
      const { target, rest } = kpiTarget(words);
      const text = typedRest(who, period, words, words.length - rest.length) ?? (rest.length === 0 ? undefined : rest.join(' '));
      if (target.kind === 'team') {
        requireRole(ctx.actor.roles, 'manager', '/ops kpi team');
        return kpiReply(ctx, null, ctx.t('reports.kpi.team'), text);
      }
      const self = target.kind === 'me' || (target.ref.userId === ctx.chatActor.userId && ctx.actor.personId !== null);
      if (self) {
        requireRole(ctx.actor.roles, 'engineer', '/ops kpi');
        return kpiReply(ctx, ctx.actor.personId, ctx.actor.displayName, text);
      }
      requireRole(ctx.actor.roles, 'manager', '/ops kpi @user');
      // Read only: naming someone must not create them (a typo would add a person with a zero card).
      const person = await ctx.services.people.lookup(ctx.chatActor.platform, target.ref.userId);
      if (!person) throw new NotFoundError('reports.error.unknownPerson', { who: target.ref.displayName ?? target.ref.userId });
      return kpiReply(ctx, person.id, person.displayName, text);
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
