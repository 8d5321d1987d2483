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

  it('refuses a concurrency below one', () => {
    expect(() => new ClickQueue(0)).toThrow('positive integer');
  });
});
