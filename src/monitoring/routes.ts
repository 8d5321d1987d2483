// The monitoring webhooks on the bot's HTTP server (issue #11 items 1, 8): POST /hooks/alertmanager,
// POST|PUT /hooks/grafana, POST /hooks/generic. Alertmanager retries 5xx and never 4xx, so bad input
// gets 4xx with nothing stored, and 2xx is only sent once the notification is committed. The monitoring
// capability descriptor (capability.ts) hands these to the server before it listens.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkGrafanaSignature, type GrafanaSignatureOptions } from './auth.js';
import { bearerMatches } from '../http/bearer.js';
import { RefusalLog } from '../http/refusal-log.js';
import type { AlertIntake } from './intake.js';
import { GIVE_WAY_BYTES, giveWay } from './give-way.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import { mayNeedCleaning, parseAlertmanager, parseGeneric, parseGrafana, parseInTurns, type ParseOptions, type ParseResult } from './normalize.js';
import type { HttpRoute } from '../capability.js';
import { plainInput } from '../chat/markup.js';
import type { Clock } from '../clock.js';
import { formatFaultId } from '../faults/rules.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';

export const HOOK_PATHS = { alertmanager: '/hooks/alertmanager', grafana: '/hooks/grafana', generic: '/hooks/generic' } as const;

export interface MonitoringRoutesOptions {
  intake: AlertIntake;
  /** WEBHOOK_TOKEN: the bearer token every hook requires. */
  token: string;
  /** WEBHOOK_MAX_BYTES: larger bodies get 413. */
  maxBytes: number;
  /** GRAFANA_WEBHOOK_SECRET and header names: when set, Grafana bodies must be signed. */
  grafanaSignature?: GrafanaSignatureOptions | undefined;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // With its length known, Node sends head and body in one plain write instead of chunked encoding.
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
}

function isJson(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

type Parser = (body: unknown, options: ParseOptions) => ParseResult;

/**
 * The hooks as routes: POST /hooks/alertmanager, POST and PUT /hooks/grafana, POST /hooks/generic,
 * each with a body limit of `options.maxBytes` (413 beyond, from Content-Length or while reading).
 */
export function monitoringRoutes(options: MonitoringRoutesOptions): HttpRoute[] {
  // Refusals for a missing token or signature can come from anyone at any rate: summarised (refusal-log.ts).
  // The others come from a sender that proved the token, and each says what to fix.
  const unauthenticated = new RefusalLog(options.logger, 'monitoring: webhook refused');
  const refuser = (kind: keyof typeof HOOK_PATHS, res: ServerResponse) => (status: number, error: string, message: string, headers: Record<string, string> = {}) => {
    const fields = { hook: kind, status, error, reason: message.slice(0, 300) };
    if (status === 401) unauthenticated.refused(fields);
    else options.logger.warn(fields, 'monitoring: webhook refused');
    reply(res, status, { error, message }, headers);
  };
  // The token is checked on the headers, before the server reads the body (RouteOptions.authorize).
  const authorize = (kind: keyof typeof HOOK_PATHS) => (req: IncomingMessage, res: ServerResponse) => {
    if (bearerMatches(req.headers, options.token)) return true;
    refuser(kind, res)(401, 'unauthorized', 'expected Authorization: Bearer WEBHOOK_TOKEN', { 'www-authenticate': 'Bearer', connection: 'close' });
    return false;
  };
  const handler = (kind: keyof typeof HOOK_PATHS, parse: Parser) => async (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => {
    const refuse = refuser(kind, res);
    if (!isJson(req)) {
      refuse(415, 'unsupported_media_type', 'expected Content-Type: application/json');
      return;
    }
    if (kind === 'grafana' && options.grafanaSignature) {
      const check = checkGrafanaSignature(req.headers, rawBody, options.grafanaSignature, options.clock.now().getTime());
      if (!check.ok) {
        refuse(401, 'bad_signature', check.reason);
        return;
      }
    }
    // A large body gives way to other requests between its synchronous steps (give-way.ts).
    const large = rawBody.length > GIVE_WAY_BYTES;
    const turn = () => (large ? giveWay() : undefined);
    if (nestsDeeperThan(rawBody, MAX_JSON_DEPTH)) {
      // Refused before JSON.parse, which would block the process for seconds on millions of levels.
      refuse(400, 'too_deep', `the body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);
      return;
    }
    await turn();
    let body: unknown;
    const text = rawBody.toString('utf8');
    try {
      // Webhook text reaches cards like chat input does: it must not carry a mention node (src/chat/markup.ts).
      body = JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? plainInput(value) : value));
    } catch {
      refuse(400, 'invalid_json', 'the body is not valid JSON');
      return;
    }
    await turn();
    const parseOptions = { clean: mayNeedCleaning(text) };
    const parsed = large ? await parseInTurns(parse, body, parseOptions) : parse(body, parseOptions);
    if (!parsed.ok) {
      refuse(400, 'invalid_body', parsed.reason);
      return;
    }
    const n = parsed.notification;
    await turn();
    const result = await options.intake.ingest(n);
    // Bounded labels: the endpoint (a generic sender names its own `source`, which must not become a
    // label value) and each alert's own status as the intake took it, never the body's group status.
    for (const status of ['firing', 'resolved'] as const) {
      if (result.received[status] > 0) options.metrics.alertsReceived.inc({ source: kind, status }, result.received[status]);
    }
    if (result.deduplicated > 0) options.metrics.alertsDeduplicated.inc(result.deduplicated);
    reply(res, 200, {
      status: 'stored',
      fault: result.faultId === null ? null : formatFaultId(result.faultId),
      created: result.created,
      changed: result.changed,
      deduplicated: result.deduplicated,
      ignored: result.ignored,
    });
  };
  const route = (kind: keyof typeof HOOK_PATHS) => ({ options: { maxBytes: options.maxBytes, authorize: authorize(kind) } });
  const grafana = handler('grafana', parseGrafana);
  return [
    { method: 'POST', path: HOOK_PATHS.alertmanager, handler: handler('alertmanager', parseAlertmanager), ...route('alertmanager') },
    { method: 'POST', path: HOOK_PATHS.grafana, handler: grafana, ...route('grafana') },
    { method: 'PUT', path: HOOK_PATHS.grafana, handler: grafana, ...route('grafana') },
    { method: 'POST', path: HOOK_PATHS.generic, handler: handler('generic', parseGeneric), ...route('generic') },
  ];
}
