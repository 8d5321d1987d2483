// Implementing an approved change (policy 4.2): started only inside its window (emergencies excepted;
// a refused start is kept as a compliance finding), ended with its outcome, handed over between engineers.
import type { EntityManager } from 'typeorm';
import { windowText } from './cards.js';
import type { ChangeDesk } from './desk.js';
import { MANAGER_ROLES } from './records.js';
import { CHANGE_LIMITS } from './request-input.js';
import { alreadyStarted, finishRefusal, requireImplementer, requireParticipant } from './refusals.js';
import { formatChangeId, nextState, outcomeMove, startRefusal, type ChangeMove, type ChangeOutcome, type ChangeState, type StartRefusal } from './rules.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { AccountRef } from '../people/service.js';
import { ChangeNotice, type Change } from '../store/entities/index.js';

/** A refused start that is a compliance finding (a repeated click is not). */
type FindingRefusal = Exclude<StartRefusal, 'already_started'>;

/** Implementation can change hands until it has ended. */
const HAND_OVER_STATES: readonly ChangeState[] = ['submitted', 'approved', 'scheduled', 'in_progress'];

export class ChangeImplementation {
  constructor(private readonly desk: ChangeDesk) {}

  /**
   * Starts implementation. Before approval, or outside the window (emergencies excepted), it is
   * refused, and the attempt is kept as a compliance finding (timeline and audit log).
   */
  async start(actor: Actor, id: number): Promise<Change> {
    const { records, announcer, clock, timeZone } = this.desk;
    const outcome = await this.desk.withChange(id, async (change, manager, setup): Promise<{ change: Change; refusal?: FindingRefusal }> => {
      requireImplementer(actor, change);
      const now = clock.now();
      const refusal = startRefusal({ state: change.state, type: change.type, window: { start: change.windowStart, end: change.windowEnd } }, now);
      if (refusal === 'already_started') throw await alreadyStarted(manager, change, timeZone);
      if (refusal) {
        await this.recordViolation(manager, actor, change, refusal);
        return { change, refusal };
      }
      await records.step(manager, actor, change, 'start', { state: 'in_progress', startedAt: now });
      await announcer.notify(manager, change, { kind: 'started', by: actor.personId }, setup);
      return { change };
    });
    // Thrown after the transaction committed, so that the finding stays recorded.
    if (outcome.refusal) {
      throw new ConflictError(`changes.error.start.${outcome.refusal}`, {
        id: formatChangeId(id),
        window: windowText(outcome.change, timeZone),
        state: { key: `changes.state.${outcome.change.state}` },
      });
    }
    this.desk.deliver();
    return outcome.change;
  }

  /** The implementer or a manager may end a change in progress; returns the state it ends in. */
  checkFinish(actor: Actor, change: Change, move: ChangeMove): ChangeState {
    requireImplementer(actor, change);
    const to = nextState(change.state, move);
    if (to === undefined) throw finishRefusal(change, move, this.desk.timeZone);
    return to;
  }

  /** Records how the implementation ended; a failure or rollback must say what happened. */
  async finish(actor: Actor, id: number, outcome: ChangeOutcome, note?: string): Promise<Change> {
    const { records, announcer, clock } = this.desk;
    const text = note?.trim() ? note.trim().slice(0, CHANGE_LIMITS.note) : null;
    if (outcome !== 'completed' && !text) throw new InvalidInputError('changes.error.whatHappenedRequired', {}, 'note');
    return this.desk.act(id, async (change, manager, setup) => {
      const move = outcomeMove(outcome);
      const to = this.checkFinish(actor, change, move);
      await records.step(manager, actor, change, move, { state: to, endedAt: clock.now(), outcomeNote: text }, { note: text });
      if (change.type === 'emergency') {
        for (const personId of await records.holders(manager, MANAGER_ROLES)) await records.addNotice(manager, change.id, personId, 'review');
      }
      await announcer.notify(manager, change, { kind: 'ended', by: actor.personId, outcome }, setup);
      return change;
    });
  }

  /** The implementer, the requester or a manager may hand over a change that has not ended. */
  checkHandOver(actor: Actor, change: Change): void {
    requireParticipant(actor, change, 'changes.error.handOverNotAllowed');
    if (!HAND_OVER_STATES.includes(change.state)) {
      throw new ConflictError('changes.error.cannotHandOver', { id: formatChangeId(change.id), state: { key: `changes.state.${change.state}` } });
    }
  }

  /** Hands implementation over to an engineer (by the implementer, the requester or a manager). */
  async handOver(actor: Actor, id: number, to: AccountRef): Promise<Change> {
    const { records, announcer, clock, people } = this.desk;
    return this.desk.act(id, async (change, manager, setup) => {
      this.checkHandOver(actor, change);
      const person = await people.personFor(manager, to);
      if (!hasRole(await people.rolesOf(manager, person.id), 'engineer')) {
        throw new InvalidInputError('changes.error.implementerNotEngineer', { person: person.displayName }, 'implementer');
      }
      if (person.id === change.implementerId) return change;
      await records.step(manager, actor, change, 'handed_over', { implementerId: person.id }, { note: person.displayName });
      const prompted = await manager.count(ChangeNotice, { where: { changeId: id, kind: 'implement' } });
      if (prompted > 0 || change.state === 'in_progress') await records.addNotice(manager, change.id, person.id, 'implement');
      else await announcer.promptImplementerIfOpen(manager, change, clock.now());
      await announcer.notify(manager, change, { kind: 'handedOver', by: actor.personId, to: person.id }, setup);
      return change;
    });
  }

  /** A refused start: kept as a compliance finding, with its own audit action. */
  private async recordViolation(manager: EntityManager, actor: Actor, change: Change, reason: string): Promise<void> {
    const now = this.desk.clock.now();
    const after = { attempt: 'start', reason, state: change.state, type: change.type, windowStart: change.windowStart.toISOString(), windowEnd: change.windowEnd.toISOString(), at: now.toISOString() };
    await this.desk.records.record(manager, actor, change, 'compliance_violation', null, null, reason, after);
  }
}
