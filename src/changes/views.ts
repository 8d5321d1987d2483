import { changeCard, stateLabel, windowText, type ChangeSnapshot, type ChangeView } from './cards.js';
import { CALENDAR_DAYS, PAGE_SIZE, type ChangePage } from './queries.js';
import { formatChangeId } from './rules.js';
import { dateKey } from '../time/zoned-time.js';
import { formatTime, truncate } from '../chat/format.js';
import type { Locale, Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage } from '../chat/model.js';
import type { Change } from '../store/entities/index.js';
import type { TimelineEntry } from '../records/timeline.js';

/** `/change list`: at most ten rows and how to see more. */
export function changeListMessage(page: ChangePage, title: string, timeZone: string, t: Translate): ChatMessage {
  if (page.changes.length === 0) {
    const text = t('changes.list.empty');
    return { fallback: text, title, body: text };
  }
  const lines = page.changes.map((c) =>
    t('changes.list.row', {
      id: formatChangeId(c.id),
      state: stateLabel(c.state, t),
      risk: t(`changes.risk.${c.risk}`),
      type: t(`changes.type.${c.type}`),
      window: formatTime(c.windowStart, timeZone),
      title: truncate(c.title, 80),
    }),
  );
  const context = page.total > PAGE_SIZE ? [t('changes.list.more', { shown: page.changes.length, total: page.total })] : [];
  return { fallback: lines.join('\n'), title, body: lines.join('\n'), context };
}


const TIMELINE_SHOWN = 20;

const EVENT_KINDS = [
  'submitted',
  'approve',
  'reject',
  'approved',
  'rejected',
  'scheduled',
  'schedule_blocked',
  'rescheduled',
  'start',
  'complete',
  'roll_back',
  'fail',
  'review',
  'handed_over',
  'compliance_violation',
  'dm_undeliverable',
  'card_reposted',
  'approvers_unreachable',
] as const;
type EventKind = (typeof EVENT_KINDS)[number];

/** The catalog suffix (`changes.event.<kind>`) for a timeline event kind, or undefined for a kind without one. */
export function eventKind(kind: string): EventKind | undefined {
  return (EVENT_KINDS as readonly string[]).includes(kind) ? (kind as EventKind) : undefined;
}

/** `/change show` and the Details button: the card, then the timeline. */
export function changeDetailMessage(snapshot: ChangeSnapshot, timeline: TimelineEntry[], view: ChangeView): ChatMessage {
  const { t } = view;
  const card = changeCard(snapshot, view);
  const rows = timeline.slice(-TIMELINE_SHOWN).map(({ event, actor }) => {
    const kind = eventKind(event.kind);
    return t('changes.timeline.row', {
      time: formatTime(event.createdAt, view.timeZone),
      actor: actor ?? t('changes.systemActor'),
      event: kind ? t(`changes.event.${kind}`) : event.kind,
      note: event.note ? ` (${truncate(event.note, 200)})` : '',
    });
  });
  const body = `${card.body ?? ''}\n\n*${t('changes.timeline.title')}*\n${rows.join('\n')}`;
  return { ...card, fallback: `${formatChangeId(snapshot.change.id)} ${snapshot.change.title}`, body };
}

/** `/change calendar`: the coming two weeks of approved windows, by day in the configured zone. */
export function calendarMessage(changes: Change[], timeZone: string, locale: Locale, t: Translate): ChatMessage {
  const title = t('changes.calendar.title', { days: CALENDAR_DAYS, zone: timeZone });
  if (changes.length === 0) {
    const text = t('changes.calendar.empty', { days: CALENDAR_DAYS });
    return { fallback: text, title, body: text };
  }
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone });
  const lines: string[] = [];
  let day = '';
  for (const change of changes) {
    const key = dateKey(change.windowStart, timeZone);
    if (key !== day) {
      day = key;
      lines.push(`*${key} ${weekday.format(change.windowStart)}*`);
    }
    lines.push(
      t('changes.calendar.row', {
        window: windowText(change, timeZone).replace(/ \([^)]*\)$/, '').slice(11),
        id: formatChangeId(change.id),
        title: truncate(change.title, 80),
        items: truncate(change.configItems, 120),
        state: stateLabel(change.state, t),
      }),
    );
  }
  return { fallback: lines.join('\n'), title, body: lines.join('\n') };
}
