import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatTarget } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { AnswersFirst } from '../../src/http/answers-first.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import { enqueue } from '../../src/outbox/outbox.js';
import type { Deliverer, PostedRef } from '../../src/platforms/port.js';
import { openTestStore } from '../helpers/db.js';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const channel: ChatTarget = { platform: 'slack', kind: 'channel', id: 'C1' };
/** A stand-in for the HTTP server: `unanswered` requests wait for their answer until `answerAll`. */
function server(unanswered: number) {
  const waiting: (() => void)[] = [];
  return {
    unanswered,
    answered: () => new Promise<void>((resolve) => waiting.push(resolve)),
    answerAll(): void {
      this.unanswered = 0;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

async function setUp(gate: AnswersFirst) {
  const store = await openTestStore();
  const clock = new ManualClock(T0);
  const posted: ChatMessage[] = [];
  const slack: Deliverer = {
    platform: 'slack',
    async post(target: ChatTarget, message: ChatMessage): Promise<PostedRef> {
      posted.push(message);
      return { channelId: target.id, messageId: `m${posted.length}` };
    },
    async update(): Promise<void> {},
  };
  const outbox = new OutboxDispatcher({ store, deliverers: new Map([['slack', slack]]), clock, logger: createLogger('silent'), metrics: new Metrics(), holder: 'proc-a', answersFirst: gate });
  await store.transaction((manager) => enqueue(manager, clock.now(), [{ target: channel, message: { fallback: 'INC-1 acknowledged' } }]));
  return { outbox, posted };
}

describe('outbox deliveries give way to requests waiting for their answer', () => {
  it('delivers only once the waiting requests are answered', async () => {
    const http = server(3);
    const { outbox, posted } = await setUp(new AnswersFirst(http, 60_000));
    const pass = outbox.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(posted).toHaveLength(0);
    http.answerAll();
    expect(await pass).toBe(1);
    expect(posted.map((m) => m.fallback)).toEqual(['INC-1 acknowledged']);
  });

  it('delivers after the bound even while requests keep waiting, so load cannot starve the outbox', async () => {
    const { outbox, posted } = await setUp(new AnswersFirst(server(1), 80));
    const started = performance.now();
    expect(await outbox.runOnce()).toBe(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(posted).toHaveLength(1);
  });

  it('does not wait when no request is waiting', async () => {
    const { outbox, posted } = await setUp(new AnswersFirst(server(0), 60_000));
    expect(await outbox.runOnce()).toBe(1);
    expect(posted).toHaveLength(1);
  });
});
