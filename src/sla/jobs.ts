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
      // A replica killed mid-sweep holds the fire until its lease expires, and no sweep runs meanwhile:
      // one minute keeps reminders at most a minute late. A sweep that outlasts it may overlap the next
      // one, which is safe (each notice is claimed once in sla_notices).
      leaseMs: 60_000,
      run: async (now) => {
        const result = await sweep.run(now);
        if (result.sent > 0) logger.info(result, 'SLA reminders queued');
      },
    },
  ];
}
