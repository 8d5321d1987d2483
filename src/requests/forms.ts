import { requestTypeLabel } from './cards.js';
import { REQUEST_LIMITS } from './service.js';
import { formatRequestId } from './rules.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatForm } from '../chat/model.js';
import { affectedSystemField } from '../cis/forms.js';
import type { CiChoices } from '../cis/linking.js';
import { LEVELS } from '../faults/rules.js';

export const NEW_REQUEST_FORM = 'request.new';
export const FULFIL_FORM = 'request.fulfil';
export const ASSIGN_FORM = 'request.assign';

/**
 * The service request form (policy 4.3): what, for whom, which type, urgency and importance (default
 * medium), and optionally the system it concerns (`systems` from CiService.choices, `initialSystem`
 * typed on the command; see affectedSystemField).
 */
export function newRequestForm(t: Translate, catalog: readonly string[], systems?: CiChoices, initialSystem?: string): ChatForm {
  const levels = (kind: 'importance' | 'urgency') => LEVELS.map((n) => ({ value: String(n), label: t(`requests.${kind}.${n}`) }));
  return {
    formId: NEW_REQUEST_FORM,
    title: t('requests.form.newTitle'),
    submitLabel: t('requests.form.newSubmit'),
    context: '',
    fields: [
      { id: 'title', label: t('requests.field.title'), kind: 'text', required: true, maxLength: REQUEST_LIMITS.title, hint: t('requests.hint.title') },
      { id: 'details', label: t('requests.field.details'), kind: 'textarea', required: false, maxLength: REQUEST_LIMITS.details, hint: t('requests.hint.details') },
      { id: 'forWhom', label: t('requests.field.forWhom'), kind: 'user', required: false, hint: t('requests.hint.forWhom') },
      { id: 'requestType', label: t('requests.field.type'), kind: 'select', required: true, options: catalog.map((c) => ({ value: c, label: requestTypeLabel(c, t) })) },
      { id: 'urgency', label: t('requests.field.urgency'), kind: 'select', required: true, options: levels('urgency'), initial: '2', hint: t('requests.hint.urgency') },
      { id: 'importance', label: t('requests.field.importance'), kind: 'select', required: true, options: levels('importance'), initial: '2', hint: t('requests.hint.importance') },
      affectedSystemField(t, systems, { label: t('requests.field.affectedSystem'), maxLength: REQUEST_LIMITS.affectedSystem, initial: initialSystem }),
    ],
  };
}

export function fulfilForm(t: Translate, requestId: number): ChatForm {
  return {
    formId: FULFIL_FORM,
    title: t('requests.form.fulfilTitle', { id: formatRequestId(requestId) }),
    submitLabel: t('requests.form.fulfilSubmit'),
    context: formatRequestId(requestId),
    fields: [{ id: 'fulfilment', label: t('requests.field.fulfilment'), kind: 'textarea', required: true, maxLength: REQUEST_LIMITS.fulfilment, hint: t('requests.hint.fulfilment') }],
  };
}

export function assignForm(t: Translate, requestId: number): ChatForm {
  return {
    formId: ASSIGN_FORM,
    title: t('requests.form.assignTitle', { id: formatRequestId(requestId) }),
    submitLabel: t('requests.form.assignSubmit'),
    context: formatRequestId(requestId),
    fields: [{ id: 'assignee', label: t('requests.field.assignee'), kind: 'user', required: true, hint: t('requests.hint.assignee') }],
  };
}
