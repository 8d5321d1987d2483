// The post-implementation review by a manager (policy 4.2): an emergency change keeps an open review
// task until one is recorded.
import type { EntityManager } from 'typeorm';
import type { ChangeDesk } from './desk.js';
import { CHANGE_LIMITS } from './request-input.js';
import { alreadyReviewed, cannotMove } from './refusals.js';
import { nextState } from './rules.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { Change } from '../store/entities/index.js';

export class ChangeReview {
  constructor(private readonly desk: ChangeDesk) {}

  requireReviewer(actor: Actor): void {
    if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('changes.error.reviewManagerOnly');
  }

  /** Only an ended change can be reviewed, once. */
  async checkReviewable(manager: EntityManager, change: Change): Promise<void> {
    if (nextState(change.state, 'review') !== undefined) return;
    if (change.state === 'reviewed') throw await alreadyReviewed(manager, change, this.desk.timeZone);
    throw cannotMove(change, 'review');
  }

  /** A manager's post-implementation review; an emergency change's review task stays open until then. */
  async review(actor: Actor, id: number, note: string): Promise<Change> {
    this.requireReviewer(actor);
    const text = note.trim();
    if (!text) throw new InvalidInputError('changes.error.reviewRequired', {}, 'note');
    const reviewNote = text.slice(0, CHANGE_LIMITS.note);
    return this.desk.act(id, async (change, manager, setup) => {
      await this.checkReviewable(manager, change);
      const fields = { state: 'reviewed' as const, reviewedBy: actor.personId, reviewedAt: this.desk.clock.now(), reviewNote };
      await this.desk.records.step(manager, actor, change, 'review', fields, { note: reviewNote });
      await this.desk.announcer.notify(manager, change, { kind: 'reviewed', by: actor.personId }, setup);
      return change;
    });
  }
}
