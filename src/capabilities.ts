import { auditJobs } from './audit/jobs.js';
import { changeButtons, changeForms } from './changes/interactions.js';
import { changeJobs } from './changes/jobs.js';
import { ciForms } from './cis/interactions.js';
import { searchButtons } from './search/interactions.js';
import type { ButtonHandler, FormHandler } from './chat/interactions.js';
import { faultButtons, faultForms } from './faults/interactions.js';
import { faultJobs } from './faults/jobs.js';
import { feedbackButtons, feedbackForms } from './feedback/interactions.js';
import { feedbackJobs } from './feedback/jobs.js';
import type { Job } from './jobs/scheduler.js';
import { oncallJobs } from './oncall/jobs.js';
import { requestButtons, requestForms } from './requests/interactions.js';
import { requestJobs } from './requests/jobs.js';
import { slaButtons } from './sla/interactions.js';
import { slaJobs } from './sla/jobs.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';
import type { Store } from './store/store.js';

/** Every button and form handler of every capability, for the runtime to route to. */
export const BUTTONS: ButtonHandler[] = [...faultButtons, ...feedbackButtons, ...changeButtons, ...requestButtons, ...slaButtons, ...searchButtons];
export const FORMS: FormHandler[] = [...faultForms, ...feedbackForms, ...changeForms, ...requestForms, ...ciForms];

/** Every scheduled job, each a named function beside its capability's service. */
export function allJobs(services: Services, store: Store, logger: Logger): Job[] {
  return [...faultJobs(services.faults, logger), ...auditJobs(store, logger), ...feedbackJobs(services.feedback, logger), ...changeJobs(services.changes, logger), ...slaJobs(services.slaSweep, logger), ...oncallJobs(services.oncall, logger), ...requestJobs(services.requests, logger)];
}
