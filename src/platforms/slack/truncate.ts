// Cutting text to Slack's limits without breaking what Slack reads inside it.

import { ELLIPSIS, sliceSafely } from '../../chat/format.js';

/** Plain text needs no care beyond surrogate pairs: the chat model's truncate does it. */
export { ELLIPSIS, truncate as truncatePlain } from '../../chat/format.js';

/**
 * mrkdwn cut to `max` characters. A cut inside `<@U123>`, `<#C1|name>` or `<https://…|label>` would
 * leave Slack a broken token that shows as raw text, so the cut moves back before an unclosed `<`,
 * and likewise before an unfinished `&amp;`, `&lt;` or `&gt;`.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let kept = sliceSafely(text, max - ELLIPSIS.length);
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  // Rendered text escapes every `&`, so an `&` without its `;` is a cut entity (`&am`): cut before it.
  const entity = kept.lastIndexOf('&');
  if (entity > kept.lastIndexOf(';')) kept = kept.slice(0, entity);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
