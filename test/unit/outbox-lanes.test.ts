import { describe, expect, it } from 'vitest';
import { runLanes } from '../../src/outbox/lanes.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runLanes', () => {
  it("runs each lane's items in order, at most `limit` lanes at once", async () => {
    const seen: string[] = [];
    let running = 0;
    let most = 0;
    const lanes = [['a1', 'a2', 'a3'], ['b1'], ['c1', 'c2'], ['d1'], ['e1', 'e2']];
    await runLanes(lanes, 2, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await tick(item.startsWith('b') ? 20 : 3);
      seen.push(item);
      running -= 1;
    });
    expect(most).toBe(2);
    expect([...seen].sort()).toEqual(lanes.flat().sort());
    for (const lane of lanes) expect(seen.filter((s) => lane.includes(s))).toEqual(lane);
  });

  it('after a failure starts nothing more, waits for what runs, then throws the first error', async () => {
    const started: string[] = [];
    const finished: string[] = [];
    const run = runLanes([['a1', 'a2'], ['b1', 'b2'], ['c1']], 2, async (item) => {
      started.push(item);
      if (item === 'a1') {
        await tick(5);
        throw new Error('database away');
      }
      await tick(30);
      finished.push(item);
    });
    await expect(run).rejects.toThrow('database away');
    // b1 was running when a1 failed: it finished before runLanes settled; nothing started after a1 failed.
    expect(finished).toEqual(['b1']);
    expect(started).toEqual(['a1', 'b1']);
  });

  it('refuses a limit below one', async () => {
    await expect(runLanes([['a']], 0, async () => {})).rejects.toThrow('positive integer');
  });
});
