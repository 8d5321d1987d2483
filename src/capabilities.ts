import { auditCapability } from './audit/capability.js';
import type { Capability, CapabilityContext } from './capability.js';
import { changeCapability } from './changes/capability.js';
import { reportCapability } from './reports/capability.js';
import { ciCapability } from './cis/capability.js';
import { searchCapability } from './search/capability.js';
import type { ButtonHandler, FormHandler } from './chat/interactions.js';
import { faultCapability } from './faults/capability.js';
import { feedbackCapability } from './feedback/capability.js';
import { homeCapability } from './home/capability.js';
import { monitoringCapability } from './monitoring/capability.js';
import type { Job } from './jobs/scheduler.js';
import { oncallCapability } from './oncall/capability.js';
import { requestCapability } from './requests/capability.js';
import { slaCapability } from './sla/capability.js';

/**
 * Every capability, one descriptor each (src/capability.ts). Adding a capability is a folder with a
 * `capability.ts` and one line here; commands appear in help and the Slack manifest in this order.
 */
export const CAPABILITIES: readonly Capability[] = [
  faultCapability,
  changeCapability,
  feedbackCapability,
  requestCapability,
  oncallCapability,
  slaCapability,
  auditCapability,
  homeCapability,
  reportCapability,
  monitoringCapability,
  ciCapability,
  searchCapability,
];

/** Every button and form handler of every capability, for the runtime to route to. */
export const BUTTONS: ButtonHandler[] = CAPABILITIES.flatMap((c) => c.buttons ?? []);
export const FORMS: FormHandler[] = CAPABILITIES.flatMap((c) => c.forms ?? []);

/** Every scheduled job, each a named function beside its capability's service. */
export function allJobs(context: CapabilityContext): Job[] {
  return CAPABILITIES.flatMap((c) => c.jobs?.(context) ?? []);
}
