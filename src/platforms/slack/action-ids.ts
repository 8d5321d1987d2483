// Slack wants every action_id in a message to be different, but the chat model routes clicks by
// actionId and happily puts five `feedback.rate` buttons (1..5) on one card. Repeats get a `~n`
// suffix on the way out, and the suffix is dropped again when the click comes back.

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
