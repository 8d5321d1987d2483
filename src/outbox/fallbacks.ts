// What the outbox does with a message it cannot deliver as written (DESIGN.md reliability rules,
// issue #9): a DM whose person cannot be reached goes to the record's channel instead, naming the
// person, and is noted on the record's timeline; a deleted card posted anew is noted there too. An
// on-call hand-off DM goes to the fault channel; other DMs without a record are only logged.
import type { EntityManager } from 'typeorm';
import type { DeliveryFallbacks } from './dispatcher.js';
import { ONCALL_NOTICE, RECORD_KINDS, UNREACHABLE_ERROR_PREFIX, enqueue, type RecordKind, type RecordRef } from './outbox.js';
import { noteOnTimeline } from './undeliverable-note.js';
import { checkApproversReach } from '../changes/approvers-reach.js';
import { formatChangeId } from '../changes/rules.js';
import { mention, truncate } from '../chat/format.js';
import { translator, type Locale } from '../chat/i18n/catalog.js';
import type { ChatMessage, ChatTarget } from '../chat/model.js';
import { formatFaultId } from '../faults/rules.js';
import type { Logger } from '../logger.js';
import type { PeopleService } from '../people/service.js';
import { peopleViews } from '../people/views.js';
import { requestChannel } from '../requests/settings.js';
import { formatRequestId } from '../requests/rules.js';
import type { SettingsService } from '../settings/service.js';
import { Identity, OutboxMessage } from '../store/entities/index.js';

/** The original message quoted in the channel, at most this long (Slack section text holds 3000). */
const QUOTED_MAX = 1500;

export interface RecordFallbackOptions {
  settings: SettingsService;
  people: PeopleService;
  logger: Logger;
  timeZone: string;
  defaultLocale: Locale;
}

/** The record an outbox row is about, if it names one. */
export function recordOf(row: Pick<OutboxMessage, 'recordKind' | 'recordId'>): RecordRef | undefined {
  if (row.recordId === null || !(RECORD_KINDS as readonly string[]).includes(row.recordKind ?? '')) return undefined;
  return { kind: row.recordKind as RecordKind, id: row.recordId };
}

/** `INC-4`, `REQ-7`, `CHG-13`. */
export function formatRecordId(record: RecordRef): string {
  switch (record.kind) {
    case 'fault':
      return formatFaultId(record.id);
    case 'request':
      return formatRequestId(record.id);
    case 'change':
      return formatChangeId(record.id);
  }
}

function fallbackText(payload: string): string {
  try {
    const message = JSON.parse(payload) as Partial<ChatMessage>;
    return typeof message.fallback === 'string' ? message.fallback : '';
  } catch {
    return '';
  }
}

/** The undelivered message's text, each line behind a bar. */
function quoted(payload: string): string {
  // A bar, not Slack's `>` quote: message text is plain (src/chat/markup.ts), so markup would show as typed.
  return truncate(fallbackText(payload), QUOTED_MAX)
    .split('\n')
    .map((line) => `│ ${line}`)
    .join('\n');
}

/** The record-aware fallbacks the dispatcher runs inside the transaction that settles a row. */
export class RecordFallbacks implements DeliveryFallbacks {
  constructor(private readonly options: RecordFallbackOptions) {}

  async unreachable(manager: EntityManager, row: OutboxMessage, now: Date): Promise<void> {
    const record = recordOf(row);
    const context = { outboxId: row.id, platform: row.platform, record };
    if (!record) {
      if (row.recordKind === ONCALL_NOTICE) return this.onCallUnreachable(manager, row, now);
      // Exports, report charts, survey and suggestion replies: the one person concerned is the one who
      // cannot be reached, and a channel post could expose them (an anonymous suggestion's reply).
      this.options.logger.warn(context, 'outbox: a direct message cannot be delivered and names no record to fall back to');
      return;
    }
    // A copy edited in place (its key) is re-posted at every change of the record: tell once.
    if (row.messageKey !== null && (await this.toldBefore(manager, row))) return;
    const identity = await manager.findOneBy(Identity, { platform: row.platform, userId: row.targetId });
    const { views } = await peopleViews(manager, identity ? [identity.personId] : []);
    const person = identity ? views.get(identity.personId) : undefined;
    await noteOnTimeline(manager, record, 'dm_undeliverable', person?.displayName ?? `${row.platform}:${row.targetId}`, now);

    const channel = await this.channelOf(record);
    if (channel) {
      const t = translator(this.options.defaultLocale);
      const text = t('outbox.undeliverable.dm', { person: person ? mention(person, channel.platform) : row.targetId, id: formatRecordId(record), text: quoted(row.payload) });
      await enqueue(manager, now, [{ target: channel, message: { fallback: text, body: text } }], record);
      this.options.logger.warn(context, 'outbox: a direct message cannot be delivered; posted in the record channel instead');
    } else {
      this.options.logger.error(context, 'outbox: a direct message cannot be delivered and the record has no channel; noted on its timeline only');
    }
    if (record.kind === 'change') await checkApproversReach(manager, record.id, now, this.options);
  }

  /**
   * An on-call hand-off DM that cannot be delivered: the fault channel is told, naming the person and
   * quoting the notice, so that the team knows who is on call and that they may not know it.
   */
  private async onCallUnreachable(manager: EntityManager, row: OutboxMessage, now: Date): Promise<void> {
    const context = { outboxId: row.id, platform: row.platform, personId: row.recordId };
    const channel = await this.options.settings.channel('fault_channel');
    if (!channel) {
      this.options.logger.error(context, 'outbox: an on-call notice cannot be delivered and there is no fault channel to tell');
      return;
    }
    const { views } = await peopleViews(manager, row.recordId === null ? [] : [row.recordId]);
    const person = row.recordId === null ? undefined : views.get(row.recordId);
    const t = translator(this.options.defaultLocale);
    const text = t('outbox.undeliverable.oncall', { person: person ? mention(person, channel.platform) : row.targetId, text: quoted(row.payload) });
    await enqueue(manager, now, [{ target: channel, message: { fallback: text, body: text } }]);
    this.options.logger.warn(context, 'outbox: an on-call notice cannot be delivered; the fault channel is told instead');
  }

  async reposted(manager: EntityManager, row: OutboxMessage, now: Date): Promise<void> {
    const record = recordOf(row);
    if (record) await noteOnTimeline(manager, record, 'card_reposted', null, now);
  }

  private async toldBefore(manager: EntityManager, row: OutboxMessage): Promise<boolean> {
    const earlier = await manager
      .createQueryBuilder(OutboxMessage, 'o')
      .where('o.message_key = :key AND o.platform = :platform AND o.target_id = :target AND o.status = :dead AND o.id <> :id AND o.last_error LIKE :prefix', {
        key: row.messageKey,
        platform: row.platform,
        target: row.targetId,
        dead: 'dead',
        id: row.id,
        prefix: `${UNREACHABLE_ERROR_PREFIX}%`,
      })
      .getCount();
    return earlier > 0;
  }

  private async channelOf(record: RecordRef): Promise<ChatTarget | undefined> {
    switch (record.kind) {
      case 'fault':
        return this.options.settings.channel('fault_channel');
      case 'request':
        return requestChannel(this.options.settings);
      case 'change':
        return this.options.settings.channel('change_channel');
    }
  }
}
