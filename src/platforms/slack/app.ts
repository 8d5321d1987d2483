// The Bolt App behind the adapter: the bot token, a Web API client that never retries on its own, the
// bot's logger, the receiver of the configured mode (HTTP, or Socket Mode when SLACK_APP_TOKEN is
// set), and the listeners. The outbox's deliverer shares the App's client.
import { App, type SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import type { EventHandler, Suggestions } from '../port.js';
import type { HomeHooks } from '../home-port.js';
import { DirectChannels, SlackDeliverer } from './deliverer.js';
import { ClickQueue } from './click-queue.js';
import { registerHomeListener } from './home-listener.js';
import { SlackHttpReceiver } from './http-receiver.js';
import { registerSlackListeners, type SlackTimings } from './listeners.js';
import { ReplySender } from './reply-sender.js';
import type { SlackRequestMetrics } from './request-metrics.js';
import { sdkLogger } from './sdk-logger.js';
import { createSocketModeReceiver } from './socket-receiver.js';
import { registerSuggestionListener } from './suggestions.js';
import { SlackUserLocales, slackUsersInfo } from './user-locales.js';
import { webClientOptions } from './web-client.js';

export interface SlackAppDeps {
  config: Config;
  handler: EventHandler;
  http: HttpServer;
  logger: Logger;
  requests: SlackRequestMetrics;
  timings: SlackTimings;
  /** The personal overview (App Home); without it the bot ignores app_home_opened. */
  home?: HomeHooks;
  /** Options for searchable choices (external_select); without it only the typed text is offered. */
  suggestions?: Suggestions;
}

export interface SlackApp {
  app: App;
  deliverer: SlackDeliverer;
  /** Set in Socket Mode, for its connection state. */
  socket: SocketModeReceiver | undefined;
  /** The handling of acknowledged clicks; the adapter drains it when it stops. */
  clicks: ClickQueue;
}

/**
 * Click handlers running at once. On SQLite the process runs one transaction at a time anyway, so a
 * few overlap only their reads; on PostgreSQL they also overlap their waits for the database.
 */
const CLICK_CONCURRENCY = 4;

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config, logger, requests, timings } = deps;
  const token = config.SLACK_BOT_TOKEN;
  if (!token) throw new Error('SLACK_BOT_TOKEN is required for the Slack adapter');
  const socket = config.SLACK_APP_TOKEN
    ? createSocketModeReceiver({ appToken: config.SLACK_APP_TOKEN, apiUrl: config.SLACK_API_URL, logger, requests })
    : undefined;
  const app = new App({
    token,
    receiver: socket ?? httpReceiver(deps),
    logger: sdkLogger(logger, 'slack-bolt'),
    clientOptions: webClientOptions(config.SLACK_API_URL),
    // The adapter runs app.init() (auth.test) itself, so that it can retry while Slack is unreachable.
    deferInitialization: true,
    // The bot keeps no conversation state in Bolt.
    convoStore: false,
  });
  // Errors go back to the receiver, which logs them once and decides what Slack is answered.
  app.error(async (error) => {
    throw error;
  });
  const directChannels = new DirectChannels(app.client);
  // Over HTTP the handlers give way to requests waiting for their ack (click-queue.ts); Socket Mode
  // acks travel on the socket, not through the server.
  const clicks = new ClickQueue(CLICK_CONCURRENCY, socket ? {} : { yieldTo: deps.http.processing });
  const locales = new SlackUserLocales(slackUsersInfo(token, config.SLACK_API_URL, logger), logger);
  registerSlackListeners(app, {
    clicks,
    handler: deps.handler,
    sender: new ReplySender(app.client, directChannels, logger),
    requests,
    logger,
    defaultLocale: config.DEFAULT_LOCALE,
    timings,
    locales,
  });
  if (deps.home) registerHomeListener(app, deps.home, logger, locales);
  registerSuggestionListener(app, { logger, requests, defaultLocale: config.DEFAULT_LOCALE, ...(deps.suggestions ? { suggestions: deps.suggestions } : {}) });
  return { app, socket, clicks, deliverer: new SlackDeliverer(app.client, directChannels, deps.home) };
}

function httpReceiver(deps: SlackAppDeps): SlackHttpReceiver {
  const signingSecret = deps.config.SLACK_SIGNING_SECRET;
  if (!signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack in HTTP mode');
  return new SlackHttpReceiver({
    http: deps.http,
    signingSecret,
    logger: deps.logger,
    requests: deps.requests,
    ackDeadlineMs: deps.timings.ackDeadlineMs,
  });
}
