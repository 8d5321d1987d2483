// Discord sends a command's subcommand and typed options; the runtime reads Slack-style text
// (`role add user=<@123|li.wei> role=engineer`). This rebuilds that text, so that both platforms go
// through the same parser, checks and usage errors.

/** One entry of `data.options` (nested for subcommands and groups). */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: CommandOption[] | undefined;
  /** In an autocomplete interaction: the option being typed. */
  focused?: boolean | undefined;
}

export interface ResolvedUser {
  id: string;
  username: string;
  global_name?: string | null | undefined;
}

const SUBCOMMAND = 1;
const GROUP = 2;
const USER = 6;

/** Typed values as the text parser reads them: `name=value`, or `name="some text"` with spaces. */
function namedValue(name: string, raw: string): string | undefined {
  // The text parser has no escapes: a double quote inside a value cannot be written, as on Slack.
  const value = raw.replace(/"/g, "'").replace(/\s+/g, ' ').trim();
  if (!value) return undefined;
  return /\s/.test(value) ? `${name}="${value}"` : `${name}=${value}`;
}

/** `<@123|li.wei>`: the mention the runtime reads, with the name Discord resolved for it. */
export function userMention(id: string, user: ResolvedUser | undefined): string {
  const name = (user?.global_name || user?.username || '').replace(/[<>|"\s]+/g, ' ').trim().slice(0, 80);
  return name ? `<@${id}|${name}>` : `<@${id}>`;
}

export function commandText(options: readonly CommandOption[] | undefined, users: Readonly<Record<string, ResolvedUser>> = {}): string {
  const words: string[] = [];
  let values = options ?? [];
  const first = values[0];
  if (first?.type === GROUP) {
    const sub = first.options?.[0];
    words.push(first.name);
    if (sub) words.push(sub.name);
    values = sub?.options ?? [];
  } else if (first?.type === SUBCOMMAND) {
    words.push(first.name);
    values = first.options ?? [];
  }
  for (const option of values) {
    if (option.value === undefined || option.type === SUBCOMMAND || option.type === GROUP) continue;
    const raw = option.type === USER ? userMention(String(option.value), users[String(option.value)]) : String(option.value);
    const word = namedValue(option.name, raw);
    if (word) words.push(word);
  }
  return words.join(' ');
}
