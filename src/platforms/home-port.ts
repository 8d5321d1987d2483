import type { ChatActor, ChatMessage, Platform } from '../chat/model.js';
import type { EventHooks } from './port.js';

/**
 * What an adapter with a personal Home view (Slack App Home) needs from the core: to say that
 * someone opened it, and to get the view's sections when the outbox asks for a republication.
 */
export interface HomeHooks {
  /**
   * Someone opened Home; `eventId` is the platform's id of the event. False for a repeated delivery.
   * `hooks.localeOf` is asked for the locale of someone with none stored (the event carries none), so
   * that a first Home tab is in their language (PeopleService.resolveWithLocale).
   */
  opened(actor: ChatActor, eventId: string, hooks?: EventHooks): Promise<boolean>;
  /** The sections of an account's Home view; undefined for an account the bot has never seen. */
  tab(platform: Platform, userId: string): Promise<ChatMessage[] | undefined>;
}
