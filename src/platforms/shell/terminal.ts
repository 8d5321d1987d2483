import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { ansiStyle, plainStyle, type Style } from './style.js';

/** What the session and form dialogs need from the terminal: print text, read the next line. */
export interface LineIO {
  print(text: string): void;
  /** The next input line, or undefined at end of input. The prompt is only shown on a TTY. */
  read(prompt: string): Promise<string | undefined>;
}

/**
 * The terminal the shell talks through. Input lines are queued as they arrive and handed out one
 * at a time, in order, whether the input is a TTY or a pipe. Output is plain text unless the
 * output is a colour terminal; prompts appear only when the input is a TTY.
 */
export class Terminal implements LineIO {
  /** Input typed by a person at a terminal: show prompts. */
  readonly interactive: boolean;
  /** Both ends are a terminal: readline edits the line and output can be redrawn around the prompt. */
  private readonly lineEditing: boolean;
  readonly style: Style;
  private rl: Interface | undefined;
  private readonly queue: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private ended = false;
  private prompting = false;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    this.interactive = input instanceof ReadStream && input.isTTY;
    this.lineEditing = this.interactive && output instanceof WriteStream && output.isTTY;
    this.style = output instanceof WriteStream && output.isTTY && output.hasColors() ? ansiStyle : plainStyle;
  }

  /** Starts reading input. Lines typed or piped before the first read are kept. */
  open(): void {
    if (this.rl || this.ended) return;
    const rl = createInterface({
      input: this.input,
      output: this.interactive ? this.output : undefined,
      terminal: this.lineEditing,
      crlfDelay: Infinity,
    });
    rl.on('line', (line: string) => {
      this.prompting = false;
      const waiter = this.waiter;
      if (waiter) {
        this.waiter = undefined;
        waiter(line);
      } else {
        this.queue.push(line);
      }
    });
    rl.on('close', () => this.end());
    // Ctrl+C on a TTY ends the session like /quit (readline would otherwise only pause).
    rl.on('SIGINT', () => rl.close());
    this.rl = rl;
  }

  read(prompt: string): Promise<string | undefined> {
    if (this.waiter) throw new Error('Terminal.read called while another read is pending');
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiter = resolve;
      if (this.interactive && this.rl) {
        this.prompting = true;
        this.rl.setPrompt(prompt);
        this.rl.prompt();
      }
    });
  }

  print(text: string): void {
    if (this.prompting && this.rl) {
      // Something arrived while the person is typing: print above the prompt, then redraw it.
      if (this.lineEditing) {
        clearLine(this.output, 0);
        cursorTo(this.output, 0);
      } else {
        this.output.write('\n');
      }
      this.output.write(`${text}\n`);
      this.rl.prompt(true);
      return;
    }
    this.output.write(`${text}\n`);
  }

  /** Stops reading; a pending read gets undefined. Lines already queued are handed out unless discarded. */
  close(options: { discardQueued?: boolean } = {}): void {
    if (options.discardQueued) this.queue.length = 0;
    if (this.rl) this.rl.close();
    else this.end();
  }

  private end(): void {
    // Ctrl+D at a prompt leaves the cursor after it: finish that line first.
    if (this.prompting) this.output.write('\n');
    this.ended = true;
    this.prompting = false;
    this.rl = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
  }
}
