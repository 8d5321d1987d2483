import { monitoringRoutes } from './routes.js';
import { MONITORING_SETTINGS } from './setting-specs.js';
import { opsReportSubcommands } from '../../commands/ops-report-alerts.js';
import type { Capability } from '../capability.js';

/**
 * Monitoring intake (issue #11, policy 4.4): the alert webhooks (only when WEBHOOK_TOKEN is set),
 * the alert settings and `/ops report alerts`.
 */
export const monitoringCapability: Capability = {
  name: 'monitoring',
  subcommands: [{ command: 'ops', subcommands: opsReportSubcommands }],
  settings: MONITORING_SETTINGS,
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
