// Socket Mode: Bolt's SocketModeReceiver. Commands and interactions arrive over a WebSocket, are
// acknowledged through their envelope, and reach the same listeners as over HTTP.
import { SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import type { SlackRequestMetrics } from './request-metrics.js';
import { sdkLogger } from './sdk-logger.js';
import { slackApiUrl } from './web-client.js';

export interface SocketModeReceiverOptions {
  appToken: string;
  /** SLACK_API_URL: where apps.connections.open asks for the WebSocket URL. */
  apiUrl: string | undefined;
  logger: Logger;
  requests: SlackRequestMetrics;
}

export function createSocketModeReceiver(options: SocketModeReceiverOptions): SocketModeReceiver {
  const { logger, requests } = options;
  const base = slackApiUrl(options.apiUrl);
  return new SocketModeReceiver({
    appToken: options.appToken,
    logger: sdkLogger(logger, 'slack-socket-mode'),
    // Bolt hands installerOptions.clientOptions to its SocketModeClient, whose only Web API call is
    // apps.connections.open; without OAuth settings (clientId...) nothing else reads them.
    ...(base ? { installerOptions: { clientOptions: { slackApiUrl: base } } } : {}),
    // Our listeners answer every request they get, so this sees payloads Bolt could not route to them.
    // They are acknowledged anyway, so that Slack does not send them again.
    processEventErrorHandler: async ({ error, event }) => {
      const type: unknown = event.body.type;
      logger.warn({ err: error, type }, 'slack: socket payload refused');
      requests.count('other', 'refused');
      return true;
    },
  });
}
