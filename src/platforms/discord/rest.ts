// The REST client (@discordjs/rest) every Discord call goes through: outbox deliveries, interaction
// responses and follow-ups, command registration.
import { REST, type RateLimitData } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { InteractionRef } from './inbound.js';
import type { DiscordMessagePayload } from './render.js';
import type { FollowUps, SendResponse } from './responder.js';

/**
 * Outbox routes give up on a 429 at once, so that the dispatcher pauses the platform and retries
 * later (with every other message kept in order); interaction replies wait the limit out in place.
 */
export function rejectsOnRateLimit(data: Pick<RateLimitData, 'route'>): boolean {
  return data.route.startsWith('/channels') || data.route.startsWith('/users');
}

export interface RestOptions {
  token: string;
  apiUrl?: string;
}

/** Options shared with discord.js's own client (it fetches `/gateway/bot` through them). */
export function restOptions(apiUrl: string | undefined) {
  return {
    version: '10',
    ...(apiUrl ? { api: apiUrl } : {}),
    rejectOnRateLimit: (data: RateLimitData) => rejectsOnRateLimit(data),
    // Retry-After is relative: waiting exactly that long is right, no clock-skew margin needed.
    offset: 0,
    retries: 2,
    timeout: 10_000,
  };
}

export function createRest(options: RestOptions): REST {
  return new REST(restOptions(options.apiUrl)).setToken(options.token);
}

/** The initial response over REST, as the gateway mode sends it (`POST /interactions/{id}/{token}/callback`). */
export function restCallback(rest: REST, ref: Pick<InteractionRef, 'id' | 'token'>): SendResponse {
  return async (response) => {
    await rest.post(Routes.interactionCallback(ref.id, ref.token), { body: response, auth: false });
  };
}

/** Edits of the original response and follow-up messages, with the interaction's webhook token. */
export function restFollowUps(rest: REST): FollowUps {
  return {
    async editOriginal(ref, payload: DiscordMessagePayload) {
      await rest.patch(Routes.webhookMessage(ref.applicationId, ref.token, '@original'), { body: payload, auth: false });
    },
    async followUp(ref, payload: DiscordMessagePayload) {
      await rest.post(Routes.webhook(ref.applicationId, ref.token), { body: payload, auth: false });
    },
  };
}
