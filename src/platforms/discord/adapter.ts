// The Discord adapter: gateway mode (discord.js) when only the bot token and application id are set,
// HTTP interactions (`POST /discord/interactions`) when the application's public key is set too. Both
// feed the same processor; the deliverer serves the outbox over REST in either mode.
import type { REST } from '@discordjs/rest';
import { DiscordAPIError } from '@discordjs/rest';
import { Routes } from 'discord.js';
import type { CommandDef } from '../../chat/command-def.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import type { EventHandler, PlatformAdapter, Suggestions } from '../port.js';
import { autocompleteChoices } from './autocomplete.js';
import { discordSettings, type DiscordSettings } from './config.js';
import { loggableError } from './delivery-errors.js';
import { DiscordDeliverer } from './deliverer.js';
import { FormDrafts } from './form-drafts.js';
import { DiscordGateway, isTokenRefused } from './gateway.js';
import { DISCORD_INTERACTIONS_PATH, mountHttpInteractions } from './http-interactions.js';
import { parseInteraction, type AutocompleteInbound } from './inbound.js';
import { DEFAULT_DISCORD_TIMINGS, DiscordInteractionProcessor, type DiscordTimings } from './processor.js';
import { registerCommands } from './register.js';
import { createRest, restCallback, restFollowUps } from './rest.js';
import { publicKeyFromHex } from './signature.js';

export interface DiscordAdapterDeps {
  config: Config;
  handler: EventHandler;
  http: HttpServer;
  logger: Logger;
  store: Store;
  clock: Clock;
  commands: readonly CommandDef[];
  /** Options suggested as people type (autocomplete); without it, autocomplete offers nothing. */
  suggestions?: Suggestions;
  /** Tests shorten Discord's windows; production uses the defaults. */
  timings?: Partial<DiscordTimings>;
}

const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 60_000;

export function createDiscordAdapter(deps: DiscordAdapterDeps): PlatformAdapter {
  const settings = discordSettings(deps.config);
  if (!settings) throw new Error('DISCORD_TOKEN and DISCORD_APPLICATION_ID are required for the Discord adapter');
  return new DiscordAdapter(deps, settings);
}

class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord' as const;
  readonly deliverer: DiscordDeliverer;

  private readonly rest: REST;
  private readonly logger: Logger;
  private readonly processor: DiscordInteractionProcessor;
  private readonly gateway: DiscordGateway | undefined;
  private accepting = false;
  /** stop() ran: HTTP interactions are answered "stopping" rather than "starting". */
  private stopped = false;
  private tokenVerified = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: DiscordAdapterDeps,
    private readonly settings: DiscordSettings,
  ) {
    this.logger = deps.logger.child({ platform: 'discord' });
    this.rest = createRest({ token: settings.token, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) });
    this.deliverer = new DiscordDeliverer(this.rest);
    const suggestions = deps.suggestions;
    this.processor = new DiscordInteractionProcessor({
      handler: deps.handler,
      drafts: new FormDrafts(deps.store, deps.clock),
      followUps: restFollowUps(this.rest),
      logger: this.logger,
      defaultLocale: deps.config.DEFAULT_LOCALE,
      timings: { ...DEFAULT_DISCORD_TIMINGS, ...deps.timings },
      ...(suggestions ? { autocomplete: (inbound: AutocompleteInbound) => autocompleteChoices(deps.commands, suggestions, inbound) } : {}),
    });
    if (settings.mode === 'gateway') {
      this.gateway = new DiscordGateway({
        token: settings.token,
        ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
        logger: this.logger,
        onInteraction: (raw) => this.onGatewayInteraction(raw),
      });
    } else {
      // Mounted now, before the shared server listens: until the token is proven the route answers 503.
      this.mountHttp();
    }
  }

  async start(): Promise<void> {
    this.accepting = true;
    this.stopped = false;
    if (this.settings.guildId) await this.registerIntoGuild(this.settings.guildId);
    if (this.gateway) {
      await this.connectGateway(RETRY_MIN_MS);
      return;
    }
    await this.verifyToken(RETRY_MIN_MS);
  }

  async stop(): Promise<void> {
    this.accepting = false;
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.gateway?.destroy();
  }

  isReady(): boolean {
    return this.gateway ? this.gateway.isReady() : this.tokenVerified;
  }

  private onGatewayInteraction(raw: unknown): void {
    if (!this.accepting) return;
    const parsed = parseInteraction(raw);
    if (!parsed.ok) {
      this.logger.warn({ problem: parsed.problem }, 'discord: unreadable interaction ignored');
      return;
    }
    const inbound = parsed.inbound;
    const ref = 'ref' in inbound ? inbound.ref : undefined;
    const send = ref ? restCallback(this.rest, ref) : async () => undefined;
    void this.processor.process(inbound, send).catch((error: unknown) => this.logger.error({ error: loggableError(error) }, 'discord: interaction failed'));
  }

  private mountHttp(): void {
    const publicKey = this.settings.publicKey;
    if (!publicKey) throw new Error('DISCORD_PUBLIC_KEY is required for HTTP interactions');
    // The shared server cannot unmount a route; a stopped adapter answers 503 instead.
    mountHttpInteractions({
      http: this.deps.http,
      publicKey: publicKeyFromHex(publicKey),
      processor: this.processor,
      logger: this.logger,
      availability: () => (this.accepting && this.tokenVerified ? true : this.stopped ? 'stopping' : 'starting'),
    });
    this.logger.info(`discord: HTTP interactions at POST ${DISCORD_INTERACTIONS_PATH}`);
  }

  /** Guild commands appear at once (global ones are registered with `npm run register:discord`). */
  private async registerIntoGuild(guildId: string): Promise<void> {
    try {
      const count = await registerCommands(this.rest, this.settings.applicationId, this.deps.commands, guildId);
      this.logger.info({ guildId, count }, 'discord: commands registered in the server');
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 401) throw refusedToken();
      // The commands registered last time keep working; the bot still starts.
      this.logger.error({ error: loggableError(error), guildId }, 'discord: registering the commands in the server failed');
    }
  }

  /**
   * A refused token stops start-up with a clear line; Discord being unreachable does not: the
   * connection is tried again in the background.
   */
  private async connectGateway(retryInMs: number): Promise<void> {
    try {
      await this.gateway?.connect();
    } catch (error) {
      if (isTokenRefused(error)) throw refusedToken();
      this.later(error, retryInMs, (next) => this.connectGateway(next));
    }
  }

  /** HTTP mode has no login: `GET /users/@me` proves the token before the adapter reports ready. */
  private async verifyToken(retryInMs: number): Promise<void> {
    try {
      await this.rest.get(Routes.user('@me'));
      this.tokenVerified = true;
      this.logger.info('discord: bot token verified');
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 401) throw refusedToken();
      this.later(error, retryInMs, (next) => this.verifyToken(next));
    }
  }

  private later(error: unknown, retryInMs: number, again: (nextMs: number) => Promise<void>): void {
    if (!this.accepting) return;
    this.logger.warn({ error: loggableError(error), retryInMs }, 'discord: Discord is unreachable or answered unexpectedly; will retry');
    this.retry = setTimeout(() => {
      void again(Math.min(retryInMs * 2, RETRY_MAX_MS)).catch((fatal: unknown) => this.logger.error({ err: fatal }, 'discord: bot token refused'));
    }, retryInMs);
    this.retry.unref();
  }
}

function refusedToken(): Error {
  return new Error('DISCORD_TOKEN was refused by Discord (401); reset the token in the Developer Portal (Bot -> Reset Token)');
}
