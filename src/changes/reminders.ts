// What the change jobs do: remind approvers of changes still waiting, and prompt implementers when
// their windows open. Both come from database state, so a restart never sends one twice.
import type { ChangeDesk } from './desk.js';
import { noticeCopies, reminderMessages } from './notifications.js';
import { enqueue, type OutgoingMessage } from '../outbox/outbox.js';
import { Change, ChangeNotice } from '../store/entities/index.js';

const HOUR_MS = 3_600_000;

export class ChangeReminders {
  constructor(private readonly desk: ChangeDesk) {}

  /**
   * Reminds approvers of changes still waiting, once per reminder interval each (the time of the
   * last message is stored, so a restart never sends one twice), and sends the request to people
   * who became approvers since. Returns how many reminders were sent.
   */
  async remindApprovers(): Promise<number> {
    const { store, clock, records, announcer } = this.desk;
    const setup = await this.desk.setup();
    const intervalMs = setup.policy.reminderHours * HOUR_MS;
    const waiting = await store.manager.find(Change, { where: { state: 'submitted' }, order: { id: 'ASC' } });
    let sent = 0;
    let queued = false;
    for (const { id } of waiting) {
      sent += await store.transaction(async (manager) => {
        const change = await records.load(manager, id, true);
        if (change.state !== 'submitted') return 0;
        const now = clock.now();
        const decided = new Set((await records.decisions(manager, id)).map((d) => d.approverId));
        const eligible = await records.eligibleApprovers(manager, change);
        const notices = await manager.find(ChangeNotice, { where: { changeId: id, kind: 'approval' } });
        const noticed = new Set(notices.map((n) => n.personId));
        const messages: OutgoingMessage[] = [];
        const fresh: ChangeNotice[] = [];
        for (const personId of eligible.filter((p) => !noticed.has(p))) fresh.push(await records.addNotice(manager, id, personId, 'approval'));
        const due: ChangeNotice[] = [];
        for (const notice of notices) {
          if (decided.has(notice.personId) || !eligible.includes(notice.personId)) continue;
          if (now.getTime() - notice.lastSentAt.getTime() < intervalMs) continue;
          const claimed = await manager.update(
            ChangeNotice,
            { id: notice.id, reminders: notice.reminders },
            { reminders: notice.reminders + 1, lastSentAt: now },
          );
          if (claimed.affected === 0) continue;
          notice.reminders += 1;
          notice.lastSentAt = now;
          due.push(notice);
        }
        if (fresh.length === 0 && due.length === 0) return 0;
        const { snapshot: snap, ctx } = await announcer.context(manager, change, setup, [...fresh, ...due].map((n) => n.personId));
        for (const notice of fresh) messages.push(...noticeCopies(snap, notice, ctx));
        for (const notice of due) messages.push(...reminderMessages(snap, notice, ctx));
        await enqueue(manager, now, messages, { kind: 'change', id });
        queued ||= messages.length > 0;
        return due.length;
      });
    }
    if (queued) this.desk.deliver();
    return sent;
  }

  /** DMs implementers whose windows have opened (once each): the Start button is there. Returns how many. */
  async promptOpenWindows(): Promise<number> {
    const { store, clock, records, announcer } = this.desk;
    const setup = await this.desk.setup();
    const now = clock.now();
    const open = await store.manager
      .createQueryBuilder(Change, 'c')
      .where('c.state = :state AND c.window_start <= :now AND c.window_end > :now', { state: 'scheduled', now: now.toISOString() })
      .orderBy('c.id', 'ASC')
      .getMany();
    let prompted = 0;
    for (const { id } of open) {
      prompted += await store.transaction(async (manager) => {
        const change = await records.load(manager, id, true);
        if (change.state !== 'scheduled') return 0;
        return (await announcer.promptImplementerIfOpen(manager, change, clock.now(), setup)) ? 1 : 0;
      });
    }
    if (prompted > 0) this.desk.deliver();
    return prompted;
  }
}
