import { z } from 'zod';
import { subcommand, type SubcommandDef } from '../src/chat/command-def.js';
import { privateText } from '../src/chat/interactions.js';
import { ciForm, importForm } from '../src/cis/forms.js';
import { CI_ENVIRONMENTS, CI_TYPES, formatCiId, type CiEnvironment, type CiType } from '../src/cis/rules.js';
import { InvalidInputError } from '../src/errors.js';
import { ciListMessage, ciShowMessage } from '../src/cis/views.js';

const ref = z.string().trim().min(1).max(100);
const RELATIONS = ['depends-on'] as const;
const linkOptions = {
  from: { kind: 'string', schema: ref, description: 'cis.option.from' },
  relation: { kind: 'choice', choices: RELATIONS, schema: z.enum(RELATIONS), description: 'cis.option.relation' },
  to: { kind: 'string', rest: true, schema: ref, description: 'cis.option.to' },
} as const;

/**
 * `/ops ci ...`: configuration items (policy 2). Engineers read; managers and admins write (the
 * service checks again). Joined to `/ops` in commands/index.ts.
 */
export const opsCiSubcommands: SubcommandDef[] = [
  subcommand({
    group: 'ci',
    name: 'add',
    description: 'cis.command.add',
    role: 'manager',
    options: {},
    run: async (ctx) => ({ type: 'form', form: ciForm(ctx.t) }),
  }),
  subcommand({
    group: 'ci',
    name: 'edit',
    description: 'cis.command.edit',
    role: 'manager',
    options: { ref: { kind: 'string', rest: true, schema: ref, description: 'cis.option.ref' } },
    run: async (ctx, { ref: wanted }) => {
      const item = await ctx.services.cis.find(wanted);
      return { type: 'form', form: ciForm(ctx.t, await ctx.services.cis.record(item.id)) };
    },
  }),
  subcommand({
    group: 'ci',
    name: 'show',
    description: 'cis.command.show',
    role: 'engineer',
    options: { ref: { kind: 'string', rest: true, schema: ref, description: 'cis.option.ref' } },
    run: async (ctx, { ref: wanted }) => {
      const item = await ctx.services.cis.find(wanted);
      const record = await ctx.services.cis.record(item.id);
      const related = await ctx.services.cis.related(item.id, ctx.clock.now());
      return { type: 'private', message: ciShowMessage(record, related, { t: ctx.t, platform: ctx.chatActor.platform, now: ctx.clock.now() }) };
    },
  }),
  subcommand({
    group: 'ci',
    name: 'list',
    description: 'cis.command.list',
    role: 'engineer',
    options: {
      // Typed words arrive in order, so each option takes either kind of word (`list production`,
      // `list production server`); run() sorts them out. Discord still offers each option's own choices.
      type: { kind: 'choice', choices: CI_TYPES, schema: z.enum([...CI_TYPES, ...CI_ENVIRONMENTS]).optional(), description: 'cis.option.type' },
      environment: { kind: 'choice', choices: CI_ENVIRONMENTS, schema: z.enum([...CI_ENVIRONMENTS, ...CI_TYPES]).optional(), description: 'cis.option.environment' },
    },
    run: async (ctx, options) => {
      const words = [options.type, options.environment].filter((w) => w !== undefined);
      const types = words.filter((w): w is CiType => (CI_TYPES as readonly string[]).includes(w));
      const environments = words.filter((w): w is CiEnvironment => (CI_ENVIRONMENTS as readonly string[]).includes(w));
      if (types.length > 1 || environments.length > 1) throw new InvalidInputError('cis.error.listFilter');
      const [type] = types;
      const [environment] = environments;
      const page = await ctx.services.cis.list({ type, environment });
      const filter = [type ? ctx.t(`cis.type.${type}`) : '', environment ? ctx.t(`cis.environment.${environment}`) : ''].filter(Boolean).join(', ');
      return { type: 'private', message: ciListMessage(page, filter ? ctx.t('cis.list.titleFiltered', { filter }) : ctx.t('cis.list.title'), ctx.t) };
    },
  }),
  subcommand({
    group: 'ci',
    name: 'link',
    description: 'cis.command.link',
    role: 'manager',
    options: linkOptions,
    run: async (ctx, { from, to }) => {
      const result = await ctx.services.cis.link(ctx.actor, from, to);
      const params = { from: `${formatCiId(result.from.id)} ${result.from.name}`, to: `${formatCiId(result.to.id)} ${result.to.name}` };
      return privateText(ctx.t(result.added ? 'cis.reply.linked' : 'cis.reply.alreadyLinked', params));
    },
  }),
  subcommand({
    group: 'ci',
    name: 'unlink',
    description: 'cis.command.unlink',
    role: 'manager',
    options: linkOptions,
    run: async (ctx, { from, to }) => {
      const result = await ctx.services.cis.unlink(ctx.actor, from, to);
      const params = { from: `${formatCiId(result.from.id)} ${result.from.name}`, to: `${formatCiId(result.to.id)} ${result.to.name}` };
      return privateText(ctx.t(result.removed ? 'cis.reply.unlinked' : 'cis.reply.notLinked', params));
    },
  }),
  subcommand({
    group: 'ci',
    name: 'remove',
    description: 'cis.command.remove',
    role: 'manager',
    options: { ref: { kind: 'string', rest: true, schema: ref, description: 'cis.option.ref' } },
    run: async (ctx, { ref: wanted }) => {
      const item = await ctx.services.cis.remove(ctx.actor, wanted);
      return privateText(ctx.t('cis.reply.removed', { id: formatCiId(item.id), name: item.name }));
    },
  }),
  subcommand({
    group: 'ci',
    name: 'import',
    description: 'cis.command.import',
    role: 'manager',
    options: {},
    run: async (ctx) => ({ type: 'form', form: importForm(ctx.t) }),
  }),
];
