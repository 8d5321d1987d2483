import type { WebClientOptions } from '@slack/web-api';
import { slackFetch } from './fetch.js';

/** Where the Web API lives; SLACK_API_URL points tests at the fake server. The SDK appends method names. */
export function slackApiUrl(configured: string | undefined): string | undefined {
  if (!configured) return undefined;
  return configured.endsWith('/') ? configured : `${configured}/`;
}

/**
 * Options for the App's WebClient (Bolt adds its logger): it never waits or retries on its own. The
 * outbox owns retries (and honours Retry-After), and interactive replies must not stall past Slack's
 * 3-second windows. Calls go through undici's `request` (fetch.ts).
 */
export function webClientOptions(apiUrl: string | undefined): WebClientOptions {
  const base = slackApiUrl(apiUrl);
  return {
    ...(base ? { slackApiUrl: base } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    fetch: slackFetch,
  };
}
