// What each platform would still read as markup in rendered text: the tests' view of "live".

/** Every mrkdwn string Slack parses in a payload: the top-level `text` and each `{type: 'mrkdwn'}` object. */
export function slackMrkdwn(payload: unknown, top = true): string[] {
  if (Array.isArray(payload)) return payload.flatMap((item) => slackMrkdwn(item, false));
  if (!payload || typeof payload !== 'object') return [];
  const record = payload as Record<string, unknown>;
  const texts: string[] = [];
  if (typeof record.text === 'string' && (top || record.type === 'mrkdwn')) texts.push(record.text);
  for (const [key, value] of Object.entries(record)) if (key !== 'text' || typeof value !== 'string') texts.push(...slackMrkdwn(value, false));
  return texts;
}

/** The live tokens (mentions, channel notifications, links) Slack reads in a payload's mrkdwn. */
export function slackLiveTokens(payload: unknown): string[] {
  return slackMrkdwn(payload).flatMap((text) => [...text.matchAll(/<[^<>]*>/g)].map((m) => m[0]));
}

/**
 * What Discord still reads as a masked link, mention, `@everyone`/`@here` or heading in markdown text,
 * once its backslash escapes (a backslash before any punctuation) are taken out.
 */
export function discordLiveMarkup(text: string): string[] {
  const unescaped = text.replace(/\\[^A-Za-z0-9\s]/g, '\u2400');
  return [
    ...[...unescaped.matchAll(/\[[^\]]*\]\([^)]*\)/g)].map((m) => m[0]),
    ...[...unescaped.matchAll(/<(?:@[!&]?|#)\d+>/g)].map((m) => m[0]),
    ...[...unescaped.matchAll(/@(?:everyone|here)/g)].map((m) => m[0]),
    ...[...unescaped.matchAll(/^[ \t]*-?#+ .*/gm)].map((m) => m[0]),
  ];
}

/** The markdown texts of a Discord message body: content, embed descriptions and field values. */
export function discordMarkdownTexts(message: { content?: string; embeds?: readonly unknown[] }): string[] {
  const texts = [message.content ?? ''];
  for (const embed of message.embeds ?? []) {
    const { description, fields } = (embed ?? {}) as { description?: unknown; fields?: unknown };
    if (typeof description === 'string') texts.push(description);
    for (const field of Array.isArray(fields) ? fields : []) {
      const value = (field as { value?: unknown }).value;
      if (typeof value === 'string') texts.push(value);
    }
  }
  return texts;
}
