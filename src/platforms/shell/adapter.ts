import { userInfo } from 'node:os';
import { translator, type Locale } from '../../chat/i18n/catalog.js';
import type { EventHandler, PlatformAdapter } from '../port.js';
import { ButtonBoard } from './buttons.js';
import { CardPrinter } from './card-printer.js';
import { ShellDeliverer } from './deliverer.js';
import { parseUserName, type ShellUser } from './names.js';
import { ShellSession } from './session.js';
import { Terminal } from './terminal.js';

export interface ShellAdapterDeps {
  handler: EventHandler;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The language of the shell's own text (prompts, help, form questions). */
  locale: Locale;
  /** Who the session starts as (default: the operating-system login name). */
  initialUser?: string;
  /**
   * Called once when the person ends the session (/quit, /exit, Ctrl+C) or the input runs out,
   * after the last line's event has been handled. Not called when stop() ends it.
   */
  onClose?: () => void;
}

/**
 * The terminal adapter: one person at a time types slash commands, button numbers and form
 * answers; channel posts and direct messages for everyone are printed on the same terminal.
 */
export function createShellAdapter(deps: ShellAdapterDeps): PlatformAdapter {
  const t = translator(deps.locale);
  const terminal = new Terminal(deps.input, deps.output);
  const board = new ButtonBoard();
  const printer = new CardPrinter(terminal, board, terminal.style);
  const deliverer = new ShellDeliverer(printer, t);
  const user = initialUser(deps.initialUser);

  let ready = false;
  let stopping = false;
  let loop: Promise<void> | undefined;

  async function runSession(): Promise<void> {
    const session = new ShellSession({ handler: deps.handler, io: terminal, printer, board, t, user });
    let end: Awaited<ReturnType<ShellSession['run']>> = 'eof';
    try {
      end = await session.run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      printer.line(t('shell.failed', { error: message }));
    }
    terminal.close();
    if (stopping) return;
    if (end === 'quit') printer.line(t('shell.bye'));
    deps.onClose?.();
  }

  return {
    platform: 'shell',
    deliverer,
    async start() {
      if (loop) return;
      terminal.open();
      ready = true;
      printer.line(t('shell.welcome', { user: user.displayName }));
      loop = runSession();
    },
    async stop() {
      stopping = true;
      ready = false;
      terminal.close({ discardQueued: true });
      await loop;
    },
    isReady: () => ready,
  };
}

function initialUser(name: string | undefined): ShellUser {
  const given = name === undefined ? undefined : parseUserName(name);
  if (given) return given;
  try {
    const login = parseUserName(userInfo().username);
    if (login) return login;
  } catch {
    // No login name (some containers): fall through.
  }
  return { id: 'operator', displayName: 'operator' };
}
