import { acknowledgerOf } from './acknowledger.js';
import type { EntityManager } from 'typeorm';
import { faultCard, faultTitle } from './cards.js';
import { formatFaultId } from './rules.js';
import type { PersonView } from '../chat/format.js';
import { bodyWithTail, mention } from '../chat/format.js';
import { resolveLocale, translator, type Locale, type MessageKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatMessage, ChatTarget } from '../chat/model.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { peopleViews } from '../people/views.js';
import { faultCiContext } from '../cis/fault-context.js';
import type { Fault } from '../store/entities/index.js';

/** What happened to a fault, as the reporter and the assignee are told. */
export type FaultNews =
  | { kind: 'reported' }
  | { kind: 'acknowledged'; by: number }
  | { kind: 'started'; by: number }
  | { kind: 'waiting'; by: number }
  | { kind: 'resumed'; by: number }
  | { kind: 'resolved'; by: number | null }
  | { kind: 'reassigned'; by: number; to: number }
  | { kind: 'reopened'; by: number | null }
  | { kind: 'closed'; by: number | null };

export interface NotifyContext {
  manager: EntityManager;
  timeZone: string;
  defaultLocale: Locale;
  faultChannel: ChatTarget | undefined;
  /** Extra lines for the channel card's body (a monitoring fault lists its alerts), in the card's language. */
  details?: ((t: Translate) => string) | undefined;
}

export function announcementKey(faultId: number): string {
  return `fault:${faultId}:announcement`;
}

function dmTarget(view: PersonView | undefined, preferred: string): ChatTarget | undefined {
  const account = view?.accounts.find((a) => a.platform === preferred) ?? view?.accounts[0];
  if (!account) return undefined;
  return { platform: account.platform as ChatTarget['platform'], kind: 'dm', id: account.userId };
}

const NEWS_KEY: Record<FaultNews['kind'], MessageKey> = {
  reported: 'faults.dm.reported',
  acknowledged: 'faults.dm.acknowledged',
  started: 'faults.dm.started',
  waiting: 'faults.dm.waiting',
  resumed: 'faults.dm.resumed',
  resolved: 'faults.dm.resolved',
  reassigned: 'faults.dm.reassigned',
  reopened: 'faults.dm.reopened',
  closed: 'faults.dm.closed',
};

/**
 * The messages one change of a fault sends: the channel card (edited in place), a DM to the
 * reporter, and a DM with the card to a newly assigned engineer.
 */
export async function faultMessages(fault: Fault, news: FaultNews, ctx: NotifyContext): Promise<OutgoingMessage[]> {
  const actorIds = 'by' in news && news.by !== null ? [news.by] : [];
  const assigneeIds = news.kind === 'reassigned' ? [news.to] : [];
  const acknowledgedBy = await acknowledgerOf(ctx.manager, fault.id);
  const { views, people } = await peopleViews(ctx.manager, [
    fault.reporterId,
    ...(acknowledgedBy === null ? [] : [acknowledgedBy]),
    ...(fault.assigneeId === null ? [] : [fault.assigneeId]),
    ...actorIds,
    ...assigneeIds,
  ]);
  const messages: OutgoingMessage[] = [];
  const ci = await faultCiContext(ctx.manager, fault.id, fault.updatedAt);

  if (ctx.faultChannel) {
    const t = translator(ctx.defaultLocale);
    const card = faultCard(fault, { t, platform: ctx.faultChannel.platform, timeZone: ctx.timeZone, people: views, ci, acknowledgedBy });
    const details = ctx.details?.(t);
    if (details) card.body = bodyWithTail(card.body ?? '', details);
    messages.push({ target: ctx.faultChannel, key: announcementKey(fault.id), message: card });
  }

  const reporterTarget = dmTarget(views.get(fault.reporterId), fault.reporterPlatform);
  const actedOnOwn = 'by' in news && news.by === fault.reporterId;
  if (reporterTarget && !actedOnOwn) {
    const t = translator(resolveLocale(people.get(fault.reporterId)?.locale, ctx.defaultLocale));
    const by = 'by' in news && news.by !== null ? mention(views.get(news.by), reporterTarget.platform) : t('faults.systemActor');
    const to = news.kind === 'reassigned' ? mention(views.get(news.to), reporterTarget.platform) : '';
    const id = formatFaultId(fault.id);
    const buttons: ChatButton[] =
      news.kind === 'resolved'
        ? [
            { actionId: 'fault.close', value: id, label: t('faults.button.confirmFixed'), style: 'primary' },
            { actionId: 'fault.reopen', value: id, label: t('faults.button.reopen') },
          ]
        : [];
    const text = t(NEWS_KEY[news.kind], { id, by, to, priority: fault.priority });
    const message: ChatMessage = { fallback: text, title: faultTitle(fault), body: text, buttons };
    if (news.kind === 'resolved') {
      message.fields = [
        { label: t('faults.field.rootCause'), value: fault.rootCause ?? '—' },
        { label: t('faults.field.resolutionSteps'), value: fault.resolutionSteps ?? '—' },
      ];
    }
    messages.push({ target: reporterTarget, message });
  }

  if (news.kind === 'reassigned' && news.to !== news.by) {
    const target = dmTarget(views.get(news.to), fault.reporterPlatform);
    if (target) {
      const assignee = people.get(news.to);
      const t = translator(resolveLocale(assignee?.locale, ctx.defaultLocale));
      const card = faultCard(fault, { t, platform: target.platform, timeZone: ctx.timeZone, people: views, ci, acknowledgedBy });
      const text = t('faults.dm.assignedToYou', { id: formatFaultId(fault.id), by: mention(views.get(news.by), target.platform) });
      messages.push({ target, message: { ...card, fallback: text, context: [text, ...(card.context ?? [])] } });
    }
  }
  return messages;
}
