import { feedbackButtons, feedbackForms } from './interactions.js';
import { feedbackJobs } from './jobs.js';
import { feedbackSettingSpecs } from './setting-specs.js';
import feedback from '../../commands/feedback.js';
import type { Capability } from '../capability.js';
import { parseChannel } from '../settings/registry.js';

/** Feedback (policy 5.3): `/feedback`, satisfaction surveys, the weekly poll, suggestions, summaries. */
export const feedbackCapability: Capability = {
  name: 'feedback',
  commands: [feedback],
  buttons: feedbackButtons,
  forms: feedbackForms,
  settings: feedbackSettingSpecs(parseChannel),
  jobs: ({ services, logger }) => feedbackJobs(services.feedback, logger),
};
