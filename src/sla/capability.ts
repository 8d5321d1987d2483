import { slaButtons } from './interactions.js';
import { slaJobs } from './jobs.js';
import { SLA_SETTINGS } from './policy.js';
import { opsSlaSubcommands } from '../../commands/ops-sla.js';
import type { Capability } from '../capability.js';

/** SLA clocks (policy 3.4): `/ops sla`, snooze buttons, the reminder and escalation sweep. */
export const slaCapability: Capability = {
  name: 'sla',
  subcommands: [{ command: 'ops', subcommands: opsSlaSubcommands }],
  buttons: slaButtons,
  settings: SLA_SETTINGS,
  jobs: ({ services, logger }) => slaJobs(services.slaSweep, logger),
};
