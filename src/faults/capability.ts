import { faultButtons, faultForms } from './interactions.js';
import { faultJobs } from './jobs.js';
import fault from '../../commands/fault.js';
import type { Capability } from '../capability.js';

/** Fault handling (policy 4.1): `/fault`, the fault card's buttons and forms, auto-closing. */
export const faultCapability: Capability = {
  name: 'faults',
  commands: [fault],
  buttons: faultButtons,
  forms: faultForms,
  jobs: ({ services, logger }) => faultJobs(services.faults, logger),
};
