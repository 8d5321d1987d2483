import { auditJobs } from './jobs.js';
import type { Capability } from '../capability.js';

/** The audit log (policy chapter 6): the nightly check of the hash chain. `/ops audit` is part of the core `/ops`. */
export const auditCapability: Capability = {
  name: 'audit',
  jobs: ({ store, logger }) => auditJobs(store, logger),
};
