import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';
import { REPORT_CRONS, SCHEDULED_REPORTS } from './scheduled.js';
import type { ReportService } from './service.js';

/** The weekly and monthly reports and the monthly audit report; each also runs at start-up to post a missed fire. */
export function reportJobs(reports: ReportService, logger: Logger): Job[] {
  return SCHEDULED_REPORTS.map((kind) => ({
    name: `reports-${kind}`,
    cron: REPORT_CRONS[kind],
    leaseMs: 15 * 60_000,
    runAtStart: true,
    run: async (now: Date) => {
      const outcome = await reports.postScheduled(kind, now);
      if (outcome === 'no_channel') logger.warn({ kind }, 'reports: no management_channel; report not posted');
      else if (outcome === 'posted') logger.info({ kind }, 'reports: posted');
    },
  }));
}
