import { ciApiRoute } from './api.js';
import { ciForms } from './interactions.js';
import { opsCiSubcommands } from '../../commands/ops-ci.js';
import { opsExportSubcommands } from '../../commands/ops-export.js';
import type { Capability } from '../capability.js';

/**
 * Configuration items (policy 2) and exports (policy 3.3): `/ops ci …`, `/ops export …`, the CI forms,
 * and `POST /api/cis` (bulk upsert, only when WEBHOOK_TOKEN is set: it is the route's bearer token).
 */
export const ciCapability: Capability = {
  name: 'cis',
  subcommands: [{ command: 'ops', subcommands: [...opsCiSubcommands, ...opsExportSubcommands] }],
  forms: ciForms,
  routes: ({ services, config, logger }) => (config.WEBHOOK_TOKEN ? [ciApiRoute(services.cis, config.WEBHOOK_TOKEN, logger)] : []),
};
