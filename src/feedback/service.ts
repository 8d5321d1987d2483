import type { FeedbackOptions } from './delivery.js';
import { PollService } from './polls.js';
import { FeedbackSettings } from './settings.js';
import { SuggestionService } from './suggestions.js';
import { SummaryService } from './summary.js';
import { SurveyService } from './surveys.js';
import type { Clock } from '../clock.js';
import type { SettingsService } from '../settings/service.js';
import type { Store } from '../store/store.js';

export type { FeedbackOptions } from './delivery.js';

/** Feedback (policy 5.3): satisfaction surveys, anonymous polls, suggestions and their summary. */
export class FeedbackService {
  readonly settings: FeedbackSettings;
  readonly surveys: SurveyService;
  readonly polls: PollService;
  readonly suggestions: SuggestionService;
  readonly summaries: SummaryService;

  /** `pollSecret`: the ballot key from outside the database (poll-secret.ts); undefined turns polls off. */
  constructor(store: Store, clock: Clock, settings: SettingsService, options: FeedbackOptions, pollSecret?: string) {
    this.settings = new FeedbackSettings(settings);
    this.surveys = new SurveyService(store, clock, this.settings, options);
    this.polls = new PollService(store, clock, this.settings, options, pollSecret);
    this.suggestions = new SuggestionService(store, clock, this.settings, options);
    this.summaries = new SummaryService(store, clock, this.settings, { surveys: this.surveys, polls: this.polls, suggestions: this.suggestions }, options);
  }
}
