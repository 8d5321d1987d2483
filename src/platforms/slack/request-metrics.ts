// What only the adapter sees, counted beside the runtime's own command and action counters (the
// runtime already counts every handled event, so the adapter does not count those again).
import { Counter, type Registry } from 'prom-client';
import type { Metrics } from '../../http/metrics.js';

export type SlackRequestKind = 'command' | 'button' | 'form_submit' | 'other';
/** `late`: the answer missed the ack and went out another way; `refused`: bad signature or payload. */
export type SlackRequestResult = 'in_time' | 'late' | 'refused';

type RequestCounter = Counter<'kind' | 'result'>;

// One registry may serve several adapters (tests do this), and a name registers only once.
const counters = new WeakMap<Registry, RequestCounter>();

function counterIn(registry: Registry): RequestCounter {
  const existing = counters.get(registry);
  if (existing) return existing;
  const counter = new Counter({
    name: 'opsdesk_slack_requests_total',
    help: 'Slack requests received, by kind and whether the answer made it into the 3-second ack',
    labelNames: ['kind', 'result'] as const,
    registers: [registry],
  });
  counters.set(registry, counter);
  return counter;
}

export class SlackRequestMetrics {
  private readonly counter: RequestCounter;

  constructor(metrics: Metrics) {
    this.counter = counterIn(metrics.registry);
  }

  count(kind: SlackRequestKind, result: SlackRequestResult): void {
    this.counter.inc({ kind, result });
  }
}
