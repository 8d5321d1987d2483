import type { ChatActor, ChatReply, InboundEvent } from '../../chat/model.js';
import type { EventHandler } from '../port.js';
import type { ButtonBoard } from './buttons.js';
import type { CardPrinter } from './card-printer.js';
import { SHELL_CHANNEL } from './deliverer.js';
import { FormDialog, type DialogStop } from './form-dialog.js';
import { parseUserName, type ShellUser } from './names.js';
import { parseLine } from './parse-line.js';
import type { LineIO } from './terminal.js';
import type { ShellTranslate } from './translate.js';

/** How a session ended: the person left (/quit, /exit, Ctrl+C) or the input ran out. */
export type SessionEnd = 'quit' | 'eof';

export interface SessionDeps {
  handler: EventHandler;
  io: LineIO;
  printer: CardPrinter;
  board: ButtonBoard;
  t: ShellTranslate;
  user: ShellUser;
}

/**
 * The shell's input loop: reads one line at a time, turns it into an inbound event as the current
 * person, and waits for the bot's reply (including any form it asks for) before reading on.
 */
export class ShellSession {
  private user: ShellUser;

  constructor(private readonly deps: SessionDeps) {
    this.user = deps.user;
  }

  get currentUser(): ShellUser {
    return this.user;
  }

  async run(): Promise<SessionEnd> {
    const { io, t } = this.deps;
    for (;;) {
      const line = await io.read(t('shell.prompt', { user: this.user.displayName }));
      if (line === undefined) return 'eof';
      const end = await this.handleLine(line);
      if (end) return end;
    }
  }

  private async handleLine(line: string): Promise<SessionEnd | undefined> {
    const { printer, t } = this.deps;
    const parsed = parseLine(line);
    switch (parsed.kind) {
      case 'empty':
        return undefined;
      case 'help':
        printer.line(t('shell.help'));
        return undefined;
      case 'whoami':
        printer.line(t('shell.whoami', { user: this.user.displayName }));
        return undefined;
      case 'quit':
        return 'quit';
      case 'cancel':
        printer.line(t('shell.cancel.nothing'));
        return undefined;
      case 'as':
        this.switchUser(parsed.name);
        return undefined;
      case 'click':
        return this.click(parsed.n);
      case 'command':
        return this.dispatch({
          type: 'command',
          actor: this.actor(),
          command: parsed.command,
          text: parsed.text,
          channelId: SHELL_CHANNEL,
        });
      case 'other':
        printer.line(t('shell.hint'));
        return undefined;
    }
  }

  private switchUser(name: string): void {
    const { printer, t } = this.deps;
    if (name === '') {
      printer.line(t('shell.as.usage'));
      return;
    }
    const user = parseUserName(name);
    if (!user) {
      printer.line(printer.style.error(t('shell.name.invalid')));
      return;
    }
    this.user = user;
    printer.line(t('shell.as.switched', { user: user.displayName }));
  }

  private async click(n: number): Promise<SessionEnd | undefined> {
    const { board, printer, t } = this.deps;
    const found = board.find(n);
    switch (found.kind) {
      case 'missing':
        printer.line(printer.style.error(t('shell.button.missing', { n })));
        return undefined;
      case 'replaced':
        printer.line(printer.style.error(t('shell.button.replaced', { n })));
        return undefined;
      case 'found':
        return this.dispatch({
          type: 'button',
          actor: this.actor(),
          actionId: found.button.actionId,
          value: found.button.value,
          channelId: found.channelId,
        });
    }
  }

  /** Sends one event and follows the reply through forms and corrections until it settles. */
  private async dispatch(event: InboundEvent): Promise<SessionEnd | undefined> {
    const { io, printer, t } = this.deps;
    let reply = await this.send(event);
    let dialog: FormDialog | undefined;
    while (reply) {
      switch (reply.type) {
        case 'private':
          printer.print(reply.message, { channelId: SHELL_CHANNEL }, { prefix: t('shell.private') });
          return undefined;
        case 'done':
          printer.line(t('shell.done'));
          return undefined;
        case 'form': {
          dialog = new FormDialog(reply.form, io, t, printer.style);
          const stop = await dialog.fill();
          if (stop === 'skip') return this.skipped(dialog);
          if (stop) return sessionEndOf(stop);
          reply = await this.submit(dialog, event);
          break;
        }
        case 'fieldErrors': {
          if (!dialog) {
            for (const [label, error] of Object.entries(reply.errors)) {
              printer.line(printer.style.error(t('shell.form.fieldError', { label, error })));
            }
            return undefined;
          }
          const stop = await dialog.fix(reply.errors);
          if (stop === 'unfixable') return undefined;
          if (stop === 'skip') return this.skipped(dialog);
          if (stop) return sessionEndOf(stop);
          reply = await this.submit(dialog, event);
          break;
        }
      }
    }
    return undefined;
  }

  /**
   * A skippable form left unanswered: nothing is submitted, the form's own note says what stays saved,
   * and a command typed instead runs now.
   */
  private skipped(dialog: FormDialog): Promise<SessionEnd | undefined> | undefined {
    this.deps.printer.line(dialog.form.skippedNote ?? this.deps.t('shell.form.skipped'));
    return dialog.passOn === undefined ? undefined : this.handleLine(dialog.passOn);
  }

  /** Submits a filled form as the person who opened it, in the channel it was opened from. */
  private submit(dialog: FormDialog, opener: InboundEvent): Promise<ChatReply | undefined> {
    this.deps.printer.line(this.deps.t('shell.form.submitting', { label: dialog.form.submitLabel }));
    return this.send({
      type: 'formSubmit',
      actor: opener.actor,
      formId: dialog.form.formId,
      context: dialog.form.context,
      values: dialog.values,
      ...(opener.channelId !== undefined ? { channelId: opener.channelId } : {}),
    });
  }

  /** The bot's reply, or undefined when the handler failed (the failure is shown). */
  private async send(event: InboundEvent): Promise<ChatReply | undefined> {
    const { handler, printer, t } = this.deps;
    try {
      return await handler.handle(event);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      printer.line(printer.style.error(t('shell.failed', { error: message })));
      return undefined;
    }
  }

  private actor(): ChatActor {
    return { platform: 'shell', userId: this.user.id, displayName: this.user.displayName };
  }
}

function sessionEndOf(stop: Exclude<DialogStop, 'skip'>): SessionEnd | undefined {
  return stop === 'cancel' ? undefined : stop;
}
