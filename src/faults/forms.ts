import { FAULT_LIMITS } from './service.js';
import { FAULT_CATEGORIES, LEVELS, formatFaultId } from './rules.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatForm, FormField } from '../chat/model.js';
import type { CiChoices } from '../cis/linking.js';

export const REPORT_FORM = 'fault.report';
export const RESOLVE_FORM = 'fault.resolve';
export const REASSIGN_FORM = 'fault.reassign';

/**
 * The "affected system" field (issue #12 item 2): a list of the configuration items when there are
 * a few, a searchable text field (`suggest: 'ci'`) when there are more, plain text without any; on
 * submission the text is matched by item name or alias, and text naming no item stays free text.
 * `initial` (from `/fault report system=…`) preselects it.
 */
export function affectedSystemField(t: Translate, systems: CiChoices, initial?: string): FormField {
  const base = { id: 'affectedSystem', label: t('faults.field.affectedSystem'), required: false, ...(initial ? { initial } : {}) };
  if (Array.isArray(systems)) {
    // A system named on the command but not in the list is kept as typed (a text field) rather than lost.
    if (!initial || systems.some((o) => o.value === initial)) return { ...base, kind: 'select', options: systems };
  }
  return { ...base, kind: 'text', maxLength: FAULT_LIMITS.affectedSystem, ...(systems === 'search' ? { suggest: 'ci' as const, hint: t('faults.hint.affectedSystemSearch') } : {}) };
}

/**
 * The fault report form: few fields, impact and urgency default to medium; the affected system as
 * affectedSystemField offers it.
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
      affectedSystemField(t, systems, initialSystem),
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
