import type { SlaSweep } from './sweep.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/** The reminder sweep, every minute; each fire runs once across processes (and is safe if it did not). */
export function slaJobs(sweep: SlaSweep, logger: Logger): Job[] {
  return [
    {
      name: 'sla-sweep',
      cron: '* * * * *',
      runAtStart: true,
      run: async (now) => {
        const result = await sweep.run(now);
        if (result.sent > 0) logger.info(result, 'SLA reminders queued');
      },
    },
  ];
}
