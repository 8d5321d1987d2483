import { z } from 'zod';
import { defineCommand, subcommand } from '../src/chat/command-def.js';
import { privateText } from '../src/chat/interactions.js';
import { readTimeArgument } from '../src/chat/time-argument.js';
import { parseUserRef, tokenize } from '../src/chat/parse-text.js';
import { InvalidInputError } from '../src/errors.js';
import { overviewMessage, scheduleMessage } from '../src/oncall/cards.js';
import { ONCALL_LEVELS, formatHandoff, formatLength, parseHandoff, parseLength } from '../src/oncall/rotation.js';
import { SCHEDULE_DAYS } from '../src/oncall/service.js';
import type { AccountRef } from '../src/people/service.js';
import { formatWithWeekday } from '../src/sla/format.js';
import { countKey } from '../src/chat/i18n/catalog.js';

const user = z.object({ userId: z.string().min(1).max(64), displayName: z.string().max(120).optional() });
const level = (fallback?: (typeof ONCALL_LEVELS)[number]) => ({
  kind: 'choice' as const,
  choices: ONCALL_LEVELS,
  schema: fallback ? z.enum(ONCALL_LEVELS).default(fallback) : z.enum(ONCALL_LEVELS),
  description: 'oncall.option.level' as const,
});

/** `/oncall`: who is on call now and next (everyone); rotations and overrides (managers). */
export default defineCommand({
  name: 'oncall',
  description: 'oncall.command.description',
  bare: 'now',
  subcommands: [
    subcommand({
      name: 'now',
      description: 'oncall.command.now',
      role: 'requester',
      options: {},
      run: async (ctx) => {
        const levels = await ctx.services.oncall.overview();
        const ids = levels.flatMap((l) => [...(l.rotation?.members ?? []), l.now?.personId, l.next?.personId]).filter((v): v is number => v !== undefined);
        const people = await ctx.services.oncall.views(ids);
        return { type: 'private', message: overviewMessage(levels, { t: ctx.t, locale: ctx.locale, platform: ctx.chatActor.platform, timeZone: ctx.timeZone, people }) };
      },
    }),
    subcommand({
      name: 'schedule',
      description: 'oncall.command.schedule',
      role: 'requester',
      options: {},
      run: async (ctx) => {
        const levels = await ctx.services.oncall.schedule(SCHEDULE_DAYS);
        const ids = levels.flatMap((l) => [...(l.rotation?.members ?? []), ...l.segments.map((s) => s.personId)]);
        const people = await ctx.services.oncall.views(ids);
        return {
          type: 'private',
          message: scheduleMessage(levels, SCHEDULE_DAYS, { t: ctx.t, locale: ctx.locale, platform: ctx.chatActor.platform, timeZone: ctx.timeZone, people }),
        };
      },
    }),
    subcommand({
      name: 'override',
      description: 'oncall.command.override',
      role: 'manager',
      options: {
        user: { kind: 'user', schema: user, description: 'oncall.option.user' },
        from: { kind: 'time', schema: z.string().min(1).max(40), description: 'oncall.option.from' },
        to: { kind: 'time', schema: z.string().min(1).max(40), description: 'oncall.option.to' },
        level: level('primary'),
      },
      run: async (ctx, args) => {
        const now = ctx.clock.now();
        const from = readTimeArgument('from', args.from, { now, timeZone: ctx.timeZone });
        const to = readTimeArgument('to', args.to, { now, timeZone: ctx.timeZone, base: from });
        const override = await ctx.services.oncall.addOverride(ctx.actor, args.level, { platform: ctx.chatActor.platform, ...args.user }, from, to);
        return privateText(
          ctx.t('oncall.reply.override', {
            person: args.user.displayName ?? args.user.userId,
            level: ctx.t(`oncall.level.${args.level}`),
            from: formatWithWeekday(override.startsAt, ctx.timeZone, ctx.locale),
            until: formatWithWeekday(override.endsAt, ctx.timeZone, ctx.locale),
          }),
        );
      },
    }),
    subcommand({
      group: 'rotation',
      name: 'set',
      description: 'oncall.command.rotationSet',
      role: 'manager',
      options: {
        level: level(),
        people: { kind: 'string', rest: true, schema: z.string().trim().min(1).max(2000), description: 'oncall.option.people' },
        handoff: { kind: 'string', schema: z.string().max(20).default('Mon 09:00'), description: 'oncall.option.handoff' },
        length: { kind: 'string', schema: z.string().max(5).default('1w'), description: 'oncall.option.length' },
      },
      run: async (ctx, args) => {
        const members: AccountRef[] = [];
        for (const word of tokenize(args.people).words) {
          const ref = parseUserRef(word);
          if (!ref) throw new InvalidInputError('oncall.error.badMember', { value: word.slice(0, 80) });
          members.push({ platform: ctx.chatActor.platform, ...ref });
        }
        const handoff = parseHandoff(args.handoff);
        if (!handoff) throw new InvalidInputError('oncall.error.badHandoff', { value: args.handoff });
        const lengthDays = parseLength(args.length);
        if (lengthDays === undefined) throw new InvalidInputError('oncall.error.badLength', { value: args.length });
        const rotation = await ctx.services.oncall.setRotation(ctx.actor, args.level, members, handoff, lengthDays);
        return privateText(
          ctx.t(countKey('oncall.reply.rotationSet', rotation.members.length), {
            level: ctx.t(`oncall.level.${args.level}`),
            count: rotation.members.length,
            handoff: formatHandoff(handoff),
            length: formatLength(lengthDays),
          }),
        );
      },
    }),
    subcommand({
      group: 'rotation',
      name: 'clear',
      description: 'oncall.command.rotationClear',
      role: 'manager',
      options: { level: level() },
      run: async (ctx, args) => {
        const cleared = await ctx.services.oncall.clearRotation(ctx.actor, args.level);
        return privateText(ctx.t(cleared ? 'oncall.reply.rotationCleared' : 'oncall.reply.noRotation', { level: ctx.t(`oncall.level.${args.level}`) }));
      },
    }),
  ],
});
