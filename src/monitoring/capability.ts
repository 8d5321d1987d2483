import { cardRedrawTask } from './card-redraw.js';
import { monitoringRoutes } from './routes.js';
import { MONITORING_SETTINGS } from './setting-specs.js';
import { opsReportSubcommands } from '../../commands/ops-report-alerts.js';
import type { Capability } from '../capability.js';
import { systemClock } from '../clock.js';

/**
 * Monitoring intake (issue #11, policy 4.4): the alert webhooks (only when WEBHOOK_TOKEN is set),
 * the alert settings, `/ops report alerts`, and the task that draws coalesced alert cards when due.
 */
export const monitoringCapability: Capability = {
  name: 'monitoring',
  subcommands: [{ command: 'ops', subcommands: opsReportSubcommands }],
  settings: MONITORING_SETTINGS,
  // A test clock jumps: look more often, so that a jump past the due time shows within 200 ms.
  background: ({ services, logger, clock }) => [cardRedrawTask(services.alerts.cards, logger, clock === systemClock ? 1_000 : 200)],
  routes: ({ services, config, metrics, logger, clock }) =>
    config.WEBHOOK_TOKEN
      ? monitoringRoutes({
          intake: services.alerts,
          token: config.WEBHOOK_TOKEN,
          maxBytes: config.WEBHOOK_MAX_BYTES,
          grafanaSignature: config.GRAFANA_WEBHOOK_SECRET
            ? { secret: config.GRAFANA_WEBHOOK_SECRET, signatureHeader: config.GRAFANA_WEBHOOK_SIGNATURE_HEADER, timestampHeader: config.GRAFANA_WEBHOOK_TIMESTAMP_HEADER }
            : undefined,
          metrics,
          logger,
          clock,
        })
      : [],
};
