// The outbox's way out to Slack: post to a channel or a person, and edit a posted card in place.
import type { WebClient } from '@slack/web-api';
import type { ChatAttachment, ChatMessage, ChatTarget } from '../../chat/model.js';
import { SLACK_LIMITS } from './limits.js';
import { NotSettledError, type Deliverer, type DeliveryIdentity, type PostedRef } from '../port.js';
import { toDeliveryError } from './delivery-errors.js';
import { findPosted, outboxMetadata } from './posted-lookup.js';
import type { HomeHooks } from '../home-port.js';
import { renderHomeView } from './home.js';
import { renderMessage } from './render.js';
import { uploadFile } from './upload.js';

/** Opens (once per user and process) the bot's DM channel with a person. */
export class DirectChannels {
  // conversations.open is rate limited (Tier 3) and its answer never changes, so it is remembered.
  private readonly byUser = new Map<string, string>();

  constructor(private readonly client: WebClient) {}

  async of(userId: string): Promise<string> {
    const known = this.byUser.get(userId);
    if (known) return known;
    const opened = await this.client.conversations.open({ users: userId });
    const channelId = opened.channel?.id;
    if (!channelId) throw new Error('slack: conversations.open returned no channel');
    this.byUser.set(userId, channelId);
    return channelId;
  }
}

export class SlackDeliverer implements Deliverer {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: WebClient,
    private readonly directChannels: DirectChannels,
    private readonly home?: HomeHooks,
  ) {}

  /**
   * chat.postMessage, with the identity as message metadata; when an earlier attempt may have
   * succeeded, the conversation's history is searched for it first and a found message is returned
   * unposted; not found before `identity.settlesAt`, NotSettledError. Throws RateLimitedError,
   * PermanentDeliveryError or NotDeliveredError (delivery-errors.ts), else the error (outcome unknown).
   */
  async post(target: ChatTarget, message: ChatMessage, identity?: DeliveryIdentity): Promise<PostedRef> {
    if (target.kind === 'home') return this.publishHome(target.id);
    try {
      const channel = target.kind === 'dm' ? await this.directChannels.of(target.id) : target.id;
      if (message.attachment) return await this.upload(channel, message, message.attachment);
      if (identity?.maybeSent) {
        const ts = await findPosted(this.client, channel, identity);
        if (ts) return { channelId: channel, messageId: ts };
        // Looked too soon to trust "not there": look again once the earlier attempt has settled.
        if (identity.settlesAt) throw new NotSettledError(identity.settlesAt);
      }
      const posted = await this.client.chat.postMessage({
        channel,
        ...renderMessage(message),
        ...(identity ? { metadata: outboxMetadata(identity) } : {}),
      });
      if (!posted.ts) throw new Error('slack: chat.postMessage returned no ts');
      return { channelId: posted.channel ?? channel, messageId: posted.ts };
    } catch (error) {
      throw toDeliveryError(error, target.kind);
    }
  }

  /** Rebuilds a person's Home view and publishes it (`views.publish`); the outbox's message is only the trigger. */
  private async publishHome(userId: string): Promise<PostedRef> {
    const ref = { channelId: 'home', messageId: userId };
    const sections = await this.home?.tab('slack', userId);
    if (!sections) return ref;
    try {
      await this.client.views.publish({ user_id: userId, view: renderHomeView(sections) });
    } catch (error) {
      throw toDeliveryError(error);
    }
    return ref;
  }

  /**
   * Uploads the file (upload.ts, streamed). A card (a report: title, fields, context) travels as the
   * share's blocks, so the file comes with the whole report; a plain message (an export's one line) as
   * its initial comment. The ref names the file: an upload is never edited in place.
   */
  private async upload(channel: string, message: ChatMessage, attachment: ChatAttachment): Promise<PostedRef> {
    const card = Boolean(message.title || message.fields?.length || message.context?.length);
    const share = card ? { blocks: renderMessage(message).blocks } : { comment: message.fallback.slice(0, SLACK_LIMITS.sectionText) };
    const fileId = await uploadFile(this.client, channel, attachment, share);
    return { channelId: channel, messageId: fileId };
  }

  async update(ref: PostedRef, message: ChatMessage): Promise<void> {
    try {
      await this.client.chat.update({ channel: ref.channelId, ts: ref.messageId, ...renderMessage(message) });
    } catch (error) {
      throw toDeliveryError(error, 'update');
    }
  }
}
