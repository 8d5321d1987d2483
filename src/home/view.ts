// The personal overview as chat messages: the Home tab as a list of sections (Slack App Home), and
// the same content folded into one private message for `/ops me` (Slack, Discord, the shell). What
// needs the person now comes first (UX.md "Home"): approvals, then their records by urgency, then on
// call, then buttons to start something, then (managers) the desk as a whole.
import type { HomeOverview, HomeRecord } from './queries.js';
import { approvalButtons, windowText } from '../changes/cards.js';
import { formatChangeId } from '../changes/rules.js';
import { formatAge, mention, truncate, type PersonView } from '../chat/format.js';
import type { Locale, Translate } from '../chat/i18n/catalog.js';
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

/** Lines that fit in `maxChars` (joined by newlines), and how many did not. */
function fitLines(lines: string[], maxChars: number): { shown: string[]; hidden: number } {
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > maxChars) break;
    shown.push(line);
    used += line.length + 1;
  }
  return { shown, hidden: lines.length - shown.length };
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
  const { shown } = fitLines(lines, sizes.listChars);
  const hidden = overview.recordTotal - shown.length;
  return { title, body: shown.join('\n'), ...(hidden > 0 ? { more: t('home.records.more', { n: hidden }) } : {}) };
}

function myTurn(overview: HomeOverview, view: HomeViewContext): string {
  const { t } = view;
  const mine = overview.oncall.myNext;
  if (!mine) return t('home.oncall.none');
  const level = t(`oncall.level.${mine.level}`);
  const until = formatWithWeekday(mine.segment.end, view.timeZone, view.locale);
  if (mine.segment.start.getTime() <= view.now.getTime()) return t('home.oncall.now', { level, until });
  return t('home.oncall.next', { level, from: formatWithWeekday(mine.segment.start, view.timeZone, view.locale), until });
}

function onCallPart(overview: HomeOverview, view: HomeViewContext): { title: string; body: string; fields: ChatField[] } {
  const who = onCallFields(overview.oncall.levels, view);
  return { title: view.t('home.oncall.title'), body: myTurn(overview, view), fields: who.fields ?? [] };
}

function managementLines(overview: HomeOverview, view: HomeViewContext, sizes: HomeSizes): string[] {
  const m = overview.management;
  if (!m) return [];
  const { t } = view;
  const lines = [t('home.manage.urgent', { n: m.urgentTotal }), ...m.urgentFaults.map((r) => recordLine(r, view))];
  if (m.urgentTotal > m.urgentFaults.length) lines.push(t('home.manage.urgentMore', { n: m.urgentTotal - m.urgentFaults.length }));
  lines.push(t('home.manage.breaches', { n: m.breachesToday }), t('home.manage.stale', { n: m.staleTotal }));
  for (const change of m.staleChanges) {
    lines.push(t('home.manage.staleLine', { id: formatChangeId(change.id), title: truncate(change.title, TITLE_CHARS), age: formatAge(change.createdAt, view.now, t) }));
  }
  if (m.staleTotal > m.staleChanges.length) lines.push(t('home.manage.staleMore', { n: m.staleTotal - m.staleChanges.length }));
  return fitLines(lines, sizes.listChars).shown;
}

function summary(overview: HomeOverview, t: Translate): string {
  return t('home.fallback', { approvals: overview.approvalTotal, records: overview.recordTotal });
}

function updatedLine(view: HomeViewContext): string {
  return view.t('home.updated', { time: formatDeadline(view.now, view.now, view.timeZone), zone: view.timeZone });
}

/**
 * The Home tab as sections, each a chat message (Slack renders each as blocks, separated by
 * dividers). Approvals are one section each, with the same buttons as the approval DM.
 */
export function homeTabSections(overview: HomeOverview, view: HomeViewContext, sizes: HomeSizes = HOME_TAB_SIZES): ChatMessage[] {
  const { t } = view;
  const sections: ChatMessage[] = [{ fallback: summary(overview, t), title: t('home.title'), context: [updatedLine(view)], buttons: newButtons(t) }];
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
    const hidden = overview.approvalTotal - shown.length;
    if (hidden > 0) lines.push(t('home.approvals.more', { n: hidden }));
    fields.push({ label: t('home.approvals.title', { n: overview.approvalTotal }), value: fitLines(lines, sizes.listChars).shown.join('\n') });
    for (const change of shown) {
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
  return { fallback, title: t('home.title'), body: fallback, fields, buttons, context: [updatedLine(view)] };
}
