// The outbox's way out to Discord: post to a channel or to a person's DM channel, and edit a posted
// card in place.
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { z } from 'zod';
import type { ChatMessage, ChatTarget } from '../../chat/model.js';
import { PermanentDeliveryError, type Deliverer, type DeliveryIdentity, type PostedRef } from '../port.js';
import { toDeliveryError } from './delivery-errors.js';
import { renderMessage } from './render.js';

const createdMessage = z.object({ id: z.string().min(1), channel_id: z.string().min(1).optional() });
const dmChannel = z.object({ id: z.string().min(1) });

/** Opens (once per user and process) the bot's DM channel with a person: `POST /users/@me/channels`. */
export class DirectChannels {
  // The answer never changes, so it is remembered instead of asked on every message.
  private readonly byUser = new Map<string, string>();

  constructor(private readonly rest: REST) {}

  async of(userId: string): Promise<string> {
    const known = this.byUser.get(userId);
    if (known) return known;
    const opened = dmChannel.parse(await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }));
    this.byUser.set(userId, opened.id);
    return opened.id;
  }
}

export class DiscordDeliverer implements Deliverer {
  readonly platform = 'discord' as const;
  private readonly directChannels: DirectChannels;

  constructor(private readonly rest: REST) {
    this.directChannels = new DirectChannels(rest);
  }

  /**
   * `POST /channels/{id}/messages`, with the identity as `nonce` and `enforce_nonce: true`: Discord
   * then returns the first message instead of creating a second when the same nonce comes again
   * within a few minutes (PLATFORM-FACTS.md). Throws RateLimitedError or PermanentDeliveryError
   * (delivery-errors.ts), else the error.
   */
  async post(target: ChatTarget, message: ChatMessage, identity?: DeliveryIdentity): Promise<PostedRef> {
    // Discord has no Home tab: the overview there is `/ops me`, so nothing is ever queued for one.
    if (target.kind === 'home') throw new PermanentDeliveryError('discord: no Home tab to publish to');
    try {
      const channelId = target.kind === 'dm' ? await this.directChannels.of(target.id) : target.id;
      const body = { ...renderMessage(message), ...(identity ? { nonce: identity.id, enforce_nonce: true } : {}) };
      const posted = createdMessage.parse(await this.rest.post(Routes.channelMessages(channelId), { body }));
      return { channelId: posted.channel_id ?? channelId, messageId: posted.id };
    } catch (error) {
      throw toDeliveryError(error, target.kind === 'dm' ? 'dm' : 'channel');
    }
  }

  async update(ref: PostedRef, message: ChatMessage): Promise<void> {
    try {
      await this.rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: renderMessage(message) });
    } catch (error) {
      throw toDeliveryError(error, 'update');
    }
  }
}
