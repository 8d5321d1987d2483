import { afterEach, describe, expect, it, vi } from 'vitest';
import { approvalStillPossible } from '../../src/changes/approvers-reach.js';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { ReminderTimer } from '../../src/sla/reminder-timer.js';
import { FAULT_SUBJECT, REQUEST_SUBJECT } from '../../src/sla/subjects.js';
import { Fault, SlaNotice } from '../../src/store/entities/index.js';
import { openTestWorld, freshTestDatabase, type TestWorld } from '../helpers/db.js';

const logger = createLogger('silent');
const REPORT = { title: 'Mail server down', description: 'Nobody can send mail', category: 'network', impact: 1, urgency: 1 } as const;

describe('the reminder timer (real database, manual clock)', () => {
  const worlds: TestWorld[] = [];
  const timers: ReminderTimer[] = [];
  afterEach(async () => {
    for (const timer of timers.splice(0)) await timer.stop();
    for (const world of worlds.splice(0)) await world.store.close();
  });

  async function setUp(given?: string, clock = new ManualClock(new Date('2026-11-23T10:00:20.000Z'))) {
    const url = given ?? (await freshTestDatabase());
    const world = await openTestWorld({ clock, url });
    worlds.push(world);
    const runs: Date[] = [];
    const timer = new ReminderTimer({
      store: world.store,
      clock,
      logger,
      subjects: [FAULT_SUBJECT, REQUEST_SUBJECT],
      run: async (now) => {
        runs.push(now);
        return world.services.slaSweep.run(now);
      },
      maxWaitMs: 20,
      failurePauseMs: 60_000,
    });
    timers.push(timer);
    return { world, clock, timer, runs };
  }

  it('arms itself at the earliest next_reminder_at and sends the reminder once the clock passes it', async () => {
    const { world, clock, timer, runs } = await setUp();
    timer.start();
    await vi.waitFor(() => expect(timer.armedFor).toBeUndefined());
    const fault = await world.services.faults.report(await world.actor('anna'), REPORT);
    timer.rearm();
    // P1 response 15 min: 50 % at 10:07:50.
    await vi.waitFor(() => expect(timer.armedFor?.toISOString()).toBe('2026-11-23T10:07:50.000Z'));
    clock.set(new Date('2026-11-23T10:07:49.000Z'));
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toEqual([]);
    clock.set(new Date('2026-11-23T10:07:51.000Z'));
    await vi.waitFor(() => expect(runs.map((d) => d.toISOString())).toEqual(['2026-11-23T10:07:51.000Z']));
    // The run is logged as it starts; its sweep commits a moment later (on a loaded machine, much later).
    await vi.waitFor(async () => {
      const notices = await world.store.manager.findBy(SlaNotice, { recordId: fault.id });
      expect(notices.map((n) => [n.kind, n.step, n.dueAt.toISOString(), n.sentAt.toISOString()])).toEqual([['remind', 0, '2026-11-23T10:07:50.000Z', '2026-11-23T10:07:51.000Z']]);
    });
    // Re-armed for the 75 % reminder at 10:11:35.
    await vi.waitFor(() => expect(timer.armedFor?.toISOString()).toBe('2026-11-23T10:11:35.000Z'));
  });

  it('sends each reminder once when two processes run a timer on one database', async () => {
    const url = await freshTestDatabase();
    const first = await setUp(url);
    const secondWorld = await openTestWorld({ clock: first.clock, url });
    worlds.push(secondWorld);
    const second = new ReminderTimer({ store: secondWorld.store, clock: first.clock, logger, subjects: [FAULT_SUBJECT, REQUEST_SUBJECT], run: (now) => secondWorld.services.slaSweep.run(now), maxWaitMs: 20 });
    timers.push(second);
    const fault = await first.world.services.faults.report(await first.world.actor('anna'), REPORT);
    first.timer.start();
    second.start();
    await vi.waitFor(() => expect(second.armedFor?.toISOString()).toBe('2026-11-23T10:07:50.000Z'));
    await vi.waitFor(() => expect(first.timer.armedFor?.toISOString()).toBe('2026-11-23T10:07:50.000Z'));
    first.clock.set(new Date('2026-11-23T10:07:52.000Z'));
    await vi.waitFor(async () => expect((await first.world.store.manager.findOneByOrFail(Fault, { id: fault.id })).slaResponseStep).toBe(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(await first.world.store.manager.countBy(SlaNotice, { recordId: fault.id })).toBe(1);
  });

  it('does not spin on a record the sweep leaves due: it waits out the failure pause', async () => {
    const { world, clock } = await setUp();
    let calls = 0;
    const failing = new ReminderTimer({
      store: world.store,
      clock,
      logger,
      subjects: [FAULT_SUBJECT],
      run: async () => {
        calls += 1;
        throw new Error('database hiccup');
      },
      maxWaitMs: 10,
      failurePauseMs: 60_000,
    });
    timers.push(failing);
    await world.services.faults.report(await world.actor('anna'), REPORT);
    clock.set(new Date('2026-11-23T10:08:00.000Z'));
    failing.start();
    await vi.waitFor(() => expect(calls).toBe(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
    clock.set(new Date('2026-11-23T10:09:01.000Z'));
    await vi.waitFor(() => expect(calls).toBe(2));
  });
});

describe('approvalStillPossible', () => {
  it.each([
    [{ approvals: 0, needed: 2, managerMissing: false, reachable: [{ isManager: false }, { isManager: false }] }, true],
    [{ approvals: 1, needed: 2, managerMissing: false, reachable: [{ isManager: false }] }, true],
    [{ approvals: 1, needed: 2, managerMissing: false, reachable: [] }, false],
    [{ approvals: 0, needed: 2, managerMissing: false, reachable: [{ isManager: true }] }, false],
    [{ approvals: 2, needed: 2, managerMissing: true, reachable: [{ isManager: false }] }, false],
    [{ approvals: 2, needed: 2, managerMissing: true, reachable: [{ isManager: true }] }, true],
  ])('%j -> %s', (input, expected) => {
    expect(approvalStillPossible(input)).toBe(expected);
  });
});
