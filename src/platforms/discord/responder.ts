// Every interaction gets exactly one initial response, within Discord's 3 seconds: the answer itself
// when it is ready in time, otherwise a deferral (sent by a deadline guard if need be) followed by
// the answer through the interaction's webhook. Over the gateway the initial response is a REST call;
// in HTTP mode it is the body of the HTTP response. Everything after it goes through REST.
import type { Logger } from '../../logger.js';
import { loggableError } from './delivery-errors.js';
import { INTERACTION_TYPE, type InteractionRef } from './inbound.js';
import { EPHEMERAL } from './limits.js';
import type { DiscordMessagePayload } from './render.js';

/** Interaction callback types (PLATFORM-FACTS.md). */
export const CALLBACK = { pong: 1, message: 4, deferredMessage: 5, deferredUpdate: 6, updateMessage: 7, autocomplete: 8, modal: 9 } as const;

export interface InteractionResponse {
  type: number;
  data?: object;
}

/** Sends the initial response; called at most once per interaction. */
export type SendResponse = (response: InteractionResponse) => Promise<void>;

/** What can be sent after the initial response, with the interaction's token (15 minutes). */
export interface FollowUps {
  editOriginal(ref: InteractionRef, payload: DiscordMessagePayload): Promise<void>;
  followUp(ref: InteractionRef, payload: DiscordMessagePayload): Promise<void>;
}

export interface ReplyOptions {
  /** The source message is one of the bot's own form-step messages: answers replace it. */
  updatesSource: boolean;
  /** When a deferral goes out if nothing has been sent (Discord gives up at 3 s). */
  deadlineMs: number;
}

type State = 'open' | 'answered' | 'deferredMessage' | 'deferredUpdate';

export class InteractionReply {
  private state: State = 'open';
  private readonly guard: NodeJS.Timeout;

  constructor(
    private readonly ref: InteractionRef,
    private readonly send: SendResponse,
    private readonly followUps: FollowUps,
    private readonly logger: Logger,
    private readonly options: ReplyOptions,
  ) {
    this.guard = setTimeout(() => {
      if (this.state !== 'open') return;
      this.logger.warn({ interaction: ref.id }, 'discord: nothing answered before the deadline; deferring');
      void this.defer();
    }, options.deadlineMs);
    this.guard.unref();
  }

  get updatesSource(): boolean {
    return this.options.updatesSource;
  }

  /** A modal can only be the first answer, and only to a command or a component. */
  get canOpenModal(): boolean {
    return this.state === 'open' && (this.ref.type === INTERACTION_TYPE.command || this.ref.type === INTERACTION_TYPE.component);
  }

  /**
   * Components (and modals opened from a message) are acknowledged without a visible "thinking"
   * message (type 6); commands and other modals get a private "thinking" message (type 5).
   */
  private get quietDeferral(): boolean {
    return this.ref.type === INTERACTION_TYPE.component || (this.ref.type === INTERACTION_TYPE.modalSubmit && this.ref.message !== undefined);
  }

  async defer(): Promise<void> {
    if (this.state !== 'open') return;
    if (this.quietDeferral) {
      this.state = 'deferredUpdate';
      await this.initial({ type: CALLBACK.deferredUpdate });
    } else {
      this.state = 'deferredMessage';
      await this.initial({ type: CALLBACK.deferredMessage, data: { flags: EPHEMERAL } });
    }
  }

  /** Opens a modal; false when that is no longer possible (the caller then offers a button). */
  async modal(data: object): Promise<boolean> {
    if (!this.canOpenModal) return false;
    this.state = 'answered';
    await this.initial({ type: CALLBACK.modal, data });
    return true;
  }

  /** The answer to an autocomplete interaction (type 8); the caller fits the choices to Discord's limits. */
  async autocomplete(choices: readonly { name: string; value: string }[] = []): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'answered';
    await this.initial({ type: CALLBACK.autocomplete, data: { choices } });
  }

  /** A private answer: replaces the bot's own step message, or appears as a new ephemeral message. */
  async message(payload: DiscordMessagePayload): Promise<void> {
    switch (this.state) {
      case 'open':
        this.state = 'answered';
        if (this.options.updatesSource) return this.initial({ type: CALLBACK.updateMessage, data: withoutFlags(payload) });
        return this.initial({ type: CALLBACK.message, data: { ...payload, flags: EPHEMERAL } });
      case 'deferredMessage':
        return this.later('edit original', () => this.followUps.editOriginal(this.ref, withoutFlags(payload)));
      case 'deferredUpdate':
        if (this.options.updatesSource) return this.later('edit original', () => this.followUps.editOriginal(this.ref, withoutFlags(payload)));
        return this.later('follow-up', () => this.followUps.followUp(this.ref, { ...payload, flags: EPHEMERAL }));
      case 'answered':
        return this.later('follow-up', () => this.followUps.followUp(this.ref, { ...payload, flags: EPHEMERAL }));
    }
  }

  /** Nothing to say: a quiet acknowledgement where Discord allows one, else a short private note. */
  async done(note: DiscordMessagePayload): Promise<void> {
    if (this.options.updatesSource) return this.message(note);
    if (this.state === 'open' && this.quietDeferral) {
      this.state = 'answered';
      return this.initial({ type: CALLBACK.deferredUpdate });
    }
    if (this.state === 'open' || this.state === 'deferredMessage') return this.message(note);
  }

  /** Whatever happened, Discord gets its initial response. */
  async finish(): Promise<void> {
    clearTimeout(this.guard);
    if (this.state === 'open') await this.defer();
  }

  private async initial(response: InteractionResponse): Promise<void> {
    try {
      await this.send(response);
    } catch (error) {
      this.logger.warn({ error: loggableError(error), interaction: this.ref.id, callback: response.type }, 'discord: the initial response failed');
    }
  }

  private async later(what: string, call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.logger.warn({ error: loggableError(error), interaction: this.ref.id }, `discord: ${what} failed`);
    }
  }
}

function withoutFlags(payload: DiscordMessagePayload): DiscordMessagePayload {
  const { flags: _flags, ...rest } = payload;
  return rest;
}
