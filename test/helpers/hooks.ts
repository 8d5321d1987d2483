import { createHmac } from 'node:crypto';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Metrics } from '../../src/http/metrics.js';
import { addHealthRoutes } from '../../src/http/health.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { GrafanaSignatureOptions } from '../../src/monitoring/auth.js';
import { monitoringCapability } from '../../src/monitoring/capability.js';
import type { Services } from '../../src/services.js';
import type { Store } from '../../src/store/store.js';

export const HOOK_TOKEN = 'test-webhook-token-0123456789abcdef';

/** The environment that configures the hooks as an admin would (.env.example). */
function hookEnv(options: { maxBytes?: number; grafanaSignature?: GrafanaSignatureOptions; token?: string | null }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { WEBHOOK_MAX_BYTES: String(options.maxBytes ?? 10 * 1024 * 1024) };
  if (options.token !== null) env.WEBHOOK_TOKEN = options.token ?? HOOK_TOKEN;
  const signature = options.grafanaSignature;
  if (signature) {
    env.GRAFANA_WEBHOOK_SECRET = signature.secret;
    env.GRAFANA_WEBHOOK_SIGNATURE_HEADER = signature.signatureHeader;
    if (signature.timestampHeader) env.GRAFANA_WEBHOOK_TIMESTAMP_HEADER = signature.timestampHeader;
  }
  return env;
}

/**
 * The monitoring capability's routes on a real HTTP server on loopback, mounted from its descriptor
 * before the server listens, as main.ts does. `token: null` leaves WEBHOOK_TOKEN unset; `logger`
 * defaults to a silent one.
 */
export async function startHooks(
  world: { services: Services; store: Store; clock: Clock },
  options: { maxBytes?: number; grafanaSignature?: GrafanaSignatureOptions; token?: string | null; logger?: Logger } = {},
): Promise<{ url: string; metrics: Metrics; close: () => Promise<void> }> {
  const logger = options.logger ?? createLogger('silent');
  const http = new HttpServer(logger);
  const metrics = new Metrics();
  const config = loadConfig(hookEnv(options));
  const context = { ...world, config, metrics, logger };
  for (const route of monitoringCapability.routes?.(context) ?? []) http.add(route.method, route.path, route.handler, route.options);
  // /metrics as the bot serves it, so that tests scrape what Prometheus would.
  addHealthRoutes(http, metrics, []);
  const port = await http.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, metrics, close: () => http.close() };
}

export async function postHook(
  url: string,
  body: unknown,
  options: { method?: string; token?: string | null; contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json', ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? HOOK_TOKEN}`;
  const res = await fetch(url, { method: options.method ?? 'POST', headers, body: raw });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/** Grafana's signature: lowercase hex HMAC-SHA256 of the body, or of "{timestamp}:{body}". */
export function grafanaSignature(secret: string, body: string, timestamp?: string): string {
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}:`);
  return hmac.update(body).digest('hex');
}
