// The change-approval policy as settings admins change from chat (policy chapter 6).
import { DEFAULT_APPROVAL_COUNTS, formatFreezeList, parseFreezeList, type ApprovalCounts, type FreezePeriod } from './rules.js';
import type { SettingSpec } from '../settings/registry.js';

export const DEFAULT_REMINDER_HOURS = 4;
const MAX_APPROVALS = 10;
const MAX_REMINDER_HOURS = 168;

function wholeNumber(min: number, max: number): (raw: string) => string | undefined {
  return (raw) => {
    const text = raw.trim();
    if (!/^\d{1,4}$/.test(text)) return undefined;
    const n = Number(text);
    return n >= min && n <= max ? String(n) : undefined;
  };
}

export const CHANGE_SETTINGS: readonly SettingSpec[] = [
  { key: 'approvals_low', description: 'changes.setting.approvals_low', parse: wholeNumber(1, MAX_APPROVALS), invalid: 'changes.setting.badCount' },
  { key: 'approvals_medium', description: 'changes.setting.approvals_medium', parse: wholeNumber(1, MAX_APPROVALS), invalid: 'changes.setting.badCount' },
  { key: 'approvals_high', description: 'changes.setting.approvals_high', parse: wholeNumber(1, MAX_APPROVALS), invalid: 'changes.setting.badCount' },
  {
    key: 'approval_reminder_hours',
    description: 'changes.setting.approval_reminder_hours',
    parse: wholeNumber(1, MAX_REMINDER_HOURS),
    invalid: 'changes.setting.badHours',
  },
  {
    key: 'change_freeze',
    description: 'changes.setting.change_freeze',
    parse: (raw) => {
      const periods = parseFreezeList(raw);
      return periods === undefined ? undefined : formatFreezeList(periods);
    },
    invalid: 'changes.setting.badFreeze',
  },
];

/** Shown by `/ops config get` and used until an admin sets something else (DESIGN.md defaults). */
export const CHANGE_SETTING_DEFAULTS: Record<string, string> = {
  approvals_low: String(DEFAULT_APPROVAL_COUNTS.low),
  approvals_medium: String(DEFAULT_APPROVAL_COUNTS.medium),
  approvals_high: String(DEFAULT_APPROVAL_COUNTS.high),
  approval_reminder_hours: String(DEFAULT_REMINDER_HOURS),
  change_freeze: 'none',
};

export interface ChangePolicy {
  counts: ApprovalCounts;
  reminderHours: number;
  freezes: FreezePeriod[];
}

/** Reads the policy from settings; a missing or unreadable value falls back to its default. */
export async function loadChangePolicy(get: (key: string) => Promise<string | undefined>): Promise<ChangePolicy> {
  const count = async (key: string, fallback: number) => {
    const parsed = wholeNumber(1, MAX_APPROVALS)((await get(key)) ?? '');
    return parsed === undefined ? fallback : Number(parsed);
  };
  const hours = wholeNumber(1, MAX_REMINDER_HOURS)((await get('approval_reminder_hours')) ?? '');
  return {
    counts: {
      low: await count('approvals_low', DEFAULT_APPROVAL_COUNTS.low),
      medium: await count('approvals_medium', DEFAULT_APPROVAL_COUNTS.medium),
      high: await count('approvals_high', DEFAULT_APPROVAL_COUNTS.high),
    },
    reminderHours: hours === undefined ? DEFAULT_REMINDER_HOURS : Number(hours),
    freezes: parseFreezeList((await get('change_freeze')) ?? '') ?? [],
  };
}
