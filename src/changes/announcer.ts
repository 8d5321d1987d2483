// Every message about one change, queued in the outbox inside the transaction that changed it: the
// copies edited in place, the requester's news, and the implementer's Start prompt.
import type { EntityManager } from 'typeorm';
import type { ChangeSnapshot } from './cards.js';
import { allCopies, noticeCopies, requesterNews, type ChangeNews, type NotifyContext } from './notifications.js';
import type { ChangeRecords } from './records.js';
import { APPROVED_STATES, conflicts, freezesHit, parseConfigItems } from './rules.js';
import type { ChangePolicy } from './settings.js';
import type { Locale } from '../chat/i18n/catalog.js';
import type { ChatTarget } from '../chat/model.js';
import type { Clock } from '../clock.js';
import { enqueue } from '../outbox/outbox.js';
import { peopleViews } from '../people/views.js';
import { Change, ChangeNotice } from '../store/entities/index.js';

/**
 * Settings a use case needs, read before its transaction opens: on PostgreSQL a transaction that
 * waits on a locked change must not also need a second pooled connection for them.
 */
export interface ChangeSetup {
  policy: ChangePolicy;
  channel: ChatTarget | undefined;
}

export interface AnnouncerOptions {
  timeZone: string;
  defaultLocale: Locale;
}

export class ChangeAnnouncer {
  constructor(
    private readonly clock: Clock,
    private readonly records: ChangeRecords,
    private readonly options: AnnouncerOptions,
  ) {}

  /** The change with its decisions, overlapping approved windows and freezes, as the cards show it. */
  async snapshotOf(manager: EntityManager, change: Change, policy: ChangePolicy): Promise<ChangeSnapshot> {
    const decisions = await this.records.decisions(manager, change.id);
    const others = await manager
      .createQueryBuilder(Change, 'c')
      .where('c.id <> :id AND c.state IN (:...states) AND c.window_start < :end AND c.window_end > :start', {
        id: change.id,
        states: APPROVED_STATES,
        start: change.windowStart.toISOString(),
        end: change.windowEnd.toISOString(),
      })
      .orderBy('c.window_start', 'ASC')
      .take(50)
      .getMany();
    const window = { start: change.windowStart, end: change.windowEnd };
    const found = conflicts(
      { id: change.id, window, configItems: parseConfigItems(change.configItems) },
      others.map((o) => ({ id: o.id, window: { start: o.windowStart, end: o.windowEnd }, configItems: parseConfigItems(o.configItems) })),
    );
    return { change, decisions, conflicts: found, freezes: freezesHit(window, policy.freezes, this.options.timeZone) };
  }

  /** The snapshot and who reads it: the people it names and `extraIds`, with their accounts and locales. */
  async context(manager: EntityManager, change: Change, setup: ChangeSetup, extraIds: number[]): Promise<{ snapshot: ChangeSnapshot; ctx: NotifyContext }> {
    const snap = await this.snapshotOf(manager, change, setup.policy);
    const ids = [change.requesterId, change.implementerId, ...snap.decisions.map((d) => d.approverId), ...extraIds];
    if (change.reviewedBy !== null) ids.push(change.reviewedBy);
    const { views, people } = await peopleViews(manager, ids);
    const ctx: NotifyContext = {
      timeZone: this.options.timeZone,
      defaultLocale: this.options.defaultLocale,
      channel: setup.channel,
      views,
      people,
    };
    return { snapshot: snap, ctx };
  }

  /** Re-renders every copy of the change (edited in place) and tells the requester what happened. */
  async notify(manager: EntityManager, change: Change, news: ChangeNews, setup: ChangeSetup): Promise<void> {
    const notices = await manager.find(ChangeNotice, { where: { changeId: change.id }, order: { id: 'ASC' } });
    const extra = notices.map((n) => n.personId);
    if (news.kind === 'handedOver') extra.push(news.to);
    if ('by' in news && news.by !== null) extra.push(news.by);
    const { snapshot: snap, ctx } = await this.context(manager, change, setup, extra);
    await enqueue(manager, this.clock.now(), [...allCopies(snap, notices, ctx), ...requesterNews(snap, news, ctx)], { kind: 'change', id: change.id });
  }

  /**
   * Gives the implementer their Start prompt when the window is open (at once for an emergency).
   * With `send`, the prompt is queued here; otherwise the caller's notify sends every copy.
   */
  async promptImplementerIfOpen(manager: EntityManager, change: Change, now: Date, send?: ChangeSetup): Promise<boolean> {
    if (change.state !== 'scheduled') return false;
    const open = change.type === 'emergency' || (change.windowStart.getTime() <= now.getTime() && now.getTime() < change.windowEnd.getTime());
    if (!open) return false;
    if (await manager.findOne(ChangeNotice, { where: { changeId: change.id, personId: change.implementerId, kind: 'implement' } })) return false;
    const notice = await this.records.addNotice(manager, change.id, change.implementerId, 'implement');
    if (send) {
      const { snapshot: snap, ctx } = await this.context(manager, change, send, [notice.personId]);
      await enqueue(manager, now, noticeCopies(snap, notice, ctx), { kind: 'change', id: change.id });
    }
    return true;
  }
}
