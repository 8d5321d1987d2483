import type { z } from 'zod';
import { FieldErrors, type ErrorParams } from '../errors.js';
import type { MessageKey } from './i18n/catalog.js';

function issueMessage(issue: z.core.$ZodIssue): { key: MessageKey; params?: ErrorParams } {
  switch (issue.code) {
    case 'too_small':
      return Number(issue.minimum) <= 1 ? { key: 'core.form.required' } : { key: 'core.form.tooShort', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { key: 'core.form.tooLong', params: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { key: 'core.form.invalidChoice' };
    case 'invalid_type':
      return issue.input === undefined ? { key: 'core.form.required' } : { key: 'core.form.invalid' };
    default:
      return { key: 'core.form.invalid' };
  }
}

/**
 * Parses submitted form values with a zod schema; problems become field errors keyed by field id,
 * which the adapters show next to the fields.
 */
export function parseForm<S extends z.ZodType>(schema: S, values: Record<string, string>): z.output<S> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const errors: FieldErrors['errors'] = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in errors)) errors[field] = issueMessage(issue);
  }
  throw new FieldErrors(errors);
}
