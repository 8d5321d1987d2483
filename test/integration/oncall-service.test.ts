import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { translator } from '../../src/chat/i18n/catalog.js';
import { ManualClock } from '../../src/clock.js';
import { ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { overviewMessage, scheduleMessage } from '../../src/oncall/cards.js';
import { AuditEntry, OutboxMessage } from '../../src/store/entities/index.js';
import { openTestWorld, tempSqliteUrl, type TestWorld } from '../helpers/db.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.store.close();
});

async function world(url?: string): Promise<TestWorld> {
  // Wednesday 25 Nov 2026, 10:00 in Berlin.
  const w = await openTestWorld({ ...(url ? { url } : {}), clock: new ManualClock(new Date('2026-11-25T09:00:00Z')) });
  worlds.push(w);
  return w;
}

const shell = (userId: string) => ({ platform: 'shell' as const, userId });
const MONDAY_9 = { weekday: 1, minute: 540 };

async function handoffDms(w: TestWorld): Promise<string[]> {
  const rows = await w.store.manager.find(OutboxMessage, { where: { targetKind: 'dm' }, order: { id: 'ASC' } });
  return rows.map((r) => ({ to: r.targetId, m: JSON.parse(r.payload) as ChatMessage })).filter(({ m }) => m.title === 'On-call hand-off').map(({ to, m }) => `${to}: ${m.body ?? ''}`);
}

describe('on-call service', () => {
  it('lets managers set rotations, tells the first person at once and each incoming person once at the hand-off', async () => {
    const w = await world();
    const admin = await w.actor('admin');
    await w.services.people.grant(admin, shell('mia'), 'manager');
    await w.services.people.grant(admin, shell('li.wei'), 'engineer');
    const [mia, li] = [await w.actor('mia'), await w.actor('li.wei')];
    await expect(w.services.oncall.setRotation(li, 'primary', [shell('li.wei')], MONDAY_9, 7)).rejects.toBeInstanceOf(ForbiddenError);
    await w.services.oncall.setRotation(mia, 'primary', [shell('li.wei'), shell('sam'), shell('chen')], MONDAY_9, 7);
    expect(await handoffDms(w)).toEqual(['li.wei: You are on call as Primary from Mon 2026-11-23 09:00 until Mon 2026-11-30 09:00. After you: @sam.']);
    expect((await w.store.manager.find(AuditEntry, { where: { action: 'oncall.rotation' } })).map((a) => a.recordId)).toEqual(['primary']);

    expect(await w.services.oncall.announceHandoffs()).toBe(0);
    w.clock.set(new Date('2026-11-30T08:00:30Z')); // Monday 09:00:30
    expect(await w.services.oncall.announceHandoffs()).toBe(1);
    expect(await w.services.oncall.announceHandoffs()).toBe(0);
    expect((await handoffDms(w)).at(-1)).toBe('sam: You are on call as Primary from Mon 2026-11-30 09:00 until Mon 2026-12-07 09:00. After you: @chen.');

    // After two weeks of downtime only the current turn is announced.
    w.clock.set(new Date('2026-12-15T10:00:00Z'));
    expect(await w.services.oncall.announceHandoffs()).toBe(1);
    expect((await handoffDms(w)).at(-1)).toMatch(/^li\.wei: You are on call as Primary from Mon 2026-12-14 09:00/);
  });

  it('announces each hand-off once when two processes share the database', async () => {
    const url = tempSqliteUrl('opsdesk-oncall-two-');
    const a = await world(url);
    const b = await world(url);
    for (const w of [a, b]) if (w.store.kind === 'sqlite') await w.store.dataSource.query('PRAGMA busy_timeout = 0');
    const admin = await a.actor('admin');
    await a.services.oncall.setRotation(admin, 'primary', [shell('li.wei'), shell('sam')], { weekday: null, minute: 540 }, 1);
    for (const day of [26, 27, 28]) {
      const now = new Date(`2026-11-${day}T08:01:00Z`);
      a.clock.set(now);
      b.clock.set(now);
      await Promise.all([a.services.oncall.announceHandoffs(), b.services.oncall.announceHandoffs()]);
    }
    expect((await handoffDms(a)).map((d) => d.split(':')[0])).toEqual(['li.wei', 'sam', 'li.wei', 'sam']);
  });

  it('puts an override on call over the rotation and tells them when it starts', async () => {
    const w = await world();
    const admin = await w.actor('admin');
    await w.services.oncall.setRotation(admin, 'primary', [shell('li.wei'), shell('sam')], MONDAY_9, 7);
    await expect(w.services.oncall.addOverride(admin, 'primary', shell('chen'), new Date('2026-11-25T12:00:00Z'), new Date('2026-11-25T11:00:00Z'))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await w.services.oncall.addOverride(admin, 'primary', shell('chen'), new Date('2026-11-25T17:00:00Z'), new Date('2026-11-26T07:00:00Z'));
    const chen = await w.actor('chen');
    const li = await w.actor('li.wei');
    const sam = await w.actor('sam');

    expect((await w.services.oncall.chainAt(w.store.manager, w.clock.now())).primary).toBe(li.personId);
    w.clock.set(new Date('2026-11-25T17:00:30Z'));
    const chain = await w.services.oncall.chainAt(w.store.manager, w.clock.now());
    expect(chain.primary).toBe(chen.personId);
    // No secondary rotation: the next person of the primary rotation stands in; no manager: nobody.
    expect(chain.secondary).toBe(sam.personId);
    expect(chain.managers).toEqual([]);
    expect(await w.services.oncall.announceHandoffs()).toBe(1);
    expect(await w.services.oncall.announceHandoffs()).toBe(0);
    expect((await handoffDms(w)).at(-1)).toBe('chen: You are on call as Primary from Wed 2026-11-25 18:00 until Thu 2026-11-26 08:00, instead of @li.wei. After you: @li.wei.');

    const levels = await w.services.oncall.overview();
    const people = await w.services.oncall.views([li.personId, sam.personId, chen.personId]);
    const t = translator('en');
    const view = { t, locale: 'en' as const, platform: 'shell' as const, timeZone: 'Europe/Berlin', people };
    const overview = overviewMessage(levels, view);
    expect(overview.fields?.[0]).toEqual({ label: 'Primary', value: '@chen (override) until Thu 2026-11-26 08:00, then @li.wei from Thu 2026-11-26 08:00' });
    expect(overview.fields?.[1]).toEqual({ label: 'Secondary', value: 'nobody' });
    const schedule = scheduleMessage(await w.services.oncall.schedule(14), 14, view);
    expect(schedule.body?.split('\n')).toEqual([
      '*Primary* · hand-off Mon 09:00, turns of 1w: @li.wei → @sam',
      'Wed 2026-11-25 18:00 → Thu 2026-11-26 08:00: @chen (override)',
      'Thu 2026-11-26 08:00 → Mon 2026-11-30 09:00: @li.wei',
      'Mon 2026-11-30 09:00 → Mon 2026-12-07 09:00: @sam',
      'Mon 2026-12-07 09:00 → Wed 2026-12-09 18:00: @li.wei',
    ]);
  });

  it('escalates to the manager rotation, or to everyone with the manager role', async () => {
    const w = await world();
    const admin = await w.actor('admin');
    await w.services.people.grant(admin, shell('mia'), 'manager');
    await w.services.people.grant(admin, shell('max'), 'manager');
    const [mia, max] = [await w.actor('mia'), await w.actor('max')];
    expect((await w.services.oncall.chainAt(w.store.manager, w.clock.now())).managers).toEqual([mia.personId, max.personId]);
    await w.services.oncall.setRotation(admin, 'manager', [shell('max')], MONDAY_9, 7);
    expect((await w.services.oncall.chainAt(w.store.manager, w.clock.now())).managers).toEqual([max.personId]);
    expect(await w.services.oncall.clearRotation(admin, 'manager')).toBe(true);
    expect(await w.services.oncall.clearRotation(admin, 'manager')).toBe(false);
  });
});
