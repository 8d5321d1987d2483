// Gateway mode: discord.js keeps the WebSocket (HELLO, IDENTIFY, heartbeats, resumes) and hands
// every INTERACTION_CREATE over raw, so that the gateway and HTTP modes share one interaction path.
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { Logger } from '../../logger.js';

export interface GatewayOptions {
  token: string;
  apiUrl?: string;
  logger: Logger;
  onInteraction(raw: unknown): void;
}

/** discord.js's error for a token Discord refused (401 on `GET /gateway/bot`). */
export function isTokenRefused(error: unknown): boolean {
  return error instanceof Error && Reflect.get(error, 'code') === 'TokenInvalid';
}

export class DiscordGateway {
  private client: Client | undefined;

  constructor(private readonly options: GatewayOptions) {}

  /** Logs in (`GET /gateway/bot`, then the WebSocket) and resolves once Discord sent READY. */
  async connect(): Promise<void> {
    const { logger } = this.options;
    // Slash commands, buttons and modals need no privileged intent; Guilds is the minimum discord.js expects.
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { version: '10', ...(this.options.apiUrl ? { api: this.options.apiUrl } : {}) },
    });
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => this.options.onInteraction(data));
    client.on(Events.Error, (error) => logger.error({ err: error }, 'discord: gateway error'));
    client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ code: event.code, shard }, 'discord: gateway disconnected'));
    client.on(Events.ShardReconnecting, (shard) => logger.warn({ shard }, 'discord: gateway reconnecting'));
    client.once(Events.ClientReady, (ready) => logger.info({ botUserId: ready.user.id, botName: ready.user.username }, 'discord: gateway ready'));
    this.client = client;
    try {
      await client.login(this.options.token);
    } catch (error) {
      this.client = undefined;
      await client.destroy();
      throw error;
    }
  }

  isReady(): boolean {
    return this.client?.isReady() ?? false;
  }

  async destroy(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.destroy();
  }
}
