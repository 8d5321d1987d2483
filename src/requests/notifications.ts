import type { EntityManager } from 'typeorm';
import { requestAnnouncementKey, requestCard, requestTitle } from './cards.js';
import { formatRequestId } from './rules.js';
import { mention, type PersonView } from '../chat/format.js';
import { resolveLocale, translator, type Locale, type MessageKey } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatMessage, ChatTarget } from '../chat/model.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { recordCiSummary } from '../cis/fault-context.js';
import { peopleViews } from '../people/views.js';
import type { ServiceRequest } from '../store/entities/index.js';

/** What happened to a request, as the requester and the assignee are told. */
export type RequestNews =
  | { kind: 'submitted' }
  | { kind: 'taken'; by: number }
  | { kind: 'assigned'; by: number; to: number }
  | { kind: 'fulfilled'; by: number }
  | { kind: 'reopened'; by: number }
  | { kind: 'closed'; by: number | null };

export interface RequestNotifyContext {
  manager: EntityManager;
  timeZone: string;
  defaultLocale: Locale;
  channel: ChatTarget | undefined;
}

const NEWS_KEY: Record<RequestNews['kind'], MessageKey> = {
  submitted: 'requests.dm.submitted',
  taken: 'requests.dm.taken',
  assigned: 'requests.dm.assigned',
  fulfilled: 'requests.dm.fulfilled',
  reopened: 'requests.dm.reopened',
  closed: 'requests.dm.closed',
};

function dmTarget(view: PersonView | undefined, preferred: string): ChatTarget | undefined {
  const account = view?.accounts.find((a) => a.platform === preferred) ?? view?.accounts[0];
  if (!account) return undefined;
  return { platform: account.platform as ChatTarget['platform'], kind: 'dm', id: account.userId };
}

/**
 * The messages one change of a request sends: the channel card (edited in place), a DM to the
 * requester at every step, and the card to an engineer someone else assigned it to.
 */
export async function requestMessages(request: ServiceRequest, news: RequestNews, ctx: RequestNotifyContext): Promise<OutgoingMessage[]> {
  const by = 'by' in news && news.by !== null ? news.by : null;
  const to = news.kind === 'assigned' ? news.to : null;
  const ids = [request.requesterId, request.beneficiaryId, request.assigneeId, by, to].filter((v): v is number => v !== null);
  const { views, people } = await peopleViews(ctx.manager, ids);
  const ci = await recordCiSummary(ctx.manager, 'request', request.id);
  const messages: OutgoingMessage[] = [];

  if (ctx.channel) {
    const t = translator(ctx.defaultLocale);
    messages.push({
      target: ctx.channel,
      key: requestAnnouncementKey(request.id),
      message: requestCard(request, { t, platform: ctx.channel.platform, timeZone: ctx.timeZone, people: views, ci }),
    });
  }

  const requesterTarget = dmTarget(views.get(request.requesterId), request.requesterPlatform);
  if (requesterTarget && by !== request.requesterId) {
    const t = translator(resolveLocale(people.get(request.requesterId)?.locale, ctx.defaultLocale));
    const id = formatRequestId(request.id);
    const text = t(NEWS_KEY[news.kind], {
      id,
      priority: request.priority,
      by: by === null ? t('requests.systemActor') : mention(views.get(by), requesterTarget.platform),
      to: to === null ? '' : mention(views.get(to), requesterTarget.platform),
    });
    const buttons: ChatButton[] =
      news.kind === 'fulfilled'
        ? [
            { actionId: 'request.close', value: id, label: t('requests.button.confirm'), style: 'primary' },
            { actionId: 'request.reopen', value: id, label: t('requests.button.reopen') },
          ]
        : [];
    const message: ChatMessage = { fallback: text, title: requestTitle(request), body: text, buttons };
    if (news.kind === 'fulfilled' && request.fulfilment) message.fields = [{ label: t('requests.field.fulfilment'), value: request.fulfilment }];
    messages.push({ target: requesterTarget, message });
  }

  if (news.kind === 'assigned' && news.to !== news.by) {
    const target = dmTarget(views.get(news.to), request.requesterPlatform);
    if (target) {
      const t = translator(resolveLocale(people.get(news.to)?.locale, ctx.defaultLocale));
      const card = requestCard(request, { t, platform: target.platform, timeZone: ctx.timeZone, people: views, ci });
      const text = t('requests.dm.assignedToYou', { id: formatRequestId(request.id), by: mention(views.get(news.by), target.platform) });
      messages.push({ target, message: { ...card, fallback: text, context: [text, ...(card.context ?? [])] } });
    }
  }
  return messages;
}
