import type { CommandDef, OptionSpec, SubcommandDef } from './command-def.js';
import { parseUserRef, splitWords, tokenize } from './parse-text.js';
import { InvalidInputError } from '../errors.js';
import { isClockLikeWord, isDateLikeWord } from '../time/time-input.js';
import type { Platform } from './model.js';

export interface RoutedCommand {
  sub: SubcommandDef;
  args: Record<string, unknown>;
  /**
   * The command and subcommand as typed, in their canonical spelling: `/ops kpi team`, `/fault export`,
   * `/fault` for a bare command. Errors about the subcommand (the role it needs) name this.
   */
  typed: string;
}

const MAX_LISTED_CHOICES = 8;

export function isRequired(option: OptionSpec): boolean {
  return !option.schema.safeParse(undefined).success;
}

/**
 * `/fault list [mine|open|all]`, built from the definition so that help never goes stale. Discord
 * cannot run a command with subcommands bare, so there the bare form is written with its name.
 */
export function usageOf(command: CommandDef, sub: SubcommandDef, platform?: Platform): string {
  const words = [`/${command.name}`];
  if (sub.group) words.push(sub.group);
  const bareForm = command.bare === sub.name && !sub.group && Object.keys(sub.options).length === 0;
  if (!bareForm || platform === 'discord') words.push(sub.name);
  for (const [name, option] of Object.entries(sub.options)) {
    // A long list of choices (every setting, say) would bury the usage line: name the option instead.
    const listed = option.choices && option.choices.length <= MAX_LISTED_CHOICES;
    const shown = listed ? (option.choices ?? []).join('|') : option.kind === 'user' ? '@user' : name.toUpperCase();
    words.push(option.usage ?? (isRequired(option) ? `<${shown}>` : `[${shown}]`));
  }
  return words.join(' ');
}

function usageError(command: CommandDef, platform: Platform | undefined, sub?: SubcommandDef): InvalidInputError {
  const subs = sub ? [sub] : command.subcommands;
  return new InvalidInputError('core.error.usage', { usage: subs.map((s) => usageOf(command, s, platform)).join('\n') });
}

function findSub(command: CommandDef, words: string[]): { sub: SubcommandDef; consumed: number } | undefined {
  const first = words[0]?.toLowerCase();
  if (first === undefined) {
    const bare = command.subcommands.find((s) => !s.group && s.name === command.bare);
    return bare ? { sub: bare, consumed: 0 } : undefined;
  }
  const grouped = command.subcommands.filter((s) => s.group === first);
  if (grouped.length > 0) {
    const second = words[1]?.toLowerCase();
    const sub = grouped.find((s) => s.name === second);
    return sub ? { sub, consumed: 2 } : undefined;
  }
  const sub = command.subcommands.find((s) => !s.group && s.name === first);
  return sub ? { sub, consumed: 1 } : undefined;
}

/** Reads the subcommand and its options from command text, validating each option with its schema. */
export function routeCommand(command: CommandDef, text: string, platform?: Platform): RoutedCommand {
  const { words, named } = tokenize(text);
  const found = findSub(command, words);
  if (!found) throw usageError(command, platform);
  const { sub } = found;
  const typed = [`/${command.name}`, ...(found.consumed === 0 ? [] : [sub.group, sub.name].filter((w) => w !== undefined))].join(' ');
  let positional = words.slice(found.consumed);
  // An option that takes the rest of the line gets it verbatim: tokenize would read `critical=P1` as a
  // named option and drop the commas' spacing.
  const names = Object.keys(sub.options);
  const lineAt = Object.values(sub.options).findIndex((o) => o.line === true);
  // Options given by name (`key=… value="…"`, as Discord's typed options arrive) are read as named.
  const byName = names.some((name) => named[name.toLowerCase()] !== undefined);
  if (lineAt >= 0 && !byName) {
    const split = splitWords(text, found.consumed + lineAt);
    positional = split.words.slice(found.consumed);
    for (const key of Object.keys(named)) Reflect.deleteProperty(named, key);
    const lineName = names[lineAt];
    if (lineName !== undefined && split.rest.length > 0) named[lineName.toLowerCase()] = split.rest;
  }
  const args: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(sub.options)) {
    let raw: string | undefined = named[name.toLowerCase()];
    if (raw === undefined && positional.length > 0) {
      raw = option.rest ? positional.splice(0).join(' ') : positional.shift();
      // A date and a time typed as two words are one time argument; a malformed pair too, so that the
      // error names this argument rather than the next one.
      if (option.kind === 'time' && raw !== undefined && isDateLikeWord(raw) && isClockLikeWord(positional[0] ?? '')) raw = `${raw} ${positional.shift() ?? ''}`;
    }
    let value: unknown = raw;
    if (raw !== undefined && option.kind === 'user') {
      value = parseUserRef(raw);
      if (!value) throw new InvalidInputError('core.error.badUser', { value: raw.slice(0, 80), usage: usageOf(command, sub, platform) });
    }
    if (raw !== undefined && option.kind === 'choice') value = raw.toLowerCase();
    const parsed = option.schema.safeParse(value);
    if (!parsed.success) {
      if (raw === undefined) throw new InvalidInputError('core.error.missingOption', { option: name, usage: usageOf(command, sub, platform) });
      const usage = usageOf(command, sub, platform);
      // Named as in the usage line (`[TO]`), with what the option takes: a bare `to` reads as a word.
      const shown = name.toUpperCase();
      const issue = parsed.error.issues[0];
      if (issue?.code === 'too_big' && issue.origin === 'string') {
        throw new InvalidInputError('core.error.optionTooLong', { option: shown, max: Number(issue.maximum), length: [...raw.trim()].length, usage });
      }
      throw new InvalidInputError('core.error.badOption', { option: shown, value: raw.slice(0, 80), description: { key: option.description }, usage });
    }
    args[name] = parsed.data;
  }
  const known = new Set(Object.keys(sub.options).map((n) => n.toLowerCase()));
  if (positional.length > 0 || Object.keys(named).some((key) => !known.has(key))) throw usageError(command, platform, sub);
  return { sub, args, typed };
}
