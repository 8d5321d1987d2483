import { oncallJobs } from './jobs.js';
import oncall from '../../commands/oncall.js';
import type { Capability } from '../capability.js';

/** On-call rotations (policy 4.4): `/oncall` and the hand-off notices. */
export const oncallCapability: Capability = {
  name: 'oncall',
  commands: [oncall],
  jobs: ({ services, logger }) => oncallJobs(services.oncall, logger),
};
