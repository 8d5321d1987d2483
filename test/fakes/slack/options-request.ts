// Slack asking the bot for an external_select's options (a `block_suggestion`), as its client does
// while someone types into the menu: only once `min_query_length` characters are typed (Slack's
// default is 3), sent to the options load URL, answered within 3 seconds with at most 100 options.
import { isRecord, validateOptionsResponse } from './block-validator.js';
import type { ApiBody, OpenedView } from './server.js';

/** An external_select input of a view, by its block_id. */
export interface ExternalSelectInput {
  blockId: string;
  actionId: string;
  minQueryLength: number;
}

const SLACK_DEFAULT_MIN_QUERY = 3;

/** The external_select in block `blockId` of the view; throws when there is none (a mistake in the test). */
export function externalSelectOf(view: OpenedView, blockId: string): ExternalSelectInput {
  const blocks: unknown[] = Array.isArray(view.view.blocks) ? view.view.blocks : [];
  for (const block of blocks) {
    if (!isRecord(block) || block.block_id !== blockId || !isRecord(block.element)) continue;
    if (block.element.type !== 'external_select') throw new Error(`fake slack: ${blockId} is a ${String(block.element.type)}, not an external_select`);
    const min = block.element.min_query_length;
    return { blockId, actionId: String(block.element.action_id), minQueryLength: typeof min === 'number' ? min : SLACK_DEFAULT_MIN_QUERY };
  }
  throw new Error(`fake slack: the view has no input ${blockId}`);
}

/** The payload Slack sends, shaped like Slack's (and Bolt's BlockSuggestion type). */
export function blockSuggestionPayload(input: { view: OpenedView; select: ExternalSelectInput; query: string; user: { id: string; name: string }; teamId: string; appId: string }): ApiBody {
  const { view, select, query, user } = input;
  if (query.length < select.minQueryLength) {
    throw new Error(`fake slack: Slack sends no options request before ${select.minQueryLength} characters (got "${query}")`);
  }
  return {
    type: 'block_suggestion',
    user: { id: user.id, username: user.name, name: user.name, team_id: input.teamId },
    container: { type: 'view', view_id: view.view.id ?? 'V0FAKE' },
    api_app_id: input.appId,
    token: 'deprecated-verification-token',
    action_id: select.actionId,
    block_id: select.blockId,
    value: query,
    team: { id: input.teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    view: { ...view.view, state: { values: {} } },
  };
}

/** The options of the answer, or the problems Slack would have with it. */
export function optionsOf(json: unknown): { options: ApiBody[]; problems: string[] } {
  const problems = validateOptionsResponse(json);
  const options = isRecord(json) && Array.isArray(json.options) ? json.options.filter(isRecord) : [];
  return { options, problems };
}
