// A flood of unsigned or forged requests no longer floods the log (src/http/refusal-log.ts): the first
// refusal is logged, then at most one summary line per minute with the count. Shown on the helper with
// fake timers, and on the real Slack events route and monitoring hooks with a real logger.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Metrics } from '../../src/http/metrics.js';
import { REFUSAL_LOG_INTERVAL_MS, RefusalLog } from '../../src/http/refusal-log.js';
import { HttpServer } from '../../src/http/server.js';
import { createSlackAdapter } from '../../src/platforms/slack/adapter.js';
import { FakeSlackServer, SlackBotDriver } from '../fakes/slack/index.js';
import { openTestWorld } from '../helpers/db.js';
import { postHook, startHooks } from '../helpers/hooks.js';
import { capturingLogger } from '../helpers/log-capture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface RefusalLine {
  level: number;
  msg: string;
  refusedSinceLastLine?: number;
}

describe('RefusalLog', () => {
  it('logs the first refusal, then one summary per interval with the count, then in full again after a quiet interval', () => {
    vi.useFakeTimers();
    const { logger, lines } = capturingLogger();
    const log = new RefusalLog(logger, 'test: refused');
    const refusals = (): RefusalLine[] => lines.filter((l) => l.msg === 'test: refused');

    log.refused({ reason: 'first' });
    for (let i = 0; i < 99; i++) {
      vi.advanceTimersByTime(100);
      log.refused({ reason: i % 3 === 0 ? 'stale' : 'mismatch', ip: `10.0.0.${i}` });
    }
    expect(refusals()).toHaveLength(1);
    vi.advanceTimersByTime(REFUSAL_LOG_INTERVAL_MS);
    expect(refusals()).toHaveLength(2);
    // Every reason counted, not only the latest one's.
    expect(refusals()[1]).toMatchObject({ level: 40, reasons: { stale: 33, mismatch: 66 }, ip: '10.0.0.98', refusedSinceLastLine: 99 });
    expect(refusals()[1]).not.toHaveProperty('reason');

    // Quiet: no more lines without refusals, and the next one after a whole interval is logged as it comes.
    vi.advanceTimersByTime(5 * REFUSAL_LOG_INTERVAL_MS);
    expect(refusals()).toHaveLength(2);
    log.refused({ reason: 'later' });
    expect(refusals()).toHaveLength(3);
    expect(refusals()[2]).toMatchObject({ reason: 'later' });
    expect(refusals()[2]?.refusedSinceLastLine).toBeUndefined();
  });
});

describe('refused requests in the log', () => {
  it('Slack: fifty forged or unsigned requests make one warning line', async () => {
    const fake = await FakeSlackServer.start();
    cleanups.push(() => fake.stop());
    const { logger, lines } = capturingLogger();
    const http = new HttpServer(logger);
    const config = loadConfig({ SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: fake.apiUrl });
    const adapter = createSlackAdapter({ config, http, logger, metrics: new Metrics(), handler: { handle: async () => ({ type: 'done' }) } });
    await adapter.start();
    const port = await http.listen(0, '127.0.0.1');
    cleanups.push(async () => {
      await adapter.stop();
      await http.close();
    });
    const driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: 'test-signing-secret' });

    for (let i = 0; i < 50; i++) {
      const answer = await driver.slashCommand({ command: '/fault' }, { signature: i % 2 === 0 ? 'forged' : 'missing' });
      expect(answer.status).toBe(401);
    }
    expect(lines.filter((l) => l.msg === 'slack: request signature refused')).toHaveLength(1);
  });

  it('monitoring hooks: fifty requests without the token make one warning line; other refusals are still logged each', async () => {
    const world = await openTestWorld({ clock: new ManualClock(new Date('2026-11-23T09:00:00Z')) });
    const { logger, lines } = capturingLogger();
    const hooks = await startHooks(world, { logger });
    cleanups.push(hooks.close);
    const url = `${hooks.url}/hooks/alertmanager`;

    for (let i = 0; i < 50; i++) expect((await postHook(url, {}, { token: i % 2 === 0 ? null : 'wrong-token-0123456789abcdef0' })).status).toBe(401);
    const refused = (): RefusalLine[] => lines.filter((l) => l.msg === 'monitoring: webhook refused');
    expect(refused()).toHaveLength(1);

    // A sender that has the token and sends the wrong content type is told, and logged, every time.
    for (let i = 0; i < 2; i++) expect((await postHook(url, {}, { contentType: 'text/plain' })).status).toBe(415);
    expect(refused()).toHaveLength(3);
  });
});
