import type { Locale, Translate } from './i18n/catalog.js';
import type { ChatActor } from './model.js';
import type { Actor } from '../people/actor.js';
import type { Services } from '../services.js';
import type { Clock } from '../clock.js';

/** Everything a command, button or form handler gets. */
export interface CommandContext {
  /** The person behind the event, with their roles. */
  actor: Actor;
  /** The platform account the event came from. */
  chatActor: ChatActor;
  channelId?: string;
  locale: Locale;
  t: Translate;
  services: Services;
  clock: Clock;
  /** The configured time zone (TZ_NAME) for times shown to people. */
  timeZone: string;
}
