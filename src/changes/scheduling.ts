// Approved changes onto the calendar: scheduled at once unless the window falls in a change freeze
// (only emergencies may be scheduled there), and rescheduled out of a freeze.
import type { EntityManager } from 'typeorm';
import type { ChangeSetup } from './announcer.js';
import { windowText } from './cards.js';
import type { ChangeDesk } from './desk.js';
import { SYSTEM, type Party } from '../people/actor.js';
import { cannotMove, requireParticipant } from './refusals.js';
import { formatFreeze, freezesHit, mayBeScheduled, windowProblem, type TimeWindow } from './rules.js';
import { InvalidInputError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import type { Change } from '../store/entities/index.js';

export class ChangeScheduling {
  constructor(private readonly desk: ChangeDesk) {}

  /** Approved: scheduled unless the window falls in a freeze (only emergencies may be scheduled there). */
  async conclude(manager: EntityManager, change: Change, by: Party, setup: ChangeSetup, why: 'standard' | 'approvals'): Promise<void> {
    const { records, timeZone } = this.desk;
    const { freezes } = setup.policy;
    const now = this.desk.clock.now();
    await records.step(manager, by, change, 'approved', { state: 'approved', decidedAt: now }, { note: why === 'standard' ? 'standard change: pre-approved' : null });
    const window = { start: change.windowStart, end: change.windowEnd };
    if (!mayBeScheduled(change.type, window, freezes, timeZone)) {
      const periods = freezesHit(window, freezes, timeZone).map(formatFreeze).join(', ');
      await records.record(manager, SYSTEM, change, 'schedule_blocked', null, null, periods);
      return;
    }
    await records.step(manager, SYSTEM, change, 'scheduled', { state: 'scheduled' }, { note: windowText(change, timeZone) });
    await this.desk.announcer.promptImplementerIfOpen(manager, change, now);
  }

  /** The requester, the implementer or a manager may reschedule a change held back by a freeze. */
  checkReschedule(actor: Actor, change: Change): void {
    requireParticipant(actor, change, 'changes.error.rescheduleNotAllowed');
    if (change.state !== 'approved') throw cannotMove(change, 'schedule');
  }

  /** An approved change held back by a freeze gets a new window (requester, implementer or a manager). */
  async reschedule(actor: Actor, id: number, window: TimeWindow): Promise<Change> {
    const { records, timeZone } = this.desk;
    const problem = windowProblem(window, this.desk.clock.now());
    if (problem) throw new InvalidInputError(`changes.error.window.${problem}`, {}, 'windowEnd');
    return this.desk.act(id, async (change, manager, setup) => {
      this.checkReschedule(actor, change);
      const { freezes } = setup.policy;
      if (!mayBeScheduled(change.type, window, freezes, timeZone)) {
        throw new InvalidInputError('changes.error.inFreeze', { period: freezesHit(window, freezes, timeZone).map(formatFreeze).join(', ') }, 'windowStart');
      }
      const before = { windowStart: change.windowStart.toISOString(), windowEnd: change.windowEnd.toISOString() };
      const note = windowText({ windowStart: window.start, windowEnd: window.end }, timeZone);
      await records.step(manager, actor, change, 'rescheduled', { state: 'scheduled', windowStart: window.start, windowEnd: window.end }, { before, note });
      await this.desk.announcer.promptImplementerIfOpen(manager, change, this.desk.clock.now());
      await this.desk.announcer.notify(manager, change, { kind: 'rescheduled', by: actor.personId }, setup);
      return change;
    });
  }
}
