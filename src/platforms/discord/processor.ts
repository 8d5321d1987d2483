// One Discord interaction, from the gateway or from HTTP, through the runtime and back. Commands,
// clicks and modal submissions become the chat model's events; forms are taken in steps (forms.ts)
// with their state in the database; every interaction is answered within 3 seconds.
import { randomUUID } from 'node:crypto';
import type { ChatForm, ChatMessage, ChatReply, FormSubmitEvent, InboundEvent } from '../../chat/model.js';
import { resolveLocale, translator, type Locale, type Translate } from '../../chat/i18n/catalog.js';
import type { Logger } from '../../logger.js';
import type { EventHandler } from '../port.js';
import { errorFields } from './delivery-errors.js';
import type { Draft, FormDrafts } from './form-drafts.js';
import { missingChoices, planSteps, renderChoiceStep, renderGate, renderModal, stepOf, submittedValues } from './forms.js';
import type { ChoicePayload } from './commands.js';
import { INTERACTION_TYPE, type AutocompleteInbound, type DiscordInbound, type InteractionRef } from './inbound.js';
import { renderMessage } from './render.js';
import { CALLBACK, InteractionReply, type FollowUps, type SendResponse } from './responder.js';

export interface DiscordTimings {
  /** How long the runtime may take and still be answered in the initial response. */
  replyBudgetMs: number;
  /** When a deferral goes out no matter what. */
  deadlineMs: number;
}

export const DEFAULT_DISCORD_TIMINGS: DiscordTimings = { replyBudgetMs: 2000, deadlineMs: 2500 };

export interface ProcessorDeps {
  handler: EventHandler;
  drafts: FormDrafts;
  followUps: FollowUps;
  logger: Logger;
  defaultLocale: Locale;
  timings: DiscordTimings;
  /** The choices for an autocomplete interaction (autocomplete.ts); without it, none are offered. */
  autocomplete?: (inbound: AutocompleteInbound) => Promise<ChoicePayload[]>;
}

type Settled<T> = { settled: true; value: T } | { settled: false };

function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  return Promise.race([promise.then((value): Settled<T> => ({ settled: true, value })), timeout]).finally(() => clearTimeout(timer));
}

function plain(text: string): ChatMessage {
  return { fallback: text, body: text };
}

/** Per interaction: who asked, in which language, and the one reply it gets. */
interface Turn {
  ref: InteractionRef;
  reply: InteractionReply;
  t: Translate;
}

export class DiscordInteractionProcessor {
  constructor(private readonly deps: ProcessorDeps) {}

  async process(inbound: DiscordInbound, send: SendResponse): Promise<void> {
    if (inbound.kind === 'ping') return send({ type: CALLBACK.pong });
    const ref = inbound.ref;
    if (!ref) {
      this.deps.logger.debug({ kind: inbound.kind }, 'discord: ignored interaction');
      return;
    }
    const updatesSource = inbound.kind === 'formComponent' || (inbound.kind === 'modalSubmit' && inbound.fromStep);
    const reply = new InteractionReply(ref, send, this.deps.followUps, this.deps.logger, { updatesSource, deadlineMs: this.deps.timings.deadlineMs });
    const turn: Turn = { ref, reply, t: translator(resolveLocale(ref.actor.locale, this.deps.defaultLocale)) };
    try {
      switch (inbound.kind) {
        case 'command':
        case 'button':
          return await this.answer(turn, await this.run(turn, inbound.event));
        case 'formComponent':
          return await this.onFormComponent(turn, inbound.draft, inbound.step, inbound.part, inbound.values);
        case 'modalSubmit':
          return await this.onModalSubmit(turn, inbound.draft, inbound.step, inbound.values);
        case 'autocomplete':
          return await reply.autocomplete(await this.choices(inbound));
        case 'stale':
          this.deps.logger.info({ reason: inbound.reason }, 'discord: stale interaction');
          return await reply.message(renderMessage(plain(turn.t('core.error.unknownAction'))));
        case 'ignored':
          if (ref.type === INTERACTION_TYPE.autocomplete) return await reply.autocomplete();
          return await reply.message(renderMessage(plain(turn.t('core.error.unknownAction'))));
      }
    } catch (error) {
      const id = randomUUID().slice(0, 8);
      this.deps.logger.error({ ...errorFields(error), ref: id, kind: inbound.kind }, 'discord: processing failed');
      await reply.message(renderMessage(plain(turn.t('discord.error.unexpected', { ref: id }))));
    } finally {
      await reply.finish();
    }
  }

  /** Choices for an autocomplete; a failure offers none (Discord shows "loading options failed"). */
  private async choices(inbound: AutocompleteInbound): Promise<ChoicePayload[]> {
    try {
      return (await this.deps.autocomplete?.(inbound)) ?? [];
    } catch (error) {
      this.deps.logger.error({ err: error, option: inbound.option }, 'discord: autocomplete failed');
      return [];
    }
  }

  /** Runs the runtime; if it is slow, the interaction is deferred first and answered when it is done. */
  private async run(turn: Turn, event: InboundEvent): Promise<ChatReply> {
    const pending = this.handle(turn, event);
    const early = await settleWithin(pending, this.deps.timings.replyBudgetMs);
    if (early.settled) return early.value;
    await turn.reply.defer();
    return pending;
  }

  private async handle(turn: Turn, event: InboundEvent): Promise<ChatReply> {
    try {
      return await this.deps.handler.handle(event);
    } catch (error) {
      const id = randomUUID().slice(0, 8);
      this.deps.logger.error({ err: error, ref: id, eventType: event.type }, 'discord: event handler failed');
      return { type: 'private', message: plain(turn.t('discord.error.unexpected', { ref: id })) };
    }
  }

  private async answer(turn: Turn, reply: ChatReply): Promise<void> {
    switch (reply.type) {
      case 'private':
        return turn.reply.message(renderMessage(reply.message));
      case 'fieldErrors':
        return turn.reply.message(renderMessage(plain(Object.values(reply.errors).join('\n'))));
      case 'form':
        return this.openForm(turn, reply.form);
      case 'done':
        return turn.reply.done(renderMessage(plain(turn.t('discord.reply.done'))));
    }
  }

  private async openForm(turn: Turn, form: ChatForm): Promise<void> {
    const draft = await this.deps.drafts.create(form, turn.ref.actor.userId, turn.ref.channelId);
    return this.advance(turn, draft, 0);
  }

  /** Shows step `step` of the form, or submits it when every step is done. */
  private async advance(turn: Turn, draft: Draft, step: number): Promise<void> {
    const steps = planSteps(draft.form);
    const current = steps[step];
    if (!current) return this.submit(turn, draft);
    if (current.kind === 'choices') return turn.reply.message(renderChoiceStep(draft, step, turn.t));
    return this.showModal(turn, draft, step);
  }

  private async showModal(turn: Turn, draft: Draft, step: number, gateText?: string): Promise<void> {
    if (await turn.reply.modal(renderModal(draft, step, turn.reply.updatesSource ? 'mstep' : 'modal'))) return;
    // A modal cannot answer a modal submission or a deferred interaction: a button opens it instead.
    return turn.reply.message(renderGate(draft, step, turn.t, gateText));
  }

  private async draftOf(turn: Turn, id: string): Promise<Draft | undefined> {
    const draft = await this.deps.drafts.get(id, turn.ref.actor.userId);
    if (!draft) await turn.reply.message(renderMessage(plain(turn.t('discord.form.expired'))));
    return draft;
  }

  private async onFormComponent(turn: Turn, draftId: string, step: number, part: string, picked: string[]): Promise<void> {
    const draft = await this.draftOf(turn, draftId);
    if (!draft) return;
    const current = planSteps(draft.form)[step];
    if (!current) return turn.reply.message(renderMessage(plain(turn.t('discord.form.expired'))));
    if (part === 'open' || part === 'edit') {
      if (current.kind === 'modal') return this.showModal(turn, draft, step);
      return turn.reply.message(renderChoiceStep(draft, step, turn.t));
    }
    if (current.kind !== 'choices') return turn.reply.message(renderMessage(plain(turn.t('discord.form.expired'))));
    if (part === 'next') {
      const missing = missingChoices(current, draft.values);
      if (missing.length > 0) {
        const problem = turn.t('discord.form.missing', { fields: missing.map((f) => f.label).join(', ') });
        return turn.reply.message(renderChoiceStep(draft, step, turn.t, problem));
      }
      return this.advance(turn, draft, step + 1);
    }
    const field = current.fields.find((f) => f.id === part);
    if (!field) return turn.reply.message(renderMessage(plain(turn.t('discord.form.expired'))));
    await this.deps.drafts.save(draft, { [field.id]: picked[0] ?? '' });
    return turn.reply.message(renderChoiceStep(draft, step, turn.t));
  }

  private async onModalSubmit(turn: Turn, draftId: string, step: number, submitted: Record<string, string>): Promise<void> {
    const draft = await this.draftOf(turn, draftId);
    if (!draft) return;
    const current = planSteps(draft.form)[step];
    if (current?.kind !== 'modal') return turn.reply.message(renderMessage(plain(turn.t('discord.form.expired'))));
    // Only the fields this modal asked for are taken from it.
    const values: Record<string, string> = {};
    for (const field of current.fields) values[field.id] = submitted[field.id] ?? '';
    await this.deps.drafts.save(draft, values);
    return this.advance(turn, draft, step + 1);
  }

  private async submit(turn: Turn, draft: Draft): Promise<void> {
    const event: FormSubmitEvent = {
      type: 'formSubmit',
      actor: turn.ref.actor,
      formId: draft.form.formId,
      context: draft.form.context,
      values: submittedValues(draft.form, draft.values),
    };
    const channelId = draft.channelId ?? turn.ref.channelId;
    if (channelId) event.channelId = channelId;
    const reply = await this.run(turn, event);
    if (reply.type === 'fieldErrors') return this.showErrors(turn, draft, reply.errors);
    await this.deps.drafts.delete(draft.id);
    if (reply.type === 'done') return turn.reply.done(renderMessage(plain(turn.t('discord.form.sent'))));
    return this.answer(turn, reply);
  }

  /** Errors go next to the step that asks for the field; what was typed stays in the draft. */
  private async showErrors(turn: Turn, draft: Draft, errors: Record<string, string>): Promise<void> {
    const steps = planSteps(draft.form);
    const labels = new Map(draft.form.fields.map((f) => [f.id, f.label]));
    const described = Object.entries(errors)
      .map(([field, message]) => `${labels.get(field) ?? field}: ${message}`)
      .join('; ');
    const firstField = Object.keys(errors)[0] ?? '';
    const step = stepOf(steps, firstField) ?? 0;
    const target = steps[step];
    if (target?.kind === 'choices') {
      return turn.reply.message(renderChoiceStep(draft, step, turn.t, turn.t('discord.form.notSavedChoice', { errors: described, submit: draft.form.submitLabel })));
    }
    return turn.reply.message(renderGate(draft, step, turn.t, turn.t('discord.form.notSaved', { errors: described }), 'edit'));
  }
}
