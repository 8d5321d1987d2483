// Issue 9, item 4 through the runtime: `/oncall override @a 2026-12-07 09:00 2026-12-14 09:00` as
// typed in the field report, and an error that names the argument and the accepted forms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { BUTTONS, FORMS } from '../../src/capabilities.js';
import type { ChatReply } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OnCallOverride } from '../../src/store/entities/index.js';
import { TIME_INPUT_FORMS } from '../../src/time/time-input.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const text = (reply: ChatReply): string => (reply.type === 'private' ? `${reply.message.fallback} ${reply.message.body ?? ''}` : reply.type);

describe('/oncall override with times typed as people type them', () => {
  let world: TestWorld;
  let runtime: ChatRuntime;
  const oncall = (text: string, locale?: string) =>
    runtime.handle({ type: 'command', actor: { platform: 'shell', userId: 'admin', displayName: 'admin', ...(locale ? { locale } : {}) }, command: '/oncall', text });

  beforeEach(async () => {
    world = await openTestWorld();
    runtime = new ChatRuntime({
      services: world.services,
      commands: COMMANDS,
      buttons: BUTTONS,
      forms: FORMS,
      defaultLocale: 'en',
      clock: world.clock,
      timeZone: 'Europe/Berlin',
      logger: createLogger('silent'),
      metrics: new Metrics(),
    });
  });
  afterEach(async () => world.store.close());

  it('takes a date and a time as two words, in TZ_NAME', async () => {
    const reply = await oncall('override @li.wei 2026-12-07 09:00 2026-12-14 09:00');
    expect(text(reply)).toContain('Mon 2026-12-07 09:00');
    const [override] = await world.store.manager.find(OnCallOverride);
    expect([override?.startsAt.toISOString(), override?.endsAt.toISOString(), override?.level]).toEqual(['2026-12-07T08:00:00.000Z', '2026-12-14T08:00:00.000Z', 'primary']);
  });

  it("names the wrong argument and the accepted forms, in the user's language, and stores nothing", async () => {
    const reply = await oncall('override @li.wei 2026-12-07 09:00 next-week');
    expect(text(reply)).toContain(`"next-week" is not a time for to. Write one of: ${TIME_INPUT_FORMS} (Europe/Berlin time)`);
    const zh = await oncall('override @li.wei 2026-03-29 02:30 +8h', 'zh-CN');
    expect(text(zh)).toContain('2026-03-29 02:30 在 Europe/Berlin 不存在');
    expect(await world.store.manager.count(OnCallOverride)).toBe(0);
  });

  it('blames the time argument, not the next one, for a malformed date and time typed as two words', async () => {
    for (const typed of ['2026-12-7 09:00', '2026/12/07 09:00', '２０２６-12-07 09:00', '2026-12-07 09:00:00', '2026-12-07 9:5']) {
      const reply = text(await oncall(`override @li.wei ${typed} 2026-12-14 09:00`));
      expect(reply).toContain(`"${typed}" is not a time for from.`);
      expect(reply).not.toContain('level');
    }
    expect(await world.store.manager.count(OnCallOverride)).toBe(0);
  });

  it('refuses +1M (minutes or months?) suggesting +30m, +2h, +1d, in both languages, and stores nothing; +90m is minutes', async () => {
    expect(text(await oncall('override @li.wei now +1M'))).toContain('"+1M" is not a time for to: M could mean minutes or months. Write minutes with a small m, or hours, days or weeks: +30m, +2h, +1d, +1w.');
    expect(text(await oncall('override @li.wei now +1M', 'zh-CN'))).toContain('M 可能表示分钟也可能表示月');
    expect(await world.store.manager.count(OnCallOverride)).toBe(0);
    await oncall('override @li.wei now +90m');
    const [override] = await world.store.manager.find(OnCallOverride);
    expect((override?.endsAt.getTime() ?? 0) - (override?.startsAt.getTime() ?? 0)).toBe(90 * 60_000);
  });
});
