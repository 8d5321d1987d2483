// HTTP mode: a Bolt receiver on the shared server's `POST /slack/events`. It verifies Slack's signature
// on the raw body, answers Slack's own checks, refuses payloads the bot cannot read, and hands the rest
// to Bolt; the HTTP response is whatever a listener acknowledges, or empty at the deadline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReceiverMultipleAckError, type AckFn, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { answerUnavailable, type HttpServer } from '../../http/server.js';
import { RefusalLog } from '../../http/refusal-log.js';
import type { Logger } from '../../logger.js';
import { parseInteraction, parseSlashCommand, type InboundParse } from './inbound.js';
import type { SlackRequestMetrics } from './request-metrics.js';
import { verifySlackSignature } from './signature.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackHttpReceiverOptions {
  http: HttpServer;
  signingSecret: string;
  logger: Logger;
  requests: SlackRequestMetrics;
  /** When a request nothing acknowledged is answered empty (Slack gives up at 3 s). */
  ackDeadlineMs: number;
}

/** What a verified request body turned out to be. */
type SlackHttpRequest =
  /** A command, an interaction or an Events API callback, for Bolt. */
  | { kind: 'bolt'; body: Record<string, unknown> }
  | { kind: 'urlVerification'; challenge: string }
  | { kind: 'sslCheck' }
  | { kind: 'malformed'; problem: string };

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Bolt routes a request by reading fields (`user.team_id`...) before any listener runs, so a payload
 * inbound.ts refuses is refused here, with a 400, before Bolt sees it.
 */
function readable(parse: InboundParse, body: Record<string, unknown>): SlackHttpRequest {
  return parse.ok ? { kind: 'bolt', body } : { kind: 'malformed', problem: parse.problem };
}

function classify(rawBody: Buffer, contentType: string): SlackHttpRequest {
  const text = rawBody.toString('utf8');
  if (contentType.startsWith('application/json')) {
    const json = parseJson(text);
    if (!isRecord(json)) return { kind: 'malformed', problem: 'body is not a JSON object' };
    const challenge = json.challenge;
    if (json.type === 'url_verification' && typeof challenge === 'string') return { kind: 'urlVerification', challenge };
    // Events API callbacks: the bot subscribes to none, and Bolt acknowledges them by itself.
    return { kind: 'bolt', body: json };
  }
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return { kind: 'malformed', problem: `content-type ${contentType}` };
  const form = new URLSearchParams(text);
  const payload = form.get('payload');
  if (payload !== null) {
    const json = parseJson(payload);
    if (!isRecord(json)) return { kind: 'malformed', problem: 'payload is not a JSON object' };
    return readable(parseInteraction(json), json);
  }
  if (form.has('ssl_check')) return { kind: 'sslCheck' };
  if (form.has('command')) {
    const fields = Object.fromEntries(form);
    return readable(parseSlashCommand(fields), fields);
  }
  return { kind: 'malformed', problem: 'neither a command nor an interaction' };
}

/** Bolt's ack bodies: nothing (empty 200), text, or JSON (an ephemeral message, a response_action). */
function answer(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined || body === null || body === '') {
    res.writeHead(status).end();
    return;
  }
  if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function retryNumOf(req: IncomingMessage): number | undefined {
  const value = Number.parseInt(header(req, 'x-slack-retry-num') ?? '', 10);
  return Number.isNaN(value) ? undefined : value;
}

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private accepting = false;
  /** stop() ran: a request is answered "stopping" rather than "starting". */
  private stopped = false;
  /** Unsigned and forged requests: anyone can send them at any rate, so they are summarised (refusal-log.ts). */
  private readonly forged: RefusalLog;

  constructor(private readonly options: SlackHttpReceiverOptions) {
    this.forged = new RefusalLog(options.logger, 'slack: request signature refused');
    // The shared server cannot unmount a route: until start() and after stop(), requests get the
    // server's 503 with Retry-After (answerUnavailable), so that Slack tries again later.
    options.http.add('POST', SLACK_EVENTS_PATH, (req, res, rawBody) => this.onRequest(req, res, rawBody));
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.accepting = true;
    this.stopped = false;
  }

  async stop(): Promise<void> {
    this.accepting = false;
    this.stopped = true;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const { logger, requests } = this.options;
    const app = this.app;
    if (!this.accepting || !app) return answerUnavailable(res, this.stopped ? 'stopping' : 'starting');
    const check = verifySlackSignature(this.options.signingSecret, {
      signature: header(req, 'x-slack-signature'),
      timestamp: header(req, 'x-slack-request-timestamp'),
      rawBody,
    });
    if (!check.valid) {
      // Logged without the signature or the body: neither helps, and both are the caller's secrets.
      this.forged.refused({ reason: check.reason, ip: req.socket.remoteAddress });
      requests.count('other', 'refused');
      return answer(res, 401);
    }

    const request = classify(rawBody, header(req, 'content-type') ?? '');
    switch (request.kind) {
      case 'urlVerification':
        return answer(res, 200, { challenge: request.challenge });
      case 'sslCheck':
        return answer(res, 200);
      case 'malformed':
        logger.warn({ problem: request.problem }, 'slack: malformed request');
        requests.count('other', 'refused');
        return answer(res, 400);
      case 'bolt':
        return this.dispatch(app, req, res, request.body);
    }
  }

  /**
   * Hands the request to Bolt and holds the HTTP response open until it is answered: by a listener's
   * ack, by the deadline, or when Bolt is done and nothing acknowledged. Processing goes on after that.
   */
  private dispatch(app: App, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): Promise<void> {
    const { logger, requests, ackDeadlineMs } = this.options;
    return new Promise<void>((resolve) => {
      let answered = false;
      const guard = setTimeout(() => {
        if (respond(200)) logger.warn('slack: nothing acknowledged before the deadline; answered empty');
      }, ackDeadlineMs);
      guard.unref();

      // False when the request was already answered.
      function respond(status: number, content?: unknown): boolean {
        if (answered) return false;
        answered = true;
        clearTimeout(guard);
        answer(res, status, content);
        resolve();
        return true;
      }

      const ack: AckFn<unknown> = async (content) => {
        // Like Bolt's own HTTP receiver: a second answer is an error the listener can act on.
        if (!respond(200, content)) throw new ReceiverMultipleAckError();
      };
      const event: ReceiverEvent = { body, ack, retryNum: retryNumOf(req), retryReason: header(req, 'x-slack-retry-reason') };
      app.processEvent(event).then(
        () => {
          // Nothing listened (an interaction the bot does not act on): answered empty, nothing more.
          if (respond(200)) requests.count('other', 'in_time');
        },
        (error: unknown) => {
          logger.error({ err: error }, 'slack: processing failed');
          respond(500);
        },
      );
    });
  }
}
