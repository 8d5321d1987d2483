import { reportJobs } from './jobs.js';
import type { Capability } from '../capability.js';

/**
 * Evaluation and audit (policy 3.4, 5.1, 5.2): the scheduled weekly and monthly operations reports and
 * the monthly audit report. `/ops kpi`, `/ops report` and `/ops audit` are part of the core `/ops`.
 */
export const reportCapability: Capability = {
  name: 'reports',
  jobs: ({ services, logger }) => reportJobs(services.reports, logger),
};
