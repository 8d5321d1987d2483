import type { FaultService } from './service.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/** Resolved faults the reporter neither confirmed nor reopened are closed after this many days. */
export const AUTO_CLOSE_DAYS = 7;

export function faultJobs(faults: FaultService, logger: Logger): Job[] {
  return [
    {
      name: 'fault-auto-close',
      cron: '15 * * * *',
      run: async () => {
        const closed = await faults.closeStale(AUTO_CLOSE_DAYS);
        if (closed > 0) logger.info({ closed }, 'closed resolved faults nobody confirmed');
      },
    },
  ];
}
