// The outbox's way out to Discord: post to a channel or to a person's DM channel, and edit a posted
// card in place.
import { openAsBlob } from 'node:fs';
import type { RawFile, REST } from '@discordjs/rest';
import { Routes } from 'discord.js';
import { z } from 'zod';
import type { ChatMessage, ChatTarget } from '../../chat/model.js';
import { PermanentDeliveryError, type Deliverer, type DeliveryIdentity, type PostedRef } from '../port.js';
import { toDeliveryError } from './delivery-errors.js';
import { DISCORD_LIMITS } from './limits.js';
import { attachmentSize } from '../../outbox/spool.js';
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

/** What `rest.post` gets for a message: JSON, or multipart with its file. */
type MessageRequest = { body: unknown; files?: RawFile[]; passThroughBody?: boolean };

/**
 * The request for a message, with its file as a multipart attachment when it has one (`payload_json`
 * plus `files[0]`). A small file goes through @discordjs/rest's `files`, which copies it into memory; a
 * spooled file (a large export) goes as a form whose part is a Blob backed by the file, which undici
 * reads in chunks as it sends (`passThroughBody`). Throws PermanentDeliveryError for a file over
 * Discord's limit (DISCORD_LIMITS.attachmentBytes) or a spooled file that is gone.
 */
export async function withAttachment(message: ChatMessage, identity?: DeliveryIdentity): Promise<MessageRequest> {
  const rendered = renderMessage(message);
  const body = identity && isRecordBody(rendered) ? { ...rendered, nonce: identity.id, enforce_nonce: true } : rendered;
  const file = message.attachment;
  if (!file || !isRecordBody(body)) return { body };
  const size = await attachmentSize(file);
  if (size > DISCORD_LIMITS.attachmentBytes) throw new PermanentDeliveryError(`discord: ${file.name} is ${size} bytes, more than Discord takes`);
  // An image is shown inside the card: the embed names the attached file (PLATFORM-FACTS.md,
  // `image.url = "attachment://NAME.png"`) instead of Discord listing it under the message.
  const [card, ...others] = rendered.embeds;
  const shown = file.mimeType.startsWith('image/') && card ? { ...body, embeds: [{ ...card, image: { url: `attachment://${file.name}` } }, ...others] } : body;
  const payload = { ...shown, attachments: [{ id: 0, filename: file.name, ...(file.title ? { description: file.title.slice(0, 1024) } : {}) }] };
  if (file.file === undefined) return { body: payload, files: [{ name: file.name, data: Buffer.from(file.base64, 'base64'), contentType: file.mimeType }] };
  const form = new FormData();
  form.append('payload_json', JSON.stringify(payload));
  form.append('files[0]', await openAsBlob(file.file, { type: file.mimeType }), file.name);
  return { body: form, passThroughBody: true };
}

function isRecordBody(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
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
      const request = await withAttachment(message, identity);
      const posted = createdMessage.parse(await this.rest.post(Routes.channelMessages(channelId), request));
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
