import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import { privateText } from '../src/chat/interactions.js';
import { SLA_SETTING_KEYS, describePolicy } from '../src/sla/policy.js';

/**
 * `/ops sla show` and `/ops sla set KEY VALUE`: the SLA policy (policy 3.4, chapter 6). Joined to
 * `/ops` in commands/index.ts. Setting goes through the settings service (admins, audited).
 */
export const opsSlaSubcommands: SubcommandDef[] = [
  subcommand({
    group: 'sla',
    name: 'show',
    description: 'sla.command.show',
    role: 'requester',
    options: {},
    run: async (ctx) => {
      const policy = await ctx.services.sla.policy();
      const lines = describePolicy(policy).map(({ key, value }) => ctx.t('sla.show.line', { key, value }));
      const title = ctx.t('sla.show.title');
      return { type: 'private', message: { fallback: lines.join('\n'), title, body: lines.join('\n'), context: [ctx.t('sla.show.hint')] } };
    },
  }),
  subcommand({
    group: 'sla',
    name: 'set',
    description: 'sla.command.set',
    role: 'admin',
    options: {
      key: { kind: 'choice', choices: SLA_SETTING_KEYS, schema: z.string().refine((k) => SLA_SETTING_KEYS.includes(k)), description: 'settings.option.key' },
      value: { kind: 'string', rest: true, schema: z.string().trim().min(1).max(1000), description: 'settings.option.value' },
    },
    run: async (ctx, args) => {
      const { key, value } = await ctx.services.settings.set(ctx.actor, args.key, args.value);
      return privateText(ctx.t('settings.set', { key, value }));
    },
  }),
];
