// The other half of the fake: Slack calling the bot. Builds signed slash commands, button clicks and
// modal submissions shaped like Slack's, sends them to the bot's /slack/events, and checks the
// answer the way Slack would (3-second ack, valid ephemeral message, errors naming real inputs).
import { createHmac } from 'node:crypto';
import { isRecord } from './block-validator.js';
import { FAKE_SLACK_LIMITS as L } from './limits.js';
import { blockSuggestionPayload, externalSelectOf, optionsOf } from './options-request.js';
import { commandAckProblems, stateValues, submissionAckProblems } from './view-state.js';
import type { ApiBody, FakeSlackServer, OpenedView } from './server.js';

export function signSlackRequest(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** `forged`: signed with the wrong secret; `stale`: signed correctly 10 minutes ago; `missing`: no headers. */
export type SignatureMode = 'valid' | 'forged' | 'stale' | 'missing';

export interface SendOptions {
  signature?: SignatureMode;
  /** Extra request headers, e.g. Slack's X-Slack-Retry-Num on a retried event. */
  headers?: Record<string, string>;
}

export interface HomeOpenedInput {
  user?: SlackUser;
  /** Slack's id of the event; the same on every retry of it. Default: a fresh one. */
  eventId?: string;
  tab?: 'home' | 'messages';
}

export interface HomeClickInput {
  user?: SlackUser;
  /** The button's chat action id (`change.approve`); repeats carry a `~n` suffix in the view. */
  actionId: string;
  /** Picks among buttons sharing the action id. */
  value?: string;
}

export interface BotAnswer {
  status: number;
  body: string;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
  elapsedMs: number;
  /** The response headers, names in lower case. */
  headers: Record<string, string>;
  /** What real Slack would object to in this answer; empty when all is well. */
  problems: string[];
}

export interface SlackUser {
  id: string;
  name: string;
}

export interface DriverOptions {
  fake: FakeSlackServer;
  /** The bot's endpoint, e.g. `http://127.0.0.1:PORT/slack/events`. */
  eventsUrl: string;
  signingSecret: string;
}

export interface SlashCommandInput {
  /** With the slash: `/fault`. */
  command: string;
  text?: string;
  user?: SlackUser;
  channelId?: string;
  channelName?: string;
}

export interface ClickInput {
  channelId: string;
  /** The ts of a message or ephemeral the bot posted (see FakeSlackServer.message / ephemerals). */
  ts: string;
  /** The button's action_id as posted. */
  actionId: string;
  /** When several buttons share an action id in spirit, the value picks one. */
  value?: string;
  user?: SlackUser;
}

export interface SubmitInput {
  /** Defaults to the last view the bot opened. */
  view?: OpenedView;
  /** By block_id (the bot uses the field id). Users are given by id, selects by option value. */
  values: Record<string, string>;
  user?: SlackUser;
}

export interface SuggestInput {
  /** The block_id of the external_select (the bot uses the field id). */
  blockId: string;
  /** What the person typed so far. */
  query: string;
  /** Defaults to the last view the bot opened. */
  view?: OpenedView;
  user?: SlackUser;
}

export const DEFAULT_USER: SlackUser = { id: 'U0ALICE', name: 'alice' };
const DEFAULT_CHANNEL = { id: 'C0OPS', name: 'ops' };
const APP_ID = 'AFAKE';

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function blocksOf(view: ApiBody): unknown[] {
  return Array.isArray(view.blocks) ? view.blocks : [];
}

/** With `ignoreRepeatSuffix`, `change.approve` also finds `change.approve~2` (repeats in one view). */
function findButton(blocks: unknown[], actionId: string, value: string | undefined, ignoreRepeatSuffix = false): { blockId: string; element: ApiBody } | undefined {
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'actions' || !Array.isArray(block.elements)) continue;
    for (const element of block.elements) {
      if (!isRecord(element)) continue;
      const id = typeof element.action_id === 'string' ? element.action_id : '';
      const matches = id === actionId || (ignoreRepeatSuffix && id.replace(/~\d+$/, '') === actionId);
      if (matches && (value === undefined || element.value === value)) {
        return { blockId: typeof block.block_id === 'string' ? block.block_id : 'actions', element };
      }
    }
  }
  return undefined;
}

export class SlackBotDriver {
  private eventSequence = 0;
  /** The options each external_select (by view id and block id) showed last: what can be picked. */
  private readonly loadedOptions = new Map<string, ApiBody[]>();

  constructor(private readonly options: DriverOptions) {}

  private get fake(): FakeSlackServer {
    return this.options.fake;
  }

  /**
   * The person an event comes from (DEFAULT_USER when none is given), made a member of the fake
   * workspace if the test did not add them: whoever Slack sends an event for is a user users.info
   * knows. Added without a locale; a test that wants one adds the user itself first.
   */
  private member(given: SlackUser | undefined): SlackUser {
    const user = given ?? DEFAULT_USER;
    this.fake.addUserUnlessKnown(user);
    return user;
  }

  /** Sends a signed (or deliberately badly signed) body to the bot. */
  async send(body: string, contentType: string, options: SendOptions = {}): Promise<BotAnswer> {
    const mode = options.signature ?? 'valid';
    const now = Math.floor(Date.now() / 1000);
    const timestamp = mode === 'stale' ? now - 10 * 60 : now;
    const secret = mode === 'forged' ? `${this.options.signingSecret}-forged` : this.options.signingSecret;
    const headers: Record<string, string> = { 'content-type': contentType, ...options.headers };
    if (mode !== 'missing') {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = signSlackRequest(secret, body, timestamp);
    }
    const started = Date.now();
    const response = await fetch(this.options.eventsUrl, { method: 'POST', headers, body });
    const text = await response.text();
    const elapsedMs = Date.now() - started;
    const problems: string[] = [];
    if (elapsedMs > L.ackDeadlineMs) problems.push(`ack took ${elapsedMs} ms (Slack gives up after 3 s)`);
    return { status: response.status, body: text, json: parseJson(text), elapsedMs, headers: Object.fromEntries(response.headers), problems };
  }

  async slashCommand(input: SlashCommandInput, options: SendOptions = {}): Promise<BotAnswer & { triggerId: string; responseUrl: string }> {
    const user = this.member(input.user);
    const triggerId = this.fake.mintTriggerId();
    const responseUrl = this.fake.mintResponseUrl();
    const fields = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: this.fake.teamId,
      team_domain: 'fake',
      channel_id: input.channelId ?? DEFAULT_CHANNEL.id,
      channel_name: input.channelName ?? DEFAULT_CHANNEL.name,
      user_id: user.id,
      user_name: user.name,
      command: input.command,
      text: input.text ?? '',
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const answer = await this.send(fields.toString(), 'application/x-www-form-urlencoded', options);
    if (answer.status === 200) answer.problems.push(...commandAckProblems(answer));
    return { ...answer, triggerId, responseUrl };
  }

  async clickButton(input: ClickInput, options: SendOptions = {}): Promise<BotAnswer & { triggerId: string; responseUrl: string }> {
    const user = this.member(input.user);
    const posted = this.fake.message(input.channelId, input.ts);
    const ephemeral = this.fake.ephemerals.find((e) => e.channel === input.channelId && e.ts === input.ts);
    const blocks = posted?.blocks ?? ephemeral?.blocks;
    if (!blocks) throw new Error(`fake slack: no message ${input.channelId}/${input.ts} to click on`);
    const button = findButton(blocks, input.actionId, input.value);
    if (!button) throw new Error(`fake slack: message ${input.ts} has no button ${input.actionId}`);
    const triggerId = this.fake.mintTriggerId();
    const responseUrl = this.fake.mintResponseUrl();
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: this.fake.teamId },
      api_app_id: APP_ID,
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: input.ts, channel_id: input.channelId, is_ephemeral: !posted },
      trigger_id: triggerId,
      team: { id: this.fake.teamId, domain: 'fake' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: input.channelId, name: input.channelId.startsWith('D') ? 'directmessage' : DEFAULT_CHANNEL.name },
      ...(posted
        ? { message: { type: 'message', user: this.fake.botUserId, ts: posted.ts, text: posted.text, blocks: posted.blocks } }
        : {}),
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: button.element.action_id,
          block_id: button.blockId,
          text: button.element.text,
          ...(button.element.value !== undefined ? { value: button.element.value } : {}),
          ...(button.element.style !== undefined ? { style: button.element.style } : {}),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const answer = await this.sendPayload(payload, options);
    return { ...answer, triggerId, responseUrl };
  }

  /**
   * Types into an external_select: a signed block_suggestion to the bot (the options load URL is the
   * events URL, as the manifest sets it). The answer's options are checked against Slack's limits
   * (problems) and become what the menu offers, so that submitView can pick one of them.
   */
  async suggest(input: SuggestInput, options: SendOptions = {}): Promise<BotAnswer & { options: ApiBody[] }> {
    const opened = input.view ?? this.fake.lastView();
    if (!opened) throw new Error('fake slack: no view was opened');
    const select = externalSelectOf(opened, input.blockId);
    const payload = blockSuggestionPayload({ view: opened, select, query: input.query, user: this.member(input.user), teamId: this.fake.teamId, appId: APP_ID });
    const answer = await this.sendPayload(payload, options);
    const loaded = answer.status === 200 ? optionsOf(answer.json) : { options: [], problems: [`options request answered ${answer.status}`] };
    answer.problems.push(...loaded.problems);
    this.loadedOptions.set(`${opened.id}/${input.blockId}`, loaded.options);
    return { ...answer, options: loaded.options };
  }

  async submitView(input: SubmitInput, options: SendOptions = {}): Promise<BotAnswer> {
    const user = this.member(input.user);
    const opened = input.view ?? this.fake.lastView();
    if (!opened) throw new Error('fake slack: no view was opened');
    const loaded = (blockId: string) => this.loadedOptions.get(`${opened.id}/${blockId}`) ?? [];
    const payload = {
      type: 'view_submission',
      team: { id: this.fake.teamId, domain: 'fake' },
      user: { id: user.id, username: user.name, name: user.name, team_id: this.fake.teamId },
      api_app_id: APP_ID,
      token: 'deprecated-verification-token',
      trigger_id: this.fake.mintTriggerId(),
      view: { ...opened.view, state: { values: stateValues(blocksOf(opened.view), input.values, loaded) } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    const answer = await this.sendPayload(payload, options);
    if (answer.status === 200) answer.problems.push(...submissionAckProblems(answer, blocksOf(opened.view)));
    return answer;
  }

  /**
   * Slack's Events API `event_callback` for `app_home_opened`, signed. `retries` sends the same
   * event again that many times, as Slack does for an event it thinks went unanswered (headers
   * X-Slack-Retry-Num 1.. and X-Slack-Retry-Reason http_timeout). Returns every answer, first first.
   */
  async openHome(input: HomeOpenedInput = {}, retries = 0): Promise<BotAnswer[]> {
    const user = this.member(input.user);
    this.eventSequence += 1;
    const eventId = input.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${this.eventSequence}`;
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: this.fake.teamId,
      api_app_id: APP_ID,
      event: { type: 'app_home_opened', user: user.id, channel: `D${user.id.slice(1)}`, tab: input.tab ?? 'home', event_ts: `${Date.now() / 1000}` },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.fake.teamId, user_id: this.fake.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    const answers: BotAnswer[] = [];
    for (let attempt = 0; attempt <= retries; attempt++) {
      const headers: Record<string, string> = attempt === 0 ? {} : { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_timeout' };
      const answer = await this.send(body, 'application/json', { headers });
      if (answer.status !== 200) answer.problems.push(`event answered ${answer.status}; Slack would retry it`);
      answers.push(answer);
    }
    return answers;
  }

  /** A click on a button of the user's published Home tab: no channel and no response_url, as Slack sends it. */
  async clickHomeButton(input: HomeClickInput, options: SendOptions = {}): Promise<BotAnswer & { triggerId: string }> {
    const user = this.member(input.user);
    const home = this.fake.homes.get(user.id);
    if (!home) throw new Error(`fake slack: ${user.id} has no Home tab`);
    const button = findButton(blocksOf(home.view), input.actionId, input.value, true);
    if (!button) throw new Error(`fake slack: the Home tab of ${user.id} has no button ${input.actionId} ${input.value ?? ''}`);
    const triggerId = this.fake.mintTriggerId();
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: this.fake.teamId },
      api_app_id: APP_ID,
      token: 'deprecated-verification-token',
      container: { type: 'view', view_id: home.view.id },
      trigger_id: triggerId,
      team: { id: this.fake.teamId, domain: 'fake' },
      enterprise: null,
      is_enterprise_install: false,
      view: home.view,
      state: { values: {} },
      actions: [
        {
          type: 'button',
          action_id: button.element.action_id,
          block_id: button.blockId,
          text: button.element.text,
          ...(button.element.value !== undefined ? { value: button.element.value } : {}),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const answer = await this.sendPayload(payload, options);
    return { ...answer, triggerId };
  }

  private sendPayload(payload: ApiBody, options: SendOptions): Promise<BotAnswer> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }
}
