// How Slack's client fills in a modal (view.state.values) and how Slack judges the bot's acks to
// commands and submissions: the checks the driver applies to what it sends and what it gets back.
import { isRecord, validateMessage, validateView } from './block-validator.js';
import { FAKE_SLACK_LIMITS as L } from './limits.js';
import type { ApiBody } from './server.js';

/** The part of a bot answer the ack checks read. */
export interface AckAnswer {
  body: string;
  json: unknown;
}

/**
 * view.state.values as Slack builds it from what the person entered. Slack's client enforces
 * required inputs, max_length and select options before it submits, so a test asking for anything
 * else is a mistake in the test and throws.
 */
export function stateValues(blocks: unknown[], values: Record<string, string>, loaded: (blockId: string) => ApiBody[]): Record<string, Record<string, ApiBody>> {
  const state: Record<string, Record<string, ApiBody>> = {};
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) continue;
    const blockId = String(block.block_id);
    const element = block.element;
    const actionId = String(element.action_id);
    const value = values[blockId];
    if (!value && block.optional !== true) throw new Error(`fake slack: required input ${blockId} left empty; Slack would not submit`);
    switch (element.type) {
      case 'static_select': {
        const options: unknown[] = Array.isArray(element.options) ? element.options : [];
        const option = value ? options.find((o) => isRecord(o) && o.value === value) : null;
        if (option === undefined) throw new Error(`fake slack: ${blockId} has no option ${value}`);
        state[blockId] = { [actionId]: { type: 'static_select', selected_option: option } };
        break;
      }
      case 'external_select': {
        // Only what the menu showed (its initial option, or options the bot answered) can be picked.
        const shown = [...(isRecord(element.initial_option) ? [element.initial_option] : []), ...loaded(blockId)];
        const option = value ? shown.find((o) => o.value === value) : null;
        if (option === undefined) throw new Error(`fake slack: ${blockId} never offered ${value}`);
        state[blockId] = { [actionId]: { type: 'external_select', selected_option: option } };
        break;
      }
      case 'users_select':
        state[blockId] = { [actionId]: { type: 'users_select', selected_user: value || null } };
        break;
      case 'plain_text_input': {
        const max = typeof element.max_length === 'number' ? element.max_length : L.plainTextInputMaxLength;
        if (value && value.length > max) throw new Error(`fake slack: ${blockId} longer than its max_length ${max}`);
        state[blockId] = { [actionId]: { type: 'plain_text_input', value: value || null } };
        break;
      }
      default:
        throw new Error(`fake slack: cannot fill a ${String(element.type)}`);
    }
  }
  return state;
}

/** An empty body, or an ephemeral / in-channel message Slack can show. */
export function commandAckProblems(answer: AckAnswer): string[] {
  if (answer.body === '') return [];
  if (!isRecord(answer.json)) return ['command ack is neither empty nor a JSON object'];
  const { response_type: responseType } = answer.json;
  if (responseType !== undefined && responseType !== 'ephemeral' && responseType !== 'in_channel') {
    return [`bad response_type ${JSON.stringify(responseType)}`];
  }
  const invalid = validateMessage(answer.json);
  return invalid ? [`${invalid.error}: ${invalid.problems.join('; ')}`] : [];
}

/** Empty (closes the modal), or a response_action Slack understands, naming only inputs of this view. */
export function submissionAckProblems(answer: AckAnswer, blocks: unknown[]): string[] {
  if (answer.body === '') return [];
  if (!isRecord(answer.json)) return ['submission ack is neither empty nor a JSON object'];
  const action = answer.json.response_action;
  if (action === 'clear') return [];
  if (action === 'update' || action === 'push') {
    const invalid = validateView(answer.json.view);
    return invalid ? [`${invalid.error}: ${invalid.problems.join('; ')}`] : [];
  }
  if (action !== 'errors') return [`unknown response_action ${String(action)}`];
  const errors = answer.json.errors;
  if (!isRecord(errors) || Object.keys(errors).length === 0) return ['errors must be a non-empty object'];
  const inputs = new Set(blocks.filter((b) => isRecord(b) && b.type === 'input').map((b) => (isRecord(b) ? b.block_id : undefined)));
  return Object.entries(errors).flatMap(([blockId, message]) => {
    if (!inputs.has(blockId)) return [`errors names ${blockId}, which is not an input block of the view`];
    return typeof message === 'string' && message.length > 0 ? [] : [`error for ${blockId} must be a non-empty string`];
  });
}
