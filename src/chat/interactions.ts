import type { CommandContext } from './context.js';
import type { ChatReply } from './model.js';

/** Handles clicks on buttons whose actionId matches. */
export interface ButtonHandler {
  actionId: string;
  run(ctx: CommandContext, value: string): Promise<ChatReply>;
}

/** Handles submissions of the form with this formId. */
export interface FormHandler {
  formId: string;
  run(ctx: CommandContext, context: string, values: Record<string, string>): Promise<ChatReply>;
}

export const done: ChatReply = { type: 'done' };

export function privateText(text: string): ChatReply {
  return { type: 'private', message: { fallback: text, body: text } };
}
