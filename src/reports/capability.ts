import { reportJobs } from './jobs.js';
import { REPORT_SETTINGS } from './schedule-setting.js';
import type { Capability } from '../capability.js';

/**
 * Evaluation and audit (policy 3.4, 5.1, 5.2): the scheduled weekly and monthly operations reports and
 * the monthly audit report, with their schedule settings. `/ops kpi`, `/ops report` and `/ops audit`
 * are part of the core `/ops`.
 */
export const reportCapability: Capability = {
  name: 'reports',
  settings: REPORT_SETTINGS,
  jobs: ({ services, logger }) => reportJobs(services.reports, logger),
};
