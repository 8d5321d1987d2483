import { randomBytes } from 'node:crypto';
import type { CommandDef } from './command-def.js';
import { routeCommand } from './command-router.js';
import type { CommandContext } from './context.js';
import { resolveLocale, translator, type Locale, type Translate } from './i18n/catalog.js';
import { privateText, type ButtonHandler, type FormHandler } from './interactions.js';
import { plainInput } from './markup.js';
import type { ChatReply, InboundEvent } from './model.js';
import { FieldErrors, ForbiddenError, UserError, type ErrorParams } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import { requireRole } from '../people/roles.js';
import type { EventHandler, EventHooks } from '../platforms/port.js';
import type { Services } from '../services.js';

export interface RuntimeDeps {
  services: Services;
  commands: CommandDef[];
  buttons: ButtonHandler[];
  forms: FormHandler[];
  defaultLocale: Locale;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  metrics: Metrics;
}

type Outcome = 'ok' | 'user_error' | 'error';

function translateParams(params: ErrorParams, t: Translate): Record<string, string | number> {
  const result: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) result[name] = typeof value === 'object' ? t(value.key) : value;
  return result;
}

/** A short id shown to the user and written in the log line, to find one failure among many. */
function referenceId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * The platform-neutral heart of the bot: resolves the person, routes the event to a command,
 * button or form handler, checks roles, and turns every error into one private, translated reply.
 */
export class ChatRuntime implements EventHandler {
  private readonly commands: Map<string, CommandDef>;
  private readonly buttons: Map<string, ButtonHandler>;
  private readonly forms: Map<string, FormHandler>;

  constructor(private readonly deps: RuntimeDeps) {
    this.commands = new Map(deps.commands.map((c) => [c.name, c]));
    this.buttons = new Map(deps.buttons.map((b) => [b.actionId, b]));
    this.forms = new Map(deps.forms.map((f) => [f.formId, f]));
  }

  /**
   * One event to its reply. `hooks.localeOf`, when the adapter offers it, is asked for the person's
   * locale only when the event carries none and none is stored (PeopleService.resolveWithLocale).
   */
  async handle(inbound: InboundEvent, hooks?: EventHooks): Promise<ChatReply> {
    const event = withPlainInput(inbound);
    let t = translator(resolveLocale(event.actor.locale, this.deps.defaultLocale));
    const name = event.type === 'command' ? event.command.replace(/^\//, '') : event.type === 'button' ? event.actionId : event.formId;
    let outcome: Outcome = 'ok';
    let locale: string | undefined;
    try {
      const ctx = await this.context(event, hooks);
      t = ctx.t;
      locale = ctx.locale;
      return { ...(await this.dispatch(ctx, event)), locale };
    } catch (error) {
      outcome = error instanceof UserError || error instanceof FieldErrors ? 'user_error' : 'error';
      return { ...this.renderError(error, event, t), ...(locale ? { locale } : {}) };
    } finally {
      const labels = { platform: event.actor.platform, outcome };
      if (event.type === 'command') this.deps.metrics.commands.inc({ ...labels, command: name });
      else this.deps.metrics.actions.inc({ ...labels, action: name });
    }
  }

  private async context(event: InboundEvent, hooks: EventHooks | undefined): Promise<CommandContext> {
    const localeOf = hooks?.localeOf?.bind(hooks);
    const lookup = localeOf ? () => localeOf(event.actor.userId) : undefined;
    const { actor, storedLocale } = await this.deps.services.people.resolveWithLocale(event.actor, lookup);
    // Slack slash commands carry no locale: the one stored for the person (issue 14: "the person's own
    // locale wins"), or else the one the platform gave when asked (hooks.localeOf), comes before the
    // installation's default.
    const locale = resolveLocale(event.actor.locale ?? storedLocale, this.deps.defaultLocale);
    return {
      actor,
      chatActor: event.actor,
      ...(event.channelId ? { channelId: event.channelId } : {}),
      locale,
      t: translator(locale),
      services: this.deps.services,
      clock: this.deps.clock,
      timeZone: this.deps.timeZone,
    };
  }

  private async dispatch(ctx: CommandContext, event: InboundEvent): Promise<ChatReply> {
    switch (event.type) {
      case 'command': {
        const command = this.commands.get(event.command.replace(/^\//, '').toLowerCase());
        if (!command) throw new ForbiddenError('core.error.unknownCommand', { command: event.command.slice(0, 40) });
        const { sub, args, typed } = routeCommand(command, event.text, event.actor.platform);
        // Named as typed (`/ops kpi team`, not `/ops`): other /ops subcommands may be open to the person.
        // The role's name is translated; its code stays as `/ops role add` takes it.
        requireRole(ctx.actor.roles, sub.role, typed);
        return sub.run(ctx, args);
      }
      case 'button': {
        const handler = this.buttons.get(event.actionId);
        if (!handler) throw new ForbiddenError('core.error.unknownAction');
        return handler.run(ctx, event.value);
      }
      case 'formSubmit': {
        const handler = this.forms.get(event.formId);
        if (!handler) throw new ForbiddenError('core.error.unknownAction');
        return handler.run(ctx, event.context, event.values);
      }
    }
  }

  private renderError(error: unknown, event: InboundEvent, t: Translate): ChatReply {
    const inForm = event.type === 'formSubmit';
    if (error instanceof FieldErrors) {
      const errors: Record<string, string> = {};
      for (const [field, problem] of Object.entries(error.errors)) errors[field] = t(problem.key, translateParams(problem.params ?? {}, t));
      if (inForm) return { type: 'fieldErrors', errors };
      return privateText(Object.values(errors).join('\n'));
    }
    if (error instanceof UserError) {
      const text = t(error.messageKey, translateParams(error.params, t));
      if (inForm && error.field) return { type: 'fieldErrors', errors: { [error.field]: text } };
      return privateText(text);
    }
    const ref = referenceId();
    this.deps.logger.error(
      { err: error, ref, event: { type: event.type, platform: event.actor.platform, user: event.actor.userId } },
      'unexpected error while handling an event',
    );
    return privateText(t('core.error.unexpected', { ref }));
  }
}

/** The event with every typed text and the actor's name made plain (markup.ts), so that no one can type a mention node. */
function withPlainInput(event: InboundEvent): InboundEvent {
  // Display names come from the platform (a Discord nickname is anyone's to choose) and are shown on cards.
  const actor = { ...event.actor, displayName: plainInput(event.actor.displayName) };
  switch (event.type) {
    case 'command':
      return { ...event, actor, text: plainInput(event.text) };
    case 'formSubmit':
      return { ...event, actor, values: Object.fromEntries(Object.entries(event.values).map(([key, value]) => [key, plainInput(value)])) };
    case 'button':
      return { ...event, actor };
  }
}
