// ChatMessage -> Block Kit. Everything is cut to Slack's limits so that a message is never rejected:
// a long description loses its tail (with "…"), it does not lose the whole card.
import type { ActionsBlock, Button, ContextBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/web-api';
import { PLAIN_TEXT, renderMessageText, type TextRenderer } from '../../chat/markup.js';
import type { ChatButton, ChatField, ChatMessage } from '../../chat/model.js';
import { uniqueActionIds } from './action-ids.js';
import { MESSAGE_BLOCKS_JSON_BUDGET, SLACK_LIMITS } from './limits.js';
import { ELLIPSIS, truncateMrkdwn, truncatePlain } from './truncate.js';

export interface SlackMessagePayload {
  /** Notification and screen-reader text; Slack shows it where blocks cannot be shown. */
  text: string;
  blocks: KnownBlock[];
}

/** How much text each part may carry; shrunk step by step until the blocks fit the JSON budget. */
interface TextAllowance {
  body: number;
  field: number;
  context: number;
  /** How many sections of fields may appear; the last resort when fields alone are too big. */
  fieldSections: number;
}

const EMPTY_VALUE = '—';
const MIN_FIELD_TEXT = 60;
const MIN_CONTEXT_TEXT = 60;

/**
 * Slack's rule for text in mrkdwn (PLATFORM-FACTS.md, "mrkdwn and user text"): `&`, `<` and `>` become
 * `&amp;`, `&lt;` and `&gt;`, and nothing else changes, so `<!channel>`, `<@U1>` or `<https://x|label>`
 * typed by someone shows as typed instead of notifying a channel or hiding a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Model text as mrkdwn: every plain part escaped, the bot's mention nodes as live `<@U…>`. */
export const MRKDWN: TextRenderer = { text: escapeMrkdwn, mention: (userId) => `<@${userId}>` };

/**
 * A chat message as a Block Kit payload. Every text of the model is escaped here, once (the title and
 * button labels are `plain_text`, which Slack never parses); only mention nodes become live mentions.
 */
export function renderMessage(modelMessage: ChatMessage, jsonBudget = MESSAGE_BLOCKS_JSON_BUDGET): SlackMessagePayload {
  const message = renderMessageText(modelMessage, MRKDWN, PLAIN_TEXT);
  // The top-level text is mrkdwn too, and it is what notifications show.
  const text = truncateMrkdwn(message.fallback || ELLIPSIS, SLACK_LIMITS.messageText);
  let allowance: TextAllowance = {
    body: SLACK_LIMITS.sectionText,
    field: SLACK_LIMITS.sectionFieldText,
    context: SLACK_LIMITS.contextElementText,
    fieldSections: Number.POSITIVE_INFINITY,
  };
  for (;;) {
    const blocks = buildBlocks(message, allowance);
    const excess = JSON.stringify(blocks).length - jsonBudget;
    if (excess <= 0) return { text, blocks };
    const smaller = shrink(allowance, excess, message);
    if (!smaller) return { text, blocks: buildBlocks({ fallback: message.fallback, title: message.title }, allowance) };
    allowance = smaller;
  }
}

/** The next, smaller allowance: the body goes first, then field and context text, then whole fields. */
function shrink(current: TextAllowance, excess: number, message: ChatMessage): TextAllowance | undefined {
  const bodyLength = Math.min(current.body, message.body?.length ?? 0);
  if (bodyLength > 0) return { ...current, body: Math.max(0, bodyLength - excess) };
  if (current.field > MIN_FIELD_TEXT) return { ...current, field: Math.max(MIN_FIELD_TEXT, Math.floor(current.field / 2)) };
  if (current.context > MIN_CONTEXT_TEXT) {
    return { ...current, context: Math.max(MIN_CONTEXT_TEXT, Math.floor(current.context / 2)) };
  }
  const sections = Math.min(current.fieldSections, fieldSectionCount(message.fields ?? []));
  if (sections > 0) return { ...current, fieldSections: sections - 1 };
  return undefined;
}

function buildBlocks(message: ChatMessage, allowance: TextAllowance): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const title = message.title?.trim();
  if (title) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: truncatePlain(title, SLACK_LIMITS.headerText), emoji: true } });
  }
  const body = message.body?.trim() ? truncateMrkdwn(message.body.trim(), allowance.body) : '';
  if (body) blocks.push(mrkdwnSection(body));

  const actions = actionsBlock(message.buttons ?? []);
  const context = contextBlock(message.context ?? [], allowance.context);
  // Fields take whatever block slots the other parts leave (Slack allows 50 per message).
  const reserved = blocks.length + (actions ? 1 : 0) + (context ? 1 : 0);
  const sectionsAllowed = Math.min(allowance.fieldSections, SLACK_LIMITS.blocksPerMessage - reserved);
  blocks.push(...fieldSections(message.fields ?? [], allowance.field, sectionsAllowed));
  if (context) blocks.push(context);
  if (actions) blocks.push(actions);

  // chat.update keeps the old blocks when none are sent, so a card must never render to zero blocks.
  if (blocks.length === 0 || blocks.every((b) => b.type === 'actions' || b.type === 'context')) {
    blocks.unshift(mrkdwnSection(truncateMrkdwn(message.fallback.trim() || ELLIPSIS, SLACK_LIMITS.sectionText)));
  }
  return blocks;
}

function mrkdwnSection(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function fieldSectionCount(fields: ChatField[]): number {
  return Math.ceil(fields.length / SLACK_LIMITS.sectionFields);
}

function fieldSections(fields: ChatField[], maxText: number, maxSections: number): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let start = 0; start < fields.length && sections.length < maxSections; start += SLACK_LIMITS.sectionFields) {
    const chunk = fields.slice(start, start + SLACK_LIMITS.sectionFields);
    sections.push({ type: 'section', fields: chunk.map((field) => fieldText(field, maxText)) });
  }
  return sections;
}

function fieldText(field: ChatField, maxText: number): MrkdwnElement {
  const value = field.value.trim() || EMPTY_VALUE;
  const text = field.label.trim() ? `*${field.label.trim()}*\n${value}` : value;
  return { type: 'mrkdwn', text: truncateMrkdwn(text, maxText), verbatim: true };
}

function contextBlock(lines: string[], maxText: number): ContextBlock | undefined {
  const texts = lines.map((line) => line.trim()).filter((line) => line.length > 0);
  if (texts.length === 0) return undefined;
  // Past Slack's 10 elements, the rest joins the last element instead of disappearing.
  const kept = texts.slice(0, SLACK_LIMITS.contextElements - 1);
  const rest = texts.slice(SLACK_LIMITS.contextElements - 1);
  if (rest.length > 0) kept.push(rest.join(' · '));
  return { type: 'context', elements: kept.map((text) => ({ type: 'mrkdwn', text: truncateMrkdwn(text, maxText), verbatim: true })) };
}

function actionsBlock(buttons: ChatButton[]): ActionsBlock | undefined {
  const nextActionId = uniqueActionIds();
  const elements: Button[] = [];
  for (const button of buttons) {
    if (elements.length === SLACK_LIMITS.actionsElements) break;
    const actionId = nextActionId(button.actionId);
    // An id or value Slack would refuse cannot be shortened without routing the click wrongly,
    // so such a button is left out rather than sinking the whole message.
    if (actionId.length > SLACK_LIMITS.actionId || button.value.length > SLACK_LIMITS.buttonValue) continue;
    const element: Button = {
      type: 'button',
      action_id: actionId,
      text: { type: 'plain_text', text: truncatePlain(button.label.trim() || ELLIPSIS, SLACK_LIMITS.buttonText), emoji: true },
    };
    if (button.value) element.value = button.value;
    if (button.style) element.style = button.style;
    elements.push(element);
  }
  return elements.length > 0 ? { type: 'actions', block_id: 'actions', elements } : undefined;
}
