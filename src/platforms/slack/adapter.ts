// The Slack adapter: a Bolt App in HTTP mode on the shared server (`POST /slack/events`), or in Socket
// Mode when an app-level token is configured. It proves the bot token before it receives anything,
// and its deliverer serves the outbox.
import type { App, SocketModeReceiver } from '@slack/bolt';
import { WebAPIPlatformError } from '@slack/web-api';
import type { Config } from '../../config.js';
import type { HttpServer } from '../../http/server.js';
import type { Metrics } from '../../http/metrics.js';
import type { Logger } from '../../logger.js';
import type { HomeHooks } from '../home-port.js';
import type { EventHandler, PlatformAdapter, Suggestions } from '../port.js';
import { createSlackApp } from './app.js';
import type { ClickQueue } from './click-queue.js';
import type { SlackDeliverer } from './deliverer.js';
import { SLACK_EVENTS_PATH } from './http-receiver.js';
import { DEFAULT_TIMINGS, type SlackTimings } from './listeners.js';
import { SlackRequestMetrics } from './request-metrics.js';

export interface SlackAdapterDeps {
  config: Config;
  handler: EventHandler;
  http: HttpServer;
  logger: Logger;
  metrics: Metrics;
  /** Tests shorten Slack's windows; production uses the defaults. */
  timings?: Partial<SlackTimings>;
  /** The personal overview (App Home). */
  home?: HomeHooks;
  /** Options for searchable choices (block_suggestion). */
  suggestions?: Suggestions;
}

/** Token problems that only an admin can fix: starting anyway would only hide them. */
const FATAL_AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
const AUTH_RETRY_MIN_MS = 2_000;
const AUTH_RETRY_MAX_MS = 60_000;

export function createSlackAdapter(deps: SlackAdapterDeps): PlatformAdapter {
  return new SlackAdapter(deps);
}

/** The Slack error code when Slack refused a token for good, else undefined. */
function fatalAuthError(error: unknown): string | undefined {
  return error instanceof WebAPIPlatformError && FATAL_AUTH_ERRORS.has(error.data.error) ? error.data.error : undefined;
}

class SlackAdapter implements PlatformAdapter {
  readonly platform = 'slack' as const;
  readonly deliverer: SlackDeliverer;

  private readonly app: App;
  private readonly clicks: ClickQueue;
  private readonly socket: SocketModeReceiver | undefined;
  private readonly logger: Logger;
  private tokenVerified = false;
  private socketConnected = false;
  private accepting = false;
  private receiving = false;
  /** The receiver's start finished: requests are processed from here on. */
  private received = false;
  private authRetry: NodeJS.Timeout | undefined;

  constructor(deps: SlackAdapterDeps) {
    this.logger = deps.logger.child({ platform: 'slack' });
    const slack = createSlackApp({
      config: deps.config,
      handler: deps.handler,
      http: deps.http,
      logger: this.logger,
      requests: new SlackRequestMetrics(deps.metrics),
      timings: { ...DEFAULT_TIMINGS, ...deps.timings },
      ...(deps.home ? { home: deps.home } : {}),
      ...(deps.suggestions ? { suggestions: deps.suggestions } : {}),
    });
    this.app = slack.app;
    this.socket = slack.socket;
    this.deliverer = slack.deliverer;
    this.clicks = slack.clicks;
    this.socket?.client.on('connected', () => {
      this.socketConnected = true;
      this.logger.info('slack: Socket Mode connected');
    });
    this.socket?.client.on('disconnected', () => {
      this.socketConnected = false;
    });
    this.socket?.client.on('reconnecting', () => {
      this.socketConnected = false;
      this.logger.warn('slack: Socket Mode reconnecting');
    });
  }

  async start(): Promise<void> {
    this.accepting = true;
    if (await this.verifyToken(AUTH_RETRY_MIN_MS)) await this.receive();
  }

  async stop(): Promise<void> {
    this.accepting = false;
    clearTimeout(this.authRetry);
    this.authRetry = undefined;
    this.socketConnected = false;
    if (!this.receiving) return;
    this.receiving = false;
    this.received = false;
    await this.app.stop();
    // Clicks Slack saw acknowledged are still handled before the database closes.
    await this.clicks.drain();
  }

  /** Ready once the token is proven and the receiver runs (HTTP requests processed, or the socket open). */
  isReady(): boolean {
    return this.tokenVerified && this.received && (!this.socket || this.socketConnected);
  }

  /** Starts the receiver: HTTP requests are processed from now on, or the Socket Mode connection opens. */
  private async receive(): Promise<void> {
    this.receiving = true;
    try {
      await this.app.start();
    } catch (error) {
      this.receiving = false;
      // stop() during a Socket Mode connection attempt ends it; that is not a failure.
      if (!this.accepting) return;
      const refused = fatalAuthError(error);
      if (refused) throw new Error(`SLACK_APP_TOKEN was refused by Slack (${refused}); check the app-level token in the Slack app settings`);
      throw error;
    }
    this.received = this.receiving;
    if (!this.socket) this.logger.info(`slack: HTTP mode, listening at POST ${SLACK_EVENTS_PATH}`);
  }

  /**
   * Bolt's app.init() runs auth.test, which proves the bot token before the adapter receives anything
   * or reports ready. A refused token stops start-up with a clear line; Slack being unreachable does
   * not: the check repeats in the background, and the receiver starts once it passes.
   */
  private async verifyToken(retryInMs: number): Promise<boolean> {
    try {
      await this.app.init();
      this.tokenVerified = true;
      this.logger.info('slack: bot token verified');
      return true;
    } catch (error) {
      const refused = fatalAuthError(error);
      if (refused) throw new Error(`SLACK_BOT_TOKEN was refused by Slack (${refused}); check the token in the Slack app settings`);
      if (!this.accepting) return false;
      this.logger.warn({ err: error, retryInMs }, 'slack: auth.test failed; will retry');
      this.authRetry = setTimeout(() => {
        void this.verifyToken(Math.min(retryInMs * 2, AUTH_RETRY_MAX_MS))
          .then((verified) => (verified && this.accepting ? this.receive() : undefined))
          .catch((fatal: unknown) => this.logger.error({ err: fatal }, 'slack: could not start'));
      }, retryInMs);
      this.authRetry.unref();
      return false;
    }
  }
}
