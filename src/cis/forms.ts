import { CI_ENVIRONMENTS, CI_LIMITS, CI_TYPES, CRITICALITIES, formatCiId } from './rules.js';
import type { CiRecord } from './service.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatForm, FormField } from '../chat/model.js';
import type { CiChoices } from './linking.js';

export const ADD_CI_FORM = 'ci.add';
export const EDIT_CI_FORM = 'ci.edit';
export const IMPORT_CI_FORM = 'ci.import';

/** The CSV header the import form and `POST /api/cis` read. */
export const CI_CSV_HEADER = 'name,type,environment,owner,criticality,runbook,depends_on,aliases';
/** A form's text area holds up to 3000 characters on Slack (plain_text_input max_length). */
export const IMPORT_FORM_MAX = 3000;

/** The add and edit form; `current` fills it in for editing (the owner stays unless another is picked). */
export function ciForm(t: Translate, current?: CiRecord): ChatForm {
  const item = current?.item;
  return {
    formId: item ? EDIT_CI_FORM : ADD_CI_FORM,
    title: item ? t('cis.form.editTitle', { id: formatCiId(item.id) }) : t('cis.form.addTitle'),
    submitLabel: item ? t('cis.form.editSubmit') : t('cis.form.addSubmit'),
    context: item ? formatCiId(item.id) : '',
    fields: [
      { id: 'name', label: t('cis.field.name'), kind: 'text', required: true, maxLength: CI_LIMITS.name, hint: t('cis.hint.name'), ...(item ? { initial: item.name } : {}) },
      {
        id: 'type',
        label: t('cis.field.type'),
        kind: 'select',
        required: true,
        options: CI_TYPES.map((v) => ({ value: v, label: t(`cis.type.${v}`) })),
        initial: item?.type ?? 'server',
      },
      {
        id: 'environment',
        label: t('cis.field.environment'),
        kind: 'select',
        required: true,
        options: CI_ENVIRONMENTS.map((v) => ({ value: v, label: t(`cis.environment.${v}`) })),
        initial: item?.environment ?? 'production',
      },
      {
        id: 'criticality',
        label: t('cis.field.criticality'),
        kind: 'select',
        required: true,
        options: CRITICALITIES.map((n) => ({ value: String(n), label: t(`cis.criticality.${n}`) })),
        initial: String(item?.criticality ?? 2),
      },
      { id: 'owner', label: t('cis.field.owner'), kind: 'user', required: false, hint: t(item ? 'cis.hint.ownerKept' : 'cis.hint.owner') },
      { id: 'runbook', label: t('cis.field.runbook'), kind: 'text', required: false, maxLength: CI_LIMITS.runbookUrl, hint: t('cis.hint.runbook'), ...(item?.runbookUrl ? { initial: item.runbookUrl } : {}) },
      { id: 'aliases', label: t('cis.field.aliases'), kind: 'text', required: false, maxLength: 1000, hint: t('cis.hint.aliases'), ...(current?.aliases.length ? { initial: current.aliases.join(', ') } : {}) },
      { id: 'notes', label: t('cis.field.notes'), kind: 'textarea', required: false, maxLength: CI_LIMITS.notes, ...(item?.notes ? { initial: item.notes } : {}) },
    ],
  };
}

/**
 * An "affected system" field (issue #12 item 2) of the fault and request forms: a list of the
 * configuration items when there are a few, a searchable text field (`suggest: 'ci'`: Slack
 * external_select) when there are more, plain text without any. On submission the text is matched
 * by item name or alias (linking.ts), and text naming no item stays free text. `initial` (e.g. from
 * `/fault report system=…`) preselects it; one not in the list keeps the field a text field.
 */
export function affectedSystemField(t: Translate, systems: CiChoices, field: { label: string; maxLength: number; initial?: string | undefined }): FormField {
  const base = { id: 'affectedSystem', label: field.label, required: false, ...(field.initial ? { initial: field.initial } : {}) };
  if (Array.isArray(systems) && (!field.initial || systems.some((o) => o.value === field.initial))) return { ...base, kind: 'select', options: systems, freeText: { otherLabel: t('cis.field.affectedSystemOther') }, maxLength: field.maxLength };
  return { ...base, kind: 'text', maxLength: field.maxLength, ...(systems === 'search' ? { suggest: 'ci' as const, hint: t('cis.hint.affectedSystemSearch') } : {}) };
}

export function importForm(t: Translate): ChatForm {
  return {
    formId: IMPORT_CI_FORM,
    title: t('cis.form.importTitle'),
    submitLabel: t('cis.form.importSubmit'),
    context: '',
    fields: [
      { id: 'csv', label: t('cis.field.csv'), kind: 'textarea', required: true, maxLength: IMPORT_FORM_MAX, hint: t('cis.hint.csv', { header: CI_CSV_HEADER }), initial: `${CI_CSV_HEADER}\n` },
      {
        id: 'atomic',
        label: t('cis.field.atomic'),
        kind: 'select',
        required: true,
        options: [
          { value: 'no', label: t('cis.atomic.no') },
          { value: 'yes', label: t('cis.atomic.yes') },
        ],
        initial: 'no',
      },
    ],
  };
}
