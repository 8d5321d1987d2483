// One configuration item as typed in a form, a CSV line or a JSON object, parsed with zod.
import { z } from 'zod';
import { CI_ENVIRONMENTS, CI_LIMITS, CI_TYPES, isRunbookUrl, isValidName, splitNames, type CiEnvironment, type CiType, type Criticality } from './rules.js';

/** Accepts `network device`, `Network-Device` and `network_device` alike. */
const enumish = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : v), z.enum(values));

/**
 * JSON null clears an optional field; in CSV an empty cell does (both read as ''). An absent key
 * (a JSON key left out, a CSV column missing from the header) gives undefined: keep what the item has.
 */
const nullAsEmpty = (v: unknown) => (v === null ? '' : v);

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
  owner: z.preprocess(nullAsEmpty, optionalText(160).optional()),
  criticality: z.preprocess((v) => (v === '' || v === null ? 2 : v), z.coerce.number().int().min(1).max(3).optional()),
  runbook: z.preprocess(nullAsEmpty, optionalText(CI_LIMITS.runbookUrl).refine((v) => v === null || isRunbookUrl(v), { message: 'bad_runbook' }).optional()),
  aliases: z.preprocess(
    nullAsEmpty,
    nameList(CI_LIMITS.aliases)
      .refine((names) => names.every((n) => n.length <= CI_LIMITS.alias && isValidName(n)), { message: 'bad_alias' })
      .optional(),
  ),
  /** Absent: keep the item's links; present (even empty): replace them. */
  depends_on: z
    .preprocess(nullAsEmpty, z.union([z.string(), z.array(z.string())]).optional())
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? splitNames(v.join(';')) : splitNames(v)))
    .refine((names) => names === undefined || names.length <= CI_LIMITS.dependsOn, { message: 'too_many' }),
  notes: z.preprocess(nullAsEmpty, optionalText(CI_LIMITS.notes).optional()),
});

/**
 * A parsed line as given: fields left out (undefined) keep what an existing item has (`completeLine`);
 * on a new item they take the defaults (no owner, criticality 2, no runbook, no aliases).
 */
export type CiLineInput = Omit<CiLine, 'owner' | 'criticality' | 'runbookUrl' | 'aliases'> & {
  owner: string | null | undefined;
  criticality: Criticality | undefined;
  runbookUrl: string | null | undefined;
  aliases: string[] | undefined;
};

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

export function parseCiLine(raw: Record<string, unknown>): { line: CiLineInput } | { problem: LineProblem } {
  const result = ciLineSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = String(issue?.path[0] ?? 'name');
    const value = raw[field];
    // Missing only when nothing was given: a value of the wrong kind (criticality `high`) is not valid.
    const missing = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
    // Only text is "too long": a number over its maximum (criticality 7) is not valid, and the answer
    // says which values are (`cis.expected.<field>`).
    const tooLong = issue?.code === 'too_big' && issue.origin === 'string';
    return { problem: { field, problem: missing ? 'required' : tooLong ? 'tooLong' : 'invalid' } };
  }
  const v = result.data;
  return {
    line: {
      name: v.name.replace(/\s+/g, ' '),
      type: v.type,
      environment: v.environment,
      owner: v.owner,
      criticality: v.criticality as Criticality | undefined,
      runbookUrl: v.runbook,
      aliases: v.aliases,
      dependsOn: v.depends_on,
      notes: v.notes,
    },
  };
}

/**
 * The line with every field it left out taken from the existing item (`before`: its owner person,
 * criticality, runbook and aliases), or from the defaults for a new one. `owner` stays a reference to
 * resolve; a kept owner is given as `keptOwnerId`.
 */
export function completeLine(input: CiLineInput, before: { criticality: number; runbookUrl: string | null; aliases: string[] } | undefined): CiLine {
  return {
    ...input,
    owner: input.owner ?? null,
    criticality: input.criticality ?? ((before?.criticality ?? 2) as Criticality),
    runbookUrl: input.runbookUrl === undefined ? (before?.runbookUrl ?? null) : input.runbookUrl,
    aliases: input.aliases ?? before?.aliases ?? [],
  };
}
