import { PLAIN_TEXT, renderMessageText } from '../../chat/markup.js';
import type { ChatMessage } from '../../chat/model.js';
import type { NumberedButton } from './buttons.js';
import type { Style } from './style.js';

/**
 * A chat message as terminal lines: title, fields as `Label: value`, body, context lines, then the
 * buttons as `[N] Label` choices. A message with no title, fields or body shows its fallback text.
 * Text is shown as typed; mentions as `@name`.
 */
export function renderMessage(modelMessage: ChatMessage, buttons: readonly NumberedButton[], style: Style): string[] {
  const message = renderMessageText(modelMessage, PLAIN_TEXT);
  const lines: string[] = [];
  const fields = message.fields ?? [];
  if (message.title) lines.push(style.title(message.title, message.color));
  for (const field of fields) {
    const [first = '', ...rest] = field.value.split('\n');
    lines.push(`${style.label(`${field.label}:`)} ${first}`, ...rest.map((line) => `  ${line}`));
  }
  if (message.body) lines.push(...message.body.split('\n'));
  if (!message.title && !message.body && fields.length === 0) lines.push(...message.fallback.split('\n'));
  for (const context of message.context ?? []) lines.push(style.dim(context));
  if (buttons.length > 0) {
    lines.push(buttons.map(({ n, button }) => style.button(`[${n}] ${button.label}`, button.style)).join('  '));
  }
  return lines;
}
