// One fault with its whole timeline as Markdown (`/fault export INC-n`; policy 3.3, records archived).
import { recordMarkdown } from './record-markdown.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { FaultDetail } from '../faults/queries.js';
import { formatFaultId } from '../faults/rules.js';
import { eventKind } from '../faults/views.js';

/**
 * The Markdown document: fields as a table, the long texts (and a monitoring fault's alerts) as sections,
 * the timeline as a table (times in `timeZone`).
 */
export function faultMarkdown(detail: FaultDetail, t: Translate, timeZone: string): string {
  const { fault } = detail;
  const person = (id: number | null) => (id === null ? t('faults.field.unassigned') : (detail.people.get(id)?.displayName ?? String(id)));
  return recordMarkdown(
    {
      label: formatFaultId(fault.id),
      title: fault.title,
      fields: [
        [t('faults.field.status'), t(`faults.state.${fault.state}`)],
        [t('faults.field.priority'), fault.priority],
        [t('faults.field.category'), t(`faults.category.${fault.category}`)],
        [t('faults.field.impact'), String(fault.impact)],
        [t('faults.field.urgency'), String(fault.urgency)],
        [t('faults.field.reporter'), person(fault.reporterId)],
        [t('faults.field.assignee'), person(fault.assigneeId)],
        [t('faults.field.affectedSystem'), fault.affectedSystem ?? '—'],
      ],
      sections: [
        [t('faults.field.description'), fault.description],
        [t('faults.field.rootCause'), fault.rootCause],
        [t('faults.field.resolutionSteps'), fault.resolutionSteps],
        // A monitoring fault's alert lines, as its card and /fault show list them (labels translated).
        [t('faults.export.alerts'), detail.alerts?.(t)],
      ],
      timelineTitle: t('faults.timeline.title'),
      timeline: detail.timeline,
      // The same label as /fault show (faults/views.ts), so an alert line reads "alert firing" in both.
      eventLabel: (kind) => t(`faults.event.${eventKind(kind)}`),
      systemActor: t('faults.systemActor'),
    },
    timeZone,
  );
}
