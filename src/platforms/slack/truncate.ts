// Cutting text to Slack's limits without breaking what Slack reads inside it.

export const ELLIPSIS = '…';

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts at `end` but never between the two halves of a surrogate pair (an emoji, say). */
function sliceSafely(text: string, end: number): string {
  if (end <= 0) return '';
  const last = text.charCodeAt(end - 1);
  return text.slice(0, isHighSurrogate(last) ? end - 1 : end);
}

/** Plain text cut to `max` characters, ending with "…" when something was cut. */
export function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return `${sliceSafely(text, max - ELLIPSIS.length).trimEnd()}${ELLIPSIS}`;
}

/**
 * mrkdwn cut to `max` characters. A cut inside `<@U123>`, `<#C1|name>` or `<https://…|label>` would
 * leave Slack a broken token that shows as raw text, so the cut moves back before an unclosed `<`.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let kept = sliceSafely(text, max - ELLIPSIS.length);
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}
