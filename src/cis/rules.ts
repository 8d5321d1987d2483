// Configuration item rules (policy 2, configuration management): kinds, ids, names, runbook links and
// the depends-on graph. Pure, no I/O.

export const CI_TYPES = ['server', 'network_device', 'application', 'database', 'service'] as const;
export type CiType = (typeof CI_TYPES)[number];

export const CI_ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type CiEnvironment = (typeof CI_ENVIRONMENTS)[number];

/** 1 high .. 3 low, like impact and urgency. */
export const CRITICALITIES = [1, 2, 3] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const CI_LIMITS = { name: 100, alias: 100, aliases: 20, runbookUrl: 500, notes: 2000, dependsOn: 50 } as const;

export function formatCiId(id: number): string {
  return `CI-${id}`;
}

/** `CI-5` or `ci-5` to 5; anything else undefined. */
export function parseCiId(text: string): number | undefined {
  const match = /^ci-(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/** The key names and aliases are unique by: trimmed, inner spaces collapsed, lower case. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Names may not look like ids (`CI-3`), nor hold commas or semicolons (the CSV list separators). */
export function isValidName(name: string): boolean {
  const trimmed = name.trim();
  return trimmed.length > 0 && trimmed.length <= CI_LIMITS.name && parseCiId(trimmed) === undefined && !/[,;\n\r\t]/.test(trimmed);
}

/** Only http and https links are kept: a runbook link is shown to everyone and must not run anything. */
export function isRunbookUrl(value: string): boolean {
  if (value.length > CI_LIMITS.runbookUrl) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** Splits `a; b, c` lists of names (CSV cells, form fields) and drops blanks and repeats. */
export function splitNames(text: string | undefined): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of text.split(/[;,\n]/)) {
    const name = part.trim().replace(/\s+/g, ' ');
    if (name && !seen.has(nameKey(name))) {
      seen.add(nameKey(name));
      names.push(name);
    }
  }
  return names;
}

/**
 * The path that adding `from depends-on to` would close into a cycle, as ids from `to` back to `from`
 * (e.g. [to, x, from]), or undefined when the link is safe. `dependsOn(id)` gives an item's direct
 * dependencies. Breadth-first, so the path shown is a shortest one.
 */
export function cyclePath(from: number, to: number, dependsOn: (id: number) => readonly number[]): number[] | undefined {
  if (from === to) return [from, from];
  const previous = new Map<number, number>([[to, to]]);
  const queue = [to];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const next of dependsOn(current)) {
      if (previous.has(next)) continue;
      previous.set(next, current);
      if (next === from) {
        const path = [from];
        let step = from;
        while (step !== to) {
          step = previous.get(step) as number;
          path.unshift(step);
        }
        return [from, ...path];
      }
      queue.push(next);
    }
  }
  return undefined;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** Up to `count` known names closest to `wanted` (substring matches first, then by edit distance). */
export function closestNames(wanted: string, known: readonly string[], count = 3): string[] {
  const key = nameKey(wanted);
  return known
    .map((name) => {
      const k = nameKey(name);
      return { name, score: k.includes(key) || key.includes(k) ? 0 : editDistance(key, k) };
    })
    .filter((c) => c.score <= Math.max(3, Math.floor(key.length / 2)))
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((c) => c.name);
}
