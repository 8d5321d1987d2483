import { auditJobs } from './audit/jobs.js';
import type { ButtonHandler, FormHandler } from './chat/interactions.js';
import { faultButtons, faultForms } from './faults/interactions.js';
import { faultJobs } from './faults/jobs.js';
import type { Job } from './jobs/scheduler.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';
import type { Store } from './store/store.js';

/** Every button and form handler of every capability, for the runtime to route to. */
export const BUTTONS: ButtonHandler[] = [...faultButtons];
export const FORMS: FormHandler[] = [...faultForms];

/** Every scheduled job, each a named function beside its capability's service. */
export function allJobs(services: Services, store: Store, logger: Logger): Job[] {
  return [...faultJobs(services.faults, logger), ...auditJobs(store, logger)];
}
