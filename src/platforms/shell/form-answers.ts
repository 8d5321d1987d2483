import type { FormField } from '../../chat/model.js';
import { parseUserName } from './names.js';
import type { ShellTranslate } from './translate.js';

/** The value to submit for a field (undefined: left empty), or what is wrong with the answer. */
export type AnswerResult = { ok: true; value: string | undefined } | { ok: false; error: string };

/**
 * Checks one typed answer against its field: empty takes the default, required fields need a
 * value, text respects maxLength, a select takes an option's number, value or label (a `freeText`
 * select also any text), a user field
 * takes a person's name. Textareas turn `\n` into new lines.
 */
export function parseAnswer(field: FormField, raw: string, t: ShellTranslate): AnswerResult {
  const typed = raw.trim();
  if (typed === '') {
    if (field.initial !== undefined && field.initial !== '') return { ok: true, value: field.initial };
    return field.required ? { ok: false, error: t('shell.form.missing') } : { ok: true, value: undefined };
  }
  switch (field.kind) {
    case 'select':
      return parseChoice(field, typed, t);
    case 'user': {
      const user = parseUserName(typed);
      return user ? { ok: true, value: user.id } : { ok: false, error: t('shell.form.badUser') };
    }
    case 'textarea':
      return checkLength(field, typed.replace(/\\n/g, '\n'), t);
    case 'text':
      return checkLength(field, typed, t);
  }
}

function checkLength(field: FormField, value: string, t: ShellTranslate): AnswerResult {
  const length = [...value].length;
  if (field.maxLength !== undefined && length > field.maxLength) {
    return { ok: false, error: t('shell.form.tooLong', { length, max: field.maxLength }) };
  }
  return { ok: true, value };
}

function parseChoice(field: FormField, typed: string, t: ShellTranslate): AnswerResult {
  const options = field.options ?? [];
  if (options.length === 0) return checkLength(field, typed, t);
  if (/^\d+$/.test(typed)) {
    const byNumber = options[Number(typed) - 1];
    if (byNumber) return { ok: true, value: byNumber.value };
  }
  const lower = typed.toLowerCase();
  const match =
    options.find((option) => option.value === typed) ??
    options.find((option) => option.value.toLowerCase() === lower || option.label.toLowerCase() === lower);
  if (match) return { ok: true, value: match.value };
  // A select that takes free text (the affected system): the text is submitted as typed, and matched
  // by name or alias on submission (cis/linking.ts); text naming nothing known stays free text.
  if (field.freeText) return checkLength(field, typed, t);
  return { ok: false, error: t('shell.form.choose', { max: options.length }) };
}
