// Reading the monitoring settings (declared in setting-specs.ts), with their defaults.
import { performance } from 'node:perf_hooks';
import {
  AUTORESOLVE_KEY,
  CI_LABELS_KEY,
  DEFAULT_CI_LABELS,
  AUTORESOLVE_MODES,
  DEFAULT_REOPEN_MINUTES,
  DEFAULT_SEVERITY_LABEL,
  DEFAULT_SEVERITY_MAP,
  REOPEN_MINUTES_KEY,
  SEVERITY_LABEL_KEY,
  SEVERITY_MAP_KEY,
  parseCiLabels,
  parseSeverityMap,
  type AutoresolveMode,
} from './setting-specs.js';
import type { ChatTarget } from '../chat/model.js';
import type { Priority } from '../faults/rules.js';
import { channelTarget, type SettingsService } from '../settings/service.js';

export interface MonitoringSettings {
  severityMap: Map<string, Priority>;
  severityLabel: string;
  autoresolve: AutoresolveMode;
  /** Minutes after resolution in which a firing alert reopens its fault instead of opening a new one. */
  reopenMinutes: number;
  /** Where fault cards go (`fault_channel`), read with the rest so that a notification reads settings once. */
  faultChannel: ChatTarget | undefined;
  /** `alert_ci_labels`: the labels that name an alert's configuration item, first present wins (issue #11 item 10). */
  ciLabels: string[];
}

/** Priority for alerts whose severity is missing or not in the map. */
export const UNMAPPED_PRIORITY: Priority = 'P3';

export async function monitoringSettings(settings: SettingsService): Promise<MonitoringSettings> {
  const all = await settings.all();
  const map = parseSeverityMap(all.get(SEVERITY_MAP_KEY) ?? DEFAULT_SEVERITY_MAP) ?? parseSeverityMap(DEFAULT_SEVERITY_MAP) ?? new Map<string, Priority>();
  const mode = AUTORESOLVE_MODES.find((m) => m === all.get(AUTORESOLVE_KEY)) ?? 'unacknowledged';
  const minutes = Number(all.get(REOPEN_MINUTES_KEY) ?? DEFAULT_REOPEN_MINUTES);
  return {
    severityMap: map,
    severityLabel: all.get(SEVERITY_LABEL_KEY) ?? DEFAULT_SEVERITY_LABEL,
    autoresolve: mode,
    reopenMinutes: Number.isFinite(minutes) ? minutes : DEFAULT_REOPEN_MINUTES,
    faultChannel: channelTarget(all.get('fault_channel')),
    ciLabels: parseCiLabels(all.get(CI_LABELS_KEY) ?? DEFAULT_CI_LABELS) ?? parseCiLabels(DEFAULT_CI_LABELS) ?? [],
  };
}

/** How long the intake trusts the settings it read: a change made by another process shows after at most this. */
export const SETTINGS_TTL_MS = 1_000;

/**
 * The monitoring settings, read at most once per SETTINGS_TTL_MS (monotonic time) instead of on every
 * webhook: reading them was a measurable part of each request (bench/results.md). A change made in this
 * process (`SettingsService.revision`) is seen at once; one made by another process within 1 s.
 */
export class MonitoringSettingsCache {
  private cached: { value: MonitoringSettings; readAt: number; revision: number } | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly ttlMs = SETTINGS_TTL_MS,
  ) {}

  async get(): Promise<MonitoringSettings> {
    const at = performance.now();
    const c = this.cached;
    if (c && c.revision === this.settings.revision && at - c.readAt < this.ttlMs) return c.value;
    const revision = this.settings.revision;
    const value = await monitoringSettings(this.settings);
    this.cached = { value, readAt: at, revision };
    return value;
  }
}

/** The highest priority among the severities of the alerts (P1 beats P3). */
export function priorityFor(severities: (string | undefined)[], map: Map<string, Priority>): Priority {
  let best: Priority = UNMAPPED_PRIORITY;
  let found = false;
  for (const severity of severities) {
    const p = severity === undefined ? undefined : map.get(severity.toLowerCase());
    if (p && (!found || p < best)) {
      best = p;
      found = true;
    }
  }
  return best;
}
