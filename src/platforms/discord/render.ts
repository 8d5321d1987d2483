// ChatMessage -> a Discord message: plain content for a short private answer, otherwise one embed
// (title, colour, description, fields, footer) with the buttons in action rows. Everything is cut to
// Discord's limits so that a message is never refused: a long description loses its tail, not the card.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { PLAIN_TEXT, renderMessageText, renderText, type TextRenderer } from '../../chat/markup.js';
import type { CardColor, ChatButton, ChatField, ChatMessage } from '../../chat/model.js';
import { buttonCustomIds } from './custom-ids.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { ELLIPSIS, fit, fitNonEmpty } from './text.js';

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The body of a message create or edit, and of an interaction reply (which adds `flags`). */
export interface DiscordMessagePayload {
  content: string;
  embeds: APIEmbed[];
  /** Always present, so that an edit removes buttons that no longer apply. */
  components: MessageRow[];
  /** Nobody is pinged by a bot message: mentions on cards name people, they do not summon them. */
  allowed_mentions: { parse: [] };
  flags?: number;
}

export const COLORS: Record<CardColor, number> = {
  red: 0xd92d20,
  orange: 0xf79009,
  yellow: 0xfac515,
  grey: 0x98a2b3,
  green: 0x12b76a,
  blue: 0x2e90fa,
};

const MIN_FIELD_VALUE = 60;
/** Short values sit side by side (two or three to a line), like Slack's two-column fields. */
const INLINE_MAX = 60;

/**
 * Text with nothing Discord would read as a masked link, heading, subtext or mention
 * (PLATFORM-FACTS.md, "markdown in user text"): a backslash before `\`, `[`, `]` and `<`, before `#`
 * or `-#` that open a line, and before `@everyone` / `@here`. Discord shows the escaped text as typed;
 * bold and italics are left alone, being harmless. `allowed_mentions` already stops pings; this also
 * stops a hidden link target and a mention or heading that only looks official.
 */
export function neutraliseMarkdown(text: string): string {
  return text
    .replace(/[\\[\]<]/g, (char) => `\\${char}`)
    // A heading also opens inside a quote or a list item (`> # x`, `- # x`, `1. # x`).
    .replace(/^((?:[ \t]*(?:>{1,3}|[-*+]|\d{1,9}[.)])(?=[ \t]))*[ \t]*)(-?#)/gm, '$1\\$2')
    .replace(/@(everyone|here)/g, '\\@$1');
}

/** Model text for embeds and content: plain parts neutralised, the bot's mention nodes as `<@id>`. */
export const DISCORD_MARKDOWN: TextRenderer = { text: neutraliseMarkdown, mention: (userId) => `<@${userId}>` };

/**
 * An embed footer is never parsed as markdown, so its text stays as typed (a backslash would show);
 * nor does it render mentions (PLATFORM-FACTS.md names descriptions and field values as where they
 * render), so a mention there shows the person's display name.
 */
const FOOTER: TextRenderer = { text: (plain) => plain, mention: (userId, name) => `@${name ?? userId}` };

/**
 * A chat message as a Discord message body. Every text of the model is neutralised here, once
 * (the title, footer and button labels are not read as markdown); only mention nodes become mentions.
 */
export function renderMessage(modelMessage: ChatMessage): DiscordMessagePayload {
  const message = renderMessageText(modelMessage, DISCORD_MARKDOWN, PLAIN_TEXT);
  if (modelMessage.context) message.context = modelMessage.context.map((line) => renderText(line, FOOTER));
  const components = buttonRows(message.buttons ?? []);
  if (isPlain(message)) {
    return { content: fitNonEmpty(message.body ?? message.fallback, L.content), embeds: [], components, allowed_mentions: { parse: [] } };
  }
  return { content: '', embeds: [renderEmbed(message)], components, allowed_mentions: { parse: [] } };
}

/** A short answer with nothing but text reads better as plain content than as a card. */
function isPlain(message: ChatMessage): boolean {
  const text = message.body ?? message.fallback;
  return !message.title && !message.color && !message.fields?.length && !message.context?.length && text.trim().length <= L.content;
}

export function renderEmbed(message: ChatMessage): APIEmbed {
  const title = message.title?.trim();
  const body = message.body?.trim() || (title || message.fields?.length ? '' : message.fallback.trim() || ELLIPSIS);
  const footer = (message.context ?? []).map((line) => line.trim()).filter((line) => line.length > 0).join(' · ');
  let embed = buildEmbed(message, { title, body, footer, fieldValue: L.embedFieldValue, fieldCount: L.embedFields });
  // Shrink step by step until the whole embed fits Discord's 6000 characters.
  let fieldValue: number = L.embedFieldValue;
  let fieldCount: number = L.embedFields;
  let bodyLength = Math.min(body.length, L.embedDescription);
  let footerLength = Math.min(footer.length, L.embedFooter);
  for (let excess = embedLength(embed) - L.embedTotal; excess > 0; excess = embedLength(embed) - L.embedTotal) {
    if (bodyLength > 0) bodyLength = Math.max(0, bodyLength - excess);
    else if (fieldValue > MIN_FIELD_VALUE) fieldValue = Math.max(MIN_FIELD_VALUE, Math.floor(fieldValue / 2));
    else if (fieldCount > 0) fieldCount -= 1;
    else footerLength = Math.max(0, footerLength - excess);
    embed = buildEmbed(message, {
      title,
      body: bodyLength > 0 ? fit(body, bodyLength) : '',
      footer: footerLength > 0 ? fit(footer, footerLength) : '',
      fieldValue,
      fieldCount,
    });
  }
  return embed;
}

interface EmbedParts {
  title: string | undefined;
  body: string;
  footer: string;
  fieldValue: number;
  fieldCount: number;
}

function buildEmbed(message: ChatMessage, parts: EmbedParts): APIEmbed {
  const embed: APIEmbed = {};
  if (parts.title) embed.title = fit(parts.title, L.embedTitle);
  if (parts.body) embed.description = fit(parts.body, L.embedDescription);
  if (message.color) embed.color = COLORS[message.color];
  const fields = embedFields(message.fields ?? [], parts.fieldValue, parts.fieldCount);
  if (fields.length > 0) embed.fields = fields;
  if (parts.footer) embed.footer = { text: fit(parts.footer, L.embedFooter) };
  // Discord refuses an embed with nothing in it.
  if (!embed.title && !embed.description && !embed.fields) embed.description = fitNonEmpty(message.fallback, L.embedDescription);
  return embed;
}

function embedFields(fields: ChatField[], maxValue: number, maxCount: number): APIEmbedField[] {
  const shown = fields.length > maxCount ? fields.slice(0, Math.max(0, maxCount - 1)) : fields;
  const result = shown.map((field) => embedField(field.label, field.value, maxValue));
  const rest = fields.slice(shown.length);
  // Past 25 fields, the rest share the last one instead of disappearing.
  if (rest.length > 0 && maxCount > 0) {
    result.push(embedField(ELLIPSIS, rest.map((f) => `${f.label.trim()}: ${f.value.trim()}`).join('\n'), maxValue));
  }
  return result;
}

function embedField(label: string, value: string, maxValue: number): APIEmbedField {
  const shownValue = fitNonEmpty(value.trim() || '—', maxValue);
  return {
    name: fitNonEmpty(label, L.embedFieldName),
    value: shownValue,
    inline: shownValue.length <= INLINE_MAX && !shownValue.includes('\n'),
  };
}

/** What Discord counts against the 6000 characters of a message's embeds. */
export function embedLength(embed: APIEmbed): number {
  let total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length;
  total += (embed.author?.name ?? '').length;
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

/** Up to 5 rows of 5 buttons; a button whose route cannot fit in a custom_id is left out. */
export function buttonRows(buttons: ChatButton[]): MessageRow[] {
  const nextId = buttonCustomIds();
  const elements: APIButtonComponentWithCustomId[] = [];
  for (const button of buttons) {
    if (elements.length === L.actionRows * L.buttonsPerRow) break;
    const customId = nextId(button.actionId, button.value);
    if (!customId) continue;
    elements.push({
      type: ComponentType.Button,
      custom_id: customId,
      label: fitNonEmpty(button.label, L.buttonLabel),
      style: button.style === 'primary' ? ButtonStyle.Primary : button.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary,
    });
  }
  const rows: MessageRow[] = [];
  for (let start = 0; start < elements.length; start += L.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: elements.slice(start, start + L.buttonsPerRow) });
  }
  return rows;
}
