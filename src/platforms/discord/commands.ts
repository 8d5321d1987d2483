// Discord application commands, generated from the same `commands/` definitions as Slack's manifest:
// subcommands become SUB_COMMAND options, groups (`/ops role add`) SUB_COMMAND_GROUP options, and each
// option a STRING (text, or fixed choices) or USER option. Descriptions come from the catalog, in
// English with a zh-CN localisation.
import type { CommandDef, OptionSpec, SubcommandDef } from '../../chat/command-def.js';
import { isRequired } from '../../chat/command-router.js';
import { translator, type MessageKey } from '../../chat/i18n/catalog.js';
import { COMMAND_NAME, DISCORD_LIMITS as L } from './limits.js';
import { fitNonEmpty } from './text.js';

/** Discord's option types (discord-api-types ApplicationCommandOptionType) the bot uses. */
export const OPTION_TYPE = { subcommand: 1, group: 2, string: 3, user: 6 } as const;

/** Where a command may be used: servers (0) and DMs with the bot (1). */
const CONTEXTS = [0, 1];
/** Installed to servers. */
const INTEGRATION_TYPES = [0];

export interface ChoicePayload {
  name: string;
  value: string;
}

export interface ValueOptionPayload {
  type: typeof OPTION_TYPE.string | typeof OPTION_TYPE.user;
  name: string;
  description: string;
  description_localizations: Record<string, string>;
  required: boolean;
  choices?: ChoicePayload[];
  /** Discord asks the bot for choices as the person types (interaction type 4); never with `choices`. */
  autocomplete?: boolean;
}

export interface SubcommandPayload {
  type: typeof OPTION_TYPE.subcommand;
  name: string;
  description: string;
  description_localizations: Record<string, string>;
  options: ValueOptionPayload[];
}

export interface GroupPayload {
  type: typeof OPTION_TYPE.group;
  name: string;
  description: string;
  description_localizations: Record<string, string>;
  options: SubcommandPayload[];
}

export type OptionPayload = ValueOptionPayload | SubcommandPayload | GroupPayload;

/** The body of one chat-input command in `PUT /applications/{id}/commands`. */
export interface CommandPayload {
  type: 1;
  name: string;
  description: string;
  description_localizations: Record<string, string>;
  contexts: number[];
  integration_types: number[];
  options: OptionPayload[];
}

/** A definition that cannot become a valid Discord command: a bug in `commands/`, refused loudly. */
export class CommandPayloadError extends Error {}

const en = translator('en');
const zh = translator('zh-CN');

function describe(key: MessageKey, params?: Record<string, string>): Pick<SubcommandPayload, 'description' | 'description_localizations'> {
  return {
    description: fitNonEmpty(en(key, params), L.commandDescription),
    description_localizations: { 'zh-CN': fitNonEmpty(zh(key, params), L.commandDescription) },
  };
}

/** The option name Discord shows and sends back: the definition's name in lower case. */
export function discordName(name: string, what: string): string {
  const lower = name.toLowerCase();
  if (!COMMAND_NAME.test(lower)) throw new CommandPayloadError(`${what} "${name}" is not a valid Discord name (${COMMAND_NAME.source})`);
  return lower;
}

function valueOption(name: string, option: OptionSpec, where: string): ValueOptionPayload {
  const payload: ValueOptionPayload = {
    type: option.kind === 'user' ? OPTION_TYPE.user : OPTION_TYPE.string,
    name: discordName(name, `option of ${where}`),
    ...describe(option.description),
    required: isRequired(option),
  };
  // More than 25 choices cannot be offered as a list; the option is then free text, checked by its schema.
  if (option.kind === 'choice' && option.choices && option.choices.length > 0 && option.choices.length <= L.commandChoices) {
    payload.choices = option.choices.map((choice) => ({ name: fitNonEmpty(choice, L.choiceName), value: choice.slice(0, L.choiceValue) }));
  } else if (option.suggest && option.kind === 'string') {
    payload.autocomplete = true;
  }
  return payload;
}

function valueOptions(sub: SubcommandDef, where: string): ValueOptionPayload[] {
  const options = Object.entries(sub.options).map(([name, option]) => valueOption(name, option, where));
  if (options.length > L.commandOptions) throw new CommandPayloadError(`${where} has more than ${L.commandOptions} options`);
  // Discord wants required options before optional ones; the bot reads them by name, so order is free.
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
}

function subcommandPayload(command: CommandDef, sub: SubcommandDef): SubcommandPayload {
  const where = `/${command.name}${sub.group ? ` ${sub.group}` : ''} ${sub.name}`;
  return { type: OPTION_TYPE.subcommand, name: discordName(sub.name, 'subcommand'), ...describe(sub.description), options: valueOptions(sub, where) };
}

/** True for a command whose only form is its bare one: Discord then gets its options directly. */
function isSingleForm(command: CommandDef): boolean {
  const [only] = command.subcommands;
  return command.subcommands.length === 1 && only !== undefined && !only.group && only.name === command.bare;
}

export function commandPayload(command: CommandDef): CommandPayload {
  const base = { type: 1 as const, name: discordName(command.name, 'command'), ...describe(command.description), contexts: CONTEXTS, integration_types: INTEGRATION_TYPES };
  const [only] = command.subcommands;
  if (isSingleForm(command) && only) return { ...base, options: valueOptions(only, `/${command.name}`) };

  const options: OptionPayload[] = [];
  const groups = new Map<string, GroupPayload>();
  for (const sub of command.subcommands) {
    if (!sub.group) {
      options.push(subcommandPayload(command, sub));
      continue;
    }
    let group = groups.get(sub.group);
    if (!group) {
      const name = discordName(sub.group, 'subcommand group');
      group = { type: OPTION_TYPE.group, name, ...describe('discord.command.group', { command: command.name, group: name }), options: [] };
      groups.set(sub.group, group);
      options.push(group);
    }
    group.options.push(subcommandPayload(command, sub));
  }
  if (options.length > L.commandOptions) throw new CommandPayloadError(`/${command.name} has more than ${L.commandOptions} subcommands and groups`);
  for (const group of groups.values()) {
    if (group.options.length > L.commandOptions) throw new CommandPayloadError(`/${command.name} ${group.name} has more than ${L.commandOptions} subcommands`);
  }
  const names = options.map((o) => o.name);
  if (new Set(names).size !== names.length) throw new CommandPayloadError(`/${command.name} uses a name twice: ${names.join(', ')}`);
  return { ...base, options };
}

/** Every command of the bot as Discord registers them. */
export function commandPayloads(commands: readonly CommandDef[]): CommandPayload[] {
  return commands.map(commandPayload);
}
