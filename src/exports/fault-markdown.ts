// One fault with its whole timeline as Markdown (`/fault export INC-n`; policy 3.3, records archived).
import { formatTime } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { FaultDetail } from '../faults/queries.js';
import { formatFaultId } from '../faults/rules.js';

/** Text safe inside a Markdown table cell: no pipes or line breaks to break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, '<br>');
}

const EVENTS = ['reported', 'acknowledge', 'start', 'wait', 'resume', 'resolve', 'reopen', 'close', 'reassigned'] as const;

/** The Markdown document: fields as a table, the long texts as sections, the timeline as a table (times in `timeZone`). */
export function faultMarkdown(detail: FaultDetail, t: Translate, timeZone: string): string {
  const { fault } = detail;
  const person = (id: number | null) => (id === null ? t('faults.field.unassigned') : (detail.people.get(id)?.displayName ?? String(id)));
  const rows: [string, string][] = [
    [t('faults.field.status'), t(`faults.state.${fault.state}`)],
    [t('faults.field.priority'), fault.priority],
    [t('faults.field.category'), t(`faults.category.${fault.category}`)],
    [t('faults.field.impact'), String(fault.impact)],
    [t('faults.field.urgency'), String(fault.urgency)],
    [t('faults.field.reporter'), person(fault.reporterId)],
    [t('faults.field.assignee'), person(fault.assigneeId)],
    [t('faults.field.affectedSystem'), fault.affectedSystem ?? '—'],
  ];
  const lines = [`# ${formatFaultId(fault.id)} · ${fault.title.replace(/\r?\n/g, ' ')}`, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), ''];
  lines.push(`## ${t('faults.field.description')}`, '', fault.description, '');
  if (fault.rootCause) lines.push(`## ${t('faults.field.rootCause')}`, '', fault.rootCause, '');
  if (fault.resolutionSteps) lines.push(`## ${t('faults.field.resolutionSteps')}`, '', fault.resolutionSteps, '');
  lines.push(`## ${t('faults.timeline.title')}`, '', '| | | | |', '|---|---|---|---|');
  for (const { event, actor } of detail.timeline) {
    const kind = (EVENTS as readonly string[]).includes(event.kind) ? (event.kind as (typeof EVENTS)[number]) : 'reported';
    lines.push(`| ${formatTime(event.createdAt, timeZone)} | ${cell(actor ?? t('faults.systemActor'))} | ${cell(t(`faults.event.${kind}`))} | ${cell(event.note ?? '')} |`);
  }
  return `${lines.join('\n')}\n`;
}
