import type { RequestService } from './service.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/** Fulfilled requests the requester neither confirmed nor reopened are closed after this many days. */
export const REQUEST_AUTO_CLOSE_DAYS = 7;

export function requestJobs(requests: RequestService, logger: Logger): Job[] {
  return [
    {
      name: 'request-auto-close',
      cron: '20 * * * *',
      run: async () => {
        const closed = await requests.closeStale(REQUEST_AUTO_CLOSE_DAYS);
        if (closed > 0) logger.info({ closed }, 'closed fulfilled requests nobody confirmed');
      },
    },
  ];
}
