// One configuration item as typed in a form, a CSV line or a JSON object, parsed with zod.
import { z } from 'zod';
import { CI_ENVIRONMENTS, CI_LIMITS, CI_TYPES, isRunbookUrl, isValidName, splitNames, type CiEnvironment, type CiType, type Criticality } from './rules.js';

/** Accepts `network device`, `Network-Device` and `network_device` alike. */
const enumish = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : v), z.enum(values));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));

const nameList = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? splitNames(v.join(';')) : splitNames(v)))
    .refine((names) => names.length <= max, { message: 'too_many' });

export const ciLineSchema = z.object({
  name: z.string().trim().min(1).max(CI_LIMITS.name).refine(isValidName, { message: 'bad_name' }),
  type: enumish(CI_TYPES),
  environment: enumish(CI_ENVIRONMENTS),
  owner: optionalText(160),
  criticality: z.preprocess((v) => (v === '' || v === undefined ? 2 : v), z.coerce.number().int().min(1).max(3)),
  runbook: optionalText(CI_LIMITS.runbookUrl).refine((v) => v === null || isRunbookUrl(v), { message: 'bad_runbook' }),
  aliases: nameList(CI_LIMITS.aliases).refine((names) => names.every((n) => n.length <= CI_LIMITS.alias && isValidName(n)), { message: 'bad_alias' }),
  /** Absent: keep the item's links; present (even empty): replace them. */
  depends_on: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? splitNames(v.join(';')) : splitNames(v)))
    .refine((names) => names === undefined || names.length <= CI_LIMITS.dependsOn, { message: 'too_many' }),
  notes: optionalText(CI_LIMITS.notes).optional(),
});

/** A parsed line: what an item should look like afterwards. */
export interface CiLine {
  name: string;
  type: CiType;
  environment: CiEnvironment;
  /** `platform:userId`, or a person's display name; null for nobody. */
  owner: string | null;
  criticality: Criticality;
  runbookUrl: string | null;
  aliases: string[];
  dependsOn: string[] | undefined;
  /** Undefined keeps the notes an existing item has. */
  notes: string | null | undefined;
}

/** Why a line does not parse: the first problem, as a field name and a catalog key suffix. */
export interface LineProblem {
  field: string;
  problem: 'required' | 'invalid' | 'tooLong';
}

export function parseCiLine(raw: Record<string, unknown>): { line: CiLine } | { problem: LineProblem } {
  const result = ciLineSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue?.path[0] ?? 'name');
    const value = raw[field];
    const missing = issue?.code === 'invalid_type' || (issue?.code === 'too_small' && typeof value === 'string' && value.trim() === '');
    return { problem: { field, problem: missing ? 'required' : issue?.code === 'too_big' ? 'tooLong' : 'invalid' } };
  }
  const v = result.data;
  return {
    line: {
      name: v.name.replace(/\s+/g, ' '),
      type: v.type,
      environment: v.environment,
      owner: v.owner,
      criticality: v.criticality as Criticality,
      runbookUrl: v.runbook,
      aliases: v.aliases,
      dependsOn: v.depends_on,
      notes: v.notes,
    },
  };
}
