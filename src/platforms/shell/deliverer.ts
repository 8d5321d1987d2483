import type { ChatAttachment, ChatMessage, ChatTarget } from '../../chat/model.js';
import { PermanentDeliveryError, type Deliverer, type PostedRef } from '../port.js';
import { SHELL_EXPORTS_DIR, saveAttachment, shellReportsDir } from './attachments.js';
import type { CardPrinter } from './card-printer.js';
import type { ShellTranslate } from './translate.js';

/** The channel a click on a direct message or private reply reports. */
export const SHELL_CHANNEL = 'shell';

/**
 * Outbox deliveries on the terminal: channel posts under `── #channel ──`, direct messages under
 * `── DM to name ──`, updates printed again under an "(updated)" header.
 *
 * Message ids are increasing numbers that start from the clock, so that a ref stored by an earlier
 * run (the outbox keeps refs in the database) never names a message of this run.
 */
export class ShellDeliverer implements Deliverer {
  readonly platform = 'shell' as const;
  private nextMessageId: number;
  private readonly dmMessages = new Set<string>();

  constructor(
    private readonly printer: CardPrinter,
    private readonly t: ShellTranslate,
    firstMessageId: number = Date.now() * 1000,
    private readonly exportsDir: string = SHELL_EXPORTS_DIR,
    private readonly reportsDir: string = shellReportsDir(),
  ) {
    this.nextMessageId = firstMessageId;
  }

  async post(target: ChatTarget, message: ChatMessage): Promise<PostedRef> {
    if (target.platform !== 'shell') {
      throw new PermanentDeliveryError(`the shell cannot deliver to ${target.platform}`);
    }
    const messageId = String(this.nextMessageId++);
    if (message.attachment) {
      // The file goes to disk; the message names where, in place of the bytes.
      const dir = message.attachment.purpose === 'report' ? this.reportsDir : this.exportsDir;
      const path = await this.save(message.attachment, dir, Number(messageId));
      message = { ...message, body: [message.body, this.t('shell.attachment.saved', { path })].filter(Boolean).join('\n') };
      delete message.attachment;
    }
    const dm = target.kind === 'dm';
    if (dm) this.dmMessages.add(messageId);
    const header = dm
      ? this.t('shell.header.dm', { user: target.id })
      : this.t('shell.header.channel', { channel: channelName(target.id) });
    this.printer.print(message, { channelId: dm ? SHELL_CHANNEL : target.id, messageId }, { header });
    return { channelId: target.id, messageId };
  }

  /**
   * Saves the file; a folder that cannot be written (REPORT_DIR on a read-only or pseudo file
   * system, no permission) will not become writable by retrying, so the person is told on the
   * terminal and the message is given up as dead (PermanentDeliveryError, logged as an error by the
   * outbox) instead of retried forever.
   */
  private async save(attachment: ChatAttachment, dir: string, stamp: number): Promise<string> {
    try {
      return await saveAttachment(attachment, dir, stamp);
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      this.printer.line(this.t('shell.attachment.failed', { name: attachment.name, dir, error: reason }));
      throw new PermanentDeliveryError(`the file ${attachment.name} could not be saved under ${dir}: ${reason}`);
    }
  }

  async update(ref: PostedRef, message: ChatMessage): Promise<void> {
    const dm = this.dmMessages.has(ref.messageId);
    const header = dm
      ? this.t('shell.header.dmUpdated', { user: ref.channelId })
      : this.t('shell.header.channelUpdated', { channel: channelName(ref.channelId) });
    this.printer.replace(ref.messageId);
    this.printer.print(message, { channelId: dm ? SHELL_CHANNEL : ref.channelId, messageId: ref.messageId }, { header });
  }
}

function channelName(id: string): string {
  return id.replace(/^#/, '');
}
