// One service request with its whole timeline as Markdown (`/request export REQ-n`; policy 3.3).
import { recordMarkdown } from './record-markdown.js';
import type { Translate } from '../chat/i18n/catalog.js';
import { requestStateLabel, requestTypeLabel } from '../requests/cards.js';
import type { RequestDetail } from '../requests/queries.js';
import { formatRequestId } from '../requests/rules.js';
import { eventKind } from '../requests/views.js';

/** The Markdown document of recordMarkdown for a request (times in `timeZone`). */
export function requestMarkdown(detail: RequestDetail, t: Translate, timeZone: string): string {
  const { request } = detail;
  const person = (id: number | null) => (id === null ? t('requests.field.unassigned') : (detail.people.get(id)?.displayName ?? String(id)));
  return recordMarkdown(
    {
      label: formatRequestId(request.id),
      title: request.title,
      fields: [
        [t('requests.field.status'), requestStateLabel(request.state, t)],
        [t('requests.field.priority'), request.priority],
        [t('requests.field.type'), requestTypeLabel(request.requestType, t)],
        [t('requests.field.importance'), String(request.importance)],
        [t('requests.field.urgency'), String(request.urgency)],
        [t('requests.field.requester'), person(request.requesterId)],
        [t('requests.field.forWhom'), person(request.beneficiaryId ?? request.requesterId)],
        [t('requests.field.assignee'), person(request.assigneeId)],
      ],
      sections: [
        [t('requests.field.details'), request.details],
        [t('requests.field.fulfilment'), request.fulfilment],
      ],
      timelineTitle: t('requests.timeline.title'),
      timeline: detail.timeline,
      eventLabel: (kind) => t(`requests.event.${eventKind(kind)}`),
      systemActor: t('requests.systemActor'),
    },
    timeZone,
  );
}
