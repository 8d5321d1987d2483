/**
 * Splits Slack-style command text into words: `"quoted text"` stays one word, `key=value` and
 * `key="quoted value"` become named values, mentions (`<@U123|name>`) stay whole.
 */
export interface ParsedText {
  words: string[];
  named: Record<string, string>;
}

const TOKEN = /(\w+)=(?:"([^"]*)"|(\S+))|"([^"]*)"|(<[^>]+>|\S+)/g;

export function tokenize(text: string): ParsedText {
  const words: string[] = [];
  const named: Record<string, string> = {};
  for (const match of text.matchAll(TOKEN)) {
    const [, key, quotedValue, plainValue, quoted, word] = match;
    if (key !== undefined) named[key.toLowerCase()] = quotedValue ?? plainValue ?? '';
    else words.push(quoted ?? word ?? '');
  }
  return { words, named };
}

/**
 * The first `count` whitespace-separated words of `text` and the text after them, verbatim (trimmed),
 * for an option that takes the rest of the line (OptionSpec.line).
 */
export function splitWords(text: string, count: number): { words: string[]; rest: string } {
  const words: string[] = [];
  let rest = text.trim();
  while (words.length < count && rest.length > 0) {
    const m = /^(\S+)\s*/.exec(rest);
    if (!m?.[1]) break;
    words.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return { words, rest };
}

/** A person named in a command: the platform user id, and the name the mention carried, if any. */
export interface UserRef {
  userId: string;
  displayName?: string;
}

/** A user as typed: `<@U123|name>` / `<@U123>` (Slack), `<@123>` / `<@!123>` (Discord), `@name` (shell). */
export function parseUserRef(word: string): UserRef | undefined {
  const mention = /^<@!?([A-Za-z0-9]+)(?:\|([^>]*))?>$/.exec(word);
  if (mention?.[1]) return mention[2] ? { userId: mention[1], displayName: mention[2] } : { userId: mention[1] };
  const plain = typedName(word);
  return plain ? { userId: plain.toLowerCase(), displayName: plain } : undefined;
}

const TYPED_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A person's name as typed in the terminal (`li.wei`, `@Li.Wei`), without the `@`: 1-64 letters,
 * digits, `.`, `_` or `-`, starting with a letter or digit, so that `-cmd` or `.x` never names
 * anyone. The one rule for `/as NAME` and for people named in commands; undefined when it is not one.
 */
export function typedName(raw: string): string | undefined {
  const name = raw.trim().replace(/^@/, '');
  return TYPED_NAME.test(name) ? name : undefined;
}
