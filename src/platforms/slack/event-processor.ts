// One Slack request, from any transport, through the runtime and back: acknowledged within Slack's
// 3 seconds always, with the slow part of the answer sent afterwards by another route.
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatReply, InboundEvent } from '../../chat/model.js';
import { resolveLocale, translator, type Locale, type Translate } from '../../chat/i18n/catalog.js';
import type { Logger } from '../../logger.js';
import type { EventHandler } from '../port.js';
import { Acknowledger, type AckBody, type SendAck } from './acknowledger.js';
import type { FormInput, SlackInbound } from './inbound.js';
import { renderModal } from './modal.js';
import { renderMessage } from './render.js';
import type { ReplySender } from './reply-sender.js';
import type { SlackRequestMetrics } from './request-metrics.js';

export interface SlackTimings {
  /** How long a command or submission may take and still be answered in the ack itself. */
  replyBudgetMs: number;
  /** When the ack goes out empty no matter what (Slack gives up at 3 s). */
  ackDeadlineMs: number;
}

export const DEFAULT_TIMINGS: SlackTimings = { replyBudgetMs: 2200, ackDeadlineMs: 2700 };

export interface EventProcessorDeps {
  handler: EventHandler;
  sender: ReplySender;
  requests: SlackRequestMetrics;
  logger: Logger;
  defaultLocale: Locale;
  timings: SlackTimings;
}

type Handled = { reply: ChatReply };
type Settled<T> = { settled: true; value: T } | { settled: false };

type CommandInbound = Extract<SlackInbound, { kind: 'command' }>;
type ButtonInbound = Extract<SlackInbound, { kind: 'button' }>;
type FormSubmitInbound = Extract<SlackInbound, { kind: 'formSubmit' }>;

function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  return Promise.race([promise.then((value): Settled<T> => ({ settled: true, value })), timeout]).finally(() =>
    clearTimeout(timer),
  );
}

function textMessage(text: string): ChatMessage {
  return { fallback: text, body: text };
}

function ephemeralAck(message: ChatMessage): AckBody {
  return { response_type: 'ephemeral', ...renderMessage(message) };
}

export class SlackEventProcessor {
  constructor(private readonly deps: EventProcessorDeps) {}

  async process(inbound: SlackInbound, sendAck: SendAck): Promise<void> {
    const ack = new Acknowledger(sendAck, this.deps.timings.ackDeadlineMs, this.deps.logger);
    try {
      switch (inbound.kind) {
        case 'command':
          return await this.onCommand(inbound, ack);
        case 'button':
          return await this.onButton(inbound, ack);
        case 'formSubmit':
          return await this.onFormSubmit(inbound, ack);
        case 'ignored':
          this.deps.requests.count('other', 'in_time');
          this.deps.logger.debug({ reason: inbound.reason }, 'slack: ignored request');
          return;
      }
    } catch (error) {
      this.deps.logger.error({ err: error, kind: inbound.kind }, 'slack: processing failed');
    } finally {
      // Whatever happened above, Slack gets its answer.
      await ack.ack();
    }
  }

  private async onCommand(inbound: CommandInbound, ack: Acknowledger): Promise<void> {
    const { event, triggerId, responseUrl } = inbound;
    const t = this.translate(event);
    const pending = this.handle(event);
    const early = await settleWithin(pending, this.deps.timings.replyBudgetMs);
    const { reply } = early.settled ? early.value : await this.afterEmptyAck(pending, ack);
    this.deps.requests.count('command', early.settled ? 'in_time' : 'late');

    // Answers the command privately: in the ack while it is still open, else through the response_url.
    const answer = async (message: ChatMessage) => {
      if (await ack.ack(ephemeralAck(message))) return;
      await this.deps.sender.sendPrivate({ userId: event.actor.userId, responseUrl }, message);
    };

    switch (reply.type) {
      case 'form': {
        // A trigger_id lives 3 seconds, so a late form cannot be opened any more.
        const opened = !ack.done && (await this.deps.sender.openForm(triggerId, reply.form, event.channelId, t('slack.form.close')));
        if (opened) await ack.ack();
        else await answer(textMessage(t('slack.form.retry')));
        return;
      }
      case 'private':
        return answer(reply.message);
      case 'fieldErrors':
        return answer(textMessage(Object.values(reply.errors).join('\n')));
      case 'done':
        await ack.ack();
        return;
    }
  }

  private async onButton(inbound: ButtonInbound, ack: Acknowledger): Promise<void> {
    const { event, triggerId, responseUrl } = inbound;
    // Clicks are acknowledged at once; their answers never travel in the ack.
    await ack.ack();
    this.deps.requests.count('button', 'in_time');
    const { reply } = await this.handle(event);
    const target = {
      userId: event.actor.userId,
      ...(event.channelId ? { channelId: event.channelId } : {}),
      ...(responseUrl ? { responseUrl } : {}),
    };
    const t = this.translate(event);
    switch (reply.type) {
      case 'form':
        if (!(await this.deps.sender.openForm(triggerId, reply.form, event.channelId, t('slack.form.close')))) {
          await this.deps.sender.sendPrivate(target, textMessage(t('slack.form.retry')));
        }
        return;
      case 'private':
        return this.deps.sender.sendPrivate(target, reply.message);
      case 'fieldErrors':
        return this.deps.sender.sendPrivate(target, textMessage(Object.values(reply.errors).join('\n')));
      case 'done':
        return;
    }
  }

  private async onFormSubmit(inbound: FormSubmitInbound, ack: Acknowledger): Promise<void> {
    const { event, inputs } = inbound;
    const t = this.translate(event);
    const pending = this.handle(event);
    const early = await settleWithin(pending, this.deps.timings.replyBudgetMs);
    const { reply } = early.settled ? early.value : await this.afterEmptyAck(pending, ack);
    this.deps.requests.count('form_submit', early.settled ? 'in_time' : 'late');
    // The modal has closed by the time these go out, so they go to the channel it was opened from.
    const sendPrivate = (message: ChatMessage) =>
      this.deps.sender.sendPrivate({ userId: event.actor.userId, ...(event.channelId ? { channelId: event.channelId } : {}) }, message);

    switch (reply.type) {
      case 'fieldErrors': {
        const errors = attachToInputs(reply.errors, inputs);
        if (errors && (await ack.ack({ response_action: 'errors', errors }))) return;
        return sendPrivate(textMessage(t('slack.form.notSaved', { errors: describeErrors(reply.errors, inputs) })));
      }
      case 'form': {
        if (!ack.done) {
          const view = renderModal(reply.form, {
            closeLabel: t('slack.form.close'),
            ...(event.channelId ? { channelId: event.channelId } : {}),
          });
          if (await ack.ack({ response_action: 'update', view })) return;
        }
        return sendPrivate(textMessage(t('slack.form.retry')));
      }
      case 'private':
        await ack.ack();
        return sendPrivate(reply.message);
      case 'done':
        await ack.ack();
        return;
    }
  }

  /** The runtime was too slow for the ack: answer empty now, then wait for the real reply. */
  private async afterEmptyAck(pending: Promise<Handled>, ack: Acknowledger): Promise<Handled> {
    await ack.ack();
    return pending;
  }

  /** Runs the runtime; an unexpected failure becomes a private message with a reference that is in the log. */
  private async handle(event: InboundEvent): Promise<Handled> {
    try {
      const reply = await this.deps.handler.handle(event);
      return { reply };
    } catch (error) {
      const ref = randomUUID().slice(0, 8);
      this.deps.logger.error({ err: error, ref, eventType: event.type }, 'slack: event handler failed');
      return { reply: { type: 'private', message: textMessage(this.translate(event)('slack.error.unexpected', { ref })) } };
    }
  }

  private translate(event: InboundEvent): Translate {
    return translator(resolveLocale(event.actor.locale, this.deps.defaultLocale));
  }
}

/**
 * Slack refuses a `response_action: errors` naming a block that is not an input of the modal, so
 * errors about anything else are shown on the first input. Undefined when there is nothing to attach.
 */
function attachToInputs(errors: Record<string, string>, inputs: FormInput[]): Record<string, string> | undefined {
  const first = inputs[0];
  // Slack also refuses an empty `errors` object.
  if (!first || Object.keys(errors).length === 0) return undefined;
  const known = new Set(inputs.map((input) => input.id));
  const attached: Record<string, string> = {};
  for (const [fieldId, message] of Object.entries(errors)) {
    const target = known.has(fieldId) ? fieldId : first.id;
    attached[target] = attached[target] ? `${attached[target]} ${message}` : message;
  }
  return attached;
}

/** `Title: too long; Impact: required`, with the labels the person saw. */
function describeErrors(errors: Record<string, string>, inputs: FormInput[]): string {
  const labels = new Map(inputs.map((input) => [input.id, input.label]));
  return Object.entries(errors)
    .map(([fieldId, message]) => `${labels.get(fieldId) ?? fieldId}: ${message}`)
    .join('; ');
}
