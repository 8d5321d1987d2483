// One change with its whole timeline as Markdown (`/change export CHG-n`; policy 3.3, change records archived).
import { recordMarkdown } from './record-markdown.js';
import { stateLabel, windowText } from '../changes/cards.js';
import type { ChangeDetail } from '../changes/queries.js';
import { formatChangeId } from '../changes/rules.js';
import { eventKind } from '../changes/views.js';
import type { Translate } from '../chat/i18n/catalog.js';

/** The Markdown document of recordMarkdown for a change (window and times in `timeZone`). */
export function changeMarkdown(detail: ChangeDetail, t: Translate, timeZone: string): string {
  const { change } = detail.snapshot;
  const person = (id: number | null) => (id === null ? '—' : (detail.people.get(id)?.displayName ?? String(id)));
  return recordMarkdown(
    {
      label: formatChangeId(change.id),
      title: change.title,
      fields: [
        [t('changes.field.status'), stateLabel(change.state, t)],
        [t('changes.field.type'), t(`changes.type.${change.type}`)],
        [t('changes.field.risk'), t(`changes.risk.${change.risk}`)],
        [t('changes.field.window'), windowText(change, timeZone)],
        [t('changes.field.configItems'), change.configItems],
        [t('changes.field.requester'), person(change.requesterId)],
        [t('changes.field.implementer'), person(change.implementerId)],
      ],
      sections: [
        [t('changes.field.content'), change.content],
        [t('changes.field.reason'), change.reason],
        [t('changes.field.expectedImpact'), change.expectedImpact],
        [t('changes.field.testPlan'), change.testPlan],
        [t('changes.field.rollbackPlan'), change.rollbackPlan],
        [t('changes.field.outcomeNote'), change.outcomeNote],
        [t('changes.field.reviewNote'), change.reviewNote],
      ],
      timelineTitle: t('changes.timeline.title'),
      timeline: detail.timeline,
      eventLabel: (kind) => {
        const known = eventKind(kind);
        return known ? t(`changes.event.${known}`) : kind;
      },
      systemActor: t('changes.systemActor'),
    },
    timeZone,
  );
}
