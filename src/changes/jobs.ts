import type { ChangeService } from './service.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/** Approval reminders (every 15 minutes) and implementation prompts when windows open (every 5 minutes). */
export function changeJobs(changes: ChangeService, logger: Logger): Job[] {
  return [
    {
      name: 'change-approval-reminders',
      cron: '*/15 * * * *',
      run: async () => {
        const sent = await changes.remindApprovers();
        if (sent > 0) logger.info({ sent }, 'reminded approvers of waiting changes');
      },
    },
    {
      name: 'change-window-prompts',
      cron: '*/5 * * * *',
      run: async () => {
        const prompted = await changes.promptOpenWindows();
        if (prompted > 0) logger.info({ prompted }, 'prompted implementers of changes whose window opened');
      },
    },
  ];
}
