import type { HttpServer } from './server.js';
import type { Metrics } from './metrics.js';

export interface ReadinessProbe {
  name: string;
  check(): Promise<boolean> | boolean;
}

/**
 * /healthz (process up), /readyz (every probe true: 200, else 503 with each probe's result),
 * /metrics (Prometheus text). All three answer while the server is held for the migrations.
 */
export function addHealthRoutes(http: HttpServer, metrics: Metrics, probes: ReadinessProbe[]): void {
  http.add('GET', '/healthz', async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  }, { whileHeld: true });
  http.add('GET', '/readyz', async (_req, res) => {
    const results: Record<string, boolean> = {};
    for (const probe of probes) {
      try {
        results[probe.name] = await probe.check();
      } catch {
        results[probe.name] = false;
      }
    }
    const ready = Object.values(results).every(Boolean);
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready, checks: results }));
  }, { whileHeld: true });
  http.add('GET', '/metrics', async (_req, res) => {
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
  }, { whileHeld: true });
}
