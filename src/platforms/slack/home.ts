// The personal overview as a Slack App Home view: each section of the chat model rendered like a
// message, separated by dividers, within the Home tab's limits (PLATFORM-FACTS.md: 100 blocks per
// view; `view_too_large` past 250 kB). Block ids and action ids are made unique across the view.
import type { HomeView, KnownBlock } from '@slack/web-api';
import type { ChatMessage } from '../../chat/model.js';
import { chatActionId, uniqueActionIds } from './action-ids.js';
import { SLACK_LIMITS } from './limits.js';
import { renderMessage } from './render.js';

/** Slack's limit on blocks in a Home tab (PLATFORM-FACTS.md). */
export const HOME_BLOCKS_MAX = SLACK_LIMITS.blocksPerModal;
/** Slack refuses views past 250 kB; each section is already held to the message budget (12,000). */
const HOME_JSON_BUDGET = 200_000;

/**
 * Builds the `views.publish` view from the overview's sections. A section that would not fit in
 * the block limit or the size budget is left out together with everything after it; the first
 * section (the title and the new-record buttons) always fits.
 */
export function renderHomeView(sections: ChatMessage[]): HomeView {
  const blocks: KnownBlock[] = [];
  let size = 0;
  for (const [index, section] of sections.entries()) {
    const rendered = renderMessage(section).blocks;
    const part: KnownBlock[] = index === 0 ? rendered : [{ type: 'divider' }, ...rendered];
    const partSize = JSON.stringify(part).length;
    if (blocks.length + part.length > HOME_BLOCKS_MAX || size + partSize > HOME_JSON_BUDGET) break;
    blocks.push(...part);
    size += partSize;
  }
  return { type: 'home', blocks: uniqueIds(blocks) };
}

/** Section renderings each start numbering afresh; in one view block ids and action ids must differ. */
function uniqueIds(blocks: KnownBlock[]): KnownBlock[] {
  const nextActionId = uniqueActionIds();
  return blocks.map((block, index) => {
    if (block.type !== 'actions') return block;
    const elements = block.elements.map((element) =>
      element.type === 'button' && element.action_id ? { ...element, action_id: nextActionId(chatActionId(element.action_id)) } : element,
    );
    return { ...block, block_id: `actions-${index}`, elements };
  });
}
