// While the database is away the outbox dispatcher backs off and logs once per step
// (src/jobs/failure-backoff.ts) instead of a stack trace every 200 ms pass, and a kick (a new message
// enqueued by another process path) does not cut the wait short; it recovers when the database is back.
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/http/metrics.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import type { Deliverer } from '../../src/platforms/port.js';
import { openTestWorld } from '../helpers/db.js';
import { capturingLogger, sleep } from '../helpers/log-capture.js';


const noop: Deliverer = {
  platform: 'slack',
  post: async () => ({ channelId: 'C1', messageId: '1.0' }),
  update: async () => undefined,
};

describe('the outbox dispatcher while the database is away', () => {
  it('backs off exponentially, logs a repeated failure once per step without its stack, ignores kicks meanwhile, and recovers', async () => {
    const world = await openTestWorld();
    const { logger, lines } = capturingLogger();
    const outbox = new OutboxDispatcher({ store: world.store, deliverers: new Map([['slack', noop]]), clock: world.clock, logger, metrics: new Metrics(), holder: 'proc-a', pollIntervalMs: 50 });
    const failing = () => lines.filter((l) => /^outbox: dispatch pass (failed|still failing)$/.test(l.msg));
    await world.store.dataSource.destroy();
    outbox.start();
    try {
      for (let i = 0; i < 20; i++) {
        outbox.kick();
        await sleep(100);
      }
      // Without the backoff: a pass every 50 ms and one per kick, some 60 stack traces in 2 s.
      // With it: passes at 0, 100, 300, 700, 1500 ms.
      expect(failing().length).toBeGreaterThanOrEqual(3);
      expect(failing().length).toBeLessThanOrEqual(6);
      expect(failing().filter((l) => l.err?.stack !== undefined)).toHaveLength(1);
      expect(failing()[0]).toMatchObject({ level: 50, msg: 'outbox: dispatch pass failed', failures: 1 });

      await world.store.dataSource.initialize();
      await expect.poll(() => lines.find((l) => l.msg === 'outbox: dispatch pass works again'), { timeout: 35_000 }).toMatchObject({ level: 30 });
    } finally {
      await outbox.stop();
    }
  }, 45_000);
});
