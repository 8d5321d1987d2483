import { SNOOZE_OPTIONS, snoozeActionId } from './notices.js';
import { formatDeadline } from './format.js';
import { privateText, type ButtonHandler } from '../chat/interactions.js';

/** Snooze 15 min / 1 h on reminder DMs: the next reminder waits; the breach and escalations do not. */
export const slaButtons: ButtonHandler[] = SNOOZE_OPTIONS.map((minutes) => ({
  actionId: snoozeActionId(minutes),
  async run(ctx, value) {
    const { id, until, next } = await ctx.services.sla.snooze(ctx.actor, value, minutes);
    const now = ctx.clock.now();
    const params = { id, until: formatDeadline(until, now, ctx.timeZone), next: next ? formatDeadline(next, now, ctx.timeZone) : '—' };
    return privateText(ctx.t(next && next < until ? 'sla.reply.snoozedBreachFirst' : 'sla.reply.snoozed', params));
  },
}));
