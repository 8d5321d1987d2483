// While the database is away the alert card redraw loop backs off and logs once per step
// (src/jobs/failure-backoff.ts), instead of a stack trace every pass.
import { describe, expect, it } from 'vitest';
import { cardRedrawTask } from '../../src/monitoring/card-redraw.js';
import { openTestWorld } from '../helpers/db.js';
import { capturingLogger, sleep } from '../helpers/log-capture.js';


describe('alert card redraws while the database is away', () => {
  it('back off exponentially, log the repeated failure once per step without its stack, and recover', async () => {
    const world = await openTestWorld();
    const { logger, lines } = capturingLogger();
    let passes = 0;
    const redraws = { drawDue: () => (passes++, world.services.alerts.cards.drawDue()) };
    const task = cardRedrawTask(redraws, logger, 50);
    await world.store.dataSource.destroy();
    task.start();
    try {
      await sleep(2_000);
      // Without the backoff: a pass every 50 ms, 40 stack traces. With it: 50, 150, 350, 750, 1550 ms.
      expect(passes).toBeGreaterThanOrEqual(3);
      expect(passes).toBeLessThanOrEqual(6);
      const failing = lines.filter((l) => /^monitoring: drawing due alert cards (failed|still failing)$/.test(l.msg));
      expect(failing).toHaveLength(passes);
      expect(failing.filter((l) => l.err?.stack !== undefined)).toHaveLength(1);
      expect(failing[0]).toMatchObject({ level: 50, msg: 'monitoring: drawing due alert cards failed', failures: 1 });
      expect(failing.slice(1).every((l) => l.level === 40 && l.msg === 'monitoring: drawing due alert cards still failing')).toBe(true);

      await world.store.dataSource.initialize();
      const deadline = Date.now() + 5_000;
      while (!lines.some((l) => l.msg === 'monitoring: drawing due alert cards works again') && Date.now() < deadline) await sleep(25);
      expect(lines.find((l) => l.msg === 'monitoring: drawing due alert cards works again')).toMatchObject({ level: 30, failures: passes - 1 });
      // Back to the normal interval.
      const before = passes;
      await sleep(400);
      expect(passes - before).toBeGreaterThanOrEqual(4);
    } finally {
      await task.stop();
    }
  });
});
