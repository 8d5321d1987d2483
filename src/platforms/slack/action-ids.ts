// Slack wants every action_id in a message to be different, but the chat model routes clicks by
// actionId and happily puts five `feedback.rate` buttons (1..5) on one card. Repeats get a `~n`
// suffix on the way out, and the suffix is dropped again when the click comes back.
import { SUGGEST_SOURCES, type SuggestSource } from '../../chat/model.js';

const REPEAT_SUFFIX = /~\d+$/;

/** Returns a function that hands out a message-unique action_id for each button's actionId. */
export function uniqueActionIds(): (actionId: string) => string {
  const seen = new Map<string, number>();
  return (actionId) => {
    const count = (seen.get(actionId) ?? 0) + 1;
    seen.set(actionId, count);
    return count === 1 ? actionId : `${actionId}~${count}`;
  };
}

/** The chat-model actionId behind a Slack action_id. */
export function chatActionId(slackActionId: string): string {
  return slackActionId.replace(REPEAT_SUFFIX, '');
}

const SUGGEST_PREFIX = 'suggest:';

/**
 * Characters typed before Slack asks for options. One, because a single CJK character (`库`) is
 * already a useful search; Slack's default is 3.
 */
export const SUGGEST_MIN_QUERY = 1;

/** The action_id of a searchable choice: `suggest:<source>:<field id>` (unique per view). */
export function suggestActionId(source: SuggestSource, fieldId: string): string {
  return `${SUGGEST_PREFIX}${source}:${fieldId}`;
}

/** The source a block_suggestion's action_id names, or undefined for any other action_id. */
export function suggestSourceOf(actionId: string): SuggestSource | undefined {
  if (!actionId.startsWith(SUGGEST_PREFIX)) return undefined;
  const source = actionId.slice(SUGGEST_PREFIX.length).split(':', 1)[0];
  return SUGGEST_SOURCES.find((s) => s === source);
}
