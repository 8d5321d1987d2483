import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';
import { SCHEDULED_REPORTS } from './scheduled.js';
import type { ReportService } from './service.js';

/**
 * The scheduled reports' job. The schedules are settings (report_schedule, report_schedule_monthly),
 * so, like the feedback poll, the job looks every minute whether a report is due: a changed schedule
 * applies within a minute without a restart, and the look at start-up posts a fire missed while the
 * bot was down. Each period is posted once (ReportService.postScheduled); the monthly operations
 * report goes before the audit report of the same month.
 */
export function reportJobs(reports: ReportService, logger: Logger): Job[] {
  // Once per process, not every minute: the job looks again each minute anyway.
  let warned = false;
  return [
    {
      name: 'reports-scheduled',
      cron: '* * * * *',
      leaseMs: 15 * 60_000,
      runAtStart: true,
      run: async (now: Date) => {
        // Marks the first start even without a management_channel yet: reports count from the install.
        await reports.schedules.startedAt(now);
        for (const kind of SCHEDULED_REPORTS) {
          const outcome = await reports.postScheduled(kind, now);
          if (outcome === 'no_channel') {
            if (!warned) logger.warn('reports: no management_channel; scheduled reports are not posted');
            warned = true;
            return;
          }
          if (outcome === 'posted') logger.info({ kind }, 'reports: posted');
        }
      },
    },
  ];
}
