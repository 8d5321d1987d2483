import type { FeedbackService } from './service.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/**
 * The feedback jobs. The weekly poll's schedule is a setting (`poll_schedule`), so its job runs every
 * minute and asks whether a schedule minute has come (see PollService.postScheduled): a changed
 * schedule applies at once, without a restart, and a fire missed during a restart is still posted.
 */
export function feedbackJobs(feedback: FeedbackService, logger: Logger): Job[] {
  return [
    {
      name: 'feedback-weekly-poll',
      cron: '* * * * *',
      run: async (now) => {
        const poll = await feedback.polls.postScheduled(now);
        if (poll) logger.info({ poll: poll.id, slot: poll.slot?.toISOString() }, 'feedback: scheduled poll posted');
      },
    },
    {
      name: 'feedback-poll-close',
      cron: '*/5 * * * *',
      run: async (now) => {
        const closed = await feedback.polls.closeDue(now);
        if (closed > 0) logger.info({ closed }, 'feedback: polls closed');
      },
    },
    {
      name: 'feedback-survey-close',
      cron: '7,37 * * * *',
      run: async (now) => {
        const closed = await feedback.surveys.closeDue(now);
        if (closed > 0) logger.info({ closed }, 'feedback: surveys closed');
      },
    },
    {
      name: 'feedback-monthly-summary',
      cron: '0 9 1 * *',
      run: async (now) => {
        if (!(await feedback.summaries.postMonthly(now))) logger.warn('feedback: no IT channel (it_channel or fault_channel); monthly summary not posted');
      },
    },
  ];
}
