import type { OnCallService } from './service.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/** Tells each incoming on-call engineer at the hand-off (rotation turns and overrides). */
export function oncallJobs(oncall: OnCallService, logger: Logger): Job[] {
  return [
    {
      name: 'oncall-handoff',
      cron: '* * * * *',
      run: async () => {
        const told = await oncall.announceHandoffs();
        if (told > 0) logger.info({ told }, 'on-call hand-offs announced');
      },
    },
  ];
}
