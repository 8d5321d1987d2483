import type { FormField } from '../../chat/model.js';
import type { Style } from './style.js';
import type { ShellTranslate } from './translate.js';

/** The question for one form field: label with required/optional, limit and default, hint, choices. */
export function describeField(field: FormField, t: ShellTranslate, style: Style): string[] {
  const facts = [t(field.required ? 'shell.form.required' : 'shell.form.optional')];
  if (field.maxLength !== undefined && (field.kind === 'text' || field.kind === 'textarea')) {
    facts.push(t('shell.form.maxLength', { max: field.maxLength }));
  }
  const shownDefault = defaultText(field);
  if (shownDefault !== undefined) facts.push(t('shell.form.default', { value: shownDefault }));

  const lines = [`${style.label(field.label)} · ${facts.join(' · ')}`];
  if (field.hint) lines.push(`  ${style.dim(field.hint)}`);
  if (field.kind === 'textarea') lines.push(`  ${style.dim(t('shell.form.textareaNote'))}`);
  if (field.kind === 'user') lines.push(`  ${style.dim(t('shell.form.userNote'))}`);
  if (field.kind === 'select') {
    (field.options ?? []).forEach((option, index) => lines.push(`  ${index + 1}) ${option.label}`));
    if (field.freeText) lines.push(`  ${style.dim(t('shell.form.freeTextNote'))}`);
  }
  return lines;
}

function defaultText(field: FormField): string | undefined {
  if (field.initial === undefined || field.initial === '') return undefined;
  if (field.kind === 'select') {
    return field.options?.find((option) => option.value === field.initial)?.label ?? field.initial;
  }
  // A trailing line end (the import form's header line ends with one, ready for the lines below it)
  // would show as a literal `\n` after the value; inner line ends show as `\n`, as they are typed.
  return field.initial.replace(/\n+$/, '').replace(/\n/g, '\\n');
}
