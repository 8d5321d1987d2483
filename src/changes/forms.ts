import { CHANGE_LIMITS } from './request-input.js';
import { CHANGE_RISKS, CHANGE_TYPES, formatChangeId, type ChangeOutcome } from './rules.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatForm, FormField } from '../chat/model.js';

export const REQUEST_FORM = 'change.request';
export const REJECT_FORM = 'change.reject';
export const APPROVE_FORM = 'change.approve';
export const OUTCOME_FORM = 'change.outcome';
export const REVIEW_FORM = 'change.review';
export const HAND_OVER_FORM = 'change.handOver';
export const RESCHEDULE_FORM = 'change.reschedule';

function windowFields(t: Translate, timeZone: string): FormField[] {
  return [
    { id: 'windowStart', label: t('changes.field.windowStart'), kind: 'text', required: true, maxLength: CHANGE_LIMITS.window, hint: t('changes.hint.windowStart', { zone: timeZone }) },
    { id: 'windowEnd', label: t('changes.field.windowEnd'), kind: 'text', required: true, maxLength: CHANGE_LIMITS.window, hint: t('changes.hint.windowEnd', { zone: timeZone }) },
  ];
}

/** The change request (policy 4.2): content, reason, impact, risk, test and rollback plans, window, items, type. */
export function requestForm(t: Translate, timeZone: string): ChatForm {
  return {
    formId: REQUEST_FORM,
    title: t('changes.form.requestTitle'),
    submitLabel: t('changes.form.requestSubmit'),
    context: '',
    fields: [
      { id: 'title', label: t('changes.field.title'), kind: 'text', required: true, maxLength: CHANGE_LIMITS.title, hint: t('changes.hint.title') },
      { id: 'type', label: t('changes.field.type'), kind: 'select', required: true, initial: 'normal', options: CHANGE_TYPES.map((v) => ({ value: v, label: t(`changes.typeOption.${v}`) })) },
      { id: 'risk', label: t('changes.field.risk'), kind: 'select', required: true, initial: 'medium', options: CHANGE_RISKS.map((v) => ({ value: v, label: t(`changes.riskOption.${v}`) })) },
      { id: 'content', label: t('changes.field.content'), kind: 'textarea', required: true, maxLength: CHANGE_LIMITS.content, hint: t('changes.hint.content') },
      { id: 'reason', label: t('changes.field.reason'), kind: 'textarea', required: true, maxLength: CHANGE_LIMITS.reason, hint: t('changes.hint.reason') },
      { id: 'expectedImpact', label: t('changes.field.expectedImpact'), kind: 'textarea', required: true, maxLength: CHANGE_LIMITS.expectedImpact, hint: t('changes.hint.expectedImpact') },
      { id: 'testPlan', label: t('changes.field.testPlan'), kind: 'textarea', required: false, maxLength: CHANGE_LIMITS.testPlan, hint: t('changes.hint.testPlan') },
      { id: 'rollbackPlan', label: t('changes.field.rollbackPlan'), kind: 'textarea', required: false, maxLength: CHANGE_LIMITS.rollbackPlan, hint: t('changes.hint.rollbackPlan') },
      ...windowFields(t, timeZone),
      { id: 'configItems', label: t('changes.field.configItems'), kind: 'text', required: true, maxLength: CHANGE_LIMITS.configItems, hint: t('changes.hint.configItems') },
    ],
  };
}

/** A rejection needs a reason. */
export function rejectForm(t: Translate, changeId: number): ChatForm {
  const id = formatChangeId(changeId);
  return {
    formId: REJECT_FORM,
    title: t('changes.form.rejectTitle', { id }),
    submitLabel: t('changes.form.rejectSubmit'),
    context: id,
    fields: [{ id: 'reason', label: t('changes.field.rejectReason'), kind: 'textarea', required: true, maxLength: CHANGE_LIMITS.note, hint: t('changes.hint.rejectReason') }],
  };
}

/** Approving with a comment; the plain Approve button needs no form. */
export function approveForm(t: Translate, changeId: number): ChatForm {
  const id = formatChangeId(changeId);
  return {
    formId: APPROVE_FORM,
    title: t('changes.form.approveTitle', { id }),
    submitLabel: t('changes.form.approveSubmit'),
    context: id,
    fields: [{ id: 'comment', label: t('changes.field.comment'), kind: 'textarea', required: false, maxLength: CHANGE_LIMITS.comment, hint: t('changes.hint.comment') }],
  };
}

/** A failed or rolled-back implementation says what happened. */
export function outcomeForm(t: Translate, changeId: number, outcome: Exclude<ChangeOutcome, 'completed'>): ChatForm {
  const id = formatChangeId(changeId);
  return {
    formId: OUTCOME_FORM,
    title: t(outcome === 'failed' ? 'changes.form.failedTitle' : 'changes.form.rolledBackTitle', { id }),
    submitLabel: t('changes.form.outcomeSubmit'),
    context: `${id}:${outcome}`,
    fields: [{ id: 'note', label: t('changes.field.whatHappened'), kind: 'textarea', required: true, maxLength: CHANGE_LIMITS.note, hint: t('changes.hint.whatHappened') }],
  };
}

/** A manager's post-implementation review. */
export function reviewForm(t: Translate, changeId: number): ChatForm {
  const id = formatChangeId(changeId);
  return {
    formId: REVIEW_FORM,
    title: t('changes.form.reviewTitle', { id }),
    submitLabel: t('changes.form.reviewSubmit'),
    context: id,
    fields: [{ id: 'note', label: t('changes.field.reviewNote'), kind: 'textarea', required: true, maxLength: CHANGE_LIMITS.note, hint: t('changes.hint.reviewNote') }],
  };
}

export function handOverForm(t: Translate, changeId: number): ChatForm {
  const id = formatChangeId(changeId);
  return {
    formId: HAND_OVER_FORM,
    title: t('changes.form.handOverTitle', { id }),
    submitLabel: t('changes.form.handOverSubmit'),
    context: id,
    fields: [{ id: 'implementer', label: t('changes.field.implementer'), kind: 'user', required: true, hint: t('changes.hint.implementer') }],
  };
}

/** A new window for an approved change held back by a change freeze. */
export function rescheduleForm(t: Translate, changeId: number, timeZone: string): ChatForm {
  const id = formatChangeId(changeId);
  return {
    formId: RESCHEDULE_FORM,
    title: t('changes.form.rescheduleTitle', { id }),
    submitLabel: t('changes.form.rescheduleSubmit'),
    context: id,
    fields: windowFields(t, timeZone),
  };
}
