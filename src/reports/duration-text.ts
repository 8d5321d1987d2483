// Durations in KPI and report messages (issue #13): whole minutes and up as `1h30m` (the SLA
// spelling), under a minute in seconds so that an MTTA of 45 s is not shown as `1m` or 3.6 s as
// `0m`; the unit words come from the catalog (zh-CN `1小时30分钟`, `45秒`).
import type { Translate } from '../chat/i18n/catalog.js';
import { MINUTE_MS, formatDuration } from '../sla/durations.js';

const UNIT_KEYS = { d: 'reports.unit.d', h: 'reports.unit.h', m: 'reports.unit.m' } as const;

/** `ms` (milliseconds, >= 0) as text in the language of `t`: `45s`, `12m`, `1d2h5m`. Below 59.5 s (what would round to a minute) it is whole seconds. */
export function durationText(ms: number, t: Translate): string {
  if (ms < MINUTE_MS - 500) return `${Math.max(0, Math.round(ms / 1000))}${t('reports.unit.s')}`;
  return formatDuration(ms).replace(/(\d+)([dhm])/g, (_all, count: string, unit: keyof typeof UNIT_KEYS) => `${count}${t(UNIT_KEYS[unit])}`);
}
