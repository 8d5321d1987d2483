import { requestCard, requestStateLabel } from './cards.js';
import { REQUEST_PAGE_SIZE, type RequestDetail, type RequestPage } from './queries.js';
import { formatRequestId } from './rules.js';
import { formatAge, formatTime, truncate } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage, Platform } from '../chat/model.js';

/** `/request list`: at most ten rows, newest first, and how to see more. */
export function requestListMessage(page: RequestPage, title: string, now: Date, t: Translate): ChatMessage {
  if (page.requests.length === 0) {
    const text = t('requests.list.empty');
    return { fallback: text, title, body: text };
  }
  const lines = page.requests.map((r) =>
    t('requests.list.row', { id: formatRequestId(r.id), priority: r.priority, state: requestStateLabel(r.state, t), age: formatAge(r.createdAt, now, t), title: truncate(r.title, 80) }),
  );
  const context = page.total > REQUEST_PAGE_SIZE ? [t('requests.list.more', { shown: page.requests.length, total: page.total })] : [];
  return { fallback: lines.join('\n'), title, body: lines.join('\n'), context };
}

const TIMELINE_SHOWN = 15;
const EVENT_KINDS = ['submitted', 'take', 'assign', 'fulfil', 'reopen', 'close', 'dm_undeliverable', 'card_reposted', 'sla_breach_response', 'sla_breach_resolve'] as const;
type EventKind = (typeof EVENT_KINDS)[number];

/** The catalog suffix (`requests.event.<kind>`) for a timeline event kind; unknown kinds read as submitted. */
export function eventKind(kind: string): EventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind) ? (kind as EventKind) : 'submitted';
}

/** `/request show`: the card as the reader sees it, followed by the timeline. */
export function requestDetailMessage(detail: RequestDetail, view: { t: Translate; platform: Platform; timeZone: string; now: Date }): ChatMessage {
  const { t } = view;
  const card = requestCard(detail.request, { ...view, people: detail.people, ci: detail.ci });
  const rows = detail.timeline.slice(-TIMELINE_SHOWN).map(({ event, actor }) =>
    t('requests.timeline.row', {
      time: formatTime(event.createdAt, view.timeZone),
      actor: actor ?? t('requests.systemActor'),
      event: t(`requests.event.${eventKind(event.kind)}`),
      note: event.note ? ` (${event.note})` : '',
    }),
  );
  return { ...card, fallback: `${formatRequestId(detail.request.id)} ${detail.request.title}`, body: `${card.body ?? ''}\n\n${t('requests.timeline.title')}\n${rows.join('\n')}` };
}
