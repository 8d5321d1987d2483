import { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger.js';
import { sdkLogger } from './sdk-logger.js';

/** Where the Web API lives; SLACK_API_URL points tests at the fake server. The SDK appends method names. */
export function slackApiUrl(configured: string | undefined): string | undefined {
  if (!configured) return undefined;
  return configured.endsWith('/') ? configured : `${configured}/`;
}

/**
 * A WebClient that never waits or retries on its own: the outbox owns retries (and honours
 * Retry-After), and interactive replies must not stall past Slack's 3-second windows.
 */
export function createWebClient(token: string, apiUrl: string | undefined, logger: Logger): WebClient {
  const base = slackApiUrl(apiUrl);
  return new WebClient(token, {
    ...(base ? { slackApiUrl: base } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: sdkLogger(logger, 'slack-web-api'),
  });
}
