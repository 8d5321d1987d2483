import { describe, expect, it } from 'vitest';
import { ClickQueue } from '../../src/platforms/slack/click-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('ClickQueue', () => {
  it('runs at most `concurrency` handlers at once, in the order they came, and returns their results', async () => {
    const queue = new ClickQueue(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const results = gates.map((gate, i) =>
      queue.run(async () => {
        started.push(i);
        await gate.promise;
        return i * 10;
      }),
    );
    await tick();
    await tick();
    expect(started).toEqual([0, 1]);
    expect(queue.size).toBe(4);
    gates[1]?.resolve();
    await tick();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(queue.size).toBe(0);
  });

  it('lets I/O that is already pending run before a handler starts', async () => {
    const queue = new ClickQueue(1);
    const order: string[] = [];
    // A request's callback already waiting in the event loop when the click's handling is queued.
    setImmediate(() => order.push('io'));
    const done = queue.run(async () => {
      order.push('handler');
    });
    await done;
    expect(order).toEqual(['io', 'handler']);
  });

  it('drain waits for queued and running handlers, also failed ones, and resolves at once when idle', async () => {
    const queue = new ClickQueue(1);
    await queue.drain();
    const gate = deferred();
    let finished = 0;
    const first = queue.run(async () => {
      await gate.promise;
      finished += 1;
    });
    const second = queue.run(async () => {
      finished += 1;
      throw new Error('handler failed');
    });
    const drained = queue.drain().then(() => finished);
    gate.resolve();
    await first;
    await expect(second).rejects.toThrow('handler failed');
    expect(await drained).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('starts a handler only once the requests waiting for their answer have it', async () => {
    // A stand-in for the HTTP server: two requests still waiting for their ack.
    let unanswered = 2;
    const answered = deferred();
    const queue = new ClickQueue(1, { yieldTo: { get unanswered() { return unanswered; }, answered: () => answered.promise }, maxDelayMs: 60_000 });
    let started = false;
    const done = queue.run(async () => {
      started = true;
    });
    for (let i = 0; i < 5; i++) await tick();
    expect(started).toBe(false);
    unanswered = 0;
    answered.resolve();
    await done;
    expect(started).toBe(true);
  });

  it('starts a handler after maxDelayMs even while requests keep waiting, so load cannot starve clicks', async () => {
    const never = new Promise<void>(() => undefined);
    const queue = new ClickQueue(1, { yieldTo: { unanswered: 1, answered: () => never }, maxDelayMs: 50 });
    const queuedAt = performance.now();
    const startedAt = await queue.run(async () => performance.now());
    expect(startedAt - queuedAt).toBeGreaterThanOrEqual(45);
    expect(startedAt - queuedAt).toBeLessThan(2_000);
  });

  it('refuses a concurrency below one', () => {
    expect(() => new ClickQueue(0)).toThrow('positive integer');
  });
});
