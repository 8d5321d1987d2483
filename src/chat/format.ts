import type { Platform } from './model.js';
import type { Translate } from './i18n/catalog.js';
import { mentionNode } from './markup.js';

/** A person as cards show them: a mention where they have an account on the platform, else the name. */
export interface PersonView {
  displayName: string;
  accounts: { platform: string; userId: string }[];
}

/**
 * The person in model text: on Slack and Discord a mention node (see markup.ts) of their account there,
 * which the renderer makes a live `<@U123>`; in the shell, which has no markup, `@li.wei`; else their
 * name as plain text; `—` for nobody.
 */
export function mention(person: PersonView | undefined, platform: Platform): string {
  if (!person) return '—';
  const account = person.accounts.find((a) => a.platform === platform);
  if (!account) return person.displayName;
  return platform === 'shell' ? `@${account.userId}` : mentionNode(account.userId, person.displayName);
}

// Building an Intl.DateTimeFormat costs far more than using one (it was the largest single cost of
// rendering a fault card in the alert-intake profile), and opsdesk uses one or two time zones.
const timeFormatters = new Map<string, Intl.DateTimeFormat>();

function timeFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = timeFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `2026-11-27 09:14` in the configured time zone: unambiguous in every language. */
export function formatTime(date: Date, timeZone: string): string {
  const parts = timeFormatter(timeZone).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A short age such as `5 min`, `3 h`, `2 d`. */
export function formatAge(from: Date, now: Date, t: Translate): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return t('core.age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('core.age.hours', { n: hours });
  return t('core.age.days', { n: Math.floor(hours / 24) });
}

export const ELLIPSIS = '…';

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts at `end` but never between the two halves of a surrogate pair (an emoji, say). */
export function sliceSafely(text: string, end: number): string {
  if (end <= 0) return '';
  const last = text.charCodeAt(end - 1);
  return text.slice(0, isHighSurrogate(last) ? end - 1 : end);
}

/** Cuts text to `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  return `${sliceSafely(text, max - ELLIPSIS.length).trimEnd()}${ELLIPSIS}`;
}

/**
 * The most a card body with a tail (a monitoring fault's alert list) may hold, as Slack counts it: a section's text is at most 3000
 * characters (api.slack.com/reference/block-kit/blocks#section), less than Discord's 4096 for an embed
 * description; the rest is room for the 6000-character embed total and the renderers' own cuts.
 */
export const CARD_BODY_MAX = 2900;

/** Length as Slack counts it after escaping `&`, `<`, `>` (each becomes an entity of 4 to 5 characters). */
function slackLength(text: string): number {
  return text.length + 4 * (text.match(/[&<>]/g)?.length ?? 0);
}

/**
 * A card body and its tail (a monitoring fault's alert list: "Alerts: N firing", its lines, "… and N
 * more not listed"): the body is shortened first, so that the tail always fits within CARD_BODY_MAX.
 */
export function bodyWithTail(description: string, details: string): string {
  const room = CARD_BODY_MAX - slackLength(details) - 2;
  let shown = description;
  for (let max = Math.min(description.length, Math.max(0, room)); slackLength(shown) > room && max > 0; ) {
    shown = truncate(description, max);
    max -= Math.max(1, slackLength(shown) - room);
  }
  if (slackLength(shown) > room) shown = '';
  return shown ? `${shown}\n\n${details}` : details;
}
