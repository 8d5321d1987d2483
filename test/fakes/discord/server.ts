// A fake Discord on loopback: the REST routes the bot calls, a gateway (over `ws`) that says HELLO,
// READY and INTERACTION_CREATE and answers heartbeats, and the interaction lifecycle with Discord's
// rules (one initial response within 3 s, the right callback type for the interaction, follow-ups
// for 15 minutes). It refuses what real Discord refuses (PLATFORM-FACTS.md) and can answer 429 on
// demand. Tests read back every call, every message in its current version and every modal.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FAKE_DISCORD_LIMITS as L } from './limits.js';
import { isRecord, validateAutocompleteResult, validateCommands, validateMessage, validateModal } from './validator.js';

export type Json = Record<string, unknown>;

export interface FakeDiscordOptions {
  botToken?: string;
  applicationId?: string;
  guildId?: string;
  /** Server text channels the bot may post in (others are "Unknown Channel"). */
  channels?: string[];
  heartbeatIntervalMs?: number;
}

export interface DiscordUser {
  id: string;
  username: string;
  globalName?: string;
  locale?: string;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: Json[];
  components: Json[];
  /** 64 for ephemeral interaction replies. */
  flags: number;
  /** 1 when created, +1 for every edit. */
  version: number;
  /** For ephemeral replies: the only person who sees the message. */
  visibleTo?: string;
  /** A deferred reply that has not been edited yet ("opsdesk is thinking..."). */
  thinking: boolean;
  createdAt: number;
  /** Files sent with the message (multipart `files[n]`). */
  attachments: StoredAttachment[];
}

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
  description?: string;
}

/** A multipart part `files[n]` as it arrived. */
interface UploadedFile {
  index: number;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  userId: string;
  channelId: string;
  payload: Json;
  createdAt: number;
  /** The message a component sits on (and that a modal opened from it was opened from). */
  sourceMessageId?: string;
  initial?: { type: number; data?: Json; at: number };
  /** The message `@original` names once there is one. */
  originalMessageId?: string;
  /** What Discord refused about this interaction's responses and follow-ups. */
  problems: string[];
}

export interface ModalRecord {
  interactionId: string;
  data: Json;
  /** Set when the modal was opened from a component: its submission carries that message. */
  sourceMessageId?: string;
  openedAt: number;
}

export interface RecordedCall {
  method: string;
  /** The route with ids replaced, e.g. `POST /channels/:id/messages`. */
  route: string;
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  at: number;
}

/** Something Discord would have refused, kept for tests to assert on (and to fail loudly). */
export interface Refusal {
  route: string;
  status: number;
  code: number;
  problems: string[];
  at: number;
}

export type InjectedFailure = { status: 429; retryAfter: number; global?: boolean } | { status: number; code: number; message: string };

type Result = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (params: string[], body: unknown, request: { authorized: boolean; files: UploadedFile[] }) => Result;

interface RouteDef {
  method: string;
  pattern: RegExp;
  name: string;
  auth: boolean;
  handler: Handler;
}

const INTERACTION = { ping: 1, command: 2, component: 3, autocomplete: 4, modalSubmit: 5 } as const;
const CALLBACK = { pong: 1, message: 4, deferredMessage: 5, deferredUpdate: 6, updateMessage: 7, autocomplete: 8, modal: 9 } as const;

/** Which initial responses Discord accepts for which interaction. */
function allowedCallbacks(interaction: InteractionRecord): number[] {
  switch (interaction.type) {
    case INTERACTION.ping:
      return [CALLBACK.pong];
    case INTERACTION.command:
      return [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.modal];
    case INTERACTION.component:
      return [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.deferredUpdate, CALLBACK.updateMessage, CALLBACK.modal];
    case INTERACTION.autocomplete:
      return [CALLBACK.autocomplete];
    case INTERACTION.modalSubmit:
      // A modal cannot answer a modal; updating a message needs the message the modal came from.
      return interaction.sourceMessageId
        ? [CALLBACK.message, CALLBACK.deferredMessage, CALLBACK.deferredUpdate, CALLBACK.updateMessage]
        : [CALLBACK.message, CALLBACK.deferredMessage];
    default:
      return [];
  }
}

function error(status: number, code: number, message: string, problems: string[] = []): Result {
  return { status, body: { message, code, ...(problems.length > 0 ? { errors: { problems } } : {}) } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A multipart body as Discord reads it: the JSON in `payload_json` and the parts `files[n]`. */
async function readMultipart(raw: Buffer, contentType: string): Promise<{ body: unknown; files: UploadedFile[] }> {
  const form = await new Request('http://fake/multipart', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
  const payload = form.get('payload_json');
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    const match = /^files\[(\d+)\]$/.exec(name);
    if (!match || typeof value === 'string') continue;
    files.push({ index: Number(match[1]), filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { body: typeof payload === 'string' ? parseJson(payload) : undefined, files };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Snowflake-like ids, increasing, so that they sort like Discord's. */
let lastId = BigInt(Date.now() - 1_420_070_400_000) << 22n;
export function snowflake(): string {
  lastId += 1n;
  return lastId.toString();
}

export class FakeDiscordServer {
  readonly botToken: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly botUser: DiscordUser;
  readonly calls: RecordedCall[] = [];
  readonly refusals: Refusal[] = [];
  readonly modals: ModalRecord[] = [];
  readonly heartbeats: number[] = [];
  /** The commands as last registered: globally and per server. */
  readonly registered = { global: undefined as Json[] | undefined, guilds: new Map<string, Json[]>() };
  /** How often the gateway saw IDENTIFY with these intents. */
  readonly identifies: { intents: number; at: number }[] = [];

  private readonly server: Server;
  private readonly gateway: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private sequence = 0;
  private baseUrlValue = '';
  private readonly heartbeatIntervalMs: number;
  private readonly channels = new Set<string>();
  private readonly dmChannels = new Map<string, string>();
  private readonly messages = new Map<string, StoredMessage>();
  /** `enforce_nonce` creates: nonce -> the message it created and when. */
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly holds = new Map<string, Promise<void>>();
  /** People the bot cannot DM: 50007 (DMs closed, no shared server) or 10013 (the user is gone). */
  private readonly closedDms = new Map<string, 50007 | 10013>();
  private readonly routes: RouteDef[];

  private constructor(options: FakeDiscordOptions) {
    this.botToken = options.botToken ?? `${randomBytes(18).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(20).toString('base64url')}`;
    this.applicationId = options.applicationId ?? snowflake();
    this.guildId = options.guildId ?? snowflake();
    this.botUser = { id: this.applicationId, username: 'opsdesk' };
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    for (const channel of options.channels ?? []) this.channels.add(channel);
    this.routes = this.defineRoutes();
    this.server = createServer((req, res) => void this.route(req, res));
    this.gateway = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.gateway.on('connection', (socket, req) => this.onConnection(socket, req));
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscordServer> {
    const fake = new FakeDiscordServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', () => resolve()));
    fake.baseUrlValue = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** For DISCORD_API_URL: @discordjs/rest appends `/v10/...`. */
  get apiUrl(): string {
    return `${this.baseUrlValue}/api`;
  }

  get gatewayUrl(): string {
    return `${this.baseUrlValue.replace(/^http/, 'ws')}/gateway`;
  }

  // ---- what tests set up -------------------------------------------------------------------

  addChannel(id: string): void {
    this.channels.add(id);
  }

  /** Makes the next call of a route fail, e.g. `failNext('POST /channels/:id/messages', { status: 429, retryAfter: 1 })`. */
  failNext(route: string, failure: InjectedFailure): void {
    const queue = this.failures.get(route) ?? [];
    queue.push(failure);
    this.failures.set(route, queue);
  }

  /**
   * Keeps every call of a route waiting (like a slow Discord) until the returned function is called,
   * e.g. `hold('GET /users/@me')` keeps an HTTP-mode bot from proving its token.
   */
  hold(route: string): () => void {
    let release = () => undefined as void;
    this.holds.set(route, new Promise<void>((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(route);
      release();
    };
  }

  /**
   * Makes a person impossible to DM: with 50007 (default) the DM channel opens but every message to it
   * is refused with 403 "Cannot send messages to this user"; with 10013 opening it fails with 404
   * "Unknown User".
   */
  closeDms(userId: string, code: 50007 | 10013 = 50007): void {
    this.closedDms.set(userId, code);
  }

  /** Deletes a posted message: editing it then answers 404 with code 10008 "Unknown Message". */
  deleteMessage(id: string): void {
    if (!this.messages.delete(id)) throw new Error(`fake discord: no message ${id} to delete`);
  }

  // ---- what tests read back ----------------------------------------------------------------

  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((call) => call.route === route);
  }

  message(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** Messages everyone in the channel sees (not ephemeral replies). */
  messagesIn(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && (m.flags & 64) === 0);
  }

  /** Ephemeral replies only this user sees, oldest first. */
  ephemeralsFor(userId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.visibleTo === userId);
  }

  dmChannelOf(userId: string): string | undefined {
    return this.dmChannels.get(userId);
  }

  interaction(id: string): InteractionRecord | undefined {
    return this.interactions.get(id);
  }

  /** True while at least one bot session has identified and can receive interactions. */
  get hasGatewaySession(): boolean {
    return this.identifiedSockets().length > 0;
  }

  get connectedSockets(): number {
    return this.sockets.size;
  }

  async waitFor<T>(find: () => T | undefined, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error('fake discord: waited in vain');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  // ---- interactions ------------------------------------------------------------------------

  /**
   * A complete interaction payload as Discord sends it (in a server channel, from a member), with the
   * fields discord.js reads (`entitlements`, `authorizing_integration_owners`, `channel.id`).
   */
  mintInteraction(input: { type: number; user: DiscordUser; channelId: string; data?: Json; sourceMessageId?: string }): InteractionRecord {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${randomBytes(40).toString('base64url')}`;
    const user = { id: input.user.id, username: input.user.username, global_name: input.user.globalName ?? null, discriminator: '0', avatar: null };
    const source = input.sourceMessageId ? this.messages.get(input.sourceMessageId) : undefined;
    const dm = [...this.dmChannels.values()].includes(input.channelId);
    const payload: Json = {
      id,
      application_id: this.applicationId,
      type: input.type,
      token,
      version: 1,
      locale: input.user.locale ?? 'en-US',
      entitlements: [],
      authorizing_integration_owners: dm ? { '1': input.user.id } : { '0': this.guildId },
      context: dm ? 1 : 0,
      app_permissions: '2248473465835073',
      attachment_size_limit: 10_485_760,
      channel: dm ? { id: input.channelId, type: 1 } : { id: input.channelId, type: 0, guild_id: this.guildId, name: 'ops' },
      channel_id: input.channelId,
      ...(dm
        ? { user }
        : {
            guild_id: this.guildId,
            guild_locale: 'en-US',
            guild: { id: this.guildId, locale: 'en-US', features: [] },
            member: { user, nick: null, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, permissions: '2248473465835073' },
          }),
      ...(input.data ? { data: input.data } : {}),
      ...(source ? { message: this.apiMessage(source) } : {}),
    };
    const record: InteractionRecord = { id, token, type: input.type, userId: input.user.id, channelId: input.channelId, payload, createdAt: Date.now(), problems: [] };
    if (source) record.sourceMessageId = source.id;
    this.interactions.set(id, record);
    return record;
  }

  /** Sends INTERACTION_CREATE to every identified gateway session. */
  dispatchInteraction(record: InteractionRecord): void {
    if (this.identifiedSockets().length === 0) throw new Error('fake discord: no gateway session to send the interaction to');
    this.dispatch('INTERACTION_CREATE', record.payload);
  }

  /**
   * The body of the bot's HTTP answer to an interaction, taken as its initial response, under the same
   * rules as a callback over REST.
   */
  acceptHttpResponse(record: InteractionRecord, status: number, body: unknown): Result {
    if (status !== 200) return error(status, 0, `the bot answered HTTP ${status}`);
    return this.initialResponse(record, body, 'HTTP response');
  }

  /**
   * The file an embed of `message` shows as its image: the attachment its `image.url`
   * (`attachment://NAME`) names, as Discord resolves it; undefined when the embed has no image or
   * names no file sent with the message (Discord then shows none).
   */
  embedImage(message: StoredMessage, embedIndex = 0): StoredAttachment | undefined {
    const image = message.embeds[embedIndex]?.image;
    const url = isRecord(image) && typeof image.url === 'string' ? image.url : undefined;
    if (!url?.startsWith('attachment://')) return undefined;
    return message.attachments.find((a) => a.filename === url.slice('attachment://'.length));
  }

  /** The message a component sat on, as the API shows it. */
  apiMessage(message: StoredMessage): Json {
    return {
      id: message.id,
      channel_id: message.channelId,
      type: message.visibleTo ? 20 : 0,
      author: { id: this.botUser.id, username: this.botUser.username, discriminator: '0', global_name: null, avatar: null, bot: true },
      content: message.content,
      embeds: message.embeds,
      components: message.components,
      flags: message.flags,
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date(message.createdAt).toISOString(),
      edited_timestamp: message.version > 1 ? new Date().toISOString() : null,
    };
  }

  // ---- REST --------------------------------------------------------------------------------

  private defineRoutes(): RouteDef[] {
    const id = '(\\d+)';
    const token = '([A-Za-z0-9_.-]+)';
    const r = (method: string, path: string, name: string, auth: boolean, handler: Handler): RouteDef => ({
      method,
      pattern: new RegExp(`^${path}$`),
      name: `${method} ${name}`,
      auth,
      handler,
    });
    return [
      r('GET', '/gateway/bot', '/gateway/bot', true, () => this.gatewayBot()),
      r('GET', '/users/@me', '/users/@me', true, () => ({ status: 200, body: { id: this.botUser.id, username: this.botUser.username, bot: true, discriminator: '0' } })),
      r('PUT', `/applications/${id}/commands`, '/applications/:id/commands', true, ([app], body) => this.putCommands(app, undefined, body)),
      r('PUT', `/applications/${id}/guilds/${id}/commands`, '/applications/:id/guilds/:id/commands', true, ([app, guild], body) => this.putCommands(app, guild, body)),
      r('POST', '/users/@me/channels', '/users/@me/channels', true, (_p, body) => this.openDm(body)),
      r('POST', `/channels/${id}/messages`, '/channels/:id/messages', true, ([channel], body, request) => this.createMessage(channel ?? '', body, request.files)),
      r('PATCH', `/channels/${id}/messages/${id}`, '/channels/:id/messages/:id', true, ([channel, message], body) => this.editMessage(channel ?? '', message ?? '', body)),
      r('POST', `/interactions/${id}/${token}/callback`, '/interactions/:id/:token/callback', false, ([iid, itoken], body) => this.callback(iid ?? '', itoken ?? '', body)),
      r('PATCH', `/webhooks/${id}/${token}/messages/@original`, '/webhooks/:id/:token/messages/@original', false, ([app, itoken], body) =>
        this.editOriginal(app ?? '', itoken ?? '', body),
      ),
      r('POST', `/webhooks/${id}/${token}`, '/webhooks/:id/:token', false, ([app, itoken], body) => this.followUp(app ?? '', itoken ?? '', body)),
    ];
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    url.pathname = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const { body, files } = contentType.startsWith('multipart/form-data') ? await readMultipart(raw, contentType) : { body: parseJson(raw.toString('utf8')), files: [] };
    let result: Result;
    let routeName = `${method} ${url.pathname}`;
    const prefix = '/api/v10';
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
    const def = path === undefined ? undefined : this.routes.find((d) => d.method === method && d.pattern.test(path));
    if (!def || path === undefined) {
      result = error(404, 0, '404: Not Found');
    } else {
      routeName = def.name;
      await this.holds.get(def.name);
      const params = (def.pattern.exec(path) ?? []).slice(1);
      const authorized = req.headers.authorization === `Bot ${this.botToken}`;
      const failure = this.failures.get(def.name)?.shift();
      if (def.auth && !authorized) result = error(401, 0, '401: Unauthorized');
      else if (failure) result = this.injected(failure);
      else result = def.handler(params, body, { authorized, files });
    }
    if (result.status >= 400 && result.status !== 429) {
      const problems = isRecord(result.body) && isRecord(result.body.errors) && Array.isArray(result.body.errors.problems) ? result.body.errors.problems.map(String) : [];
      const code = isRecord(result.body) && typeof result.body.code === 'number' ? result.body.code : 0;
      this.refusals.push({ route: routeName, status: result.status, code, problems, at: Date.now() });
    }
    this.calls.push({ method, route: routeName, path: url.pathname, body, status: result.status, response: result.body, at: Date.now() });
    const headers = { ...(result.body === undefined ? {} : { 'content-type': 'application/json' }), ...result.headers };
    res.writeHead(result.status, headers).end(result.body === undefined ? undefined : JSON.stringify(result.body));
  }

  private injected(failure: InjectedFailure): Result {
    if (failure.status === 429 && 'retryAfter' in failure) {
      return {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: failure.retryAfter, global: failure.global ?? false },
        headers: {
          'retry-after': String(Math.ceil(failure.retryAfter)),
          'x-ratelimit-scope': failure.global ? 'global' : 'user',
          ...(failure.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      };
    }
    return 'code' in failure ? error(failure.status, failure.code, failure.message) : error(failure.status, 0, 'injected failure');
  }

  private gatewayBot(): Result {
    return { status: 200, body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } } };
  }

  private putCommands(app: string | undefined, guild: string | undefined, body: unknown): Result {
    if (app !== this.applicationId) return error(403, 50001, 'Missing Access');
    if (guild !== undefined && guild !== this.guildId) return error(403, 50001, 'Missing Access');
    const problems = validateCommands(body);
    if (problems.length > 0 || !Array.isArray(body)) return error(400, 50035, 'Invalid Form Body', problems);
    const commands = body.filter(isRecord).map((command) => ({ ...command, id: snowflake(), application_id: this.applicationId, version: snowflake() }));
    if (guild) this.registered.guilds.set(guild, commands);
    else this.registered.global = commands;
    return { status: 200, body: commands };
  }

  private openDm(body: unknown): Result {
    const recipient = isRecord(body) ? body.recipient_id : undefined;
    if (typeof recipient !== 'string' || !/^\d{17,20}$/.test(recipient)) return error(400, 50035, 'Invalid Form Body', ['recipient_id: must be a snowflake']);
    if (this.closedDms.get(recipient) === 10013) return error(404, 10013, 'Unknown User');
    let channel = this.dmChannels.get(recipient);
    if (!channel) {
      channel = snowflake();
      this.dmChannels.set(recipient, channel);
    }
    return { status: 200, body: { id: channel, type: 1, recipients: [{ id: recipient, username: `user${recipient.slice(-4)}` }] } };
  }

  private knownChannel(channel: string): boolean {
    return this.channels.has(channel) || [...this.dmChannels.values()].includes(channel);
  }

  private store(channelId: string, body: Json, extra: Partial<StoredMessage> = {}): StoredMessage {
    const message: StoredMessage = {
      id: snowflake(),
      channelId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? body.embeds.filter(isRecord) : [],
      components: Array.isArray(body.components) ? body.components.filter(isRecord) : [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      version: 1,
      thinking: false,
      createdAt: Date.now(),
      attachments: [],
      ...extra,
    };
    this.messages.set(message.id, message);
    return message;
  }

  /** Like Discord: fields left out of an edit keep their value. */
  private edit(message: StoredMessage, body: Json): StoredMessage {
    const next: StoredMessage = {
      ...message,
      content: typeof body.content === 'string' ? body.content : message.content,
      embeds: Array.isArray(body.embeds) ? body.embeds.filter(isRecord) : message.embeds,
      components: Array.isArray(body.components) ? body.components.filter(isRecord) : message.components,
      version: message.version + 1,
      thinking: false,
    };
    this.messages.set(message.id, next);
    return next;
  }

  private createMessage(channel: string, body: unknown, files: UploadedFile[] = []): Result {
    if (!this.knownChannel(channel)) return error(404, 10003, 'Unknown Channel');
    for (const [user, code] of this.closedDms) {
      if (code === 50007 && this.dmChannels.get(user) === channel) return error(403, 50007, 'Cannot send messages to this user');
    }
    const problems = validateMessage(body, { create: true });
    if (problems.length > 0 || !isRecord(body)) return error(400, 50035, 'Invalid Form Body', problems);
    // Every message here is the bot's, so the author half of Discord's (author, nonce) key is implied.
    const nonce = body.enforce_nonce === true ? String(body.nonce) : undefined;
    const earlier = nonce === undefined ? undefined : this.nonces.get(nonce);
    const first = earlier && Date.now() - earlier.at <= L.nonceWindowMs ? this.messages.get(earlier.messageId) : undefined;
    if (first) return { status: 200, body: this.apiMessage(first) };
    const attached = this.attachments(body, files);
    if ('refusal' in attached) return attached.refusal;
    const created = this.store(channel, body, { attachments: attached.list });
    if (nonce !== undefined) this.nonces.set(nonce, { messageId: created.id, at: created.createdAt });
    return { status: 200, body: this.apiMessage(created) };
  }

  /**
   * Files of a new message: each `files[n]` part, described by `attachments[{id: n, filename,
   * description}]` in the payload when given; 25 MiB in all (a bot without boosts), 10 files.
   */
  private attachments(body: Json, files: UploadedFile[]): { list: StoredAttachment[] } | { refusal: Result } {
    const described = Array.isArray(body.attachments) ? body.attachments.filter(isRecord) : [];
    const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
    if (total > L.attachmentBytes) return { refusal: error(413, 40005, 'Request entity too large') };
    if (files.length > L.attachmentsPerMessage) return { refusal: error(400, 50035, 'Invalid Form Body', ['files: at most 10']) };
    for (const meta of described) {
      if (!files.some((f) => String(f.index) === String(meta.id))) return { refusal: error(400, 50035, 'Invalid Form Body', [`attachments.${String(meta.id)}: no files[${String(meta.id)}] part`]) };
    }
    return {
      list: files.map((f) => {
        const meta = described.find((d) => String(d.id) === String(f.index));
        const filename = typeof meta?.filename === 'string' ? meta.filename : f.filename;
        return { id: snowflake(), filename, contentType: f.contentType, bytes: f.bytes, ...(typeof meta?.description === 'string' ? { description: meta.description } : {}) };
      }),
    };
  }

  private editMessage(channel: string, id: string, body: unknown): Result {
    const message = this.messages.get(id);
    if (!this.knownChannel(channel)) return error(404, 10003, 'Unknown Channel');
    if (!message || message.channelId !== channel || message.visibleTo) return error(404, 10008, 'Unknown Message');
    const problems = validateMessage(body, { partial: true });
    if (problems.length > 0 || !isRecord(body)) return error(400, 50035, 'Invalid Form Body', problems);
    return { status: 200, body: this.apiMessage(this.edit(message, body)) };
  }

  // ---- the interaction lifecycle -----------------------------------------------------------

  private callback(id: string, token: string, body: unknown): Result {
    const record = this.interactions.get(id);
    if (!record || record.token !== token) return error(404, 10062, 'Unknown interaction');
    return this.initialResponse(record, body, 'callback');
  }

  private initialResponse(record: InteractionRecord, body: unknown, how: string): Result {
    const result = this.judgeInitialResponse(record, body, how);
    if (result.status >= 400) record.problems.push(`${how}: ${JSON.stringify(result.body)}`);
    return result;
  }

  private judgeInitialResponse(record: InteractionRecord, body: unknown, how: string): Result {
    const elapsed = Date.now() - record.createdAt;
    if (record.initial) return error(400, 40060, 'Interaction has already been acknowledged.', [`second initial response (${how})`]);
    // Past 3 seconds the token is invalidated: the person saw "This interaction failed".
    if (elapsed > L.initialResponseMs) return error(404, 10062, 'Unknown interaction', [`initial response after ${elapsed} ms (${how})`]);
    if (!isRecord(body) || typeof body.type !== 'number') return error(400, 50035, 'Invalid Form Body', ['type: required']);
    if (!allowedCallbacks(record).includes(body.type)) {
      return error(400, 50035, 'Invalid Form Body', [`callback type ${body.type} is not valid for interaction type ${record.type}`]);
    }
    const data = isRecord(body.data) ? body.data : undefined;
    const problems = this.checkCallbackData(record, body.type, data);
    if (problems.length > 0) return error(400, 50035, 'Invalid Form Body', problems);
    record.initial = { type: body.type, at: Date.now(), ...(data ? { data } : {}) };
    switch (body.type) {
      case CALLBACK.message:
      case CALLBACK.deferredMessage: {
        const message = this.store(record.channelId, data ?? {}, {
          ...(((data?.flags as number | undefined) ?? 0) & 64 ? { visibleTo: record.userId } : {}),
          thinking: body.type === CALLBACK.deferredMessage,
        });
        record.originalMessageId = message.id;
        break;
      }
      case CALLBACK.updateMessage: {
        const source = record.sourceMessageId ? this.messages.get(record.sourceMessageId) : undefined;
        if (source && data) this.edit(source, data);
        record.originalMessageId = record.sourceMessageId;
        break;
      }
      case CALLBACK.deferredUpdate:
        record.originalMessageId = record.sourceMessageId;
        break;
      case CALLBACK.modal:
        this.modals.push({ interactionId: record.id, data: data ?? {}, openedAt: Date.now(), ...(record.type === INTERACTION.component && record.sourceMessageId ? { sourceMessageId: record.sourceMessageId } : {}) });
        break;
    }
    return { status: 204 };
  }

  private checkCallbackData(record: InteractionRecord, type: number, data: Json | undefined): string[] {
    switch (type) {
      case CALLBACK.message:
        return validateMessage(data, { allowEphemeral: true });
      case CALLBACK.updateMessage:
        return validateMessage(data, { partial: true });
      case CALLBACK.deferredMessage:
        return data === undefined ? [] : validateMessage(data, { partial: true, allowEphemeral: true });
      case CALLBACK.modal:
        return validateModal(data);
      case CALLBACK.autocomplete:
        return validateAutocompleteResult(data);
      default:
        return record.type === INTERACTION.ping || data === undefined ? [] : ['data: not expected'];
    }
  }

  private webhookRecord(app: string, token: string): InteractionRecord | Result {
    const record = [...this.interactions.values()].find((r) => r.token === token);
    if (app !== this.applicationId || !record) return error(404, 10015, 'Unknown Webhook');
    if (Date.now() - record.createdAt > L.followUpMs) return error(401, 50027, 'Invalid Webhook Token');
    if (!record.initial) return error(404, 10015, 'Unknown Webhook', ['follow-up before the initial response']);
    return record;
  }

  private editOriginal(app: string, token: string, body: unknown): Result {
    const found = this.webhookRecord(app, token);
    if ('status' in found) return found;
    const result = this.judgeEditOriginal(found, body);
    if (result.status >= 400) found.problems.push(`edit @original: ${JSON.stringify(result.body)}`);
    return result;
  }

  private judgeEditOriginal(found: InteractionRecord, body: unknown): Result {
    const original = found.originalMessageId ? this.messages.get(found.originalMessageId) : undefined;
    if (!original) return error(404, 10008, 'Unknown Message', ['@original: this interaction has no message to edit']);
    // Editing a deferred "thinking" reply creates its content: it must not be empty.
    const problems = validateMessage(body, { partial: !original.thinking });
    if (problems.length > 0 || !isRecord(body)) return error(400, 50035, 'Invalid Form Body', problems);
    return { status: 200, body: this.apiMessage(this.edit(original, body)) };
  }

  private followUp(app: string, token: string, body: unknown): Result {
    const found = this.webhookRecord(app, token);
    if ('status' in found) return found;
    const problems = validateMessage(body, { allowEphemeral: true });
    if (problems.length > 0 || !isRecord(body)) {
      found.problems.push(`follow-up: ${problems.join('; ')}`);
      return error(400, 50035, 'Invalid Form Body', problems);
    }
    const ephemeral = ((body.flags as number | undefined) ?? 0) & 64;
    return { status: 200, body: this.apiMessage(this.store(found.channelId, body, ephemeral ? { visibleTo: found.userId } : {})) };
  }

  // ---- gateway -----------------------------------------------------------------------------

  private identifiedSockets(): WebSocket[] {
    return [...this.sockets].filter((s) => Reflect.get(s, 'identified') === true);
  }

  private send(socket: WebSocket, payload: Json): void {
    socket.send(JSON.stringify(payload));
  }

  private dispatch(event: string, data: unknown): void {
    for (const socket of this.identifiedSockets()) {
      this.sequence += 1;
      this.send(socket, { op: 0, t: event, s: this.sequence, d: data });
    }
  }

  private onConnection(socket: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? '/', 'http://fake').searchParams;
    if (query.get('v') !== '10' || query.get('encoding') !== 'json') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (raw: Buffer) => this.onGatewayMessage(socket, raw.toString('utf8')));
    this.send(socket, { op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null });
  }

  private onGatewayMessage(socket: WebSocket, raw: string): void {
    const payload = parseJson(raw);
    if (!isRecord(payload)) {
      socket.close(4002, 'Decode error');
      return;
    }
    switch (payload.op) {
      case 1:
        this.heartbeats.push(Date.now());
        this.send(socket, { op: 11, d: null, s: null, t: null });
        return;
      case 2: {
        const d = isRecord(payload.d) ? payload.d : {};
        if (d.token !== this.botToken) {
          socket.close(4004, 'Authentication failed');
          return;
        }
        if (typeof d.intents !== 'number' || !isRecord(d.properties)) {
          socket.close(4002, 'Decode error');
          return;
        }
        this.identifies.push({ intents: d.intents, at: Date.now() });
        Reflect.set(socket, 'identified', true);
        this.sequence += 1;
        this.send(socket, {
          op: 0,
          t: 'READY',
          s: this.sequence,
          d: {
            v: 10,
            user: { id: this.botUser.id, username: this.botUser.username, discriminator: '0', global_name: null, avatar: null, bot: true, verified: true, flags: 0 },
            guilds: [],
            session_id: randomBytes(16).toString('hex'),
            resume_gateway_url: this.gatewayUrl,
            application: { id: this.applicationId, flags: 0 },
            shard: [0, 1],
            private_channels: [],
            relationships: [],
            user_settings: {},
            presences: [],
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
          },
        });
        return;
      }
      case 6:
        // Resuming is not offered: the client identifies again.
        this.send(socket, { op: 9, d: false, s: null, t: null });
        return;
      default:
        return;
    }
  }
}
