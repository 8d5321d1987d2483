import type { ChatForm, FormField } from '../../chat/model.js';
import { parseAnswer } from './form-answers.js';
import { describeField } from './form-render.js';
import { parseFormLine } from './parse-line.js';
import type { Style } from './style.js';
import type { LineIO } from './terminal.js';
import type { ShellTranslate } from './translate.js';

/**
 * Why a dialog stopped before all answers were in: /cancel, /quit, the end of input, or a skippable
 * form left unanswered or /cancel'ed (`passOn` then holds the line to run at the main prompt, if any).
 */
export type DialogStop = 'cancel' | 'quit' | 'eof' | 'skip';

/**
 * A form asked on the terminal, one field at a time. Each answer is checked before moving on, and
 * re-asked with the error until it fits. The answers are kept, so that fields the bot rejected on
 * submission can be asked again without the others.
 */
export class FormDialog {
  private readonly answers: Record<string, string> = {};
  private skippedFor: string | undefined;

  constructor(
    readonly form: ChatForm,
    private readonly io: LineIO,
    private readonly t: ShellTranslate,
    private readonly style: Style,
  ) {}

  /** The answers so far; fields left empty are absent. */
  get values(): Record<string, string> {
    return { ...this.answers };
  }

  /** After a 'skip': the command line typed instead of an answer, to be run as usual. */
  get passOn(): string | undefined {
    return this.skippedFor;
  }

  /** Shows the form title and asks every field. */
  async fill(): Promise<DialogStop | undefined> {
    this.io.print(this.style.title(this.form.title));
    this.io.print(this.style.dim(this.t(this.form.skippable ? 'shell.form.introSkippable' : 'shell.form.intro')));
    return this.ask(this.form.fields);
  }

  /**
   * Shows the bot's errors next to their field labels and asks those fields again. 'unfixable' when
   * no error names a field of this form ('skip' for a skippable form, which follows a save).
   */
  async fix(errors: Record<string, string>): Promise<DialogStop | 'unfixable' | undefined> {
    for (const [fieldId, error] of Object.entries(errors)) {
      const label = this.form.fields.find((field) => field.id === fieldId)?.label ?? fieldId;
      this.io.print(this.style.error(this.t('shell.form.fieldError', { label, error })));
    }
    const fields = this.form.fields.filter((field) => errors[field.id] !== undefined);
    if (fields.length === 0) {
      // After a save (a skippable form), "nothing was saved" would be untrue: the session's note says what is kept.
      if (this.form.skippable) return 'skip';
      this.io.print(this.t('shell.form.cannotFix'));
      return 'unfixable';
    }
    return this.ask(fields);
  }

  private async ask(fields: readonly FormField[]): Promise<DialogStop | undefined> {
    for (const field of fields) {
      const stop = await this.askField(field);
      if (stop) return stop;
    }
    return undefined;
  }

  private async askField(field: FormField): Promise<DialogStop | undefined> {
    this.io.print(describeField(field, this.t, this.style).join('\n'));
    for (;;) {
      const line = await this.io.read(this.t('shell.form.prompt'));
      if (line === undefined) return 'eof';
      const parsed = parseFormLine(line);
      switch (parsed.kind) {
        case 'cancel':
          // A skippable form follows something already saved: /cancel only skips it, and the
          // session says what is kept instead of "nothing was saved".
          if (this.form.skippable) return 'skip';
          this.io.print(this.t('shell.form.cancelled'));
          return 'cancel';
        case 'quit':
          return 'quit';
        case 'help':
          this.io.print(this.t('shell.form.help', { title: this.form.title }));
          continue;
        case 'answer': {
          // An optional step is never answered by a command typed after it, nor made to insist.
          if (this.form.skippable && parsed.text.trim().startsWith('/')) {
            this.skippedFor = parsed.text;
            return 'skip';
          }
          if (this.form.skippable && parsed.text.trim() === '' && !field.initial) return 'skip';
          const result = parseAnswer(field, parsed.text, this.t);
          if (!result.ok) {
            this.io.print(this.style.error(this.t('shell.form.invalid', { error: result.error })));
            continue;
          }
          if (result.value === undefined) delete this.answers[field.id];
          else this.answers[field.id] = result.value;
          return undefined;
        }
      }
    }
  }
}
