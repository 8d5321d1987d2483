import { slaButtons } from './interactions.js';
import { slaJobs } from './jobs.js';
import { SLA_SETTINGS } from './policy.js';
import { ReminderTimer } from './reminder-timer.js';
import { FAULT_SUBJECT, REQUEST_SUBJECT } from './subjects.js';
import { systemClock } from '../clock.js';
import { opsSlaSubcommands } from '../../commands/ops-sla.js';
import type { Capability } from '../capability.js';

/** SLA clocks (policy 3.4): `/ops sla`, snooze buttons, the reminder and escalation sweep. */
export const slaCapability: Capability = {
  name: 'sla',
  subcommands: [{ command: 'ops', subcommands: opsSlaSubcommands }],
  buttons: slaButtons,
  settings: SLA_SETTINGS,
  jobs: ({ services, logger }) => slaJobs(services.slaSweep, logger),
  // The minute sweep is the safety net; the timer brings each reminder within seconds of its due time.
  background: ({ services, store, logger, clock }) => {
    const timer = new ReminderTimer({
      store,
      clock,
      logger,
      subjects: [FAULT_SUBJECT, REQUEST_SUBJECT],
      run: (now) => services.slaSweep.run(now),
      // A test clock jumps; the timer must notice a jump past the due time at once.
      ...(clock === systemClock ? {} : { maxWaitMs: 200 }),
    });
    return [{ start: () => timer.start(), stop: () => timer.stop(), changed: () => timer.rearm() }];
  },
};
