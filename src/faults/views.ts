import { faultCard, stateLabel } from './cards.js';
import { PAGE_SIZE, type FaultPage } from './queries.js';
import { formatFaultId } from './rules.js';
import { bodyWithTail, formatAge, formatTime, truncate, type PersonView } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage, Platform } from '../chat/model.js';
import type { Fault } from '../store/entities/index.js';
import type { TimelineEntry } from '../records/timeline.js';
import { acknowledgerIn } from './acknowledger.js';

/** `/fault list` and `/fault search`: at most ten rows, newest first, and how to see more. */
export function faultListMessage(page: FaultPage, title: string, now: Date, t: Translate): ChatMessage {
  if (page.faults.length === 0) {
    const text = t('faults.list.empty');
    return { fallback: text, title, body: text };
  }
  const lines = page.faults.map((f) =>
    t('faults.list.row', { id: formatFaultId(f.id), priority: f.priority, state: stateLabel(f.state, t), age: formatAge(f.createdAt, now, t), title: truncate(f.title, 80) }),
  );
  const context = page.total > PAGE_SIZE ? [t('faults.list.more', { shown: page.faults.length, total: page.total })] : [];
  return { fallback: lines.join('\n'), title, body: lines.join('\n'), context };
}


const TIMELINE_SHOWN = 15;

/**
 * `/fault show`: the card as the reader sees it (for a monitoring fault with its alert lines, `alerts`,
 * as on the channel card), followed by the timeline.
 */
export function faultDetailMessage(
  fault: Fault,
  timeline: TimelineEntry[],
  view: { t: Translate; platform: Platform; timeZone: string; people: Map<number, PersonView>; now: Date; alerts?: ((t: Translate) => string) | undefined },
): ChatMessage {
  const { t } = view;
  const card = faultCard(fault, { ...view, acknowledgedBy: acknowledgerIn(timeline.map((e) => e.event)) });
  if (view.alerts) card.body = bodyWithTail(card.body ?? '', view.alerts(t));
  const recent = timeline.slice(-TIMELINE_SHOWN).map(({ event, actor }) =>
    t('faults.timeline.row', {
      time: formatTime(event.createdAt, view.timeZone),
      actor: actor ?? t('faults.systemActor'),
      event: t(`faults.event.${eventKind(event.kind)}`),
      note: event.note ? ` (${event.note})` : '',
    }),
  );
  const body = `${card.body ?? ''}\n\n${t('faults.timeline.title')}\n${recent.join('\n')}`;
  return { ...card, body };
}

const EVENT_KINDS = ['reported', 'acknowledge', 'start', 'wait', 'resume', 'resolve', 'reopen', 'close', 'reassigned', 'dm_undeliverable', 'card_reposted', 'alert_firing', 'alert_resolved', 'alert_cleared', 'alert_truncated', 'alert_cleared_truncated', 'sla_breach_response', 'sla_breach_resolve'] as const;
type EventKind = (typeof EVENT_KINDS)[number];

/** The catalog event kind a timeline entry is shown as (`faults.event.*`); unknown kinds read as reported. */
export function eventKind(kind: string): EventKind {
  return (EVENT_KINDS as readonly string[]).includes(kind) ? (kind as EventKind) : 'reported';
}
