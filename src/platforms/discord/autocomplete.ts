// Discord autocomplete (interaction type 4): the choices offered while someone types into an option
// registered with `autocomplete: true` (commands.ts, from an OptionSpec's `suggest`), e.g. the
// configuration items for `/fault report system:`. Answered with callback type 8.
import type { CommandDef, OptionSpec } from '../../chat/command-def.js';
import type { SuggestSource } from '../../chat/model.js';
import type { Suggestions } from '../port.js';
import type { ChoicePayload } from './commands.js';
import type { AutocompleteInbound } from './inbound.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { fitNonEmpty } from './text.js';

/**
 * The suggestion source of the option Discord names by `path` (command, then group and subcommand
 * names as registered, i.e. in lower case) and `option`; undefined for an option without one.
 */
export function suggestSourceOf(commands: readonly CommandDef[], path: readonly string[], option: string): SuggestSource | undefined {
  const [name, ...rest] = path;
  const command = commands.find((c) => c.name.toLowerCase() === name);
  if (!command) return undefined;
  const matches = (group: string | undefined, sub: string) => {
    // A command whose only form is its bare one is registered without a subcommand level.
    if (rest.length === 0) return command.subcommands.length === 1 && !group && sub === command.bare;
    if (rest.length === 1) return !group && sub.toLowerCase() === rest[0];
    return group?.toLowerCase() === rest[0] && sub.toLowerCase() === rest[1];
  };
  const sub = command.subcommands.find((s) => matches(s.group, s.name));
  const spec: OptionSpec | undefined = sub ? Object.entries(sub.options).find(([key]) => key.toLowerCase() === option)?.[1] : undefined;
  return spec?.kind === 'string' ? spec.suggest : undefined;
}

/**
 * The choices for one autocomplete interaction: at most 25, each name 1-100 characters and value at
 * most 100 (PLATFORM-FACTS.md, "commands"); a value that would not fit is left out rather than cut,
 * since a cut value would name nothing. An option without a source gets no choices.
 */
export async function autocompleteChoices(commands: readonly CommandDef[], suggestions: Suggestions, inbound: AutocompleteInbound): Promise<ChoicePayload[]> {
  const source = suggestSourceOf(commands, inbound.path, inbound.option);
  if (!source) return [];
  const options = await suggestions.suggest(source, inbound.query.slice(0, L.choiceValue), L.commandChoices);
  return options
    .filter((o) => o.value.length > 0 && o.value.length <= L.choiceValue)
    .slice(0, L.commandChoices)
    .map((o) => ({ name: fitNonEmpty(o.label, L.choiceName), value: o.value }));
}
