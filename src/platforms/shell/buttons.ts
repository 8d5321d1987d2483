import type { ChatButton } from '../../chat/model.js';

/** Where a printed button came from: the channel a click reports, and the message it was on. */
export interface ButtonOrigin {
  channelId: string;
  /** Set for delivered messages, which can later be updated (and their old buttons replaced). */
  messageId?: string;
}

export interface NumberedButton {
  n: number;
  button: ChatButton;
}

export type ButtonLookup =
  | { kind: 'found'; button: ChatButton; channelId: string }
  | { kind: 'missing' }
  | { kind: 'replaced' };

interface Entry {
  button: ChatButton;
  origin: ButtonOrigin;
  replaced: boolean;
}

/**
 * Every button the shell prints gets a session-wide number, so that buttons on older messages stay
 * clickable by typing their number. When a delivered message is updated in place, the buttons of
 * its previous version are retired, as they disappear on Slack and Discord.
 */
export class ButtonBoard {
  private next = 1;
  private readonly entries = new Map<number, Entry>();

  register(buttons: readonly ChatButton[], origin: ButtonOrigin): NumberedButton[] {
    return buttons.map((button) => {
      const n = this.next++;
      this.entries.set(n, { button, origin, replaced: false });
      return { n, button };
    });
  }

  /** Marks the buttons printed with an earlier version of this message as gone. */
  replaceMessage(messageId: string): void {
    for (const entry of this.entries.values()) {
      if (entry.origin.messageId === messageId) entry.replaced = true;
    }
  }

  find(n: number): ButtonLookup {
    const entry = this.entries.get(n);
    if (!entry) return { kind: 'missing' };
    if (entry.replaced) return { kind: 'replaced' };
    return { kind: 'found', button: entry.button, channelId: entry.origin.channelId };
  }
}
