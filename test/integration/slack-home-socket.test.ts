// App Home over Socket Mode (issue #14): `app_home_opened` arrives as an `events_api` envelope through
// Bolt's real SocketModeReceiver, reaches the same listener as in HTTP mode, and a redelivered envelope
// (Socket Mode may deliver one twice) changes nothing. Real services on a real SQLite database.
import { vi, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SocketModeReceiver } from '@slack/bolt';
import { loadConfig } from '../../src/config.js';
import { Metrics } from '../../src/http/metrics.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { createSlackApp } from '../../src/platforms/slack/app.js';
import { DEFAULT_TIMINGS } from '../../src/platforms/slack/listeners.js';
import { SlackRequestMetrics } from '../../src/platforms/slack/request-metrics.js';
import { HomeView, OutboxMessage, ProcessedEvent } from '../../src/store/entities/index.js';
import { FakeSlackServer } from '../fakes/slack/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const logger = createLogger('silent');
const APP_TOKEN = 'xapp-1-A0FAKE-1-abcdef';

type EnvelopeAck = (response?: Record<string, unknown>) => Promise<void>;

let fake: FakeSlackServer;
let world: TestWorld;
let socket: SocketModeReceiver;
/** What the core answered to each opening: true when applied, false for a repeat. */
let applied: boolean[];

beforeEach(async () => {
  fake = await FakeSlackServer.start();
  world = await openTestWorld();
  applied = [];
  const created = createSlackApp({
    config: loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.apiUrl }),
    http: new HttpServer(logger),
    logger,
    requests: new SlackRequestMetrics(new Metrics()),
    timings: DEFAULT_TIMINGS,
    handler: { handle: () => Promise.resolve({ type: 'done' }) },
    home: {
      opened: async (actor, eventId) => {
        const result = await world.services.home.opened(actor, eventId);
        applied.push(result);
        return result;
      },
      tab: (platform, userId) => world.services.home.homeTab(platform, userId) },
  });
  if (!created.socket) throw new Error('expected Socket Mode with an app-level token');
  socket = created.socket;
  await created.app.init();
});

afterEach(async () => {
  await fake.stop();
  await world.store.close();
});

/** Emits an envelope the way SocketModeClient does and waits until Bolt acknowledged it. */
async function deliver(envelopeId: string, body: Record<string, unknown>): Promise<ReturnType<typeof vi.fn<EnvelopeAck>>> {
  const ack = vi.fn<EnvelopeAck>(async () => undefined);
  socket.client.emit('slack_event', { ack, envelope_id: envelopeId, type: 'events_api', body, accepts_response_payload: false });
  await vi.waitFor(() => expect(ack).toHaveBeenCalled());
  return ack;
}

const opened = (eventId: string, tab = 'home') => ({
  type: 'event_callback',
  team_id: 'T0FAKE',
  api_app_id: 'AFAKE',
  event_id: eventId,
  event_time: 1_764_400_000,
  event: { type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab },
});

describe('App Home over Socket Mode', () => {
  it('remembers the person and queues one Home publication; the same event delivered twice is applied once', async () => {
    expect(await deliver('env-1', opened('Ev0001'))).toHaveBeenCalledTimes(1);
    await vi.waitFor(async () => expect(await world.store.manager.count(ProcessedEvent)).toBe(1));
    // Socket Mode redelivers the envelope (a new envelope id, the same event id).
    expect(await deliver('env-2', opened('Ev0001'))).toHaveBeenCalledTimes(1);
    // Applied once and refused once; on PostgreSQL the two may finish in either order.
    await vi.waitFor(() => expect([...applied].sort()).toEqual([false, true]));

    expect(await world.store.manager.count(HomeView)).toBe(1);
    expect(await world.store.manager.count(ProcessedEvent)).toBe(1);
    const publications = await world.store.manager.findBy(OutboxMessage, { targetKind: 'home', platform: 'slack', targetId: 'U0ALICE' });
    expect(publications).toHaveLength(1);
  });

  it('ignores the Messages tab, which sends app_home_opened too', async () => {
    expect(await deliver('env-3', opened('Ev0002', 'messages'))).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await world.store.manager.count(HomeView)).toBe(0);
    expect(await world.store.manager.countBy(OutboxMessage, { targetKind: 'home' })).toBe(0);
  });
});
