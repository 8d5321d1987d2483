// The feedback settings' specs. Only type imports from the settings registry, which imports this
// file: the channel parser comes in as a parameter, so there is no import cycle.
import cron from 'node-cron';
import type { Platform } from '../chat/model.js';
import type { SettingSpec } from '../settings/registry.js';

export const DEFAULT_POLL_SCHEDULE = '0 10 * * 1';
export const DEFAULT_POLL_DAYS = 3;
export const DEFAULT_SURVEY_DAYS = 7;
export const QUESTION_LIMITS = { min: 3, max: 300 } as const;

/** A 5-field cron expression (minute precision: the poll job looks once a minute). */
export function parseSchedule(raw: string): string | undefined {
  const normalised = raw.trim().replace(/^"|"$/g, '').trim().split(/\s+/).join(' ');
  if (normalised.split(' ').length !== 5) return undefined;
  return cron.validate(normalised) ? normalised : undefined;
}

export function parseDays(max: number) {
  return (raw: string): string | undefined => {
    const value = raw.trim();
    if (!/^\d{1,3}$/.test(value)) return undefined;
    const days = Number(value);
    return days >= 1 && days <= max ? String(days) : undefined;
  };
}

export function parseQuestion(raw: string): string | undefined {
  const value = raw.trim().replace(/^"|"$/g, '').trim();
  return value.length >= QUESTION_LIMITS.min && value.length <= QUESTION_LIMITS.max ? value : undefined;
}

/** The feedback capability's settings (`/ops config set KEY VALUE`), registered in src/settings/registry.ts. */
export function feedbackSettingSpecs(parseChannel: (raw: string, platform: Platform) => string | undefined): SettingSpec[] {
  return [
    { key: 'it_channel', description: 'feedback.setting.it_channel', parse: parseChannel, invalid: 'settings.error.badChannel' },
    { key: 'poll_schedule', description: 'feedback.setting.poll_schedule', parse: parseSchedule, invalid: 'feedback.setting.badSchedule' },
    { key: 'poll_question', description: 'feedback.setting.poll_question', parse: parseQuestion, invalid: 'feedback.setting.badQuestion' },
    { key: 'poll_days', description: 'feedback.setting.poll_days', parse: parseDays(14), invalid: 'feedback.setting.badPollDays' },
    { key: 'survey_days', description: 'feedback.setting.survey_days', parse: parseDays(30), invalid: 'feedback.setting.badSurveyDays' },
  ];
}
