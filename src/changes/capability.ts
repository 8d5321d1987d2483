import { changeButtons, changeForms } from './interactions.js';
import { changeJobs } from './jobs.js';
import { CHANGE_SETTINGS } from './settings.js';
import change from '../../commands/change.js';
import type { Capability } from '../capability.js';

/** Change management (policy 4.2): `/change`, approvals, reminders, implementation prompts. */
export const changeCapability: Capability = {
  name: 'changes',
  commands: [change],
  buttons: changeButtons,
  forms: changeForms,
  settings: CHANGE_SETTINGS,
  jobs: ({ services, logger }) => changeJobs(services.changes, logger),
};
