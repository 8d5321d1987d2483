import { QueryFailedError, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { decisionsOf, windowText, type ChangeSnapshot } from './cards.js';
import { allCopies, noticeCopies, reminderMessages, requesterNews, type ChangeNews, type NoticeKind, type NotifyContext } from './notifications.js';
import {
  APPROVED_STATES,
  CHANGE_RISKS,
  CHANGE_TYPES,
  approvalRequirement,
  approvalStatus,
  conflicts,
  decisionRefusal,
  formatChangeId,
  formatFreeze,
  freezesHit,
  mayBeScheduled,
  nextState,
  outcomeMove,
  parseConfigItems,
  startRefusal,
  windowProblem,
  type ChangeMove,
  type ChangeOutcome,
  type ChangeRisk,
  type ChangeState,
  type ChangeType,
  type DecisionRefusal,
  type TimeWindow,
} from './rules.js';
import { loadChangePolicy, type ChangePolicy } from './settings.js';
import { appendAudit } from '../audit/chain.js';
import { formatTime } from '../chat/format.js';
import type { Locale, MessageKey } from '../chat/i18n/catalog.js';
import type { ChatTarget } from '../chat/model.js';
import type { Clock } from '../clock.js';
import { ConflictError, FieldErrors, ForbiddenError, InvalidInputError, NotFoundError, type UserError } from '../errors.js';
import { enqueue, type OutgoingMessage } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';
import { hasRole, type Role } from '../people/roles.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import { peopleViews } from '../people/views.js';
import type { SettingsService } from '../settings/service.js';
import { Change, ChangeApproval, ChangeEvent, ChangeNotice, Person, RoleGrant } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const CHANGE_LIMITS = {
  title: 150,
  content: 4000,
  reason: 2000,
  expectedImpact: 2000,
  testPlan: 3000,
  rollbackPlan: 3000,
  configItems: 500,
  window: 20,
  comment: 1000,
  note: 3000,
} as const;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** The change form as submitted; the window is still text here (read in TZ_NAME by the form handler). */
export const changeFormSchema = z.object({
  title: z.string().trim().min(1).max(CHANGE_LIMITS.title),
  content: z.string().trim().min(1).max(CHANGE_LIMITS.content),
  reason: z.string().trim().min(1).max(CHANGE_LIMITS.reason),
  expectedImpact: z.string().trim().min(1).max(CHANGE_LIMITS.expectedImpact),
  risk: z.enum(CHANGE_RISKS),
  type: z.enum(CHANGE_TYPES),
  testPlan: optionalText(CHANGE_LIMITS.testPlan),
  rollbackPlan: optionalText(CHANGE_LIMITS.rollbackPlan),
  windowStart: z.string().trim().min(1).max(CHANGE_LIMITS.window),
  windowEnd: z.string().trim().min(1).max(CHANGE_LIMITS.window),
  configItems: z.string().trim().min(1).max(CHANGE_LIMITS.configItems),
});

export interface ChangeRequest {
  title: string;
  content: string;
  reason: string;
  expectedImpact: string;
  risk: ChangeRisk;
  type: ChangeType;
  testPlan?: string | undefined;
  rollbackPlan?: string | undefined;
  window: TimeWindow;
  configItems: string[];
}

export interface ChangeServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  /** Called after a transaction that queued messages committed, so delivery starts at once. */
  onOutbox?: () => void;
}

/** Who a timeline entry and audit entry name: a person, or opsdesk itself (personId null). */
interface Party {
  personId: number | null;
  displayName: string;
}

const SYSTEM: Party = { personId: null, displayName: 'opsdesk' };

interface Setup {
  policy: ChangePolicy;
  channel: ChatTarget | undefined;
}
const HOUR_MS = 3_600_000;
const APPROVER_ROLES: Role[] = ['approver', 'manager', 'admin'];
const MANAGER_ROLES: Role[] = ['manager', 'admin'];
/** Implementation can change hands until it has ended. */
const HAND_OVER_STATES: readonly ChangeState[] = ['submitted', 'approved', 'scheduled', 'in_progress'];

type Fields = Partial<
  Pick<
    Change,
    'state' | 'implementerId' | 'decidedAt' | 'startedAt' | 'endedAt' | 'outcomeNote' | 'reviewedBy' | 'reviewedAt' | 'reviewNote' | 'windowStart' | 'windowEnd'
  >
>;

/** Normal and emergency changes need a test plan and a rollback plan (policy 4.2); standard ones are pre-approved routine. */
export function planProblems(input: Pick<ChangeRequest, 'type' | 'testPlan' | 'rollbackPlan'>): FieldErrors['errors'] {
  const errors: FieldErrors['errors'] = {};
  if (input.type === 'standard') return errors;
  const type = { key: `changes.type.${input.type}` } as const;
  if (!input.testPlan) errors.testPlan = { key: 'changes.error.testPlanRequired', params: { type } };
  if (!input.rollbackPlan) errors.rollbackPlan = { key: 'changes.error.rollbackPlanRequired', params: { type } };
  return errors;
}

/** Field problems of a change request that the form shows next to the fields. */
export function requestProblems(input: ChangeRequest, now: Date): FieldErrors['errors'] {
  const errors = planProblems(input);
  const problem = windowProblem(input.window, now);
  if (problem) errors.windowEnd = { key: `changes.error.window.${problem}` };
  if (input.configItems.length === 0) errors.configItems = { key: 'core.form.required' };
  else if (input.configItems.join(', ').length > CHANGE_LIMITS.configItems) errors.configItems = { key: 'core.form.tooLong', params: { max: CHANGE_LIMITS.configItems } };
  return errors;
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  const code = typeof driverError === 'object' && driverError !== null ? String(Reflect.get(driverError, 'code')) : '';
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/i.test(error.message);
}

/** Change management (policy 4.2): request, approve or reject, schedule, implement, review. */
export class ChangeService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    private readonly settings: SettingsService,
    private readonly options: ChangeServiceOptions,
  ) {}

  /** The approval policy and freezes in force now. */
  async policy(): Promise<ChangePolicy> {
    return loadChangePolicy((key) => this.settings.get(key));
  }

  /**
   * Settings a use case needs, read before its transaction opens: on PostgreSQL a transaction that
   * waits on a locked change must not also need a second pooled connection for them.
   */
  private async setup(): Promise<Setup> {
    return { policy: await this.policy(), channel: await this.settings.channel('change_channel') };
  }

  async request(actor: Actor, input: ChangeRequest): Promise<Change> {
    const problems = requestProblems(input, this.clock.now());
    if (Object.keys(problems).length > 0) throw new FieldErrors(problems);
    const setup = await this.setup();
    const requirement = approvalRequirement(input.type, input.risk, setup.policy.counts);
    const change = await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const change = await manager.save(
        Change,
        manager.create(Change, {
          title: input.title,
          content: input.content,
          reason: input.reason,
          expectedImpact: input.expectedImpact,
          risk: input.risk,
          type: input.type,
          testPlan: input.testPlan ?? null,
          rollbackPlan: input.rollbackPlan ?? null,
          windowStart: input.window.start,
          windowEnd: input.window.end,
          configItems: input.configItems.join(', '),
          state: 'submitted',
          approvalsRequired: requirement.approvals,
          managerRequired: requirement.managerRequired ? 1 : 0,
          requesterId: actor.personId,
          requesterPlatform: actor.platform,
          implementerId: actor.personId,
          decidedAt: null,
          startedAt: null,
          endedAt: null,
          outcomeNote: null,
          reviewedBy: null,
          reviewedAt: null,
          reviewNote: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.record(manager, actor, change, 'submitted', null, null, null);
      if (input.type === 'standard') {
        await this.conclude(manager, change, SYSTEM, setup, 'standard');
      } else {
        for (const personId of await this.eligibleApprovers(manager, change)) await this.addNotice(manager, change.id, personId, 'approval');
      }
      await this.notify(manager, change, { kind: 'submitted' }, setup);
      return change;
    });
    this.options.onOutbox?.();
    return change;
  }

  async get(id: number): Promise<Change> {
    const change = await this.store.manager.findOne(Change, { where: { id } });
    if (!change) throw new NotFoundError('changes.error.notFound', { id: formatChangeId(id) });
    return change;
  }

  /** Checks that the actor could decide on the change now, without deciding (before a form opens). */
  async checkCanDecide(actor: Actor, id: number): Promise<void> {
    const manager = this.store.manager;
    const change = await this.load(manager, id);
    const decisions = await this.decisions(manager, id);
    const refusal = decisionRefusal(actor, change, decisions);
    if (refusal) throw await this.decisionError(manager, refusal, change, decisions, actor);
  }

  /** Checks, before a form opens, that the actor may take this step on the change now. */
  async precheck(actor: Actor, id: number, step: 'finish' | 'review' | 'handOver' | 'reschedule'): Promise<Change> {
    const manager = this.store.manager;
    const change = await this.load(manager, id);
    switch (step) {
      case 'finish':
        this.requireImplementer(actor, change);
        if (change.state !== 'in_progress') throw this.finishRefusal(change, 'complete');
        break;
      case 'review':
        if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('changes.error.reviewManagerOnly');
        if (change.state === 'reviewed') throw await this.alreadyReviewed(manager, change);
        if (nextState(change.state, 'review') === undefined) throw this.cannotMove(change, 'review');
        break;
      case 'handOver':
        this.requireParticipant(actor, change, 'changes.error.handOverNotAllowed');
        if (!HAND_OVER_STATES.includes(change.state)) {
          throw new ConflictError('changes.error.cannotHandOver', { id: formatChangeId(id), state: { key: `changes.state.${change.state}` } });
        }
        break;
      case 'reschedule':
        this.requireParticipant(actor, change, 'changes.error.rescheduleNotAllowed');
        if (change.state !== 'approved') throw this.cannotMove(change, 'schedule');
        break;
    }
    return change;
  }

  /** One approval; when the policy is satisfied the change is approved and, outside a freeze, scheduled. */
  async approve(actor: Actor, id: number, comment?: string): Promise<Change> {
    return this.decide(actor, id, 'approved', comment?.trim() ? comment.trim().slice(0, CHANGE_LIMITS.comment) : null);
  }

  /** Any rejection rejects the change; it needs a reason. */
  async reject(actor: Actor, id: number, reason: string): Promise<Change> {
    const text = reason.trim();
    if (!text) throw new InvalidInputError('changes.error.reasonRequired', {}, 'reason');
    return this.decide(actor, id, 'rejected', text.slice(0, CHANGE_LIMITS.note));
  }

  private async decide(actor: Actor, id: number, decision: 'approved' | 'rejected', comment: string | null): Promise<Change> {
    const setup = await this.setup();
    let change: Change;
    try {
      change = await this.store.transaction(async (manager) => {
        const change = await this.load(manager, id, true);
        const decisions = await this.decisions(manager, id);
        const refusal = decisionRefusal(actor, change, decisions);
        if (refusal) throw await this.decisionError(manager, refusal, change, decisions, actor);
        const now = this.clock.now();
        const row = await manager.save(
          ChangeApproval,
          manager.create(ChangeApproval, {
            changeId: id,
            approverId: actor.personId,
            decision,
            asManager: hasRole(actor.roles, 'manager') ? 1 : 0,
            comment,
            createdAt: now,
          }),
        );
        decisions.push(row);
        const status = approvalStatus({ approvals: change.approvalsRequired, managerRequired: change.managerRequired === 1 }, decisionsOf(decisions));
        const approvals = decisions.filter((d) => d.decision === 'approved').length;
        await this.recordDecision(manager, actor, change, decision, comment, approvals);
        let news: ChangeNews = { kind: 'decision', by: actor.personId };
        if (status.outcome === 'rejected') {
          const before = snapshot(change);
          await this.apply(manager, change, { state: 'rejected', decidedAt: now });
          await this.record(manager, actor, change, 'rejected', before, before.state, comment);
          news = { kind: 'rejected', by: actor.personId, reason: comment ?? '' };
        } else if (status.outcome === 'approved') {
          await this.conclude(manager, change, actor, setup, 'approvals');
          news = { kind: 'approved', by: actor.personId };
        }
        await this.notify(manager, change, news, setup);
        return change;
      });
    } catch (error) {
      // Only a race the transaction could not see (another process, same person) ends here.
      if (isUniqueViolation(error)) throw await this.alreadyDecided(actor, id);
      throw error;
    }
    this.options.onOutbox?.();
    return change;
  }

  /** Approved: scheduled unless the window falls in a freeze (only emergencies may be scheduled there). */
  private async conclude(manager: EntityManager, change: Change, by: Party, setup: Setup, why: 'standard' | 'approvals'): Promise<void> {
    const { policy } = setup;
    const now = this.clock.now();
    let before = snapshot(change);
    await this.apply(manager, change, { state: 'approved', decidedAt: now });
    await this.record(manager, by, change, 'approved', before, before.state, why === 'standard' ? 'standard change: pre-approved' : null);
    const window = { start: change.windowStart, end: change.windowEnd };
    if (!mayBeScheduled(change.type, window, policy.freezes, this.options.timeZone)) {
      const periods = freezesHit(window, policy.freezes, this.options.timeZone).map(formatFreeze).join(', ');
      await this.record(manager, SYSTEM, change, 'schedule_blocked', null, null, periods);
      return;
    }
    before = snapshot(change);
    await this.apply(manager, change, { state: 'scheduled' });
    await this.record(manager, SYSTEM, change, 'scheduled', before, before.state, windowText(change, this.options.timeZone));
    await this.promptImplementerIfOpen(manager, change, now);
  }

  /** An approved change held back by a freeze gets a new window (requester, implementer or a manager). */
  async reschedule(actor: Actor, id: number, window: TimeWindow): Promise<Change> {
    const problem = windowProblem(window, this.clock.now());
    if (problem) throw new InvalidInputError(`changes.error.window.${problem}`, {}, 'windowEnd');
    const setup = await this.setup();
    const { policy } = setup;
    const change = await this.store.transaction(async (manager) => {
      const change = await this.load(manager, id, true);
      this.requireParticipant(actor, change, 'changes.error.rescheduleNotAllowed');
      if (change.state !== 'approved') throw this.cannotMove(change, 'schedule');
      const frozen = freezesHit(window, policy.freezes, this.options.timeZone);
      if (!mayBeScheduled(change.type, window, policy.freezes, this.options.timeZone)) {
        throw new InvalidInputError('changes.error.inFreeze', { period: frozen.map(formatFreeze).join(', ') }, 'windowStart');
      }
      const before = { ...snapshot(change), windowStart: change.windowStart.toISOString(), windowEnd: change.windowEnd.toISOString() };
      await this.apply(manager, change, { state: 'scheduled', windowStart: window.start, windowEnd: window.end });
      await this.record(manager, actor, change, 'rescheduled', before, before.state, windowText(change, this.options.timeZone));
      await this.promptImplementerIfOpen(manager, change, this.clock.now());
      await this.notify(manager, change, { kind: 'rescheduled', by: actor.personId }, setup);
      return change;
    });
    this.options.onOutbox?.();
    return change;
  }

  /**
   * Starts implementation. Before approval, or outside the window (emergencies excepted), it is
   * refused, and the attempt is kept as a compliance finding (timeline and audit log).
   */
  async start(actor: Actor, id: number): Promise<Change> {
    const setup = await this.setup();
    const outcome = await this.store.transaction(async (manager) => {
      const change = await this.load(manager, id, true);
      this.requireImplementer(actor, change);
      const now = this.clock.now();
      const refusal = startRefusal({ state: change.state, type: change.type, window: { start: change.windowStart, end: change.windowEnd } }, now);
      if (refusal === 'already_started') throw await this.alreadyStarted(manager, change);
      if (refusal) {
        await this.recordViolation(manager, actor, change, refusal);
        return { change, refusal };
      }
      const before = snapshot(change);
      await this.apply(manager, change, { state: 'in_progress', startedAt: now });
      await this.record(manager, actor, change, 'start', before, before.state, null);
      await this.notify(manager, change, { kind: 'started', by: actor.personId }, setup);
      return { change, refusal: undefined };
    });
    if (outcome.refusal) {
      throw new ConflictError(`changes.error.start.${outcome.refusal}`, {
        id: formatChangeId(id),
        window: windowText(outcome.change, this.options.timeZone),
        state: { key: `changes.state.${outcome.change.state}` },
      });
    }
    this.options.onOutbox?.();
    return outcome.change;
  }

  /** Records how the implementation ended; a failure or rollback must say what happened. */
  async finish(actor: Actor, id: number, outcome: ChangeOutcome, note?: string): Promise<Change> {
    const text = note?.trim() ? note.trim().slice(0, CHANGE_LIMITS.note) : null;
    if (outcome !== 'completed' && !text) throw new InvalidInputError('changes.error.whatHappenedRequired', {}, 'note');
    const setup = await this.setup();
    const change = await this.store.transaction(async (manager) => {
      const change = await this.load(manager, id, true);
      this.requireImplementer(actor, change);
      const move = outcomeMove(outcome);
      const to = nextState(change.state, move);
      if (to === undefined) throw this.finishRefusal(change, move);
      const before = snapshot(change);
      await this.apply(manager, change, { state: to, endedAt: this.clock.now(), outcomeNote: text });
      await this.record(manager, actor, change, move, before, before.state, text);
      if (change.type === 'emergency') {
        for (const personId of await this.holders(manager, MANAGER_ROLES)) await this.addNotice(manager, change.id, personId, 'review');
      }
      await this.notify(manager, change, { kind: 'ended', by: actor.personId, outcome }, setup);
      return change;
    });
    this.options.onOutbox?.();
    return change;
  }

  /** A manager's post-implementation review; an emergency change's review task stays open until then. */
  async review(actor: Actor, id: number, note: string): Promise<Change> {
    if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('changes.error.reviewManagerOnly');
    const text = note.trim();
    if (!text) throw new InvalidInputError('changes.error.reviewRequired', {}, 'note');
    const setup = await this.setup();
    const change = await this.store.transaction(async (manager) => {
      const change = await this.load(manager, id, true);
      if (nextState(change.state, 'review') === undefined) {
        if (change.state === 'reviewed') throw await this.alreadyReviewed(manager, change);
        throw this.cannotMove(change, 'review');
      }
      const before = snapshot(change);
      const now = this.clock.now();
      await this.apply(manager, change, { state: 'reviewed', reviewedBy: actor.personId, reviewedAt: now, reviewNote: text.slice(0, CHANGE_LIMITS.note) });
      await this.record(manager, actor, change, 'review', before, before.state, change.reviewNote);
      await this.notify(manager, change, { kind: 'reviewed', by: actor.personId }, setup);
      return change;
    });
    this.options.onOutbox?.();
    return change;
  }

  /** Hands implementation over to an engineer (by the implementer, the requester or a manager). */
  async handOver(actor: Actor, id: number, to: AccountRef): Promise<Change> {
    const setup = await this.setup();
    const change = await this.store.transaction(async (manager) => {
      const change = await this.load(manager, id, true);
      this.requireParticipant(actor, change, 'changes.error.handOverNotAllowed');
      if (!HAND_OVER_STATES.includes(change.state)) {
        throw new ConflictError('changes.error.cannotHandOver', { id: formatChangeId(id), state: { key: `changes.state.${change.state}` } });
      }
      const person = await this.people.personFor(manager, to);
      if (!hasRole(await this.people.rolesOf(manager, person.id), 'engineer')) {
        throw new InvalidInputError('changes.error.implementerNotEngineer', { person: person.displayName }, 'implementer');
      }
      if (person.id === change.implementerId) return change;
      const before = snapshot(change);
      await this.apply(manager, change, { implementerId: person.id });
      await this.record(manager, actor, change, 'handed_over', before, null, person.displayName);
      const prompted = await manager.count(ChangeNotice, { where: { changeId: id, kind: 'implement' } });
      if (prompted > 0 || change.state === 'in_progress') await this.addNotice(manager, change.id, person.id, 'implement');
      else await this.promptImplementerIfOpen(manager, change, this.clock.now());
      await this.notify(manager, change, { kind: 'handedOver', by: actor.personId, to: person.id }, setup);
      return change;
    });
    this.options.onOutbox?.();
    return change;
  }

  /**
   * Reminds approvers of changes still waiting, once per reminder interval each (the time of the
   * last message is stored, so a restart never sends one twice), and sends the request to people
   * who became approvers since. Returns how many reminders were sent.
   */
  async remindApprovers(): Promise<number> {
    const setup = await this.setup();
    const intervalMs = setup.policy.reminderHours * HOUR_MS;
    const waiting = await this.store.manager.find(Change, { where: { state: 'submitted' }, order: { id: 'ASC' } });
    let sent = 0;
    let queued = false;
    for (const { id } of waiting) {
      sent += await this.store.transaction(async (manager) => {
        const change = await this.load(manager, id, true);
        if (change.state !== 'submitted') return 0;
        const now = this.clock.now();
        const decided = new Set((await this.decisions(manager, id)).map((d) => d.approverId));
        const eligible = await this.eligibleApprovers(manager, change);
        const notices = await manager.find(ChangeNotice, { where: { changeId: id, kind: 'approval' } });
        const noticed = new Set(notices.map((n) => n.personId));
        const messages: OutgoingMessage[] = [];
        const fresh: ChangeNotice[] = [];
        for (const personId of eligible.filter((p) => !noticed.has(p))) fresh.push(await this.addNotice(manager, id, personId, 'approval'));
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
        const { snapshot: snap, ctx } = await this.context(manager, change, setup, [...fresh, ...due].map((n) => n.personId));
        for (const notice of fresh) messages.push(...noticeCopies(snap, notice, ctx));
        for (const notice of due) messages.push(...reminderMessages(snap, notice, ctx));
        await enqueue(manager, now, messages);
        queued ||= messages.length > 0;
        return due.length;
      });
    }
    if (queued) this.options.onOutbox?.();
    return sent;
  }

  /** DMs implementers whose windows have opened (once each): the Start button is there. Returns how many. */
  async promptOpenWindows(): Promise<number> {
    const setup = await this.setup();
    const now = this.clock.now();
    const open = await this.store.manager
      .createQueryBuilder(Change, 'c')
      .where('c.state = :state AND c.window_start <= :now AND c.window_end > :now', { state: 'scheduled', now: now.toISOString() })
      .orderBy('c.id', 'ASC')
      .getMany();
    let prompted = 0;
    for (const { id } of open) {
      prompted += await this.store.transaction(async (manager) => {
        const change = await this.load(manager, id, true);
        if (change.state !== 'scheduled') return 0;
        return (await this.promptImplementerIfOpen(manager, change, this.clock.now(), setup)) ? 1 : 0;
      });
    }
    if (prompted > 0) this.options.onOutbox?.();
    return prompted;
  }

  // ---- guards and errors ------------------------------------------------------------------------

  private requireImplementer(actor: Actor, change: Change): void {
    if (change.implementerId !== actor.personId && !hasRole(actor.roles, 'manager')) {
      throw new ForbiddenError('changes.error.implementerOnly', { id: formatChangeId(change.id) });
    }
  }

  private requireParticipant(actor: Actor, change: Change, key: MessageKey): void {
    if (change.implementerId !== actor.personId && change.requesterId !== actor.personId && !hasRole(actor.roles, 'manager')) {
      throw new ForbiddenError(key, { id: formatChangeId(change.id) });
    }
  }

  private cannotMove(change: Change, move: ChangeMove): ConflictError {
    return new ConflictError('changes.error.cannotMove', { id: formatChangeId(change.id), state: { key: `changes.state.${change.state}` }, move: { key: `changes.move.${move}` } });
  }

  private async decisionError(
    manager: EntityManager,
    refusal: DecisionRefusal,
    change: Change,
    decisions: ChangeApproval[],
    actor: Actor,
  ): Promise<UserError> {
    const id = formatChangeId(change.id);
    const time = (date: Date | null) => (date ? formatTime(date, this.options.timeZone) : '—');
    switch (refusal) {
      case 'not_approver':
        return new ForbiddenError('changes.error.approverOnly', { id });
      case 'own_change':
        return new ForbiddenError('changes.error.ownChange', { id });
      case 'manager_only':
        return new ForbiddenError('changes.error.emergencyManagerOnly', { id });
      case 'already_decided': {
        const own = decisions.find((d) => d.approverId === actor.personId);
        return new ConflictError(own?.decision === 'rejected' ? 'changes.error.youRejected' : 'changes.error.youApproved', { id, time: time(own?.createdAt ?? null) });
      }
      case 'decided': {
        if (change.state === 'submitted' || change.state === 'draft') return this.cannotMove(change, 'approve');
        const rejected = decisions.filter((d) => d.decision === 'rejected');
        if (rejected.length > 0) return new ConflictError('changes.error.alreadyRejected', { id, person: await this.names(manager, rejected), time: time(change.decidedAt) });
        if (change.type === 'standard') return new ConflictError('changes.error.preApproved', { id });
        if (change.state === 'rejected') return this.cannotMove(change, 'approve');
        const approved = decisions.filter((d) => d.decision === 'approved');
        return new ConflictError('changes.error.alreadyApproved', { id, person: await this.names(manager, approved), time: time(change.decidedAt) });
      }
    }
  }

  private async alreadyDecided(actor: Actor, id: number): Promise<UserError> {
    const manager = this.store.manager;
    const change = await this.load(manager, id);
    const decisions = await this.decisions(manager, id);
    return this.decisionError(manager, decisionRefusal(actor, change, decisions) ?? 'already_decided', change, decisions, actor);
  }

  private async alreadyStarted(manager: EntityManager, change: Change): Promise<ConflictError> {
    const event = await manager.findOne(ChangeEvent, { where: { changeId: change.id, kind: 'start' }, order: { id: 'DESC' } });
    const person = event?.actorId ? await manager.findOne(Person, { where: { id: event.actorId } }) : null;
    return new ConflictError('changes.error.alreadyStarted', {
      id: formatChangeId(change.id),
      person: person?.displayName ?? '—',
      time: change.startedAt ? formatTime(change.startedAt, this.options.timeZone) : '—',
      state: { key: `changes.state.${change.state}` },
    });
  }

  private finishRefusal(change: Change, move: ChangeMove): ConflictError {
    if (change.endedAt) {
      return new ConflictError('changes.error.alreadyEnded', {
        id: formatChangeId(change.id),
        state: { key: `changes.state.${change.state}` },
        time: formatTime(change.endedAt, this.options.timeZone),
      });
    }
    return this.cannotMove(change, move);
  }

  private async alreadyReviewed(manager: EntityManager, change: Change): Promise<ConflictError> {
    const person = change.reviewedBy === null ? null : await manager.findOne(Person, { where: { id: change.reviewedBy } });
    return new ConflictError('changes.error.alreadyReviewed', {
      id: formatChangeId(change.id),
      person: person?.displayName ?? '—',
      time: change.reviewedAt ? formatTime(change.reviewedAt, this.options.timeZone) : '—',
    });
  }

  private async names(manager: EntityManager, decisions: ChangeApproval[]): Promise<string> {
    if (decisions.length === 0) return '—';
    const people = await manager.createQueryBuilder(Person, 'p').where('p.id IN (:...ids)', { ids: decisions.map((d) => d.approverId) }).getMany();
    return decisions.map((d) => people.find((p) => p.id === d.approverId)?.displayName ?? '—').join(', ');
  }

  // ---- records ------------------------------------------------------------------------------------

  /** Reads the change; inside a decision on PostgreSQL the row is locked so that decisions queue up. */
  private async load(manager: EntityManager, id: number, lock = false): Promise<Change> {
    const locking = lock && manager.connection.options.type === 'postgres';
    const change = await manager.findOne(Change, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!change) throw new NotFoundError('changes.error.notFound', { id: formatChangeId(id) });
    return change;
  }

  private async decisions(manager: EntityManager, changeId: number): Promise<ChangeApproval[]> {
    return manager.find(ChangeApproval, { where: { changeId }, order: { id: 'ASC' } });
  }

  /** Writes a change only if nobody changed it since it was read (optimistic version). */
  private async apply(manager: EntityManager, change: Change, fields: Fields): Promise<void> {
    const now = this.clock.now();
    const result = await manager.update(Change, { id: change.id, version: change.version }, { ...fields, updatedAt: now, version: change.version + 1 });
    if (result.affected === 0) throw new ConflictError('changes.error.changedMeanwhile', { id: formatChangeId(change.id) });
    Object.assign(change, fields, { updatedAt: now, version: change.version + 1 });
  }

  private async record(
    manager: EntityManager,
    actor: Party,
    change: Change,
    kind: string,
    before: unknown,
    fromState: string | null,
    note: string | null,
    after: unknown = snapshot(change),
  ): Promise<void> {
    const now = this.clock.now();
    await manager.save(
      ChangeEvent,
      manager.create(ChangeEvent, { changeId: change.id, actorId: actor.personId, kind, fromState, toState: change.state, note, createdAt: now }),
    );
    await appendAudit(manager, now, {
      actorId: actor.personId,
      actorLabel: actor.displayName,
      action: `change.${kind}`,
      recordType: 'change',
      recordId: formatChangeId(change.id),
      before,
      after,
    });
  }

  /** An approver's decision: who, when, and the comment, in the timeline and the audit log. */
  private async recordDecision(manager: EntityManager, actor: Actor, change: Change, decision: 'approved' | 'rejected', comment: string | null, approvals: number): Promise<void> {
    const kind = decision === 'approved' ? 'approve' : 'reject';
    const after = { decision, approver: actor.displayName, approverId: actor.personId, asManager: hasRole(actor.roles, 'manager'), comment, approvals, required: change.approvalsRequired };
    await this.record(manager, actor, change, kind, { state: change.state, approvals: decision === 'approved' ? approvals - 1 : approvals }, null, comment, after);
  }

  /** A refused start: kept as a compliance finding, with its own audit action. */
  private async recordViolation(manager: EntityManager, actor: Actor, change: Change, reason: string): Promise<void> {
    const now = this.clock.now();
    const after = { attempt: 'start', reason, state: change.state, type: change.type, windowStart: change.windowStart.toISOString(), windowEnd: change.windowEnd.toISOString(), at: now.toISOString() };
    await this.record(manager, actor, change, 'compliance_violation', null, null, reason, after);
  }

  private async addNotice(manager: EntityManager, changeId: number, personId: number, kind: NoticeKind): Promise<ChangeNotice> {
    const existing = await manager.findOne(ChangeNotice, { where: { changeId, personId, kind } });
    if (existing) return existing;
    return manager.save(ChangeNotice, manager.create(ChangeNotice, { changeId, personId, kind, reminders: 0, lastSentAt: this.clock.now() }));
  }

  /**
   * Gives the implementer their Start prompt when the window is open (at once for an emergency).
   * With `send`, the prompt is queued here; otherwise the caller's notify sends every copy.
   */
  private async promptImplementerIfOpen(manager: EntityManager, change: Change, now: Date, send?: Setup): Promise<boolean> {
    if (change.state !== 'scheduled') return false;
    const open = change.type === 'emergency' || (change.windowStart.getTime() <= now.getTime() && now.getTime() < change.windowEnd.getTime());
    if (!open) return false;
    if (await manager.findOne(ChangeNotice, { where: { changeId: change.id, personId: change.implementerId, kind: 'implement' } })) return false;
    const notice = await this.addNotice(manager, change.id, change.implementerId, 'implement');
    if (send) {
      const { snapshot: snap, ctx } = await this.context(manager, change, send, [notice.personId]);
      await enqueue(manager, now, noticeCopies(snap, notice, ctx));
    }
    return true;
  }

  /** People holding any of the roles, in id order. */
  private async holders(manager: EntityManager, roles: Role[]): Promise<number[]> {
    const grants = await manager.createQueryBuilder(RoleGrant, 'g').where('g.role IN (:...roles)', { roles }).orderBy('g.person_id', 'ASC').getMany();
    return [...new Set(grants.map((g) => g.personId))];
  }

  /** Who is asked to decide: approvers (managers only for an emergency), never the requester. */
  private async eligibleApprovers(manager: EntityManager, change: Change): Promise<number[]> {
    const holders = await this.holders(manager, change.type === 'emergency' ? MANAGER_ROLES : APPROVER_ROLES);
    return holders.filter((id) => id !== change.requesterId);
  }

  // ---- messages -----------------------------------------------------------------------------------

  /** The change with its decisions, overlapping approved windows and freezes, as the cards show it. */
  async snapshotOf(manager: EntityManager, change: Change, policy: ChangePolicy): Promise<ChangeSnapshot> {
    const decisions = await this.decisions(manager, change.id);
    const others = await manager
      .createQueryBuilder(Change, 'c')
      .where('c.id <> :id AND c.state IN (:...states) AND c.window_start < :end AND c.window_end > :start', {
        id: change.id,
        states: APPROVED_STATES,
        start: change.windowStart.toISOString(),
        end: change.windowEnd.toISOString(),
      })
      .orderBy('c.window_start', 'ASC')
      .take(50)
      .getMany();
    const window = { start: change.windowStart, end: change.windowEnd };
    const found = conflicts(
      { id: change.id, window, configItems: parseConfigItems(change.configItems) },
      others.map((o) => ({ id: o.id, window: { start: o.windowStart, end: o.windowEnd }, configItems: parseConfigItems(o.configItems) })),
    );
    return { change, decisions, conflicts: found, freezes: freezesHit(window, policy.freezes, this.options.timeZone) };
  }

  private async context(manager: EntityManager, change: Change, setup: Setup, extraIds: number[]): Promise<{ snapshot: ChangeSnapshot; ctx: NotifyContext }> {
    const snap = await this.snapshotOf(manager, change, setup.policy);
    const ids = [change.requesterId, change.implementerId, ...snap.decisions.map((d) => d.approverId), ...extraIds];
    if (change.reviewedBy !== null) ids.push(change.reviewedBy);
    const { views, people } = await peopleViews(manager, ids);
    const ctx: NotifyContext = {
      timeZone: this.options.timeZone,
      defaultLocale: this.options.defaultLocale,
      channel: setup.channel,
      views,
      people,
    };
    return { snapshot: snap, ctx };
  }

  /** Re-renders every copy of the change (edited in place) and tells the requester what happened. */
  private async notify(manager: EntityManager, change: Change, news: ChangeNews, setup: Setup): Promise<void> {
    const notices = await manager.find(ChangeNotice, { where: { changeId: change.id }, order: { id: 'ASC' } });
    const extra = notices.map((n) => n.personId);
    if (news.kind === 'handedOver') extra.push(news.to);
    if ('by' in news && news.by !== null) extra.push(news.by);
    const { snapshot: snap, ctx } = await this.context(manager, change, setup, extra);
    await enqueue(manager, this.clock.now(), [...allCopies(snap, notices, ctx), ...requesterNews(snap, news, ctx)]);
  }
}

function snapshot(change: Change) {
  return {
    state: change.state,
    implementerId: change.implementerId,
    decidedAt: change.decidedAt?.toISOString() ?? null,
    startedAt: change.startedAt?.toISOString() ?? null,
    endedAt: change.endedAt?.toISOString() ?? null,
    outcomeNote: change.outcomeNote,
    reviewedBy: change.reviewedBy,
    reviewNote: change.reviewNote,
  };
}
