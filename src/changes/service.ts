// Change management (policy 4.2): one entry point over the use cases, each in its own file.
import type { EntityManager } from 'typeorm';
import type { ChangeSnapshot } from './cards.js';
import { ChangeDecisions } from './decisions.js';
import { ChangeDesk, type ChangeServiceOptions } from './desk.js';
import { ChangeImplementation } from './implementation.js';
import { ChangeReminders } from './reminders.js';
import type { ChangeRequest } from './request-input.js';
import { ChangeRequesting } from './requesting.js';
import { ChangeReview } from './review.js';
import type { ChangeOutcome, TimeWindow } from './rules.js';
import { ChangeScheduling } from './scheduling.js';
import type { ChangePolicy } from './settings.js';
import type { Clock } from '../clock.js';
import type { Actor } from '../people/actor.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import type { SettingsService } from '../settings/service.js';
import type { Change } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export type { ChangeRequest } from './request-input.js';
export type { ChangeServiceOptions } from './desk.js';

/** A step whose form only opens when the actor may take it now. */
export type PrecheckStep = 'finish' | 'review' | 'handOver' | 'reschedule';

/** Change management (policy 4.2): request, approve or reject, schedule, implement, review. */
export class ChangeService {
  private readonly desk: ChangeDesk;
  private readonly requesting: ChangeRequesting;
  private readonly decisions: ChangeDecisions;
  private readonly scheduling: ChangeScheduling;
  private readonly implementation: ChangeImplementation;
  private readonly reviews: ChangeReview;
  private readonly reminders: ChangeReminders;

  constructor(store: Store, clock: Clock, people: PeopleService, settings: SettingsService, options: ChangeServiceOptions) {
    this.desk = new ChangeDesk(store, clock, people, settings, options);
    this.scheduling = new ChangeScheduling(this.desk);
    this.requesting = new ChangeRequesting(this.desk, this.scheduling);
    this.decisions = new ChangeDecisions(this.desk, this.scheduling);
    this.implementation = new ChangeImplementation(this.desk);
    this.reviews = new ChangeReview(this.desk);
    this.reminders = new ChangeReminders(this.desk);
  }

  /** The approval policy and freezes in force now. */
  policy(): Promise<ChangePolicy> {
    return this.desk.policy();
  }

  request(actor: Actor, input: ChangeRequest): Promise<Change> {
    return this.requesting.request(actor, input);
  }

  get(id: number): Promise<Change> {
    return this.requesting.get(id);
  }

  /** Checks that the actor could decide on the change now, without deciding (before a form opens). */
  checkCanDecide(actor: Actor, id: number): Promise<void> {
    return this.decisions.checkCanDecide(actor, id);
  }

  /** Checks, before a form opens, that the actor may take this step on the change now. */
  async precheck(actor: Actor, id: number, step: PrecheckStep): Promise<Change> {
    const manager = this.desk.store.manager;
    const change = await this.desk.records.load(manager, id);
    switch (step) {
      case 'finish':
        this.implementation.checkFinish(actor, change, 'complete');
        break;
      case 'review':
        this.reviews.requireReviewer(actor);
        await this.reviews.checkReviewable(manager, change);
        break;
      case 'handOver':
        this.implementation.checkHandOver(actor, change);
        break;
      case 'reschedule':
        this.scheduling.checkReschedule(actor, change);
        break;
    }
    return change;
  }

  /** One approval; when the policy is satisfied the change is approved and, outside a freeze, scheduled. */
  approve(actor: Actor, id: number, comment?: string): Promise<Change> {
    return this.decisions.approve(actor, id, comment);
  }

  /** Any rejection rejects the change; it needs a reason. */
  reject(actor: Actor, id: number, reason: string): Promise<Change> {
    return this.decisions.reject(actor, id, reason);
  }

  /** An approved change held back by a freeze gets a new window (requester, implementer or a manager). */
  reschedule(actor: Actor, id: number, window: TimeWindow): Promise<Change> {
    return this.scheduling.reschedule(actor, id, window);
  }

  /** Starts implementation; a start before approval or outside the window is refused and kept as a finding. */
  start(actor: Actor, id: number): Promise<Change> {
    return this.implementation.start(actor, id);
  }

  /** Records how the implementation ended; a failure or rollback must say what happened. */
  finish(actor: Actor, id: number, outcome: ChangeOutcome, note?: string): Promise<Change> {
    return this.implementation.finish(actor, id, outcome, note);
  }

  /** A manager's post-implementation review; an emergency change's review task stays open until then. */
  review(actor: Actor, id: number, note: string): Promise<Change> {
    return this.reviews.review(actor, id, note);
  }

  /** Hands implementation over to an engineer (by the implementer, the requester or a manager). */
  handOver(actor: Actor, id: number, to: AccountRef): Promise<Change> {
    return this.implementation.handOver(actor, id, to);
  }

  /** Reminds approvers of waiting changes (once per interval each); returns how many reminders were sent. */
  remindApprovers(): Promise<number> {
    return this.reminders.remindApprovers();
  }

  /** DMs implementers whose windows have opened (once each); returns how many. */
  promptOpenWindows(): Promise<number> {
    return this.reminders.promptOpenWindows();
  }

  /** The change with its decisions, overlapping approved windows and freezes, as the cards show it. */
  snapshotOf(manager: EntityManager, change: Change, policy: ChangePolicy): Promise<ChangeSnapshot> {
    return this.desk.announcer.snapshotOf(manager, change, policy);
  }
}
