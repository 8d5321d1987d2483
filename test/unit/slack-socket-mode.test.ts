// Socket Mode through Bolt: envelopes as Bolt's SocketModeReceiver gets them from its SocketModeClient,
// through the App's listeners, acknowledged through the envelope. The Web API is the fake Slack.
import { ReceiverMultipleAckError, type SocketModeReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatReply, InboundEvent } from '../../src/chat/model.js';
import { loadConfig } from '../../src/config.js';
import { Metrics } from '../../src/http/metrics.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { Acknowledger } from '../../src/platforms/slack/acknowledger.js';
import { createSlackAdapter } from '../../src/platforms/slack/adapter.js';
import { createSlackApp } from '../../src/platforms/slack/app.js';
import { DEFAULT_TIMINGS } from '../../src/platforms/slack/listeners.js';
import { encodeFormMetadata } from '../../src/platforms/slack/modal.js';
import { SlackRequestMetrics } from '../../src/platforms/slack/request-metrics.js';
import { FakeSlackServer, validateOptionsResponse } from '../fakes/slack/index.js';

const logger = createLogger('silent');
const APP_TOKEN = 'xapp-1-A0FAKE-1-abcdef';

type EnvelopeAck = (response?: Record<string, unknown>) => Promise<void>;

interface SocketHarness {
  fake: FakeSlackServer;
  socket: SocketModeReceiver;
  events: InboundEvent[];
  reply: (event: InboundEvent) => ChatReply;
  /** Emits an envelope the way SocketModeClient does, and waits until it was acknowledged. */
  deliver(type: string, body: Record<string, unknown>): Promise<ReturnType<typeof vi.fn<EnvelopeAck>>>;
}

let h: SocketHarness;

beforeEach(async () => {
  const fake = await FakeSlackServer.start();
  const events: InboundEvent[] = [];
  const { app, socket } = createSlackApp({
    config: loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl }),
    http: new HttpServer(logger),
    logger,
    requests: new SlackRequestMetrics(new Metrics()),
    timings: DEFAULT_TIMINGS,
    // Stands in for the configuration items: the transport is under test here, the search in ci-suggest.
    suggestions: { suggest: async (source, query, limit) => (source === 'ci' ? ['数据库主库', '数据库从库', 'mail'].filter((n) => n.includes(query)).slice(0, limit).map((n) => ({ value: n, label: n })) : []) },
    handler: {
      handle: async (event) => {
        events.push(event);
        return h.reply(event);
      },
    },
  });
  if (!socket) throw new Error('expected Socket Mode with an app-level token');
  await app.init();
  h = {
    fake,
    socket,
    events,
    reply: () => ({ type: 'done' }),
    async deliver(type, body) {
      const ack = vi.fn<EnvelopeAck>(async () => undefined);
      socket.client.emit('slack_event', { ack, envelope_id: `env-${events.length}`, type, body, accepts_response_payload: true });
      await vi.waitFor(() => expect(ack).toHaveBeenCalled());
      return ack;
    },
  };
});

afterEach(async () => {
  await h.fake.stop();
});

const slashCommand = {
  token: 'x',
  team_id: 'T0FAKE',
  user_id: 'U0ALICE',
  user_name: 'alice',
  command: '/fault',
  text: 'list',
  channel_id: 'C0OPS',
  response_url: 'https://hooks.slack.com/commands/1',
  trigger_id: '1.2.3',
  api_app_id: 'AFAKE',
};

describe('Socket Mode through Bolt', () => {
  it('feeds slash commands to the same listeners as HTTP and answers in the envelope ack', async () => {
    h.reply = () => ({ type: 'private', message: { fallback: 'Two open faults.', body: 'Two open faults.' } });
    const ack = await h.deliver('slash_commands', slashCommand);
    expect(h.events[0]).toMatchObject({ type: 'command', command: 'fault', text: 'list', channelId: 'C0OPS' });
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith(expect.objectContaining({ response_type: 'ephemeral', text: 'Two open faults.' }));
  });

  it('acks a click at once and posts the answer as an ephemeral through the Web API', async () => {
    h.reply = () => ({ type: 'private', message: { fallback: 'Acknowledged.', body: 'Acknowledged.' } });
    const ack = await h.deliver('interactive', {
      type: 'block_actions',
      user: { id: 'U0BOB', username: 'bob', name: 'bob', team_id: 'T0FAKE' },
      team: { id: 'T0FAKE', domain: 'fake' },
      trigger_id: '9.9.9',
      channel: { id: 'C0FAULTS', name: 'faults' },
      actions: [{ type: 'button', action_id: 'fault.ack', block_id: 'actions', value: 'INC-1' }],
    });
    expect(ack).toHaveBeenCalledWith(undefined);
    const ephemeral = await h.fake.waitFor(() => h.fake.ephemerals[0]);
    expect(ephemeral).toMatchObject({ channel: 'C0FAULTS', user: 'U0BOB', text: 'Acknowledged.' });
    expect(h.events[0]).toMatchObject({ type: 'button', actionId: 'fault.ack', value: 'INC-1' });
  });

  it('answers a modal submission with field errors in the envelope ack', async () => {
    h.reply = () => ({ type: 'fieldErrors', errors: { title: 'Too short.' } });
    const ack = await h.deliver('interactive', {
      type: 'view_submission',
      user: { id: 'U0ALICE', name: 'alice', team_id: 'T0FAKE' },
      team: { id: 'T0FAKE', domain: 'fake' },
      view: {
        callback_id: 'fault.report',
        private_metadata: encodeFormMetadata({ context: '', channelId: 'C0OPS' }),
        blocks: [{ type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' } }],
        state: { values: { title: { title: { type: 'plain_text_input', value: 'x' } } } },
      },
    });
    expect(h.events[0]).toMatchObject({ type: 'formSubmit', formId: 'fault.report', values: { title: 'x' } });
    expect(ack).toHaveBeenCalledWith({ response_action: 'errors', errors: { title: 'Too short.' } });
  });

  it('acks payloads it refuses, without calling the runtime, so that Slack does not resend them', async () => {
    // A command without a response_url reaches the listener, which refuses it; a click without a user
    // is refused by Bolt's own routing.
    const { response_url: _dropped, ...withoutResponseUrl } = slashCommand;
    expect(await h.deliver('slash_commands', withoutResponseUrl)).toHaveBeenCalledWith(undefined);
    expect(await h.deliver('interactive', { type: 'block_actions', actions: [] })).toHaveBeenCalledTimes(1);
    expect(h.events).toHaveLength(0);
  });

  it('answers an options request (block_suggestion) for a searchable choice in the envelope ack', async () => {
    const ack = await h.deliver('interactive', {
      type: 'block_suggestion',
      user: { id: 'U0ALICE', name: 'alice', team_id: 'T0FAKE' },
      team: { id: 'T0FAKE', domain: 'fake' },
      api_app_id: 'AFAKE',
      container: { type: 'view', view_id: 'V0FAKE' },
      action_id: 'suggest:ci:affectedSystem',
      block_id: 'affectedSystem',
      value: '数据库',
      view: { id: 'V0FAKE', callback_id: 'fault.report', private_metadata: encodeFormMetadata({ context: '' }), blocks: [], state: { values: {} } },
    });
    expect(ack).toHaveBeenCalledTimes(1);
    const answer = ack.mock.calls[0]?.[0];
    expect(validateOptionsResponse(answer)).toEqual([]);
    expect(answer).toEqual({
      options: [
        { text: { type: 'plain_text', text: '数据库主库', emoji: true }, value: '数据库主库' },
        { text: { type: 'plain_text', text: '数据库从库', emoji: true }, value: '数据库从库' },
        { text: { type: 'plain_text', text: '"数据库" (as typed)', emoji: true }, value: '数据库' },
      ],
    });
    // Not a command, click or submission: the runtime is not involved.
    expect(h.events).toHaveLength(0);
  });

  it('lets Bolt acknowledge Events API envelopes, which the bot does not act on', async () => {
    const ack = await h.deliver('events_api', { type: 'event_callback', team_id: 'T0FAKE', event: { type: 'app_mention', user: 'U0ALICE', channel: 'C0OPS' } });
    expect(ack).toHaveBeenCalledTimes(1);
    expect(h.events).toHaveLength(0);
  });
});

describe('Slack adapter in Socket Mode', () => {
  it('asks SLACK_API_URL for its WebSocket with the app-level token, and stops on a refused token', async () => {
    const adapter = createSlackAdapter({
      config: loadConfig({ SLACK_BOT_TOKEN: h.fake.botToken, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: h.fake.apiUrl }),
      http: new HttpServer(logger),
      logger,
      metrics: new Metrics(),
      handler: { handle: async () => ({ type: 'done' }) },
    });
    try {
      // The fake only knows the bot token, so it refuses the app-level token as Slack refuses a wrong one.
      await expect(adapter.start()).rejects.toThrow(/SLACK_APP_TOKEN.*invalid_auth/);
      expect(h.fake.callsTo('apps.connections.open')).toEqual([expect.objectContaining({ response: { ok: false, error: 'invalid_auth' } })]);
      expect(adapter.isReady()).toBe(false);
    } finally {
      await adapter.stop();
    }
  });
});

describe('Acknowledger', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers empty by itself at the deadline, exactly once', async () => {
    vi.useFakeTimers();
    const sent: unknown[] = [];
    const ack = new Acknowledger<unknown>(async (body) => void sent.push(body), 2_700, logger);
    await vi.advanceTimersByTimeAsync(2_700);
    expect(sent).toEqual([undefined]);
    expect(await ack.ack({ response_action: 'errors' })).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('lets the first real answer through and cancels the deadline', async () => {
    vi.useFakeTimers();
    const sent: unknown[] = [];
    const ack = new Acknowledger<unknown>(async (body) => void sent.push(body), 2_700, logger);
    expect(await ack.ack({ text: 'hi' })).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toEqual([{ text: 'hi' }]);
  });

  it('reports that its answer came too late when the receiver had already answered', async () => {
    const ack = new Acknowledger<unknown>(
      async () => {
        throw new ReceiverMultipleAckError();
      },
      2_700,
      logger,
    );
    expect(await ack.ack({ text: 'late' })).toBe(false);
    expect(ack.done).toBe(true);
  });
});
