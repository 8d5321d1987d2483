// Interactive answers that do not fit in the ack: opening modals, and private messages to one person
// through whichever route Slack offers (ephemeral in the channel, response_url, direct message).
import type { WebClient } from '@slack/web-api';
import type { ChatForm, ChatMessage } from '../../chat/model.js';
import type { Logger } from '../../logger.js';
import type { DirectChannels } from './deliverer.js';
import { slackErrorCode } from './delivery-errors.js';
import { renderModal } from './modal.js';
import { renderMessage } from './render.js';

/** Who a private reply is for and the routes available to reach them, best first. */
export interface PrivateReplyTarget {
  userId: string;
  channelId?: string;
  responseUrl?: string;
}

const RESPONSE_URL_TIMEOUT_MS = 5_000;

export class ReplySender {
  constructor(
    private readonly client: WebClient,
    private readonly directChannels: DirectChannels,
    private readonly logger: Logger,
  ) {}

  /** Opens the form as a modal; false when Slack refused (usually an expired or used trigger_id). */
  async openForm(triggerId: string, form: ChatForm, channelId: string | undefined, closeLabel: string): Promise<boolean> {
    try {
      const view = renderModal(form, { closeLabel, ...(channelId ? { channelId } : {}) });
      await this.client.views.open({ trigger_id: triggerId, view });
      return true;
    } catch (error) {
      this.logger.warn({ formId: form.formId, slackError: slackErrorCode(error), err: error }, 'slack: could not open form');
      return false;
    }
  }

  /** Ephemeral in the channel, else through the response_url, else as a DM; logs when all fail. */
  async sendPrivate(target: PrivateReplyTarget, message: ChatMessage): Promise<void> {
    const { channelId, responseUrl, userId } = target;
    if (channelId && (await this.attempt('ephemeral', () => this.postEphemeral(channelId, userId, message)))) return;
    if (responseUrl && (await this.attempt('response_url', () => this.respond(responseUrl, message)))) return;
    if (await this.attempt('dm', () => this.postDirect(userId, message))) return;
    this.logger.error({ userId }, 'slack: private reply could not be delivered by any route');
  }

  /** Posts an ephemeral answer to an interaction's response_url (at most 5 uses in 30 minutes). */
  async respond(responseUrl: string, message: ChatMessage): Promise<void> {
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...renderMessage(message) }),
      signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`slack: response_url answered ${response.status}`);
  }

  private async postEphemeral(channel: string, user: string, message: ChatMessage): Promise<void> {
    await this.client.chat.postEphemeral({ channel, user, ...renderMessage(message) });
  }

  private async postDirect(userId: string, message: ChatMessage): Promise<void> {
    const channel = await this.directChannels.of(userId);
    await this.client.chat.postMessage({ channel, ...renderMessage(message) });
  }

  private async attempt(route: string, send: () => Promise<void>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      this.logger.warn({ route, slackError: slackErrorCode(error), err: error }, 'slack: private reply route failed');
      return false;
    }
  }
}
