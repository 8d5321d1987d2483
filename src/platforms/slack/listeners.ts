// Bolt listeners for what the bot handles: slash commands, button clicks and modal submissions, from
// either receiver. Each is translated to the chat model (inbound.ts), run through the runtime, and
// acknowledged within Slack's 3 seconds always; the slow part of an answer goes out afterwards by
// another route.
import { randomUUID } from 'node:crypto';
import type { AckFn, App, BlockAction, RespondArguments, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import type { ChatMessage, ChatReply, InboundEvent } from '../../chat/model.js';
import { resolveLocale, translator, type Locale, type Translate } from '../../chat/i18n/catalog.js';
import type { Logger } from '../../logger.js';
import type { EventHandler } from '../port.js';
import { Acknowledger } from './acknowledger.js';
import type { ClickQueue } from './click-queue.js';
import {
  parseBlockActions,
  parseSlashCommand,
  parseViewSubmission,
  type ButtonInbound,
  type CommandInbound,
  type FormInput,
  type FormSubmitInbound,
  type IgnoredInbound,
  type Parsed,
  type SlackInbound,
} from './inbound.js';
import { renderModal } from './modal.js';
import { renderMessage } from './render.js';
import { PLAIN_TEXT, renderText } from '../../chat/markup.js';
import type { ReplySender } from './reply-sender.js';
import type { SlackRequestMetrics } from './request-metrics.js';
import type { SlackUserLocales } from './user-locales.js';

export interface SlackTimings {
  /** How long a command or submission may take and still be answered in the ack itself. */
  replyBudgetMs: number;
  /** When the ack goes out empty no matter what (Slack gives up at 3 s). */
  ackDeadlineMs: number;
}

export const DEFAULT_TIMINGS: SlackTimings = { replyBudgetMs: 2200, ackDeadlineMs: 2700 };

export interface ListenerDeps {
  handler: EventHandler;
  sender: ReplySender;
  requests: SlackRequestMetrics;
  logger: Logger;
  defaultLocale: Locale;
  timings: SlackTimings;
  /** Where the handling of acknowledged clicks waits its turn. */
  clicks: ClickQueue;
  /** The locale of people whose event carries none (slash commands), for the runtime to ask. */
  locales: SlackUserLocales;
}

type Handled = { reply: ChatReply };
type Settled<T> = { settled: true; value: T } | { settled: false };

type CommandAck = Acknowledger<string | RespondArguments>;
type SubmissionAck = Acknowledger<ViewResponseAction>;

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

function ephemeralAck(message: ChatMessage): RespondArguments {
  return { response_type: 'ephemeral', ...renderMessage(message) };
}

/** Registers the bot's listeners: every command, every block action, every modal submission. */
export function registerSlackListeners(app: App, deps: ListenerDeps): void {
  const listeners = new SlackListeners(deps);
  app.command(/.*/, ({ command, ack }) =>
    listeners.run(ack, parseSlashCommand(command), (inbound, acknowledger) => listeners.onCommand(inbound, acknowledger)),
  );
  app.action<BlockAction>(/.*/, ({ body, ack }) =>
    listeners.run(ack, parseBlockActions(body), (inbound, acknowledger) => listeners.onButton(inbound, acknowledger)),
  );
  app.view<ViewSubmitAction>(/.*/, ({ body, ack }) =>
    listeners.run(ack, parseViewSubmission(body), (inbound, acknowledger) => listeners.onFormSubmit(inbound, acknowledger)),
  );
}

class SlackListeners {
  constructor(private readonly deps: ListenerDeps) {}

  /** Answers one request: the payload translated, handled, and acknowledged whatever happens. */
  async run<Body, Inbound extends SlackInbound>(
    send: AckFn<Body>,
    parsed: Parsed<Inbound>,
    answer: (inbound: Inbound, ack: Acknowledger<Body>) => Promise<void>,
  ): Promise<void> {
    const ack = new Acknowledger(send, this.deps.timings.ackDeadlineMs, this.deps.logger);
    try {
      if (!parsed.ok) {
        // The HTTP receiver refuses these with a 400 before Bolt sees them; over Socket Mode they are
        // acknowledged (below) so that Slack does not send them again.
        this.deps.logger.warn({ problem: parsed.problem }, 'slack: payload refused');
        this.deps.requests.count('other', 'refused');
        return;
      }
      await answer(parsed.inbound, ack);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'slack: processing failed');
    } finally {
      // Whatever happened above, Slack gets its answer.
      await ack.ack();
    }
  }

  async onCommand(inbound: CommandInbound, ack: CommandAck): Promise<void> {
    const { event, triggerId, responseUrl } = inbound;
    const pending = this.handle(event);
    const early = await settleWithin(pending, this.deps.timings.replyBudgetMs);
    const { reply } = early.settled ? early.value : await this.afterEmptyAck(pending, ack);
    this.deps.requests.count('command', early.settled ? 'in_time' : 'late');
    const t = this.translate(event, reply);

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

  async onButton(inbound: ButtonInbound, ack: Acknowledger<void>): Promise<void> {
    const { event, triggerId, responseUrl } = inbound;
    // Clicks are acknowledged at once; their answers never travel in the ack.
    await ack.ack();
    this.deps.requests.count('button', 'in_time');
    const { reply } = await this.deps.clicks.run(() => this.handle(event));
    const target = {
      userId: event.actor.userId,
      ...(event.channelId ? { channelId: event.channelId } : {}),
      ...(responseUrl ? { responseUrl } : {}),
    };
    const t = this.translate(event, reply);
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

  async onFormSubmit(inbound: FormSubmitInbound | IgnoredInbound, ack: SubmissionAck): Promise<void> {
    if (inbound.kind === 'ignored') {
      // Another app's modal: closed (by the empty ack), nothing more.
      this.deps.requests.count('other', 'in_time');
      this.deps.logger.debug({ reason: inbound.reason }, 'slack: ignored request');
      return;
    }
    const { event, inputs } = inbound;
    const pending = this.handle(event);
    const early = await settleWithin(pending, this.deps.timings.replyBudgetMs);
    const { reply } = early.settled ? early.value : await this.afterEmptyAck(pending, ack);
    this.deps.requests.count('form_submit', early.settled ? 'in_time' : 'late');
    const t = this.translate(event, reply);
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
  private async afterEmptyAck<Body>(pending: Promise<Handled>, ack: Acknowledger<Body>): Promise<Handled> {
    await ack.ack();
    return pending;
  }

  /** Runs the runtime; an unexpected failure becomes a private message with a reference that is in the log. */
  private async handle(event: InboundEvent): Promise<Handled> {
    try {
      const reply = await this.deps.handler.handle(event, this.deps.locales);
      return { reply };
    } catch (error) {
      const ref = randomUUID().slice(0, 8);
      this.deps.logger.error({ err: error, ref, eventType: event.type }, 'slack: event handler failed');
      return { reply: { type: 'private', message: textMessage(this.translate(event)('slack.error.unexpected', { ref })) } };
    }
  }

  /**
   * The language the runtime answered in (the person's stored or looked-up locale: Slack's events
   * carry none), else the event's, so that what this adapter adds matches the reply.
   */
  private translate(event: InboundEvent, reply?: ChatReply): Translate {
    return translator(resolveLocale(reply?.locale ?? event.actor.locale, this.deps.defaultLocale));
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
  for (const [fieldId, modelText] of Object.entries(errors)) {
    // Modal errors are plain text, never parsed: a mention node shows as @id.
    const message = renderText(modelText, PLAIN_TEXT);
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
