// A fake Slack on loopback: the Web API methods the bot calls, response_url endpoints, and the
// one-shot trigger_ids, refusing what real Slack refuses (PLATFORM-FACTS.md). Tests read back every
// call and the current state of every message.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord, validateHomeView, validateMessage, validateView, type SlackRefusal } from './block-validator.js';
import { FAKE_SLACK_LIMITS as L } from './limits.js';

export type ApiBody = Record<string, unknown>;

export interface RecordedCall {
  /** A Web API method (`chat.postMessage`), or `response_url`. */
  method: string;
  body: ApiBody;
  at: number;
  /** What the fake answered: the JSON body, plus the HTTP status. */
  status: number;
  response: ApiBody;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** 1 when posted, +1 for every chat.update. */
  version: number;
  /** chat.postMessage's `metadata`, returned by conversations.history with include_all_metadata. */
  metadata?: { event_type: string; event_payload: ApiBody };
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks: unknown[];
}

export interface OpenedView {
  id: string;
  triggerId: string;
  view: ApiBody;
  openedAt: number;
}

/** A user's published Home tab: the current view and how often it was published. */
export interface PublishedHome {
  userId: string;
  view: ApiBody;
  /** 1 at the first views.publish, +1 for each later one. */
  version: number;
  /** When each publication arrived (ms since the epoch). */
  publishedAt: number[];
}

export interface ResponseUrlPost {
  url: string;
  body: ApiBody;
  at: number;
}

export interface FakeUser {
  id: string;
  name: string;
  /** Slack's spelling (`zh-CN`, `en-US`); users.info gives it only when asked with `include_locale`. */
  locale?: string;
}

/** An answer to force on the next call of a method. */
export type InjectedFailure = { status: 429; retryAfter: number } | { error: string };

export interface FakeSlackOptions {
  botToken?: string;
  /** How long a minted trigger_id stays usable (Slack: 3 s). */
  triggerIdTtlMs?: number;
  /** The bot token's scopes; conversations.history needs the `…:history` one of the conversation type. */
  scopes?: string[];
}

const HISTORY_SCOPES: Record<string, string> = { C: 'channels:history', G: 'groups:history', D: 'im:history' };
const DEFAULT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'im:write', 'users:read', ...Object.values(HISTORY_SCOPES), 'mpim:history'];

interface TriggerState {
  mintedAt: number;
  used: boolean;
}

interface ResponseUrlState {
  mintedAt: number;
  uses: number;
}

type ApiResult = { status: number; body: ApiBody; headers?: Record<string, string> };
type MethodHandler = (body: ApiBody) => ApiResult;

const BOT_USER_ID = 'UBOTFAKE';
const TEAM_ID = 'T0FAKE';
/** Fields the SDK sends JSON-encoded inside form bodies. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata', 'files'];

function ok(body: ApiBody = {}): ApiResult {
  return { status: 200, body: { ok: true, ...body } };
}

function refused(error: string, problems?: string[]): ApiResult {
  return { status: 200, body: { ok: false, error, ...(problems ? { response_metadata: { messages: problems } } : {}) } };
}

function refusal(result: SlackRefusal): ApiResult {
  return refused(result.error, result.problems);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The bytes of an upload: a multipart body's first file part (as the SDK sends it), or the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string): Promise<Buffer> {
  if (!contentType.startsWith('multipart/form-data')) return raw;
  const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData();
  for (const value of form.values()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return Buffer.alloc(0);
}

/** Form bodies like the SDK sends them, or JSON bodies; nested JSON fields are decoded like Slack does. */
function parseApiBody(raw: string, contentType: string): ApiBody | undefined {
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(raw || '{}');
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  const body: ApiBody = Object.fromEntries(new URLSearchParams(raw));
  for (const field of JSON_FIELDS) {
    const value = body[field];
    if (typeof value !== 'string') continue;
    try {
      body[field] = JSON.parse(value);
    } catch {
      // Left as a string: the validators refuse it as badly formatted, as Slack would.
    }
  }
  return body;
}

/** A file announced by files.getUploadURLExternal, then uploaded, then shared by completeUploadExternal. */
export interface FakeFile {
  id: string;
  filename: string;
  /** The length announced; the upload must match it. */
  length: number;
  bytes?: Buffer;
  title?: string;
  /** Set once completeUploadExternal shared it. */
  channel?: string;
  initialComment?: string;
  /** The blocks the share was posted with (files.completeUploadExternal `blocks`, without an initial comment). */
  blocks?: unknown[];
}

export class FakeSlackServer {
  readonly botToken: string;
  /** Every file, by id, in the state the upload flow left it. */
  readonly files = new Map<string, FakeFile>();
  readonly calls: RecordedCall[] = [];
  readonly ephemerals: StoredEphemeral[] = [];
  readonly views: OpenedView[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly homes = new Map<string, PublishedHome>();

  private readonly server: Server;
  private baseUrlValue = '';
  private readonly messages = new Map<string, StoredMessage>();
  private readonly dmChannels = new Map<string, string>();
  private readonly users = new Map<string, FakeUser>();
  private readonly triggers = new Map<string, TriggerState>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly delays = new Map<string, number[]>();
  /** People the bot can never DM, with the error Slack gives (`user_disabled`, `cannot_dm_bot`...). */
  private readonly unreachable = new Map<string, string>();
  private readonly triggerIdTtlMs: number;
  private readonly scopes: Set<string>;
  private sequence = 0;
  private readonly methods: Record<string, MethodHandler> = {
    'auth.test': () => this.authTest(),
    'chat.postMessage': (body) => this.postMessage(body),
    'chat.update': (body) => this.update(body),
    'chat.postEphemeral': (body) => this.postEphemeral(body),
    'views.open': (body) => this.openView(body),
    'views.publish': (body) => this.publishView(body),
    'conversations.open': (body) => this.openConversation(body),
    'conversations.history': (body) => this.history(body),
    'users.info': (body) => this.userInfo(body),
    'files.getUploadURLExternal': (body) => this.getUploadUrl(body),
    'files.completeUploadExternal': (body) => this.completeUpload(body),
  };

  private constructor(options: FakeSlackOptions) {
    this.botToken = options.botToken ?? 'xoxb-fake-bot-token';
    this.triggerIdTtlMs = options.triggerIdTtlMs ?? L.triggerIdTtlMs;
    this.scopes = new Set(options.scopes ?? DEFAULT_SCOPES);
    this.server = createServer((req, res) => void this.route(req, res));
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlackServer> {
    const fake = new FakeSlackServer(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', () => resolve()));
    fake.baseUrlValue = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get baseUrl(): string {
    return this.baseUrlValue;
  }

  /** For SLACK_API_URL: the SDK appends method names to it. */
  get apiUrl(): string {
    return `${this.baseUrlValue}/api/`;
  }

  get botUserId(): string {
    return BOT_USER_ID;
  }

  get teamId(): string {
    return TEAM_ID;
  }

  // ---- what tests set up -------------------------------------------------------------------

  /** Makes the next call of `method` fail: `{status: 429, retryAfter}` or `{error: 'channel_not_found'}`. */
  failNext(method: string, failure: InjectedFailure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  /**
   * Makes the next call of `method` slow, as Slack sometimes is: the fake waits `ms` before it handles
   * the call, so its effect (a message stored, and shown by conversations.history) and its answer come
   * only then. A client that gave up waiting sooner never sees the answer, but the call still takes
   * effect: a timeout on the caller's side says nothing about whether Slack posted.
   */
  delayNext(method: string, ms: number): void {
    const queue = this.delays.get(method) ?? [];
    queue.push(ms);
    this.delays.set(method, queue);
  }

  /**
   * Makes a person impossible to DM from now on, as a deactivated account, a bot or a deleted user is:
   * conversations.open and posts to their DM channel answer `error` (default `user_disabled`).
   */
  makeUnreachable(userId: string, error = 'user_disabled'): void {
    this.unreachable.set(userId, error);
  }

  /** Deletes a posted message, as a person with the rights can: chat.update then answers `message_not_found`. */
  deleteMessage(channel: string, ts: string): void {
    if (!this.messages.delete(`${channel}/${ts}`)) throw new Error(`fake slack: no message ${channel}/${ts} to delete`);
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  /** Adds the user unless one with that id is known already (then it is left as the test set it up). */
  addUserUnlessKnown(user: FakeUser): void {
    if (!this.users.has(user.id)) this.users.set(user.id, user);
  }

  /** A trigger_id as Slack puts in a command or click: one views.open within 3 seconds. */
  mintTriggerId(): string {
    const id = `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { mintedAt: Date.now(), used: false });
    return id;
  }

  /** A response_url as Slack puts in a command or click: 5 uses within 30 minutes. */
  mintResponseUrl(): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { mintedAt: Date.now(), uses: 0 });
    return `${this.baseUrlValue}/response/${id}`;
  }

  // ---- what tests read back ----------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** The current version of a posted message. */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  messagesIn(channel: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** The DM channel conversations.open gave for this user, if it was opened. */
  dmChannelOf(userId: string): string | undefined {
    return this.dmChannels.get(userId);
  }

  lastView(): OpenedView | undefined {
    return this.views.at(-1);
  }

  /** Polls until `find` returns something (side effects the bot performs after its ack). */
  async waitFor<T>(find: () => T | undefined, timeoutMs = 2_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error('fake slack: waited in vain');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const bytes = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const isUpload = path.startsWith('/upload/') && req.method === 'POST';
    const body = isUpload ? {} : (parseApiBody(bytes.toString('utf8'), contentType) ?? {});
    let result: ApiResult;
    let method: string;
    if (isUpload) {
      method = 'upload_url';
      result = await this.receiveUpload(path.slice('/upload/'.length), bytes, contentType);
    } else if (path.startsWith('/api/') && req.method === 'POST') {
      method = path.slice('/api/'.length);
      const delayMs = this.delays.get(method)?.shift();
      if (delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, delayMs));
      result = this.api(method, body, req.headers.authorization, contentType.startsWith('application/json'));
    } else if (path.startsWith('/response/') && req.method === 'POST') {
      method = 'response_url';
      result = this.respond(path.slice('/response/'.length), body);
    } else {
      method = `${req.method ?? 'GET'} ${path}`;
      result = { status: 404, body: { ok: false, error: 'not_found' } };
    }
    this.calls.push({ method, body, at: Date.now(), status: result.status, response: result.body });
    // The caller may have given up on a slow call; the call took effect all the same.
    if (req.socket.destroyed) return;
    res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers }).end(JSON.stringify(result.body));
  }

  private api(method: string, body: ApiBody, authorization: string | undefined, isJson: boolean): ApiResult {
    // Slack reads the token from the Authorization header, or (form bodies only) from a token field.
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : isJson ? undefined : str(body.token);
    if (!token) return refused('not_authed');
    if (token !== this.botToken) return refused('invalid_auth');
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('status' in failure) {
        return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(failure.retryAfter) } };
      }
      return refused(failure.error);
    }
    const handler = this.methods[method];
    return handler ? handler(body) : refused('unknown_method');
  }

  // ---- Web API methods ---------------------------------------------------------------------

  private authTest(): ApiResult {
    return ok({
      url: 'https://fake.slack.test/',
      team: 'Fake Team',
      user: 'opsdesk',
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: 'BFAKE',
    });
  }

  /** Public and private channels are taken on trust; DM channels must have been opened; a user id posts to their DM. */
  private resolveChannel(channel: unknown): string | undefined {
    const id = str(channel);
    if (!id) return undefined;
    if (/^[CG][A-Z0-9]{2,}$/.test(id)) return id;
    if (/^D[A-Z0-9]{2,}$/.test(id)) return [...this.dmChannels.values()].includes(id) ? id : undefined;
    if (/^[UW][A-Z0-9]{2,}$/.test(id)) return this.dmChannelFor(id);
    return undefined;
  }

  private dmChannelFor(userId: string): string {
    const existing = this.dmChannels.get(userId);
    if (existing) return existing;
    const channel = `D${userId.slice(1)}${this.dmChannels.size}`.toUpperCase();
    this.dmChannels.set(userId, channel);
    return channel;
  }

  private nextTs(): string {
    this.sequence += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
  }

  /** The error a post to this channel gets when it is the DM of a person who cannot be reached. */
  private unreachableDm(channel: string): string | undefined {
    for (const [user, error] of this.unreachable) if (this.dmChannels.get(user) === channel) return error;
    return undefined;
  }

  private postMessage(body: ApiBody): ApiResult {
    const id = str(body.channel);
    const direct = id ? this.unreachable.get(id) : undefined;
    if (direct) return refused(direct);
    const channel = this.resolveChannel(body.channel);
    if (!channel) return refused('channel_not_found');
    const closed = this.unreachableDm(channel);
    if (closed) return refused(closed);
    const invalid = validateMessage(body);
    if (invalid) return refusal(invalid);
    const metadata = body.metadata;
    if (metadata !== undefined && !isRecord(metadata)) return refused('invalid_metadata_format');
    if (metadata !== undefined && (typeof metadata.event_type !== 'string' || !metadata.event_type || !isRecord(metadata.event_payload))) {
      return refused('invalid_metadata_schema');
    }
    const message: StoredMessage = {
      channel,
      ts: this.nextTs(),
      text: typeof body.text === 'string' ? body.text.slice(0, L.messageText) : '',
      blocks: Array.isArray(body.blocks) ? body.blocks : [],
      version: 1,
      ...(metadata ? { metadata: { event_type: String(metadata.event_type), event_payload: metadata.event_payload as ApiBody } } : {}),
    };
    this.messages.set(`${channel}/${message.ts}`, message);
    const posted = { type: 'message', user: BOT_USER_ID, text: message.text, blocks: message.blocks, ts: message.ts };
    return ok({ channel, ts: message.ts, message: posted });
  }

  private update(body: ApiBody): ApiResult {
    const channel = this.resolveChannel(body.channel);
    if (!channel) return refused('channel_not_found');
    const closed = this.unreachableDm(channel);
    if (closed) return refused(closed);
    const ts = str(body.ts);
    const current = ts ? this.messages.get(`${channel}/${ts}`) : undefined;
    if (!current) return refused('message_not_found');
    const invalid = validateMessage(body);
    if (invalid) return refusal(invalid);
    // Like Slack: fields left out keep their old value.
    const next: StoredMessage = {
      ...current,
      text: typeof body.text === 'string' ? body.text.slice(0, L.messageText) : current.text,
      blocks: Array.isArray(body.blocks) ? body.blocks : current.blocks,
      version: current.version + 1,
    };
    this.messages.set(`${channel}/${current.ts}`, next);
    return ok({ channel, ts: current.ts, text: next.text });
  }

  private postEphemeral(body: ApiBody): ApiResult {
    const channel = this.resolveChannel(body.channel);
    if (!channel) return refused('channel_not_found');
    const user = str(body.user);
    if (!user) return refused('user_not_found');
    const invalid = validateMessage(body);
    if (invalid) return refusal(invalid);
    const ts = this.nextTs();
    const text = typeof body.text === 'string' ? body.text : '';
    this.ephemerals.push({ channel, user, ts, text, blocks: Array.isArray(body.blocks) ? body.blocks : [] });
    return ok({ message_ts: ts });
  }

  private openView(body: ApiBody): ApiResult {
    const triggerId = str(body.trigger_id);
    const trigger = triggerId ? this.triggers.get(triggerId) : undefined;
    if (!triggerId || !trigger) return refused('invalid_trigger_id');
    if (trigger.used) return refused('exchanged_trigger_id');
    if (Date.now() - trigger.mintedAt > this.triggerIdTtlMs) return refused('expired_trigger_id');
    const invalid = validateView(body.view);
    if (invalid) return refusal(invalid);
    if (!isRecord(body.view)) return refused('invalid_arguments');
    trigger.used = true;
    const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const hash = randomBytes(8).toString('hex');
    const view: ApiBody = { ...body.view, id, team_id: TEAM_ID, state: { values: {} }, hash, app_id: 'AFAKE', bot_id: 'BFAKE' };
    this.views.push({ id, triggerId, view, openedAt: Date.now() });
    return ok({ view });
  }

  /** views.publish: a user's Home tab, validated like Slack validates it (PLATFORM-FACTS.md, App Home). */
  private publishView(body: ApiBody): ApiResult {
    const userId = str(body.user_id);
    if (!userId || !/^[UW][A-Z0-9]{2,}$/.test(userId)) return refused('invalid_arguments', ['user_id: must be a user id']);
    const invalid = validateHomeView(body.view);
    if (invalid) return refusal(invalid);
    if (!isRecord(body.view)) return refused('invalid_arguments');
    const previous = this.homes.get(userId);
    const id = previous ? String(previous.view.id) : `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const view: ApiBody = { ...body.view, id, team_id: TEAM_ID, state: { values: {} }, hash: randomBytes(8).toString('hex'), app_id: 'AFAKE', bot_id: 'BFAKE' };
    this.homes.set(userId, { userId, view, version: (previous?.version ?? 0) + 1, publishedAt: [...(previous?.publishedAt ?? []), Date.now()] });
    return ok({ view });
  }

  private openConversation(body: ApiBody): ApiResult {
    const users = str(body.users)?.split(',').map((u) => u.trim()) ?? [];
    const [user] = users;
    if (!user || users.length !== 1 || !/^[UW][A-Z0-9]{2,}$/.test(user)) return refused('users_not_found');
    const unreachable = this.unreachable.get(user);
    if (unreachable) return refused(unreachable);
    return ok({ channel: { id: this.dmChannelFor(user) } });
  }

  /**
   * Newest first, `oldest` and `latest` exclusive, `limit` 1-999 (default 100) with a cursor;
   * metadata only with `include_all_metadata` (form bodies carry booleans as text).
   */
  private history(body: ApiBody): ApiResult {
    const channel = this.resolveChannel(body.channel);
    if (!channel || /^[UW]/.test(String(body.channel))) return refused('channel_not_found');
    const needed = HISTORY_SCOPES[channel[0] ?? ''] ?? 'channels:history';
    if (!this.scopes.has(needed)) return { status: 200, body: { ok: false, error: 'missing_scope', needed, provided: [...this.scopes].join(',') } };
    const limit = body.limit === undefined ? 100 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > L.historyLimitMax) return refused('invalid_limit');
    const oldest = Number(body.oldest ?? 0);
    const latest = body.latest === undefined ? Number.POSITIVE_INFINITY : Number(body.latest);
    const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
    const matching = this.messagesIn(channel)
      .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const offset = typeof body.cursor === 'string' ? Number(Buffer.from(body.cursor, 'base64').toString('utf8').replace('offset:', '')) : 0;
    if (!Number.isInteger(offset) || offset < 0) return refused('invalid_cursor');
    const page = matching.slice(offset, offset + limit);
    const hasMore = offset + limit < matching.length;
    const messages = page.map((m) => ({
      type: 'message',
      user: BOT_USER_ID,
      text: m.text,
      blocks: m.blocks,
      ts: m.ts,
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    }));
    return ok({
      messages,
      has_more: hasMore,
      ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(`offset:${offset + limit}`).toString('base64') } } : {}),
    });
  }

  /**
   * users.info: `user_not_found` for an id it does not know; the `locale` only with `include_locale`
   * true (https://api.slack.com/methods/users.info: "If you don't include the parameter, no locale
   * will be provided"), which form bodies carry as text.
   */
  private userInfo(body: ApiBody): ApiResult {
    const id = str(body.user);
    const user = id ? this.users.get(id) : undefined;
    if (!user) return refused('user_not_found');
    const withLocale = body.include_locale === true || body.include_locale === 'true';
    return ok({
      user: {
        id: user.id,
        name: user.name,
        real_name: user.name,
        tz: 'UTC',
        profile: { display_name: user.name, real_name: user.name },
        ...(withLocale && user.locale ? { locale: user.locale } : {}),
      },
    });
  }

  // ---- the file upload flow ------------------------------------------------------------------

  /** Files whose upload completed and that were shared in `channel`. */
  filesIn(channel: string): FakeFile[] {
    return [...this.files.values()].filter((f) => f.channel === channel);
  }

  private getUploadUrl(body: ApiBody): ApiResult {
    const filename = str(body.filename);
    const length = Number(body.length);
    if (!filename) return refused('invalid_arguments', ['[ERROR] missing required field: filename']);
    if (!Number.isInteger(length) || length < 1) return refused('invalid_arguments', ['[ERROR] length must be a positive integer']);
    if (length > L.fileMaxBytes) return refused('file_too_large');
    const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
    this.files.set(id, { id, filename, length });
    return ok({ upload_url: `${this.baseUrlValue}/upload/${id}`, file_id: id });
  }

  /** The upload URL answers 200 with a plain body, like Slack's; a size other than announced is refused. */
  private async receiveUpload(id: string, raw: Buffer, contentType: string): Promise<ApiResult> {
    const file = this.files.get(id);
    if (!file || file.bytes) return { status: 404, body: { ok: false, error: 'invalid_upload_url' } };
    const bytes = await uploadedBytes(raw, contentType);
    if (bytes.length !== file.length) return { status: 400, body: { ok: false, error: 'length_mismatch' } };
    file.bytes = bytes;
    return { status: 200, body: { ok: true } };
  }

  private completeUpload(body: ApiBody): ApiResult {
    const list = body.files;
    if (!Array.isArray(list) || list.length === 0 || list.length > L.filesPerComplete) return refused('invalid_arguments', ['[ERROR] files must be a list of 1-10 {id, title}']);
    const channelArg = body.channel_id ?? body.channels;
    const channel = channelArg === undefined ? undefined : this.resolveChannel(channelArg);
    if (channelArg !== undefined && !channel) return refused('channel_not_found');
    const comment = typeof body.initial_comment === 'string' ? body.initial_comment : undefined;
    if (comment && comment.length > L.messageText) return refused('msg_too_long');
    // Slack ignores blocks when an initial comment is given; otherwise they are checked like a message's.
    const blocks = comment === undefined && body.blocks !== undefined ? body.blocks : undefined;
    if (blocks !== undefined) {
      const invalid = validateMessage({ blocks });
      if (invalid) return refused(invalid.error, invalid.problems);
    }
    const files: FakeFile[] = [];
    for (const entry of list) {
      const id = isRecord(entry) ? str(entry.id) : undefined;
      const file = id ? this.files.get(id) : undefined;
      if (!file) return refused('file_not_found');
      if (!file.bytes) return refused('file_upload_incomplete');
      if (file.channel) return refused('file_already_completed');
      files.push(file);
    }
    for (const [i, file] of files.entries()) {
      const entry: unknown = list[i];
      const title = isRecord(entry) ? str(entry.title) : undefined;
      if (title) file.title = title;
      if (channel) file.channel = channel;
      if (comment) file.initialComment = comment;
      if (Array.isArray(blocks)) file.blocks = blocks;
    }
    return ok({ files: files.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename, size: f.length })) });
  }

  // ---- response_url ------------------------------------------------------------------------

  private respond(id: string, body: ApiBody): ApiResult {
    const state = this.responseUrls.get(id);
    if (!state) return { status: 404, body: { ok: false, error: 'invalid_url' } };
    if (Date.now() - state.mintedAt > L.responseUrlTtlMs) return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (state.uses >= L.responseUrlUses) return { status: 404, body: { ok: false, error: 'used_url' } };
    state.uses += 1;
    const invalid = validateMessage(body);
    if (invalid) return { status: 400, body: { ok: false, error: invalid.error, response_metadata: { messages: invalid.problems } } };
    this.responseUrlPosts.push({ url: `${this.baseUrlValue}/response/${id}`, body, at: Date.now() });
    return ok();
  }
}
