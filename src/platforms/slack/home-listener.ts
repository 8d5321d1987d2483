// `app_home_opened` from the Events API, over HTTP or Socket Mode. Bolt acknowledges events before
// any listener runs, so Slack always has its answer within 3 s; the work happens after. Slack retries
// an event it thinks went unanswered (X-Slack-Retry-Num) and Socket Mode may deliver an envelope
// twice: the event_id is checked so that a repeat changes nothing.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { HomeHooks } from '../home-port.js';
import type { EventHooks } from '../port.js';

const envelopeSchema = z.object({
  event_id: z.string().min(1).max(64),
  event: z.object({
    type: z.literal('app_home_opened'),
    user: z.string().regex(/^[UW][A-Z0-9]{2,63}$/),
    tab: z.string().max(32).optional(),
  }),
});

/** Registers the Home listener: a first opening of the Home tab remembers the person and publishes their view. */
export function registerHomeListener(app: App, home: HomeHooks, logger: Logger, hooks?: EventHooks): void {
  app.event('app_home_opened', async ({ body, context }) => {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success) {
      logger.warn({ problem: parsed.error.issues[0]?.message }, 'slack: app_home_opened refused');
      return;
    }
    const { event_id: eventId, event } = parsed.data;
    // The Messages tab also sends app_home_opened; only the Home tab shows the overview.
    if (event.tab !== undefined && event.tab !== 'home') return;
    try {
      // An empty name keeps the name the person already has (the event carries none).
      // The event carries no locale: someone first seen is looked up (user-locales.ts), so that their first Home tab is in their language.
      const applied = await home.opened({ platform: 'slack', userId: event.user, displayName: '' }, eventId, hooks);
      if (!applied) logger.info({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'slack: repeated event ignored');
    } catch (error) {
      logger.error({ err: error, eventId }, 'slack: app_home_opened failed');
    }
  });
}
