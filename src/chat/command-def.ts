import type { z } from 'zod';
import type { MessageKey } from './i18n/catalog.js';
import type { ChatReply, SuggestSource } from './model.js';
import type { Role } from '../people/roles.js';
import type { CommandContext } from './context.js';

/**
 * How an option is offered on each platform: free text, a user (a mention on Slack, a user option on
 * Discord), one of fixed choices (taken from the zod enum), or a time (text read by
 * src/chat/time-argument.ts; typed unquoted, `2026-12-07 09:00` still counts as one argument).
 */
export type OptionKind = 'string' | 'user' | 'choice' | 'time';

export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  schema: S;
  kind: OptionKind;
  description: MessageKey;
  /** For `choice` options: the allowed values (also Discord's choices). */
  choices?: readonly string[];
  /** Takes the rest of the text (Slack), e.g. `/fault search printer on floor 3`. */
  rest?: boolean;
  /**
   * Takes the rest of the line verbatim, after the words of the options before it: `key=value`,
   * commas and spaces included (`/ops config set alert_severity_map critical=P1, warning=P3`).
   */
  line?: boolean;
  /** How the usage line shows the option when its name alone would hide a form, e.g. `[PERIOD] [detail]`. */
  usage?: string;
  /** A `string` option whose values are suggested as the person types (Discord autocomplete). */
  suggest?: SuggestSource;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type ArgsOf<O extends OptionSpecs> = { [K in keyof O]: z.output<O[K]['schema']> };

export interface SubcommandDef<O extends OptionSpecs = OptionSpecs> {
  /** For nested subcommands such as `/ops role add`: `role`. */
  group?: string;
  name: string;
  description: MessageKey;
  /** The role needed; `requester` means everyone. */
  role: Role;
  /** Options in positional order (Slack text is read left to right; key=value also works). */
  options: O;
  run(ctx: CommandContext, args: ArgsOf<O>): Promise<ChatReply>;
}

export interface CommandDef {
  name: string;
  description: MessageKey;
  /** The subcommand that runs when the command is typed bare (`/fault` = `/fault report`). */
  bare?: string;
  subcommands: SubcommandDef[];
}

/** Keeps the option types of a subcommand while storing it in a list of mixed subcommands. */
export function subcommand<O extends OptionSpecs>(def: SubcommandDef<O>): SubcommandDef {
  return def;
}

export function defineCommand(def: CommandDef): CommandDef {
  return def;
}
