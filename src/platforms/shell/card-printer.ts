import type { ChatMessage } from '../../chat/model.js';
import type { ButtonBoard, ButtonOrigin } from './buttons.js';
import { renderMessage } from './render.js';
import type { Style } from './style.js';
import type { LineIO } from './terminal.js';

/** Prints chat messages on the terminal, numbering their buttons on the session's board. */
export class CardPrinter {
  constructor(
    private readonly io: Pick<LineIO, 'print'>,
    private readonly board: ButtonBoard,
    readonly style: Style,
  ) {}

  /**
   * Prints `message`, under `header` when given; `prefix` goes in front of the first line
   * (e.g. "(only you)").
   */
  print(message: ChatMessage, origin: ButtonOrigin, options: { header?: string; prefix?: string } = {}): void {
    const numbered = this.board.register(message.buttons ?? [], origin);
    const lines = renderMessage(message, numbered, this.style);
    if (options.prefix !== undefined) lines[0] = `${options.prefix} ${lines[0] ?? ''}`.trimEnd();
    if (options.header !== undefined) lines.unshift(this.style.header(options.header));
    this.io.print(lines.join('\n'));
  }

  /** The message with this id is about to be printed again: its old buttons go. */
  replace(messageId: string): void {
    this.board.replaceMessage(messageId);
  }

  line(text: string): void {
    this.io.print(text);
  }
}
