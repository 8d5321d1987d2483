import { DEFAULT_POLL_DAYS, DEFAULT_POLL_SCHEDULE, DEFAULT_SURVEY_DAYS, parseDays, parseQuestion, parseSchedule } from './setting-specs.js';
import type { ChatTarget } from '../chat/model.js';
import { channelTarget, type SettingsService } from '../settings/service.js';

/** Reads the feedback settings with their defaults. */
export class FeedbackSettings {
  constructor(private readonly settings: SettingsService) {}

  /** The IT department's channel: `it_channel`, else the fault channel. */
  async itChannel(): Promise<ChatTarget | undefined> {
    return channelTarget(await this.settings.get('it_channel')) ?? (await this.settings.channel('fault_channel'));
  }

  async feedbackChannel(): Promise<ChatTarget | undefined> {
    return this.settings.channel('feedback_channel');
  }

  async pollSchedule(): Promise<string> {
    return parseSchedule((await this.settings.get('poll_schedule')) ?? '') ?? DEFAULT_POLL_SCHEDULE;
  }

  /** The configured question, or undefined for the catalog's default (in the channel's language). */
  async pollQuestion(): Promise<string | undefined> {
    return parseQuestion((await this.settings.get('poll_question')) ?? '');
  }

  async pollDays(): Promise<number> {
    return Number(parseDays(14)((await this.settings.get('poll_days')) ?? '') ?? DEFAULT_POLL_DAYS);
  }

  async surveyDays(): Promise<number> {
    return Number(parseDays(30)((await this.settings.get('survey_days')) ?? '') ?? DEFAULT_SURVEY_DAYS);
  }
}
