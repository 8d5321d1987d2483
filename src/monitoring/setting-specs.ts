// The monitoring settings, as registered in src/settings/registry.ts. Pure: the registry imports this.
import { PRIORITIES, type Priority } from '../faults/rules.js';
import type { SettingSpec } from '../settings/registry.js';

export const SEVERITY_MAP_KEY = 'alert_severity_map';
export const SEVERITY_LABEL_KEY = 'alert_severity_label';
export const AUTORESOLVE_KEY = 'alert_autoresolve';
export const REOPEN_MINUTES_KEY = 'alert_reopen_minutes';
export const CI_LABELS_KEY = 'alert_ci_labels';

export const AUTORESOLVE_MODES = ['unacknowledged', 'never', 'always'] as const;
export type AutoresolveMode = (typeof AUTORESOLVE_MODES)[number];

/** Issue #11 item 5: critical -> P1, error/high -> P2, warning -> P3, info -> P4. */
export const DEFAULT_SEVERITY_MAP = 'critical=P1, error=P2, high=P2, warning=P3, info=P4';
export const DEFAULT_SEVERITY_LABEL = 'severity';
export const DEFAULT_REOPEN_MINUTES = 60;
const MAX_REOPEN_MINUTES = 7 * 24 * 60;
/** Issue #11 item 10: the labels that name an alert's configuration item, first present wins. */
export const DEFAULT_CI_LABELS = 'instance,service,job';
const MAX_CI_LABELS = 10;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Parses `instance, service,job` into label names (duplicates dropped, order kept); undefined when malformed, empty or more than 10. */
export function parseCiLabels(raw: string): string[] | undefined {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !LABEL_NAME.test(p))) return undefined;
  const labels = [...new Set(parts)];
  return labels.length > 0 && labels.length <= MAX_CI_LABELS ? labels : undefined;
}

/** Parses `critical=P1, warning=P3` (severity names lower-cased); undefined when malformed or empty. */
export function parseSeverityMap(raw: string): Map<string, Priority> | undefined {
  const map = new Map<string, Priority>();
  for (const part of raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const m = /^([A-Za-z0-9_.-]{1,32})\s*=\s*(P[1-4])$/i.exec(part);
    const priority = m?.[2]?.toUpperCase();
    if (!m?.[1] || !PRIORITIES.includes(priority as Priority)) return undefined;
    map.set(m[1].toLowerCase(), priority as Priority);
  }
  return map.size > 0 ? map : undefined;
}

function formatSeverityMap(map: Map<string, Priority>): string {
  return [...map].map(([k, v]) => `${k}=${v}`).join(', ');
}

export const MONITORING_SETTINGS: readonly SettingSpec[] = [
  {
    key: SEVERITY_MAP_KEY,
    description: 'monitoring.describe.severityMap',
    parse: (raw) => {
      const map = parseSeverityMap(raw);
      return map ? formatSeverityMap(map) : undefined;
    },
    invalid: 'monitoring.error.badSeverityMap',
    defaultValue: DEFAULT_SEVERITY_MAP,
  },
  {
    key: SEVERITY_LABEL_KEY,
    description: 'monitoring.describe.severityLabel',
    parse: (raw) => (LABEL_NAME.test(raw.trim()) ? raw.trim() : undefined),
    invalid: 'monitoring.error.badLabel',
    defaultValue: DEFAULT_SEVERITY_LABEL,
  },
  {
    key: AUTORESOLVE_KEY,
    description: 'monitoring.describe.autoresolve',
    parse: (raw) => AUTORESOLVE_MODES.find((m) => m === raw.trim().toLowerCase()),
    invalid: 'monitoring.error.badAutoresolve',
    defaultValue: 'unacknowledged',
  },
  {
    key: REOPEN_MINUTES_KEY,
    description: 'monitoring.describe.reopenMinutes',
    parse: (raw) => (/^\d{1,5}$/.test(raw.trim()) && Number(raw.trim()) <= MAX_REOPEN_MINUTES ? String(Number(raw.trim())) : undefined),
    invalid: 'monitoring.error.badReopenMinutes',
    defaultValue: String(DEFAULT_REOPEN_MINUTES),
  },
  {
    key: CI_LABELS_KEY,
    description: 'monitoring.describe.ciLabels',
    parse: (raw) => parseCiLabels(raw)?.join(','),
    invalid: 'monitoring.error.badCiLabels',
    defaultValue: DEFAULT_CI_LABELS,
  },
];
