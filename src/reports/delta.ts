// The change of a figure against the previous period, as the reports show it (UX.md Reports:
// `MTTR 3.2 h ▼ 18%`).

/** `▲ 12%`, `▼ 18%`, `±0%`, or `—` without a base (either figure missing, or the previous one 0). */
export function delta(now: number | null, before: number | null): string {
  if (now === null || before === null || before === 0) return '—';
  const change = Math.round(((now - before) / before) * 100);
  return change === 0 ? '±0%' : `${change > 0 ? '▲' : '▼'} ${Math.abs(change)}%`;
}
