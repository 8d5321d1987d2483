// The chat model's text is plain text: whatever a user typed is shown as typed and can never act as a
// platform's markup. The one exception is a mention node, the bot's own reference to a person, which
// only `mentionNode` makes and each renderer turns into its platform's live mention (DESIGN.md, "Text
// that came from a user is escaped"). So no card has to remember to escape anything: the renderer
// escapes every text part, and a mention node cannot be typed, because `plainInput` removes its
// delimiters from everything that comes in.
import type { ChatMessage } from './model.js';

/** Unicode private-use characters: no keyboard, platform or catalog text produces them. */
const NODE_START = '\uE000';
const NODE_NAME = '\uE002';
const NODE_END = '\uE001';
const NODE = /\uE000([A-Za-z0-9._-]{1,64})(?:\uE002([^\uE000-\uE002\n]{1,80}))?\uE001/g;
const DELIMITERS = /[\uE000-\uE002]/g;

/**
 * A piece of model text: plain text shown as is, or a mention of a platform account (`U123`, `456`)
 * with the person's display name when the node carries one.
 */
export type TextPart = { kind: 'text'; text: string } | { kind: 'mention'; userId: string; name?: string };

/** How one platform shows the two kinds of part. */
export interface TextRenderer {
  text(plain: string): string;
  /** `name` is the display name the node carries, if any: plain text, for surfaces that cannot show a mention. */
  mention(userId: string, name?: string): string;
}

/**
 * A mention node for a platform account id (`U123` on Slack, `456` on Discord, `li.wei` in the shell),
 * optionally with the person's display name (at most 80 characters, one line) for surfaces where a
 * mention does not render, such as a Discord embed footer (PLATFORM-FACTS.md). Ids outside
 * `[A-Za-z0-9._-]{1,64}` cannot be mentioned and come back as plain text (the name, if given), so a
 * node never carries anything but an id and a name.
 */
export function mentionNode(userId: string, displayName?: string): string {
  const name = displayName?.replace(DELIMITERS, '').replace(/\s+/g, ' ').trim().slice(0, 80);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(userId)) return name || userId;
  return name ? `${NODE_START}${userId}${NODE_NAME}${name}${NODE_END}` : `${NODE_START}${userId}${NODE_END}`;
}

/** Model text split into plain text and mention nodes, in order; empty text parts are left out. */
export function textParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(NODE)) {
    if (match.index > at) parts.push({ kind: 'text', text: text.slice(at, match.index) });
    parts.push(match[2] ? { kind: 'mention', userId: match[1] ?? '', name: match[2] } : { kind: 'mention', userId: match[1] ?? '' });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/** Model text in a platform's terms: every plain part through `renderer.text`, every mention through `renderer.mention`. */
export function renderText(text: string, renderer: TextRenderer): string {
  return textParts(text)
    .map((part) => (part.kind === 'mention' ? renderer.mention(part.userId, part.name) : renderer.text(part.text.replace(DELIMITERS, ''))))
    .join('');
}

/**
 * Text from outside (a command, a form answer) as the model may hold it: without the mention-node
 * delimiters, so that nobody can type a mention node. The runtime applies it to every inbound event.
 */
export function plainInput(text: string): string {
  return text.replace(DELIMITERS, '');
}

/** Every text of a message rendered: `body` for mrkdwn-like parts, `plain` for the title (never parsed as markup). */
export function renderMessageText(message: ChatMessage, body: TextRenderer, plain: TextRenderer = body): ChatMessage {
  const rich = (text: string) => renderText(text, body);
  const rendered: ChatMessage = { ...message, fallback: rich(message.fallback) };
  if (message.title !== undefined) rendered.title = renderText(message.title, plain);
  if (message.body !== undefined) rendered.body = rich(message.body);
  if (message.fields) rendered.fields = message.fields.map((field) => ({ label: rich(field.label), value: rich(field.value) }));
  if (message.context) rendered.context = message.context.map(rich);
  if (message.buttons) rendered.buttons = message.buttons.map((button) => ({ ...button, label: renderText(button.label, plain) }));
  return rendered;
}

/** Shows text exactly as typed, with mentions as `@id`: for plain-text surfaces (Slack plain_text, the terminal). */
export const PLAIN_TEXT: TextRenderer = { text: (plain) => plain, mention: (userId) => `@${userId}` };
