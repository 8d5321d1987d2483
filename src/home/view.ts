// The personal overview as chat messages: the Home tab as a list of sections (Slack App Home), and
// the same content folded into one private message for `/ops me` (Slack, Discord, the shell). What
// needs the person now comes first (UX.md "Home"): approvals, then their records by urgency, then on
// call, then buttons to start something, then (managers) the desk as a whole.
import type { HomeOverview, HomeRecord } from './queries.js';
import { approvalButtons, windowText } from '../changes/cards.js';
import { formatChangeId } from '../changes/rules.js';
import { formatAge, mention, truncate, type PersonView } from '../chat/format.js';
import { countKey, type Locale, type Translate } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatField, ChatMessage, Platform } from '../chat/model.js';
import { PRIORITY_STYLE } from '../faults/cards.js';
import { overviewMessage as onCallFields } from '../oncall/cards.js';
import { formatDeadline, formatSpan, formatWithWeekday } from '../sla/format.js';

export interface HomeViewContext {
  t: Translate;
  locale: Locale;
  platform: Platform;
  timeZone: string;
  now: Date;
  people: Map<number, PersonView>;
}

/** How much of each list one rendering shows, and how long its text may grow. */
export interface HomeSizes {
  approvals: number;
  records: number;
  /** Characters for one list of lines (Slack section text 3000; Discord field value 1024). */
  listChars: number;
}

/** The Home tab: room for 100 blocks (an approval takes two). */
export const HOME_TAB_SIZES: HomeSizes = { approvals: 15, records: 20, listChars: 2800 };
/** `/ops me`: one message; Discord allows 25 buttons and 1024 characters per field. */
export const PRIVATE_SIZES: HomeSizes = { approvals: 5, records: 10, listChars: 1000 };

export const HOME_BUTTONS = { fault: 'home.newFault', request: 'home.newRequest', change: 'home.newChange' } as const;

const TITLE_CHARS = 90;
const CHANGE_EMOJI = '🛠';

/**
 * An upper bound on a text's length once a renderer has escaped it: Slack turns `&`, `<`, `>` into
 * entities of up to 5 characters (`&amp;`); Discord puts a backslash before `\`, `[`, `]`, `<`, `#`
 * and `@` (src/platforms/*\/render.ts). `*` and `_` count double too, should either platform start
 * escaping them. Measuring after escaping keeps the renderers from cutting a line mid-way.
 */
export function escapedLength(text: string): number {
  let extra = 0;
  for (const char of text) {
    if (char === '&' || char === '<' || char === '>') extra += 4;
    else if ('[]\\#@*_'.includes(char)) extra += 1;
  }
  return text.length + extra;
}

/**
 * Whole lines of a list of `total` entries (`lines` holds the first of them) that fit in `maxChars`
 * of escaped text joined by newlines, and the "and N more" line for the rest (`more(n)`), for which
 * room is kept: the count it states is always what was left out.
 */
export function fitList(lines: string[], total: number, more: (n: number) => string, maxChars: number): { shown: string[]; more?: string } {
  const room = maxChars - escapedLength(more(total)) - 1;
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    const size = escapedLength(line) + 1;
    if (used + size > room) break;
    shown.push(line);
    used += size;
  }
  // Everything fits without a "more" line only if the whole list was there to show.
  if (shown.length === total) return { shown };
  return { shown, more: more(total - shown.length) };
}

function deadlineText(record: HomeRecord, view: HomeViewContext): string {
  const { t, now, timeZone } = view;
  if (!record.deadline) return record.paused ? ` · ${t('home.record.paused')}` : '';
  const { kind, at } = record.deadline;
  const left = at.getTime() - now.getTime();
  const time = formatDeadline(at, now, timeZone);
  const text = left > 0 ? t(`sla.line.${kind}By`, { time, left: formatSpan(left, t) }) : t(`sla.line.${kind}Overdue`, { late: formatSpan(-left, t), time });
  return ` · ${text}`;
}

/** `🔴 INC-4 · P1 · Mail down — Acknowledged · Respond by 10:15 (in 12 min) (assigned to you)`. */
export function recordLine(record: HomeRecord, view: HomeViewContext): string {
  const { t } = view;
  const label = record.priority ? `${PRIORITY_STYLE[record.priority].emoji} ${record.id} · ${record.priority}` : `${CHANGE_EMOJI} ${record.id} · ${record.riskKey ? t(record.riskKey) : ''}`;
  const params = { title: `${label} · ${truncate(record.title, TITLE_CHARS)}`, state: t(record.stateKey), deadline: deadlineText(record, view) };
  return record.relation ? t('home.record.line', { ...params, relation: t(`home.relation.${record.relation}`) }) : t('home.record.lineBare', params);
}

function approvalText(overview: HomeOverview, index: number, view: HomeViewContext): string {
  const change = overview.approvals[index];
  if (!change) return '';
  const { t } = view;
  return t('home.approval.line', {
    title: `⏳ ${formatChangeId(change.id)} · ${t(`changes.risk.${change.risk}`)} · ${truncate(change.title, TITLE_CHARS)}`,
    requester: mention(view.people.get(change.requesterId), view.platform),
    window: windowText(change, view.timeZone),
    age: formatAge(change.createdAt, view.now, t),
  });
}

function newButtons(t: Translate): ChatButton[] {
  return [
    { actionId: HOME_BUTTONS.fault, value: 'new', label: t('home.button.fault'), style: 'primary' },
    { actionId: HOME_BUTTONS.request, value: 'new', label: t('home.button.request') },
    { actionId: HOME_BUTTONS.change, value: 'new', label: t('home.button.change') },
  ];
}

function recordsPart(overview: HomeOverview, view: HomeViewContext, sizes: HomeSizes): { title: string; body: string; more?: string } {
  const { t } = view;
  const title = t('home.records.title', { n: overview.recordTotal });
  if (overview.recordTotal === 0) return { title, body: t('home.records.none') };
  const lines = overview.records.slice(0, sizes.records).map((r) => recordLine(r, view));
  const { shown, more } = fitList(lines, overview.recordTotal, (n) => t('home.records.more', { n }), sizes.listChars);
  return { title, body: shown.join('\n'), ...(more ? { more } : {}) };
}

function myTurn(overview: HomeOverview, view: HomeViewContext): string {
  const { t } = view;
  const mine = overview.oncall.myNext;
  if (!mine) return t('home.oncall.none');
  const level = t(`oncall.level.${mine.level}`);
  const from = formatWithWeekday(mine.segment.start, view.timeZone, view.locale);
  const current = mine.segment.start.getTime() <= view.now.getTime();
  // A turn running to the schedule's horizon has no known end: naming the horizon would invent one.
  if (mine.openEnded) return current ? t('home.oncall.nowOpen', { level }) : t('home.oncall.nextOpen', { level, from });
  const until = formatWithWeekday(mine.segment.end, view.timeZone, view.locale);
  return current ? t('home.oncall.now', { level, until }) : t('home.oncall.next', { level, from, until });
}

function onCallPart(overview: HomeOverview, view: HomeViewContext): { title: string; body: string; fields: ChatField[] } {
  const who = onCallFields(overview.oncall.levels, view);
  return { title: view.t('home.oncall.title'), body: myTurn(overview, view), fields: who.fields ?? [] };
}

function managementLines(overview: HomeOverview, view: HomeViewContext, sizes: HomeSizes): string[] {
  const m = overview.management;
  if (!m) return [];
  const { t } = view;
  const header = [t('home.manage.urgent', { n: m.urgentTotal }), t('home.manage.breaches', { n: m.breachesToday }), t('home.manage.stale', { n: m.staleTotal })];
  const budget = sizes.listChars - header.reduce((sum, line) => sum + escapedLength(line) + 1, 0);
  const urgentLines = m.urgentFaults.map((r) => recordLine(r, view));
  const urgent = fitList(urgentLines, m.urgentTotal, (n) => t('home.manage.urgentMore', { n }), Math.floor(budget / 2));
  const staleLines = m.staleChanges.map((change) =>
    t('home.manage.staleLine', { id: formatChangeId(change.id), title: truncate(change.title, TITLE_CHARS), age: formatAge(change.createdAt, view.now, t) }),
  );
  const urgentUsed = [...urgent.shown, urgent.more ?? ''].reduce((sum, line) => sum + escapedLength(line) + 1, 0);
  const stale = fitList(staleLines, m.staleTotal, (n) => t('home.manage.staleMore', { n }), budget - urgentUsed);
  const withMore = (part: { shown: string[]; more?: string }): string[] => (part.more ? [...part.shown, part.more] : part.shown);
  return [header[0] ?? '', ...withMore(urgent), header[1] ?? '', header[2] ?? '', ...withMore(stale)];
}

function summary(overview: HomeOverview, t: Translate): string {
  return t('home.fallback', {
    approvals: t(countKey('home.fallback.approvals', overview.approvalTotal), { count: overview.approvalTotal }),
    records: t(countKey('home.fallback.records', overview.recordTotal), { count: overview.recordTotal }),
  });
}

/**
 * `As of Sun 2026-11-29 12:07 (Europe/Berlin).` with the date, since a message stays in the chat for
 * days. Only the Home tab promises to stay fresh (`kept`); a one-off `/ops me` reply is not republished.
 */
function updatedLine(view: HomeViewContext, kept: boolean): string {
  const params = { time: formatWithWeekday(view.now, view.timeZone, view.locale), zone: view.timeZone };
  return kept ? view.t('home.updated', params) : view.t('home.asOf', params);
}

/**
 * The Home tab as sections, each a chat message (Slack renders each as blocks, separated by
 * dividers). Approvals are one section each, with the same buttons as the approval DM.
 */
export function homeTabSections(overview: HomeOverview, view: HomeViewContext, sizes: HomeSizes = HOME_TAB_SIZES): ChatMessage[] {
  const { t } = view;
  const sections: ChatMessage[] = [{ fallback: summary(overview, t), title: t('home.title'), context: [updatedLine(view, true)], buttons: newButtons(t) }];
  if (overview.approvalTotal > 0) {
    const title = t('home.approvals.title', { n: overview.approvalTotal });
    const shown = overview.approvals.slice(0, sizes.approvals);
    shown.forEach((change, index) => {
      const body = approvalText(overview, index, view);
      sections.push({ fallback: body, ...(index === 0 ? { title } : {}), body, buttons: approvalButtons(change, t) });
    });
    const hidden = overview.approvalTotal - shown.length;
    if (hidden > 0) sections.push({ fallback: title, context: [t('home.approvals.more', { n: hidden })] });
  }
  const records = recordsPart(overview, view, sizes);
  sections.push({ fallback: records.title, title: records.title, body: records.body, ...(records.more ? { context: [records.more] } : {}) });
  const oncall = onCallPart(overview, view);
  sections.push({ fallback: oncall.title, title: oncall.title, body: oncall.body, fields: oncall.fields });
  const manage = managementLines(overview, view, sizes);
  if (manage.length > 0) sections.push({ fallback: t('home.manage.title'), title: t('home.manage.title'), body: manage.join('\n') });
  return sections;
}

/**
 * `/ops me`: the same overview as one private message. Each approval's buttons carry the change id
 * in their label, since several changes share the message.
 */
export function overviewMessage(overview: HomeOverview, view: HomeViewContext, sizes: HomeSizes = PRIVATE_SIZES): ChatMessage {
  const { t } = view;
  const fields: ChatField[] = [];
  const buttons: ChatButton[] = [];
  if (overview.approvalTotal > 0) {
    const shown = overview.approvals.slice(0, sizes.approvals);
    const lines = shown.map((_, index) => approvalText(overview, index, view));
    const fitted = fitList(lines, overview.approvalTotal, (n) => t('home.approvals.more', { n }), sizes.listChars);
    fields.push({ label: t('home.approvals.title', { n: overview.approvalTotal }), value: [...fitted.shown, fitted.more ?? ''].filter(Boolean).join('\n') });
    // Buttons only for the approvals the field shows, so that none decides a change the reader cannot see.
    for (const change of shown.slice(0, fitted.shown.length)) {
      const id = formatChangeId(change.id);
      // Approve and Reject only: with several changes in one message, four buttons each would crowd it.
      for (const button of approvalButtons(change, t).filter((b) => b.actionId === 'change.approve' || b.actionId === 'change.reject')) {
        buttons.push({ ...button, label: t('home.button.decide', { label: button.label, id }) });
      }
    }
  }
  const records = recordsPart(overview, view, sizes);
  fields.push({ label: records.title, value: [records.body, records.more].filter(Boolean).join('\n') });
  const oncall = onCallPart(overview, view);
  fields.push({ label: oncall.title, value: [oncall.body, ...oncall.fields.map((f) => `${f.label}: ${f.value}`)].join('\n') });
  const manage = managementLines(overview, view, sizes);
  if (manage.length > 0) fields.push({ label: t('home.manage.title'), value: manage.join('\n') });
  buttons.push(...newButtons(t));
  const fallback = summary(overview, t);
  return { fallback, title: t('home.title'), body: fallback, fields, buttons, context: [updatedLine(view, false)] };
}
