import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus metrics, served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly commands = new Counter({
    name: 'opsdesk_commands_total',
    help: 'Slash commands handled, by command and outcome',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly actions = new Counter({
    name: 'opsdesk_actions_total',
    help: 'Button clicks and form submissions handled, by action and outcome',
    labelNames: ['platform', 'action', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly outboxDeliveries = new Counter({
    name: 'opsdesk_outbox_deliveries_total',
    help: 'Outbox messages delivered to a platform',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });

  readonly outboxFailures = new Counter({
    name: 'opsdesk_outbox_failures_total',
    help: 'Failed outbox delivery attempts, by reason',
    labelNames: ['platform', 'reason'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'opsdesk_job_runs_total',
    help: 'Scheduled job runs started by this process',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly alertsReceived = new Counter({
    name: 'opsdesk_alerts_received_total',
    help: 'Alerts received on the monitoring webhooks, by endpoint (alertmanager, grafana, generic) and each alert\'s own status (firing, resolved)',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });

  readonly alertsDeduplicated = new Counter({
    name: 'opsdesk_alerts_deduplicated_total',
    help: 'Received alerts that repeated what was already stored (redeliveries, repeat notifications)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
