import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { AnswerGauge } from './answers-first.js';
import { ResponseTracker } from './response-tracker.js';

/** The methods routes are registered for (Grafana's webhook contact point can be set to PUT). */
export type HttpMethod = 'GET' | 'POST' | 'PUT';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => Promise<void>;

/** Bodies past this size are refused before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

/**
 * How long a request may take to arrive, headers and body, ms (Node's default is 300 s). Slack and
 * Discord want their answer within 3 s and Alertmanager sends a 10 MiB body in well under this; a
 * sender slower than that is answered 408 and its connection closed, so that slow senders cannot
 * hold connections (and the drain) for minutes.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * How long a request's body may take to arrive before background work stops giving way to it, ms
 * (HttpServer.processing): Slack's and Discord's bodies arrive within a few ms of their headers.
 */
export const SLOW_BODY_MS = 100;
/** How long the request line and headers may take to arrive, ms (Node's default is 60 s). */
export const HEADERS_TIMEOUT_MS = 10_000;

/** Why a route cannot serve a request now: the process is not ready yet, or it is shutting down. */
export type UnavailableReason = 'starting' | 'stopping';

/** Seconds a caller is asked to wait before it tries again (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The one "try again" answer (docs/deploy.md, "Load balancer and health checks"): 503 with
 * `Retry-After: 5` and `{"error":"starting"}` (or `"stopping"`). The held server answers it before
 * the migrations, and the platform routes answer it while their platform is still connecting or
 * after their adapter stopped, so that Slack and Discord (and a balancer) see one shape. Does
 * nothing when the response has already begun.
 */
export function answerUnavailable(res: ServerResponse, reason: UnavailableReason): void {
  if (res.headersSent) return;
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(RETRY_AFTER_SECONDS) }).end(JSON.stringify({ error: reason }));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Per-route choices; `maxBytes` overrides MAX_BODY_BYTES (alert webhooks carry large groups). */
export interface RouteOptions {
  maxBytes?: number;
  /**
   * Checked on the request line and headers before any of the body is read (so a caller without
   * credentials gets 401, never 413, and cannot make the server read a large body): true lets the
   * request on; false means it has answered the request, whose body is then never read.
   */
  authorize?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Answers while the server is held (`hold`): health and metrics, which need no migrated schema. */
  whileHeld?: boolean;
}

/**
 * One HTTP server for health, metrics, webhooks and the platforms' HTTP modes. Every route is added
 * before `listen` (DESIGN.md: "every platform and webhook route is registered before the server
 * listens"), so that no request arriving after the port opens can get a 404 for a route that is
 * merely late; a component not ready yet answers 503 from its own route instead.
 */
export class HttpServer {
  private readonly routes = new Map<string, { handler: RouteHandler; maxBytes: number; authorize: RouteOptions['authorize']; whileHeld: boolean }>();
  private held = false;
  private readonly server: Server;
  private listening = false;
  private closed: Promise<void> | undefined;
  private stopping = false;
  /** Every request not answered yet, from its first byte: what `drain` waits for. */
  private readonly inFlight = new ResponseTracker();
  /**
   * Requests being received or answered: what background work gives way to (src/http/answers-first.ts).
   * A request whose body is still arriving SLOW_BODY_MS after its headers leaves it until the body is
   * in, so that slow or stalled senders (anyone can open such a connection, before any signature is
   * checked) do not make click handling and deliveries wait their bound every time. Counting from
   * the headers, not from the body, matters: a request between the two would otherwise let
   * background work in ahead of its ack (bench: p99 3-6x bare Bolt's at 200 in flight, against 0.3-0.5x).
   */
  private readonly processingResponses = new ResponseTracker();

  /** `requestTimeoutMs`: how long a request may take to arrive, headers and body (default REQUEST_TIMEOUT_MS). */
  constructor(
    private readonly logger: Logger,
    requestTimeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    const timeouts = {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
      // Node looks for requests past their time every 30 s by default, which would double the timeout.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, requestTimeoutMs / 4)),
    };
    this.server = createServer(timeouts, (req, res) => {
      this.inFlight.track(res);
      void this.dispatch(req, res);
    });
  }

  /** What background work gives way to: requests being received or answered (processingResponses). */
  get processing(): AnswerGauge {
    return this.processingResponses;
  }

  /** True once `drain` has begun: /readyz answers 503 from here on (src/http/health.ts). */
  get draining(): boolean {
    return this.stopping;
  }

  /**
   * Adds a route; `options.maxBytes` overrides MAX_BODY_BYTES for it. Throws when the server already
   * listens: a late route is the bug this class prevents.
   */
  add(method: HttpMethod, path: string, handler: RouteHandler, options: RouteOptions = {}): void {
    if (this.listening) throw new Error(`route ${method} ${path} added after the HTTP server started listening`);
    this.routes.set(`${method} ${path}`, { handler, maxBytes: options.maxBytes ?? MAX_BODY_BYTES, authorize: options.authorize, whileHeld: options.whileHeld ?? false });
  }

  /**
   * Until `release`, routes not added `whileHeld` answer 503 `{"error":"starting"}` with Retry-After:
   * the port opens before the migrations (which may wait minutes for another replica's lock), so that
   * /healthz answers a liveness probe meanwhile (docs/deploy.md).
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
  }

  /** Opens the port (0: any free one) and returns it; no route can be added from here on. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.listening = true;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /**
   * The first step of a graceful stop (a rolling restart's SIGTERM, docs/deploy.md): closes the port to
   * new connections (the balancer retries a refused connection on another replica), answers further
   * requests on kept-alive connections with `Connection: close`, and waits until the requests in
   * flight have been answered, at most `graceMs` (ms). Returns the number still unanswered then.
   */
  async drain(graceMs: number): Promise<number> {
    this.stopping = true;
    this.closeListener();
    // Kept-alive connections with no request on them would otherwise hold the server open, and so
    // would those whose answer is still being worked out.
    this.server.closeIdleConnections();
    for (const res of this.inFlight.list()) if (!res.headersSent) res.setHeader('connection', 'close');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    try {
      await Promise.race([this.inFlight.answered(), deadline]);
    } finally {
      clearTimeout(timer);
    }
    return this.inFlight.unanswered;
  }

  /** Ends every connection, answered or not, and the port; after `drain`, only what outlived the grace period. */
  async close(): Promise<void> {
    this.stopping = true;
    this.closeListener();
    this.server.closeAllConnections();
    await this.closed;
  }

  private closeListener(): void {
    // Resolves on an error too: a server that never listened (a busy port in the terminal) has nothing to close.
    this.closed ??= new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A connection kept alive past the answer would keep this process from stopping.
    if (this.stopping) res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routes.get(`${req.method ?? 'GET'} ${path}`);
    if (!route) {
      // RFC 9110 15.5.6: a known path asked with another method gets 405 and the methods it takes.
      const allowed = [...this.routes.keys()].filter((key) => key.slice(key.indexOf(' ') + 1) === path).map((key) => key.slice(0, key.indexOf(' ')));
      if (allowed.length > 0) {
        res.writeHead(405, { 'content-type': 'application/json', allow: allowed.join(', ') }).end('{"error":"method_not_allowed"}');
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    if (this.held && !route.whileHeld) {
      answerUnavailable(res, 'starting');
      return;
    }
    if (route.authorize && !route.authorize(req, res)) {
      // The body is left unread: the connection closes once the refusal is sent, as after a 413.
      res.once('finish', () => req.destroy());
      return;
    }
    this.processingResponses.track(res);
    const slow = setTimeout(() => this.processingResponses.untrack(res), SLOW_BODY_MS);
    try {
      const body = await readBody(req, route.maxBytes).finally(() => clearTimeout(slow));
      this.processingResponses.track(res);
      await route.handler(req, res, body);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Answer first, then drop the connection: the rest of the body is not worth reading.
        res.once('finish', () => req.destroy());
        if (!res.headersSent) res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end('{"error":"body_too_large"}');
        return;
      }
      this.logger.error({ err: error, path }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
    }
  }
}
