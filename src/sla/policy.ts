// SLA policies (policy 3.4, DESIGN.md Workflows: SLA): per record kind and priority a response target
// and a resolution target on a calendar, reminder fractions and escalation delays. Pure: the values
// come from settings (`/ops sla set`, `/ops config set`), parsed and normalised here.
import { ALWAYS, businessCalendar, parseHolidays, parseWeekHours, type Calendar, type WeekHours } from './calendar.js';
import { formatDuration, parseDuration } from './durations.js';
import type { MessageKey } from '../chat/i18n/catalog.js';
import { PRIORITIES, type Priority } from '../faults/rules.js';
import type { SettingSpec } from '../settings/registry.js';

export const SLA_KINDS = ['fault', 'request'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

export const CALENDAR_KINDS = ['24x7', 'business'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

export interface TargetSpec {
  responseMs: number;
  resolveMs: number;
  calendar: CalendarKind;
}

/** DESIGN.md: P1 15 min / 4 h, P2 30 min / 8 h, 24x7; P3 2 h / 24 h, P4 4 h / 72 h, business hours. */
export const DEFAULT_TARGET_TEXT: Record<Priority, string> = {
  P1: '15m/4h 24x7',
  P2: '30m/8h 24x7',
  P3: '2h/24h business',
  P4: '4h/72h business',
};
export const DEFAULT_BUSINESS_HOURS = 'Mon-Fri 09:00-18:00';
export const DEFAULT_FRACTIONS = [0.5, 0.75, 0.9];
/** After the breach: to the secondary at once, to the manager 30 minutes later. */
export const DEFAULT_ESCALATION_DELAYS = [0, 30 * 60_000];

export const MAX_FRACTIONS = 5;
export const ESCALATION_LEVELS = 2;

export interface SlaPolicy {
  targets: Record<SlaKind, Record<Priority, TargetSpec>>;
  businessHours: WeekHours;
  holidays: string[];
  zone: string;
  /** Ascending fractions of each target at which the responsible person is reminded. */
  fractions: number[];
  /** Working time after the breach at which escalation level 1 (secondary) and 2 (manager) are told. */
  escalationDelays: number[];
}

export function targetKey(kind: SlaKind, priority: Priority): string {
  return `sla_${kind}_${priority.toLowerCase()}`;
}

export const BUSINESS_HOURS_KEY = 'business_hours';
export const HOLIDAYS_KEY = 'holidays';
export const FRACTIONS_KEY = 'reminder_fractions';
export const ESCALATION_KEY = 'escalation_delays';

/** `15m/4h 24x7` or `2h/24h business`: response / resolution target and calendar. */
export function parseTarget(text: string): TargetSpec | undefined {
  const match = /^\s*(\S+)\s*\/\s*(\S+)\s+(24x7|24\/7|business|business[_ ]hours)\s*$/i.exec(text);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const responseMs = parseDuration(match[1]);
  const resolveMs = parseDuration(match[2]);
  if (responseMs === undefined || resolveMs === undefined || responseMs <= 0 || resolveMs < responseMs) return undefined;
  return { responseMs, resolveMs, calendar: /^24/.test(match[3]) ? '24x7' : 'business' };
}

export function formatTarget(spec: TargetSpec): string {
  return `${formatDuration(spec.responseMs, { days: false })}/${formatDuration(spec.resolveMs, { days: false })} ${spec.calendar}`;
}

/** `50%, 75%, 90%` or `0.5 0.75 0.9`: ascending, each above 0 and below 1. */
export function parseFractions(text: string): number[] | undefined {
  const tokens = text.split(/[\s,;]+/).filter((t) => t.length > 0);
  if (tokens.length === 0 || tokens.length > MAX_FRACTIONS) return undefined;
  const values: number[] = [];
  for (const token of tokens) {
    const percent = /^(\d{1,2}(?:\.\d+)?)%$/.exec(token);
    const value = percent?.[1] !== undefined ? Number(percent[1]) / 100 : /^0?\.\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!(value > 0 && value < 1)) return undefined;
    if (values.length > 0 && value <= (values[values.length - 1] ?? 0)) return undefined;
    values.push(value);
  }
  return values;
}

export function formatFractions(values: readonly number[]): string {
  return values.map((v) => `${Math.round(v * 1000) / 10}%`).join(', ');
}

/** `0m, 30m`: the delay after the breach for the secondary, then for the manager. */
export function parseEscalationDelays(text: string): number[] | undefined {
  const tokens = text.split(/[\s,;]+/).filter((t) => t.length > 0);
  if (tokens.length !== ESCALATION_LEVELS) return undefined;
  const values = tokens.map(parseDuration);
  if (values.some((v) => v === undefined)) return undefined;
  const delays = values.filter((v): v is number => v !== undefined);
  if (delays.some((d, i) => i > 0 && d < (delays[i - 1] ?? 0))) return undefined;
  return delays;
}

export function formatEscalationDelays(values: readonly number[]): string {
  return values.map((v) => formatDuration(v)).join(', ');
}

const DEFAULT_HOURS = parseWeekHours(DEFAULT_BUSINESS_HOURS);

/** The policy in force, from stored setting values (missing or unreadable ones take the defaults). */
export function slaPolicyFrom(values: ReadonlyMap<string, string | undefined>, zone: string): SlaPolicy {
  const read = <T>(key: string, parse: (text: string) => T | undefined, fallback: T): T => {
    const raw = values.get(key);
    return (raw === undefined ? undefined : parse(raw)) ?? fallback;
  };
  const targetsOf = (kind: SlaKind) =>
    Object.fromEntries(
      PRIORITIES.map((p) => [p, read(targetKey(kind, p), parseTarget, parseTarget(DEFAULT_TARGET_TEXT[p]) as TargetSpec)]),
    ) as Record<Priority, TargetSpec>;
  if (!DEFAULT_HOURS) throw new Error('default business hours do not parse');
  return {
    targets: { fault: targetsOf('fault'), request: targetsOf('request') },
    businessHours: read(BUSINESS_HOURS_KEY, parseWeekHours, DEFAULT_HOURS),
    holidays: read(HOLIDAYS_KEY, (t) => parseHolidays(t), []),
    zone,
    fractions: read(FRACTIONS_KEY, parseFractions, DEFAULT_FRACTIONS),
    escalationDelays: read(ESCALATION_KEY, parseEscalationDelays, DEFAULT_ESCALATION_DELAYS),
  };
}

const businessCalendars = new WeakMap<SlaPolicy, Calendar>();

/**
 * The calendar a target of `policy` runs on: one object per policy, so that the days it computed
 * (calendar.ts caches them per calendar object) serve every later record under the same policy.
 * Policies are never changed after slaPolicyFrom built them.
 */
export function calendarOf(policy: SlaPolicy, kind: CalendarKind): Calendar {
  if (kind === '24x7') return ALWAYS;
  let calendar = businessCalendars.get(policy);
  if (calendar === undefined) {
    calendar = businessCalendar(policy.zone, policy.businessHours, policy.holidays);
    businessCalendars.set(policy, calendar);
  }
  return calendar;
}

// ---------------------------------------------------------------------------------------------------
// Settings (registered in src/settings/registry.ts)

const TARGET_DESCRIPTIONS: Record<SlaKind, Record<Priority, MessageKey>> = {
  fault: { P1: 'sla.describe.fault.P1', P2: 'sla.describe.fault.P2', P3: 'sla.describe.fault.P3', P4: 'sla.describe.fault.P4' },
  request: { P1: 'sla.describe.request.P1', P2: 'sla.describe.request.P2', P3: 'sla.describe.request.P3', P4: 'sla.describe.request.P4' },
};

function normalised<T>(parse: (text: string) => T | undefined, format: (value: T) => string): (raw: string) => string | undefined {
  return (raw) => {
    const value = parse(raw);
    return value === undefined ? undefined : format(value);
  };
}

export const SLA_SETTINGS: readonly SettingSpec[] = [
  ...SLA_KINDS.flatMap((kind) =>
    PRIORITIES.map(
      (priority): SettingSpec => ({
        key: targetKey(kind, priority),
        description: TARGET_DESCRIPTIONS[kind][priority],
        parse: normalised(parseTarget, formatTarget),
        invalid: 'sla.error.badTarget',
      }),
    ),
  ),
  { key: BUSINESS_HOURS_KEY, description: 'sla.describe.businessHours', parse: normalised(parseWeekHours, (h) => h.text), invalid: 'sla.error.badBusinessHours' },
  {
    key: HOLIDAYS_KEY,
    description: 'sla.describe.holidays',
    parse: normalised(
      (t) => parseHolidays(t),
      (dates) => (dates.length === 0 ? 'none' : dates.join(', ')),
    ),
    invalid: 'sla.error.badHolidays',
  },
  { key: FRACTIONS_KEY, description: 'sla.describe.fractions', parse: normalised(parseFractions, formatFractions), invalid: 'sla.error.badFractions' },
  {
    key: ESCALATION_KEY,
    description: 'sla.describe.escalation',
    parse: normalised(parseEscalationDelays, formatEscalationDelays),
    invalid: 'sla.error.badEscalation',
  },
];

export const SLA_SETTING_KEYS: readonly string[] = SLA_SETTINGS.map((s) => s.key);

/** The effective value of every SLA setting, for `/ops sla show`. */
export function describePolicy(policy: SlaPolicy): { key: string; value: string }[] {
  return [
    ...SLA_KINDS.flatMap((kind) => PRIORITIES.map((p) => ({ key: targetKey(kind, p), value: formatTarget(policy.targets[kind][p]) }))),
    { key: BUSINESS_HOURS_KEY, value: `${policy.businessHours.text} (${policy.zone})` },
    { key: HOLIDAYS_KEY, value: policy.holidays.length === 0 ? 'none' : policy.holidays.join(', ') },
    { key: FRACTIONS_KEY, value: formatFractions(policy.fractions) },
    { key: ESCALATION_KEY, value: formatEscalationDelays(policy.escalationDelays) },
  ];
}
