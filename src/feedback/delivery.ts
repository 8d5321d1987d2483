import type { EntityManager } from 'typeorm';
import type { PersonView } from '../chat/format.js';
import { resolveLocale, type Locale } from '../chat/i18n/catalog.js';
import { PLATFORMS, type ChatTarget, type Platform } from '../chat/model.js';
import { peopleViews } from '../people/views.js';

/** Options every feedback service shares. */
export interface FeedbackOptions {
  timeZone: string;
  defaultLocale: Locale;
  /** Called after a transaction that queued messages committed, so delivery starts at once. */
  onOutbox?: () => void;
}

export interface Recipient {
  target: ChatTarget;
  locale: Locale;
}

function asPlatform(value: string): Platform | undefined {
  return (PLATFORMS as readonly string[]).includes(value) ? (value as Platform) : undefined;
}

/** Where to DM a person: their account on `preferred` if they have one, else their first account. */
export async function recipientOf(manager: EntityManager, personId: number, preferred: string | null, defaultLocale: Locale): Promise<Recipient | undefined> {
  const { views, people } = await peopleViews(manager, [personId]);
  const view = views.get(personId);
  const account = view?.accounts.find((a) => a.platform === preferred) ?? view?.accounts[0];
  const platform = account ? asPlatform(account.platform) : undefined;
  if (!account || !platform) return undefined;
  return { target: { platform, kind: 'dm', id: account.userId }, locale: resolveLocale(people.get(personId)?.locale, defaultLocale) };
}

/** `slack:C123` as stored on a poll, back to a target. */
export function channelOf(stored: string): ChatTarget | undefined {
  const at = stored.indexOf(':');
  const platform = asPlatform(stored.slice(0, at));
  return platform ? { platform, kind: 'channel', id: stored.slice(at + 1) } : undefined;
}

export function storedChannel(target: ChatTarget): string {
  return `${target.platform}:${target.id}`;
}

export async function viewsOf(manager: EntityManager, ids: (number | null)[]): Promise<Map<number, PersonView>> {
  return (await peopleViews(manager, ids.filter((id): id is number => id !== null))).views;
}
