import type { EntityManager } from 'typeorm';
import { formatHandoff, formatLength, type OnCallLevel, type Segment } from './rotation.js';
import type { LevelNow } from './service.js';
import { mention, type PersonView } from '../chat/format.js';
import { resolveLocale, translator, type Locale, type Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage, Platform } from '../chat/model.js';
import { peopleViews } from '../people/views.js';
import { formatWithWeekday } from '../sla/format.js';
import type { OnCallRotation } from '../store/entities/index.js';

export interface HandoffNews {
  level: OnCallLevel;
  personId: number;
  start: Date;
  end: Date;
  /** Whom an override stands in for. */
  insteadOf: number | null;
}

/** The DM to an incoming on-call engineer. */
export async function handoffMessage(
  manager: EntityManager,
  news: HandoffNews & { nextPersonId: number | null },
  platform: Platform,
  options: { timeZone: string; defaultLocale: Locale },
): Promise<ChatMessage> {
  const ids = [news.personId, ...(news.insteadOf === null ? [] : [news.insteadOf]), ...(news.nextPersonId === null ? [] : [news.nextPersonId])];
  const { views, people } = await peopleViews(manager, ids);
  const locale = resolveLocale(people.get(news.personId)?.locale, options.defaultLocale);
  const t = translator(locale);
  const text = t(news.insteadOf === null ? 'oncall.dm.handoff' : 'oncall.dm.override', {
    level: t(`oncall.level.${news.level}`),
    from: formatWithWeekday(news.start, options.timeZone, locale),
    until: formatWithWeekday(news.end, options.timeZone, locale),
    instead: news.insteadOf === null ? '' : mention(views.get(news.insteadOf), platform),
    next: news.nextPersonId === null ? t('oncall.nobody') : mention(views.get(news.nextPersonId), platform),
  });
  return { fallback: text, title: t('oncall.dm.title'), body: text, context: [t('oncall.dm.context')] };
}

interface ViewContext {
  t: Translate;
  locale: Locale;
  platform: Platform;
  timeZone: string;
  people: Map<number, PersonView>;
}

function rotationSummary(rotation: OnCallRotation, view: ViewContext): string {
  const members = rotation.members.map((id) => mention(view.people.get(id), view.platform)).join(' → ');
  return view.t('oncall.rotation.summary', {
    handoff: formatHandoff({ weekday: rotation.handoffWeekday, minute: rotation.handoffMinute }),
    length: formatLength(rotation.lengthDays),
    members,
  });
}

/** `/oncall`: who is on call now and next at each level. */
export function overviewMessage(levels: LevelNow[], view: ViewContext): ChatMessage {
  const { t } = view;
  const who = (segment: Segment | undefined) => (segment ? mention(view.people.get(segment.personId), view.platform) : t('oncall.nobody'));
  const fields = levels.map(({ level, now, next, openEnded }) => ({
    label: t(`oncall.level.${level}`),
    value: now
      ? t(openEnded ? 'oncall.now.lineOpen' : 'oncall.now.line', {
          person: who(now),
          until: formatWithWeekday(now.end, view.timeZone, view.locale),
          next: next ? t('oncall.now.next', { person: who(next), from: formatWithWeekday(next.start, view.timeZone, view.locale) }) : '',
          override: now.overrideId === null ? '' : t('oncall.now.override'),
        })
      : t('oncall.now.none'),
  }));
  const configured = levels.filter((l) => l.rotation);
  const context = configured.length === 0 ? [t('oncall.hint.setRotation')] : configured.map((l) => `${t(`oncall.level.${l.level}`)}: ${l.rotation ? rotationSummary(l.rotation, view) : ''}`);
  const title = t('oncall.now.title');
  const fallback = fields.map((f) => `${f.label}: ${f.value}`).join('\n');
  return { fallback, title, fields, context };
}

/** `/oncall schedule`: who is on call at each level over the coming two weeks. */
export function scheduleMessage(levels: { level: OnCallLevel; rotation: OnCallRotation | undefined; segments: Segment[] }[], days: number, view: ViewContext): ChatMessage {
  const { t } = view;
  const blocks: string[] = [];
  for (const { level, rotation, segments } of levels) {
    if (segments.length === 0 && !rotation) continue;
    const lines = segments.map((s) =>
      t('oncall.schedule.row', {
        from: formatWithWeekday(s.start, view.timeZone, view.locale),
        until: formatWithWeekday(s.end, view.timeZone, view.locale),
        person: mention(view.people.get(s.personId), view.platform),
        override: s.overrideId === null ? '' : t('oncall.now.override'),
      }),
    );
    const heading = rotation ? `*${t(`oncall.level.${level}`)}* · ${rotationSummary(rotation, view)}` : `*${t(`oncall.level.${level}`)}*`;
    blocks.push([heading, ...lines].join('\n'));
  }
  const title = t('oncall.schedule.title', { days });
  const body = blocks.length > 0 ? blocks.join('\n\n') : t('oncall.now.none');
  return { fallback: body, title, body, ...(blocks.length === 0 ? { context: [t('oncall.hint.setRotation')] } : {}) };
}
