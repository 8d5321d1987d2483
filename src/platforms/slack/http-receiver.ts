// HTTP mode: `POST /slack/events` on the shared server. Verifies Slack's signature on the raw body,
// answers Slack's own checks, and hands commands and interactions to the processor; the HTTP
// response is whatever the processor acknowledges.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import type { AckBody } from './acknowledger.js';
import { parseInteraction, parseSlashCommand, type InboundParse, type SlackInbound } from './inbound.js';
import type { SlackRequestMetrics } from './request-metrics.js';
import { verifySlackSignature } from './signature.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export type ProcessInbound = (inbound: SlackInbound, sendAck: (body: AckBody) => Promise<void>) => Promise<void>;

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  process: ProcessInbound;
  logger: Logger;
  requests: SlackRequestMetrics;
  /** False while the adapter is stopped: requests get 503 so that Slack retries later. */
  isAccepting: () => boolean;
}

/** What a verified request body turned out to be. */
type SlackHttpRequest =
  | { kind: 'inbound'; parse: InboundParse }
  | { kind: 'urlVerification'; challenge: string }
  /** Slack's SSL check, and Events API callbacks the bot does not subscribe to: acknowledged, nothing more. */
  | { kind: 'acknowledgeOnly' }
  | { kind: 'malformed'; problem: string };

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function classify(rawBody: Buffer, contentType: string): SlackHttpRequest {
  const text = rawBody.toString('utf8');
  if (contentType.startsWith('application/json')) {
    const json = parseJson(text);
    if (typeof json !== 'object' || json === null) return { kind: 'malformed', problem: 'body is not a JSON object' };
    const challenge: unknown = Reflect.get(json, 'challenge');
    if (Reflect.get(json, 'type') === 'url_verification' && typeof challenge === 'string') return { kind: 'urlVerification', challenge };
    return { kind: 'acknowledgeOnly' };
  }
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return { kind: 'malformed', problem: `content-type ${contentType}` };
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) {
    const json = parseJson(payload);
    if (json === undefined) return { kind: 'malformed', problem: 'payload is not JSON' };
    return { kind: 'inbound', parse: parseInteraction(json) };
  }
  if (form.has('ssl_check')) return { kind: 'acknowledgeOnly' };
  if (form.has('command')) return { kind: 'inbound', parse: parseSlashCommand(Object.fromEntries(form)) };
  return { kind: 'malformed', problem: 'neither a command nor an interaction' };
}

function answer(res: ServerResponse, status: number, body?: AckBody): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export function mountSlackHttpReceiver(http: HttpServer, options: SlackHttpReceiverOptions): void {
  const { logger } = options;
  http.add('POST', SLACK_EVENTS_PATH, async (req, res, rawBody) => {
    if (!options.isAccepting()) return answer(res, 503);
    const check = verifySlackSignature(options.signingSecret, {
      signature: header(req, 'x-slack-signature'),
      timestamp: header(req, 'x-slack-request-timestamp'),
      rawBody,
    });
    if (!check.valid) {
      // Logged without the signature or the body: neither helps, and both are the caller's secrets.
      logger.warn({ reason: check.reason, ip: req.socket.remoteAddress }, 'slack: request signature refused');
      options.requests.count('other', 'refused');
      return answer(res, 401);
    }

    const request = classify(rawBody, header(req, 'content-type') ?? '');
    switch (request.kind) {
      case 'urlVerification':
        return answer(res, 200, { challenge: request.challenge });
      case 'acknowledgeOnly':
        return answer(res, 200);
      case 'malformed':
        logger.warn({ problem: request.problem }, 'slack: malformed request');
        options.requests.count('other', 'refused');
        return answer(res, 400);
      case 'inbound':
        if (!request.parse.ok) {
          logger.warn({ problem: request.parse.problem }, 'slack: payload refused');
          options.requests.count('other', 'refused');
          return answer(res, 400);
        }
        return respondWithAck(res, request.parse.inbound, options);
    }
  });
}

/** Holds the HTTP response open until the processor acknowledges, while processing goes on after it. */
function respondWithAck(res: ServerResponse, inbound: SlackInbound, options: SlackHttpReceiverOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    const sendAck = async (body: AckBody) => {
      answer(res, 200, body);
      resolve();
    };
    options
      .process(inbound, sendAck)
      .catch((error: unknown) => options.logger.error({ err: error }, 'slack: processing failed'))
      // The processor always acks; this only covers a failure before it could.
      .finally(() => {
        answer(res, 200);
        resolve();
      });
  });
}
