// Durations as people write them in settings and commands: `15m`, `4h`, `1h30m`, `3d`, `2w`. Pure.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

const UNITS: Record<string, number> = { w: WEEK_MS, d: DAY_MS, h: HOUR_MS, m: MINUTE_MS };

/** `1h30m` -> 5_400_000; undefined when the text is not a duration. `0m` is allowed (no delay). */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d{1,4}[wdhm])+$/.test(trimmed)) return undefined;
  let total = 0;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const match of trimmed.matchAll(/(\d{1,4})([wdhm])/g)) {
    const unit = UNITS[match[2] ?? ''];
    if (unit === undefined || unit >= lastUnit) return undefined; // units from large to small, each once
    lastUnit = unit;
    total += Number(match[1]) * unit;
  }
  return total;
}

/**
 * The shortest exact text for a duration: 5_400_000 -> `1h30m`, 0 -> `0m`. Without `days`, hours are
 * not folded into days (`24h`, not `1d`): on a business-hours calendar 24 h of working time is not a day.
 */
export function formatDuration(ms: number, options: { days?: boolean } = {}): string {
  if (ms <= 0) return '0m';
  let rest = Math.round(ms / MINUTE_MS) * MINUTE_MS;
  const parts: string[] = [];
  const units = options.days === false ? ([['h', HOUR_MS], ['m', MINUTE_MS]] as const) : ([['d', DAY_MS], ['h', HOUR_MS], ['m', MINUTE_MS]] as const);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join('') || '0m';
}
