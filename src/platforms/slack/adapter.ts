// The Slack adapter: HTTP mode on the shared server (`POST /slack/events`), or Socket Mode when an
// app-level token is configured. Both feed the same processor; the deliverer serves the outbox.
import { SocketModeClient } from '@slack/socket-mode';
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import type { Config } from '../../config.js';
import type { HttpServer } from '../../http/server.js';
import type { Metrics } from '../../http/metrics.js';
import type { Logger } from '../../logger.js';
import type { EventHandler, PlatformAdapter } from '../port.js';
import { DirectChannels, SlackDeliverer } from './deliverer.js';
import { DEFAULT_TIMINGS, SlackEventProcessor, type SlackTimings } from './event-processor.js';
import { mountSlackHttpReceiver, type ProcessInbound } from './http-receiver.js';
import { ReplySender } from './reply-sender.js';
import { SlackRequestMetrics } from './request-metrics.js';
import { sdkLogger } from './sdk-logger.js';
import { listenToSocketMode } from './socket-receiver.js';
import { createWebClient, slackApiUrl } from './web-client.js';

export interface SlackAdapterDeps {
  config: Config;
  handler: EventHandler;
  http: HttpServer;
  logger: Logger;
  metrics: Metrics;
  /** Tests shorten Slack's windows; production uses the defaults. */
  timings?: Partial<SlackTimings>;
}

/** Token problems that only an admin can fix: starting anyway would only hide them. */
const FATAL_AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);
const AUTH_RETRY_MIN_MS = 2_000;
const AUTH_RETRY_MAX_MS = 60_000;

export function createSlackAdapter(deps: SlackAdapterDeps): PlatformAdapter {
  return new SlackAdapter(deps);
}

class SlackAdapter implements PlatformAdapter {
  readonly platform = 'slack' as const;
  readonly deliverer: SlackDeliverer;

  private readonly client: WebClient;
  private readonly process: ProcessInbound;
  private readonly logger: Logger;
  private readonly requests: SlackRequestMetrics;
  private socket: SocketModeClient | undefined;
  private tokenVerified = false;
  private socketConnected = false;
  private accepting = false;
  private mounted = false;
  private authRetry: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SlackAdapterDeps) {
    const { config } = deps;
    if (!config.SLACK_BOT_TOKEN) throw new Error('SLACK_BOT_TOKEN is required for the Slack adapter');
    this.logger = deps.logger.child({ platform: 'slack' });
    this.client = createWebClient(config.SLACK_BOT_TOKEN, config.SLACK_API_URL, this.logger);
    this.requests = new SlackRequestMetrics(deps.metrics);
    const directChannels = new DirectChannels(this.client);
    this.deliverer = new SlackDeliverer(this.client, directChannels);
    const processor = new SlackEventProcessor({
      handler: deps.handler,
      sender: new ReplySender(this.client, directChannels, this.logger),
      requests: this.requests,
      logger: this.logger,
      defaultLocale: config.DEFAULT_LOCALE,
      timings: { ...DEFAULT_TIMINGS, ...deps.timings },
    });
    this.process = (inbound, sendAck) => processor.process(inbound, sendAck);
  }

  private get socketMode(): boolean {
    return Boolean(this.deps.config.SLACK_APP_TOKEN);
  }

  async start(): Promise<void> {
    this.accepting = true;
    await this.verifyToken(AUTH_RETRY_MIN_MS);
    if (this.socketMode) await this.startSocketMode();
    else this.mountHttp();
  }

  async stop(): Promise<void> {
    this.accepting = false;
    clearTimeout(this.authRetry);
    this.authRetry = undefined;
    const socket = this.socket;
    this.socket = undefined;
    this.socketConnected = false;
    if (socket) await socket.disconnect();
  }

  isReady(): boolean {
    return this.tokenVerified && (!this.socketMode || this.socketConnected);
  }

  private mountHttp(): void {
    const signingSecret = this.deps.config.SLACK_SIGNING_SECRET;
    if (!signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack in HTTP mode');
    // The shared server cannot unmount a route; a stopped adapter answers 503 instead.
    if (this.mounted) return;
    this.mounted = true;
    mountSlackHttpReceiver(this.deps.http, {
      signingSecret,
      process: this.process,
      logger: this.logger,
      requests: this.requests,
      isAccepting: () => this.accepting,
    });
    this.logger.info('slack: HTTP mode, listening at POST /slack/events');
  }

  private async startSocketMode(): Promise<void> {
    const appToken = this.deps.config.SLACK_APP_TOKEN;
    if (!appToken) return;
    const base = slackApiUrl(this.deps.config.SLACK_API_URL);
    const socket = new SocketModeClient({
      appToken,
      logger: sdkLogger(this.logger, 'slack-socket-mode'),
      ...(base ? { clientOptions: { slackApiUrl: base } } : {}),
    });
    socket.on('connected', () => {
      this.socketConnected = true;
      this.logger.info('slack: Socket Mode connected');
    });
    socket.on('disconnected', () => {
      this.socketConnected = false;
    });
    socket.on('reconnecting', () => {
      this.socketConnected = false;
      this.logger.warn('slack: Socket Mode reconnecting');
    });
    listenToSocketMode(socket, this.process, this.logger, this.requests);
    this.socket = socket;
    await socket.start();
  }

  /**
   * auth.test proves the bot token before the adapter reports ready. A refused token stops start-up
   * with a clear line; Slack being unreachable does not: the check repeats in the background.
   */
  private async verifyToken(retryInMs: number): Promise<void> {
    try {
      const identity = await this.client.auth.test();
      this.tokenVerified = true;
      this.logger.info({ team: identity.team, botUserId: identity.user_id }, 'slack: bot token verified');
    } catch (error) {
      if (error instanceof WebAPIPlatformError && FATAL_AUTH_ERRORS.has(error.data.error)) {
        throw new Error(`SLACK_BOT_TOKEN was refused by Slack (${error.data.error}); check the token in the Slack app settings`);
      }
      if (!this.accepting) return;
      this.logger.warn({ err: error, retryInMs }, 'slack: auth.test failed; will retry');
      this.authRetry = setTimeout(() => {
        void this.verifyToken(Math.min(retryInMs * 2, AUTH_RETRY_MAX_MS)).catch((fatal: unknown) =>
          this.logger.error({ err: fatal }, 'slack: bot token refused'),
        );
      }, retryInMs);
      this.authRetry.unref();
    }
  }
}
