import { z } from 'zod';
import { defineCommand, subcommand, type CommandDef } from '../src/chat/command-def.js';
import { usageOf } from '../src/chat/command-router.js';
import type { CommandContext } from '../src/chat/context.js';
import { privateText } from '../src/chat/interactions.js';
import type { ChatReply } from '../src/chat/model.js';
import { LINK_CODE_TTL_MS, platformKey } from '../src/people/link.js';
import { GRANTABLE_ROLES, hasRole } from '../src/people/roles.js';
import { settingKeys, settingSpec } from '../src/settings/registry.js';
import { auditSubcommands, kpiSubcommands, reportSubcommands } from './ops-reports.js';

const user = z.object({ userId: z.string().min(1).max(64), displayName: z.string().max(120).optional() });

/** `/ops help` lists what the reader may run; it needs the full command list, given by index.ts. */
export function helpReply(ctx: CommandContext, commands: readonly CommandDef[]): ChatReply {
  const lines: string[] = [];
  for (const command of commands) {
    for (const sub of command.subcommands) {
      if (!hasRole(ctx.actor.roles, sub.role)) continue;
      lines.push(ctx.t('core.help.line', { usage: usageOf(command, sub, ctx.chatActor.platform), description: ctx.t(sub.description) }));
    }
  }
  const title = ctx.t('core.help.title');
  return { type: 'private', message: { fallback: title, title, body: lines.join('\n'), context: [ctx.t('core.help.footer')] } };
}

/** `/ops link` gives a one-time code; `/ops link CODE` on the other platform joins the two accounts. */
async function linkReply(ctx: CommandContext, code: string | undefined): Promise<ChatReply> {
  if (!code) {
    const issued = await ctx.services.links.issue(ctx.actor);
    return privateText(ctx.t('people.link.issued', { code: issued.code, minutes: LINK_CODE_TTL_MS / 60_000 }));
  }
  const result = await ctx.services.links.redeem(ctx.actor, code);
  if (!result.linked) return privateText(ctx.t('people.link.alreadyLinked'));
  const roles = result.roles.map((r) => ctx.t(`people.role.${r}`)).join(', ') || ctx.t('people.link.noRoles');
  const platforms = result.platforms.map((p) => ctx.t(platformKey(p))).join(', ');
  return privateText(ctx.t('people.link.linked', { platforms, person: result.person.displayName, roles }));
}

/** `/ops`: administration. Help for everyone, audit verification for managers, roles and settings for admins. */
export function opsCommand(allCommands: () => readonly CommandDef[]): CommandDef {
  const SETTING_KEYS = settingKeys();
  return defineCommand({
    name: 'ops',
    description: 'core.command.ops',
    bare: 'help',
    subcommands: [
      subcommand({
        name: 'help',
        description: 'core.command.help',
        role: 'requester',
        options: {},
        run: async (ctx) => helpReply(ctx, allCommands()),
      }),
      subcommand({
        name: 'me',
        description: 'home.command.me',
        role: 'requester',
        options: {},
        run: async (ctx) => ({ type: 'private', message: await ctx.services.home.message(ctx.actor, ctx.locale) }),
      }),
      subcommand({
        name: 'link',
        description: 'people.link.command',
        role: 'requester',
        options: { code: { kind: 'string', schema: z.string().trim().min(1).max(20).optional(), description: 'people.link.optionCode' } },
        run: async (ctx, { code }) => linkReply(ctx, code),
      }),
      subcommand({
        group: 'role',
        name: 'add',
        description: 'people.command.roleAdd',
        role: 'admin',
        options: {
          user: { kind: 'user', schema: user, description: 'people.option.user' },
          role: { kind: 'choice', choices: GRANTABLE_ROLES, schema: z.enum(GRANTABLE_ROLES), description: 'people.option.role' },
        },
        run: async (ctx, args) => {
          const { person, added } = await ctx.services.people.grant(ctx.actor, { platform: ctx.chatActor.platform, ...args.user }, args.role);
          const params = { person: person.displayName, role: ctx.t(`people.role.${args.role}`) };
          return privateText(ctx.t(added ? 'people.role.added' : 'people.role.alreadyHad', params));
        },
      }),
      subcommand({
        group: 'role',
        name: 'remove',
        description: 'people.command.roleRemove',
        role: 'admin',
        options: {
          user: { kind: 'user', schema: user, description: 'people.option.user' },
          role: { kind: 'choice', choices: GRANTABLE_ROLES, schema: z.enum(GRANTABLE_ROLES), description: 'people.option.role' },
        },
        run: async (ctx, args) => {
          const { person, removed } = await ctx.services.people.revoke(ctx.actor, { platform: ctx.chatActor.platform, ...args.user }, args.role);
          const params = { person: person.displayName, role: ctx.t(`people.role.${args.role}`) };
          return privateText(ctx.t(removed ? 'people.role.removed' : 'people.role.notHeld', params));
        },
      }),
      subcommand({
        group: 'role',
        name: 'list',
        description: 'people.command.roleList',
        role: 'admin',
        options: {},
        run: async (ctx) => {
          const holders = await ctx.services.people.listRoleHolders();
          if (holders.length === 0) return privateText(ctx.t('people.role.listEmpty'));
          const lines = holders.map((h) =>
            ctx.t('people.role.listLine', { person: h.displayName, roles: h.roles.map((r) => ctx.t(`people.role.${r}`)).join(', ') }),
          );
          const title = ctx.t('people.role.listTitle');
          return { type: 'private', message: { fallback: title, title, body: lines.join('\n') } };
        },
      }),
      ...auditSubcommands,
      ...kpiSubcommands,
      ...reportSubcommands,
      subcommand({
        group: 'config',
        name: 'set',
        description: 'settings.command.set',
        role: 'admin',
        options: {
          key: { kind: 'choice', choices: SETTING_KEYS, schema: z.string().refine((k) => SETTING_KEYS.includes(k)), description: 'settings.option.key' },
          value: { kind: 'string', rest: true, line: true, schema: z.string().trim().min(1).max(500), description: 'settings.option.value' },
        },
        run: async (ctx, args) => {
          const { key, value } = await ctx.services.settings.set(ctx.actor, args.key, args.value);
          return privateText(ctx.t('settings.set', { key, value }));
        },
      }),
      subcommand({
        group: 'config',
        name: 'get',
        description: 'settings.command.get',
        role: 'admin',
        options: { key: { kind: 'choice', choices: SETTING_KEYS, schema: z.string().refine((k) => SETTING_KEYS.includes(k)).optional(), description: 'settings.option.key' } },
        run: async (ctx, args) => {
          const all = await ctx.services.settings.all();
          const keys = args.key ? [args.key] : SETTING_KEYS;
          const shown = (key: string) => {
            const fallback = settingSpec(key)?.defaultValue;
            return all.get(key) ?? (fallback === undefined ? ctx.t('settings.unset') : ctx.t('settings.default', { value: fallback }));
          };
          const lines = keys.map((key) => ctx.t('settings.line', { key, value: shown(key) }));
          const title = ctx.t('settings.title');
          return { type: 'private', message: { fallback: lines.join('\n'), title, body: lines.join('\n') } };
        },
      }),
    ],
  });
}
