import { FAULT_LIMITS } from './service.js';
import { FAULT_CATEGORIES, LEVELS, formatFaultId } from './rules.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatForm } from '../chat/model.js';
import { affectedSystemField } from '../cis/forms.js';
import type { CiChoices } from '../cis/linking.js';

export const REPORT_FORM = 'fault.report';
export const RESOLVE_FORM = 'fault.resolve';
export const REASSIGN_FORM = 'fault.reassign';

/**
 * The fault report form: few fields, impact and urgency default to medium; the affected system as
 * affectedSystemField offers it (`systems` from CiService.choices, `initialSystem` typed on the command).
 */
export function reportForm(t: Translate, systems?: CiChoices, initialSystem?: string): ChatForm {
  const levels = (kind: 'impact' | 'urgency') => LEVELS.map((n) => ({ value: String(n), label: t(`faults.${kind}.${n}`) }));
  return {
    formId: REPORT_FORM,
    title: t('faults.form.reportTitle'),
    submitLabel: t('faults.form.reportSubmit'),
    context: '',
    fields: [
      { id: 'title', label: t('faults.field.title'), kind: 'text', required: true, maxLength: FAULT_LIMITS.title, hint: t('faults.hint.title') },
      { id: 'description', label: t('faults.field.description'), kind: 'textarea', required: true, maxLength: FAULT_LIMITS.description, hint: t('faults.hint.description') },
      { id: 'category', label: t('faults.field.category'), kind: 'select', required: true, options: FAULT_CATEGORIES.map((c) => ({ value: c, label: t(`faults.category.${c}`) })) },
      { id: 'impact', label: t('faults.field.impact'), kind: 'select', required: true, options: levels('impact'), initial: '2', hint: t('faults.hint.impact') },
      { id: 'urgency', label: t('faults.field.urgency'), kind: 'select', required: true, options: levels('urgency'), initial: '2', hint: t('faults.hint.urgency') },
      affectedSystemField(t, systems, { label: t('faults.field.affectedSystem'), maxLength: FAULT_LIMITS.affectedSystem, initial: initialSystem }),
    ],
  };
}

/** Resolving needs the root cause and the steps taken (policy 4.1). */
export function resolveForm(t: Translate, faultId: number): ChatForm {
  return {
    formId: RESOLVE_FORM,
    title: t('faults.form.resolveTitle', { id: formatFaultId(faultId) }),
    submitLabel: t('faults.form.resolveSubmit'),
    context: formatFaultId(faultId),
    fields: [
      { id: 'rootCause', label: t('faults.field.rootCause'), kind: 'textarea', required: true, maxLength: FAULT_LIMITS.rootCause, hint: t('faults.hint.rootCause') },
      { id: 'resolutionSteps', label: t('faults.field.resolutionSteps'), kind: 'textarea', required: true, maxLength: FAULT_LIMITS.resolutionSteps, hint: t('faults.hint.resolutionSteps') },
    ],
  };
}

export function reassignForm(t: Translate, faultId: number): ChatForm {
  return {
    formId: REASSIGN_FORM,
    title: t('faults.form.reassignTitle', { id: formatFaultId(faultId) }),
    submitLabel: t('faults.form.reassignSubmit'),
    context: formatFaultId(faultId),
    fields: [{ id: 'assignee', label: t('faults.field.assignee'), kind: 'user', required: true, hint: t('faults.hint.assignee') }],
  };
}
