import { formatRequestId, isKnownType, isRequestOpen, type RequestState } from './rules.js';
import { formatTime, mention } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatMessage } from '../chat/model.js';
import { ciSummaryField, PRIORITY_STYLE, type CardView } from '../faults/cards.js';
import type { CiSummary } from '../cis/fault-context.js';
import { slaField } from '../sla/card-line.js';
import type { ServiceRequest } from '../store/entities/index.js';

/**
 * Request cards are shown the way fault cards are; the configuration item the request is on (its
 * "affected system") is named with its owner, criticality and runbook, without possible causes.
 */
export type RequestCardView = Omit<CardView, 'ci'> & { ci?: CiSummary | undefined };

export function requestAnnouncementKey(requestId: number): string {
  return `request:${requestId}:announcement`;
}

export function requestStateLabel(state: RequestState, t: Translate): string {
  return t(`requests.state.${state}`);
}

export function requestTypeLabel(type: string, t: Translate): string {
  return isKnownType(type) ? t(`requests.type.${type}`) : type;
}

export function requestTitle(request: ServiceRequest): string {
  const emoji = isRequestOpen(request.state) ? PRIORITY_STYLE[request.priority].emoji : '✅';
  return `${emoji} ${formatRequestId(request.id)} · ${request.priority} · ${request.title}`;
}

function buttonsFor(request: ServiceRequest, t: Translate): ChatButton[] {
  const id = formatRequestId(request.id);
  const button = (action: string, label: Parameters<Translate>[0], style?: ChatButton['style']): ChatButton => ({
    actionId: `request.${action}`,
    value: id,
    label: t(label),
    ...(style ? { style } : {}),
  });
  switch (request.state) {
    case 'submitted':
      return [button('take', 'requests.button.take', 'primary'), button('assign', 'requests.button.assign')];
    case 'assigned':
      return [button('fulfil', 'requests.button.fulfil', 'primary'), button('assign', 'requests.button.assign')];
    case 'fulfilled':
    case 'closed':
      return [];
  }
}

/** The request card: posted once to the request channel and edited in place on every change. */
export function requestCard(request: ServiceRequest, view: RequestCardView): ChatMessage {
  const { t, platform, timeZone, people } = view;
  const person = (id: number | null, none: Parameters<Translate>[0]) => (id === null ? t(none) : mention(people.get(id), platform));
  const open = isRequestOpen(request.state);
  const fields = [
    { label: t('requests.field.status'), value: requestStateLabel(request.state, t) },
    { label: t('requests.field.priority'), value: t('requests.priorityDetail', { priority: request.priority, importance: request.importance, urgency: request.urgency }) },
    { label: t('requests.field.type'), value: requestTypeLabel(request.requestType, t) },
    { label: t('requests.field.requester'), value: person(request.requesterId, 'requests.field.unassigned') },
    { label: t('requests.field.forWhom'), value: person(request.beneficiaryId ?? request.requesterId, 'requests.field.unassigned') },
    { label: t('requests.field.assignee'), value: person(request.assigneeId, 'requests.field.unassigned') },
  ];
  if (view.ci) fields.push(ciSummaryField(view.ci, view));
  const sla = slaField({ sla: request, responded: request.assignedAt !== null, done: !open, verb: 'fulfil' }, view.now ?? request.updatedAt, t, timeZone);
  if (sla) fields.push(sla);
  if (request.fulfilment) fields.push({ label: t('requests.field.fulfilment'), value: request.fulfilment });

  const context = [t('requests.context.submitted', { time: formatTime(request.createdAt, timeZone) })];
  if (request.assignedAt && request.assigneeId !== null) {
    context.push(t('requests.context.assigned', { person: person(request.assigneeId, 'requests.field.unassigned'), time: formatTime(request.assignedAt, timeZone) }));
  }
  if (request.fulfilledAt) context.push(t('requests.context.fulfilled', { time: formatTime(request.fulfilledAt, timeZone) }));

  return {
    fallback: `${formatRequestId(request.id)} ${request.priority} ${request.title} (${requestStateLabel(request.state, t)})`,
    title: requestTitle(request),
    color: open ? PRIORITY_STYLE[request.priority].color : 'green',
    body: request.details ?? request.title,
    fields,
    context,
    buttons: buttonsFor(request, t),
  };
}
