// The Slack adapter in-process against the fake Slack: real HTTP both ways, real signatures, real SDK.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatForm, ChatMessage, ChatReply, InboundEvent } from '../../src/chat/model.js';
import { loadConfig } from '../../src/config.js';
import { Metrics } from '../../src/http/metrics.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { PermanentDeliveryError, RateLimitedError, type PlatformAdapter } from '../../src/platforms/port.js';
import { createSlackAdapter, type SlackAdapterDeps } from '../../src/platforms/slack/adapter.js';
import { FakeSlackServer, SlackBotDriver } from '../fakes/slack/index.js';

const SECRET = 'test-signing-secret';
const logger = createLogger('silent');

type Script = (event: InboundEvent) => ChatReply | Promise<ChatReply>;

const reportForm: ChatForm = {
  formId: 'fault.report',
  title: 'Report a fault',
  submitLabel: 'Report',
  context: '',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', required: true, maxLength: 150 },
    { id: 'impact', label: 'Impact', kind: 'select', required: true, options: [{ value: '1', label: 'High' }, { value: '2', label: 'Medium' }], initial: '2' },
    { id: 'details', label: 'Details', kind: 'textarea', required: false },
  ],
};

const card: ChatMessage = {
  fallback: 'INC-42 P1 Mail server unreachable',
  title: '🔴 INC-42 · P1 · Mail server unreachable',
  body: 'No mail since 09:00.',
  buttons: [
    { actionId: 'fault.ack', value: 'INC-42', label: 'Acknowledge', style: 'primary' },
    { actionId: 'fault.resolve', value: 'INC-42', label: 'Resolve' },
  ],
};

const privately = (text: string): ChatReply => ({ type: 'private', message: { fallback: text, body: text } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Harness {
  fake: FakeSlackServer;
  http: HttpServer;
  adapter: PlatformAdapter;
  driver: SlackBotDriver;
  events: InboundEvent[];
  /** What the stub runtime answers; replace per test. */
  script: Script;
}

async function startHarness(overrides: Partial<SlackAdapterDeps> = {}): Promise<Harness> {
  const fake = await FakeSlackServer.start();
  const http = new HttpServer(logger);
  const config = loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl });
  const events: InboundEvent[] = [];
  // The handler reads the script through the harness, so tests can swap it after start-up.
  let self: Harness | undefined;
  const adapter = createSlackAdapter({
    config,
    http,
    logger,
    metrics: new Metrics(),
    handler: {
      handle: async (event) => {
        events.push(event);
        return self ? self.script(event) : { type: 'done' };
      },
    },
    ...overrides,
  });
  await adapter.start();
  const port = await http.listen(0, '127.0.0.1');
  const driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET });
  self = { fake, http, adapter, driver, events, script: () => ({ type: 'done' }) };
  return self;
}

let h: Harness;
const running: Harness[] = [];

async function harness(overrides: Partial<SlackAdapterDeps> = {}): Promise<Harness> {
  const started = await startHarness(overrides);
  running.push(started);
  return started;
}

beforeEach(async () => {
  h = await harness();
});

afterEach(async () => {
  for (const each of running.splice(0)) {
    await each.adapter.stop();
    await each.http.close();
    await each.fake.stop();
  }
});

describe('Slack adapter: start-up', () => {
  it('is ready once auth.test accepted the token', () => {
    expect(h.adapter.isReady()).toBe(true);
    expect(h.fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('refuses to start with a token Slack refuses, saying which variable is wrong', async () => {
    const fake = await FakeSlackServer.start();
    try {
      const adapter = createSlackAdapter({
        config: loadConfig({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl }),
        http: new HttpServer(logger),
        logger,
        metrics: new Metrics(),
        handler: { handle: async () => ({ type: 'done' }) },
      });
      await expect(adapter.start()).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth/);
      expect(adapter.isReady()).toBe(false);
    } finally {
      await fake.stop();
    }
  });

  it('still starts when Slack is unreachable, answers 503 until auth.test passes on a retry, then serves', async () => {
    const fake = await FakeSlackServer.start();
    fake.failNext('auth.test', { error: 'service_unavailable' });
    const http = new HttpServer(logger);
    const events: InboundEvent[] = [];
    const adapter = createSlackAdapter({
      config: loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl }),
      http,
      logger,
      metrics: new Metrics(),
      handler: {
        handle: async (event) => {
          events.push(event);
          return privately('Here.');
        },
      },
    });
    try {
      await adapter.start();
      expect(adapter.isReady()).toBe(false);
      const port = await http.listen(0, '127.0.0.1');
      const driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET });
      // The server's own "starting" answer (docs/deploy.md), so that Slack and a balancer try again.
      const connecting = await driver.slashCommand({ command: '/fault' });
      expect(connecting.status).toBe(503);
      expect(connecting.body).toBe('{"error":"starting"}');
      expect(connecting.headers).toMatchObject({ 'content-type': 'application/json', 'retry-after': '5' });

      await vi.waitFor(() => expect(adapter.isReady()).toBe(true), { timeout: 5_000, interval: 50 });
      expect(fake.callsTo('auth.test')).toHaveLength(2);
      const answer = await driver.slashCommand({ command: '/fault' });
      expect(answer.json).toMatchObject({ response_type: 'ephemeral', text: 'Here.' });
      expect(events).toHaveLength(1);
    } finally {
      await adapter.stop();
      await http.close();
      await fake.stop();
    }
  });
});

describe('Slack adapter: request signatures', () => {
  it('answers a forged signature with an empty 401 and never calls the runtime', async () => {
    const answer = await h.driver.slashCommand({ command: '/fault' }, { signature: 'forged' });
    expect(answer.status).toBe(401);
    expect(answer.body).toBe('');
    expect(h.events).toHaveLength(0);
  });

  it('answers a stale timestamp with 401', async () => {
    const answer = await h.driver.slashCommand({ command: '/fault' }, { signature: 'stale' });
    expect(answer.status).toBe(401);
    expect(h.events).toHaveLength(0);
  });

  it('answers a request without signature headers with 401', async () => {
    const answer = await h.driver.slashCommand({ command: '/fault' }, { signature: 'missing' });
    expect(answer.status).toBe(401);
  });

  it('answers Slack’s URL verification with the challenge', async () => {
    const answer = await h.driver.send(JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 't' }), 'application/json');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ challenge: 'abc123' });
  });

  it('answers a signed but malformed payload with 400 without calling the runtime', async () => {
    const answer = await h.driver.send(new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [] }) }).toString(), 'application/x-www-form-urlencoded');
    expect(answer.status).toBe(400);
    expect(h.events).toHaveLength(0);
  });
});

describe('Slack adapter: requests it does not act on', () => {
  const form = 'application/x-www-form-urlencoded';

  it('answers Slack’s SSL check with an empty 200', async () => {
    const answer = await h.driver.send('ssl_check=1&token=x', form);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
  });

  it('answers an interaction nobody listens to (a shortcut) at once, empty, without calling the runtime', async () => {
    const shortcut = { type: 'shortcut', callback_id: 'report', trigger_id: '1.2.3', user: { id: 'U0ALICE', team_id: 'T0FAKE' }, team: { id: 'T0FAKE' } };
    const answer = await h.driver.send(new URLSearchParams({ payload: JSON.stringify(shortcut) }).toString(), form);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(answer.elapsedMs).toBeLessThan(1_000);
    expect(h.events).toHaveLength(0);
  });

  it('acknowledges Events API callbacks without calling the runtime', async () => {
    const callback = { type: 'event_callback', team_id: 'T0FAKE', event: { type: 'app_mention', user: 'U0ALICE', channel: 'C0OPS', text: 'hi' } };
    const answer = await h.driver.send(JSON.stringify(callback), 'application/json');
    expect(answer.status).toBe(200);
    expect(h.events).toHaveLength(0);
  });

  it('answers 503 once stopped, so that Slack tries again later', async () => {
    await h.adapter.stop();
    const answer = await h.driver.slashCommand({ command: '/fault' });
    expect(answer.status).toBe(503);
    expect(answer.body).toBe('{"error":"stopping"}');
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'retry-after': '5' });
    expect(h.events).toHaveLength(0);
  });
});

describe('Slack adapter: slash commands', () => {
  it('opens the form as a modal with the command’s trigger_id, then acks empty', async () => {
    h.script = () => ({ type: 'form', form: reportForm });
    const answer = await h.driver.slashCommand({ command: '/fault', text: '', channelId: 'C0OPS' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(answer.problems).toEqual([]);
    expect(h.events[0]).toMatchObject({ type: 'command', command: 'fault', text: '', channelId: 'C0OPS', actor: { platform: 'slack', userId: 'U0ALICE', displayName: 'alice' } });
    const opened = h.fake.lastView();
    expect(opened?.triggerId).toBe(answer.triggerId);
    expect(opened?.view).toMatchObject({ callback_id: 'fault.report', title: { text: 'Report a fault' }, close: { text: 'Cancel' } });
  });

  it('answers privately in the ack itself when the runtime is quick', async () => {
    h.script = () => privately('INC-42 is in progress.');
    const answer = await h.driver.slashCommand({ command: '/fault', text: 'show INC-42' });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_type: 'ephemeral', text: 'INC-42 is in progress.' });
    expect(answer.problems).toEqual([]);
  });

  it('acks empty in time when the runtime is slow, then answers through the response_url', async () => {
    const slow = await harness({ timings: { replyBudgetMs: 50, ackDeadlineMs: 200 } });
    slow.script = async () => {
      await sleep(150);
      return privately('Here is the list.');
    };
    const answer = await slow.driver.slashCommand({ command: '/fault', text: 'list' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    const post = await slow.fake.waitFor(() => slow.fake.responseUrlPosts.find((p) => p.url === answer.responseUrl));
    expect(post.body).toMatchObject({ response_type: 'ephemeral', text: 'Here is the list.' });
  });

  it('says “try again” when a form comes too late to open', async () => {
    const slow = await harness({ timings: { replyBudgetMs: 50, ackDeadlineMs: 200 } });
    slow.script = async () => {
      await sleep(100);
      return { type: 'form', form: reportForm };
    };
    const answer = await slow.driver.slashCommand({ command: '/fault' });
    const post = await slow.fake.waitFor(() => slow.fake.responseUrlPosts.find((p) => p.url === answer.responseUrl));
    expect(post.body).toMatchObject({ text: 'The form could not be opened in time. Please try again.' });
    expect(slow.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('turns a crash in the runtime into a private message with a reference', async () => {
    h.script = () => {
      throw new Error('boom');
    };
    const answer = await h.driver.slashCommand({ command: '/fault' });
    expect(answer.json).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer.json)).toMatch(/reference: [0-9a-f]{8}/);
  });
});

describe('Slack adapter: buttons', () => {
  async function postCard(): Promise<{ channelId: string; messageId: string }> {
    return h.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'C0FAULTS' }, card);
  }

  it('acks a click at once and posts the private answer as an ephemeral in the channel', async () => {
    const ref = await postCard();
    h.script = () => privately('Only engineers can acknowledge faults.');
    const answer = await h.driver.clickButton({ channelId: ref.channelId, ts: ref.messageId, actionId: 'fault.ack' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(h.events[0]).toMatchObject({ type: 'button', actionId: 'fault.ack', value: 'INC-42', channelId: 'C0FAULTS' });
    const ephemeral = await h.fake.waitFor(() => h.fake.ephemerals[0]);
    expect(ephemeral).toMatchObject({ channel: 'C0FAULTS', user: 'U0ALICE', text: 'Only engineers can acknowledge faults.' });
  });

  it('acks a click at once but handles it only once a command waiting for its ack has been answered', async () => {
    const ref = await postCard();
    const order: string[] = [];
    h.script = async (event) => {
      if (event.type === 'command') {
        await sleep(300);
        order.push('command answered');
        return { type: 'done' };
      }
      order.push('click handled');
      return { type: 'done' };
    };
    const started = performance.now();
    const command = h.driver.slashCommand({ command: '/fault', text: 'list' });
    await sleep(20);
    const click = await h.driver.clickButton({ channelId: ref.channelId, ts: ref.messageId, actionId: 'fault.ack' });
    expect(click.status).toBe(200);
    // The click's own ack did not wait for the command.
    expect(performance.now() - started).toBeLessThan(250);
    expect((await command).status).toBe(200);
    await h.fake.waitFor(() => (order.length === 2 ? order : undefined));
    expect(order).toEqual(['command answered', 'click handled']);
  });

  it('opens a form from a click with the click’s trigger_id', async () => {
    const ref = await postCard();
    h.script = () => ({ type: 'form', form: { ...reportForm, formId: 'fault.resolve', context: 'INC-42' } });
    const answer = await h.driver.clickButton({ channelId: ref.channelId, ts: ref.messageId, actionId: 'fault.resolve' });
    const opened = await h.fake.waitFor(() => h.fake.lastView());
    expect(opened.triggerId).toBe(answer.triggerId);
    expect(opened.view).toMatchObject({ callback_id: 'fault.resolve', private_metadata: JSON.stringify({ c: 'INC-42', ch: 'C0FAULTS' }) });
  });

  it('falls back to the response_url when the ephemeral cannot be posted', async () => {
    const ref = await postCard();
    h.fake.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    h.script = () => privately('Acknowledged.');
    const answer = await h.driver.clickButton({ channelId: ref.channelId, ts: ref.messageId, actionId: 'fault.ack' });
    const post = await h.fake.waitFor(() => h.fake.responseUrlPosts.find((p) => p.url === answer.responseUrl));
    expect(post.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'Acknowledged.' });
  });
});

describe('Slack adapter: modal submissions', () => {
  async function openReportForm(): Promise<void> {
    h.script = () => ({ type: 'form', form: { ...reportForm, context: 'ctx-1' } });
    await h.driver.slashCommand({ command: '/fault', channelId: 'C0OPS' });
    h.events.length = 0;
  }

  it('hands the values to the runtime and shows field errors on the fields', async () => {
    await openReportForm();
    h.script = () => ({ type: 'fieldErrors', errors: { title: 'Say a bit more than “x”.' } });
    const answer = await h.driver.submitView({ values: { title: 'x', impact: '1' } });
    expect(h.events[0]).toMatchObject({ type: 'formSubmit', formId: 'fault.report', context: 'ctx-1', channelId: 'C0OPS', values: { title: 'x', impact: '1', details: '' } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_action: 'errors', errors: { title: 'Say a bit more than “x”.' } });
    expect(answer.problems).toEqual([]);
  });

  it('puts an error about a field that is not in the modal on the first input, which Slack accepts', async () => {
    await openReportForm();
    h.script = () => ({ type: 'fieldErrors', errors: { window: 'The window overlaps a freeze.' } });
    const answer = await h.driver.submitView({ values: { title: 'Printer', impact: '2' } });
    expect(answer.json).toEqual({ response_action: 'errors', errors: { title: 'The window overlaps a freeze.' } });
    expect(answer.problems).toEqual([]);
  });

  it('closes the modal and posts the private reply in the channel the form came from', async () => {
    await openReportForm();
    h.script = () => privately('INC-43 reported.');
    const answer = await h.driver.submitView({ values: { title: 'Printer', impact: '2' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    const ephemeral = await h.fake.waitFor(() => h.fake.ephemerals[0]);
    expect(ephemeral).toMatchObject({ channel: 'C0OPS', user: 'U0ALICE', text: 'INC-43 reported.' });
  });
});

describe('Slack adapter: slow modal submissions', () => {
  it('closes the modal in time and tells the person privately what to fix', async () => {
    const slow = await harness({ timings: { replyBudgetMs: 50, ackDeadlineMs: 200 } });
    slow.script = () => ({ type: 'form', form: reportForm });
    await slow.driver.slashCommand({ command: '/fault', channelId: 'C0OPS' });
    slow.script = async () => {
      await sleep(100);
      return { type: 'fieldErrors', errors: { title: 'too short' } };
    };
    const answer = await slow.driver.submitView({ values: { title: 'x', impact: '1' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    const ephemeral = await slow.fake.waitFor(() => slow.fake.ephemerals[0]);
    expect(ephemeral).toMatchObject({ channel: 'C0OPS', user: 'U0ALICE', text: expect.stringContaining('Title: too short') as unknown });
  });
});

describe('Slack deliverer', () => {
  it('posts to a channel and edits the same message in place', async () => {
    const ref = await h.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'C0FAULTS' }, card);
    await h.adapter.deliverer.update(ref, { ...card, title: '🟢 INC-42 · P1 · Mail server unreachable', buttons: [] });
    const message = h.fake.message(ref.channelId, ref.messageId);
    expect(message?.version).toBe(2);
    expect(JSON.stringify(message?.blocks)).toContain('🟢 INC-42');
    expect(JSON.stringify(message?.blocks)).not.toContain('fault.ack');
  });

  it('opens the DM channel once per person and posts there', async () => {
    const target = { platform: 'slack' as const, kind: 'dm' as const, id: 'U0BOB' };
    const first = await h.adapter.deliverer.post(target, card);
    await h.adapter.deliverer.post(target, card);
    expect(first.channelId).toBe(h.fake.dmChannelOf('U0BOB'));
    expect(h.fake.callsTo('conversations.open')).toHaveLength(1);
    expect(h.fake.messagesIn(first.channelId)).toHaveLength(2);
  });

  it('turns a 429 into RateLimitedError with Slack’s Retry-After seconds', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await h.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'C0FAULTS' }, card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error instanceof RateLimitedError && error.retryAfterSeconds).toBe(7);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('gives up for good on errors about the message or its target, and not on the others', async () => {
    await expect(h.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'not-a-channel' }, card)).rejects.toBeInstanceOf(PermanentDeliveryError);
    h.fake.failNext('chat.update', { error: 'msg_blocks_too_long' });
    await expect(h.adapter.deliverer.update({ channelId: 'C0FAULTS', messageId: '1.000001' }, card)).rejects.toBeInstanceOf(PermanentDeliveryError);
    h.fake.failNext('chat.postMessage', { error: 'internal_error' });
    const transient = await h.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'C0FAULTS' }, card).catch((e: unknown) => e);
    expect(transient).toBeInstanceOf(Error);
    expect(transient).not.toBeInstanceOf(PermanentDeliveryError);
    expect(transient).not.toBeInstanceOf(RateLimitedError);
  });

  it('delivers a card with a 10,000-character description that Slack accepts', async () => {
    const ref = await h.adapter.deliverer.post({ platform: 'slack', kind: 'channel', id: 'C0FAULTS' }, { ...card, body: 'long '.repeat(2_000) });
    expect(h.fake.message(ref.channelId, ref.messageId)).toBeDefined();
  });
});

describe('fake Slack trigger_ids', () => {
  async function openWith(fake: FakeSlackServer, triggerId: string): Promise<unknown> {
    const response = await fetch(`${fake.apiUrl}views.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ trigger_id: triggerId, view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] } }),
    });
    return response.json();
  }

  it('refuses a trigger_id the bot already used', async () => {
    h.script = () => ({ type: 'form', form: reportForm });
    const answer = await h.driver.slashCommand({ command: '/fault' });
    expect(h.fake.views).toHaveLength(1);
    expect(await openWith(h.fake, answer.triggerId)).toEqual({ ok: false, error: 'exchanged_trigger_id' });
  });

  it('refuses a trigger_id past its lifetime', async () => {
    const fake = await FakeSlackServer.start({ triggerIdTtlMs: 20 });
    try {
      const triggerId = fake.mintTriggerId();
      await sleep(40);
      expect(await openWith(fake, triggerId)).toEqual({ ok: false, error: 'expired_trigger_id' });
    } finally {
      await fake.stop();
    }
  });
});
