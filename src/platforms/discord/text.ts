// Cutting text to Discord's limits without breaking what Discord reads inside it.

import { ELLIPSIS, sliceSafely } from '../../chat/format.js';

export { ELLIPSIS };

/**
 * Text cut to `max` characters, ending with "…" when something was cut. A cut inside a mention
 * (`<@123>`, `<#456>`, `<t:1700000000>`) would leave raw markup, so the cut moves back before an
 * unclosed `<`.
 */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  let kept = sliceSafely(text, max - ELLIPSIS.length);
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  return `${kept.trimEnd()}${ELLIPSIS}`;
}

/** Text that Discord requires to be non-empty: blank text becomes the ellipsis. */
export function fitNonEmpty(text: string | undefined, max: number): string {
  const trimmed = text?.trim() ?? '';
  return fit(trimmed || ELLIPSIS, max);
}
