// A change request as the form submits it (policy 4.2): limits, the form schema, and the checks whose
// problems the form shows next to the fields.
import { z } from 'zod';
import { CHANGE_RISKS, CHANGE_TYPES, windowProblem, type ChangeRisk, type ChangeType, type TimeWindow } from './rules.js';
import type { FieldErrors } from '../errors.js';

export const CHANGE_LIMITS = {
  title: 150,
  content: 4000,
  reason: 2000,
  expectedImpact: 2000,
  testPlan: 3000,
  rollbackPlan: 3000,
  configItems: 500,
  window: 20,
  comment: 1000,
  note: 3000,
} as const;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** The change form as submitted; the window is still text here (read in TZ_NAME by the form handler). */
export const changeFormSchema = z.object({
  title: z.string().trim().min(1).max(CHANGE_LIMITS.title),
  content: z.string().trim().min(1).max(CHANGE_LIMITS.content),
  reason: z.string().trim().min(1).max(CHANGE_LIMITS.reason),
  expectedImpact: z.string().trim().min(1).max(CHANGE_LIMITS.expectedImpact),
  risk: z.enum(CHANGE_RISKS),
  type: z.enum(CHANGE_TYPES),
  testPlan: optionalText(CHANGE_LIMITS.testPlan),
  rollbackPlan: optionalText(CHANGE_LIMITS.rollbackPlan),
  windowStart: z.string().trim().min(1).max(CHANGE_LIMITS.window),
  windowEnd: z.string().trim().min(1).max(CHANGE_LIMITS.window),
  configItems: z.string().trim().min(1).max(CHANGE_LIMITS.configItems),
});

export interface ChangeRequest {
  title: string;
  content: string;
  reason: string;
  expectedImpact: string;
  risk: ChangeRisk;
  type: ChangeType;
  testPlan?: string | undefined;
  rollbackPlan?: string | undefined;
  window: TimeWindow;
  configItems: string[];
}

/** Normal and emergency changes need a test plan and a rollback plan (policy 4.2); standard ones are pre-approved routine. */
export function planProblems(input: Pick<ChangeRequest, 'type' | 'testPlan' | 'rollbackPlan'>): FieldErrors['errors'] {
  const errors: FieldErrors['errors'] = {};
  if (input.type === 'standard') return errors;
  const type = { key: `changes.type.${input.type}` } as const;
  if (!input.testPlan) errors.testPlan = { key: 'changes.error.testPlanRequired', params: { type } };
  if (!input.rollbackPlan) errors.rollbackPlan = { key: 'changes.error.rollbackPlanRequired', params: { type } };
  return errors;
}

/** Field problems of a change request that the form shows next to the fields. */
export function requestProblems(input: ChangeRequest, now: Date): FieldErrors['errors'] {
  const errors = planProblems(input);
  const problem = windowProblem(input.window, now);
  if (problem) errors.windowEnd = { key: `changes.error.window.${problem}` };
  if (input.configItems.length === 0) errors.configItems = { key: 'core.form.required' };
  else if (input.configItems.join(', ').length > CHANGE_LIMITS.configItems) errors.configItems = { key: 'core.form.tooLong', params: { max: CHANGE_LIMITS.configItems } };
  return errors;
}
