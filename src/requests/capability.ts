import { requestButtons, requestForms } from './interactions.js';
import { requestJobs } from './jobs.js';
import { requestSettingSpecs } from './setting-specs.js';
import request from '../../commands/request.js';
import type { Capability } from '../capability.js';
import { parseChannel } from '../settings/registry.js';

/** Service requests (policy 4.3): `/request`, Take / Assign / Fulfil, closing unconfirmed ones. */
export const requestCapability: Capability = {
  name: 'requests',
  commands: [request],
  buttons: requestButtons,
  forms: requestForms,
  settings: requestSettingSpecs(parseChannel),
  jobs: ({ services, logger }) => requestJobs(services.requests, logger),
};
