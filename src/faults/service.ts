import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { faultMessages, type FaultNews } from './notifications.js';
import { FAULT_CATEGORIES, formatFaultId, nextState, priorityOf, type FaultMove, type Level } from './rules.js';
import { appendAudit } from '../audit/chain.js';
import type { SurveyOpener } from '../feedback/surveys.js';
import { formatTime } from '../chat/format.js';
import type { Locale, Translate } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { enqueue } from '../outbox/outbox.js';
import { SYSTEM, type Actor, type Party } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import type { SettingsService } from '../settings/service.js';
import { Fault, FaultEvent, Person } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { updateIfUnchanged } from '../store/versioned.js';

const level = z.coerce.number().int().min(1).max(3).transform((n) => n as Level);

export const FAULT_LIMITS = { title: 150, description: 4000, affectedSystem: 150, rootCause: 3000, resolutionSteps: 3000 } as const;

export const faultReportSchema = z.object({
  title: z.string().trim().min(1).max(FAULT_LIMITS.title),
  description: z.string().trim().min(1).max(FAULT_LIMITS.description),
  category: z.enum(FAULT_CATEGORIES),
  impact: level,
  urgency: level,
  affectedSystem: z
    .string()
    .trim()
    .max(FAULT_LIMITS.affectedSystem)
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type FaultReport = Omit<z.output<typeof faultReportSchema>, 'affectedSystem'> & { affectedSystem?: string | undefined };

export const faultResolutionSchema = z.object({
  rootCause: z.string().trim().min(1).max(FAULT_LIMITS.rootCause),
  resolutionSteps: z.string().trim().min(1).max(FAULT_LIMITS.resolutionSteps),
});
export type FaultResolution = z.output<typeof faultResolutionSchema>;

export interface FaultServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  /** Called after a transaction that queued messages committed, so delivery starts at once. */
  onOutbox?: () => void;
  /** Asks the reporter for a satisfaction rating when a fault is resolved (policy 4.1, 5.3). */
  surveys?: SurveyOpener;
  /** Recomputes the SLA clock (deadlines, pauses, next reminder) after every change, in the same transaction. */
  sla?: { onChange(manager: EntityManager, fault: Fault, now: Date): Promise<unknown> };
  /** Extra card lines for faults opened by monitoring (their alerts), read in the same transaction. */
  cardDetails?: (manager: EntityManager, fault: Fault) => Promise<((t: Translate) => string) | undefined>;
}

const DAY_MS = 86_400_000;
const STALE_BATCH = 200;

type Change = Partial<Pick<Fault, 'state' | 'assigneeId' | 'rootCause' | 'resolutionSteps' | 'acknowledgedAt' | 'resolvedAt' | 'closedAt'>>;

/** Fault handling (policy 4.1): report, acknowledge, work, resolve with root cause, reopen, close. */
export class FaultService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    private readonly settings: SettingsService,
    private readonly options: FaultServiceOptions,
  ) {}

  async report(actor: Actor, input: FaultReport, source: 'chat' | 'alert' = 'chat'): Promise<Fault> {
    const fault = await this.store.transaction((manager) => this.reportIn(manager, actor, input, { source, platform: actor.platform, createdAt: this.clock.now() }));
    this.options.onOutbox?.();
    return fault;
  }

  /**
   * Reports a fault inside the caller's transaction, with the same rules as `report` (priority
   * matrix, SLA clocks from `createdAt`, timeline, audit, announcement through the outbox). The
   * monitoring intake uses it with its sender as reporter; `beforeNotify` runs once the fault has
   * its id, before the card is rendered (so that the card can show what it adds). The caller kicks
   * the outbox after its commit.
   */
  async reportIn(
    manager: EntityManager,
    actor: Party & { personId: number },
    input: FaultReport,
    options: { source: 'chat' | 'alert'; platform: string; createdAt: Date; beforeNotify?: (fault: Fault) => Promise<void> },
  ): Promise<Fault> {
    const { source } = options;
    {
      const now = options.createdAt;
      const created = await manager.save(
        Fault,
        manager.create(Fault, {
          title: input.title,
          description: input.description,
          category: input.category,
          impact: input.impact,
          urgency: input.urgency,
          priority: priorityOf(input.impact, input.urgency),
          state: 'reported',
          affectedSystem: input.affectedSystem ?? null,
          source,
          reporterId: actor.personId,
          assigneeId: null,
          rootCause: null,
          resolutionSteps: null,
          reporterPlatform: options.platform,
          acknowledgedAt: null,
          resolvedAt: null,
          closedAt: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.options.sla?.onChange(manager, created, now);
      await options.beforeNotify?.(created);
      await this.record(manager, actor, created, 'reported', null, null, null);
      await this.notify(manager, created, { kind: 'reported' });
      return created;
    }
  }

  async get(id: number): Promise<Fault> {
    const fault = await this.store.manager.findOne(Fault, { where: { id } });
    if (!fault) throw new NotFoundError('faults.error.notFound', { id: formatFaultId(id) });
    return fault;
  }

  async acknowledge(actor: Actor, id: number): Promise<Fault> {
    return this.move(actor, id, 'acknowledge', (fault, now) => ({ assigneeId: fault.assigneeId ?? actor.personId, acknowledgedAt: now }), { kind: 'acknowledged', by: actor.personId });
  }

  async start(actor: Actor, id: number): Promise<Fault> {
    return this.move(actor, id, 'start', (fault) => ({ assigneeId: fault.assigneeId ?? actor.personId }), { kind: 'started', by: actor.personId });
  }

  async waitOnUser(actor: Actor, id: number): Promise<Fault> {
    return this.move(actor, id, 'wait', () => ({}), { kind: 'waiting', by: actor.personId });
  }

  async resume(actor: Actor, id: number): Promise<Fault> {
    return this.move(actor, id, 'resume', () => ({}), { kind: 'resumed', by: actor.personId });
  }

  async resolve(actor: Actor, id: number, resolution: FaultResolution): Promise<Fault> {
    return this.move(
      actor,
      id,
      'resolve',
      (fault, now) => ({
        rootCause: resolution.rootCause,
        resolutionSteps: resolution.resolutionSteps,
        resolvedAt: now,
        acknowledgedAt: fault.acknowledgedAt ?? now,
        assigneeId: fault.assigneeId ?? actor.personId,
      }),
      { kind: 'resolved', by: actor.personId },
    );
  }

  async reopen(actor: Actor, id: number): Promise<Fault> {
    return this.move(actor, id, 'reopen', () => ({ resolvedAt: null }), { kind: 'reopened', by: actor.personId });
  }

  async close(actor: Actor, id: number): Promise<Fault> {
    return this.move(actor, id, 'close', (_fault, now) => ({ closedAt: now }), { kind: 'closed', by: actor.personId });
  }

  /** Closes faults resolved more than `days` ago that the reporter neither confirmed nor reopened. */
  async closeStale(days: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - days * DAY_MS);
    const stale = await this.store.manager
      .createQueryBuilder(Fault, 'f')
      .where('f.state = :state AND f.resolved_at < :cutoff', { state: 'resolved', cutoff: cutoff.toISOString() })
      .orderBy('f.id', 'ASC')
      .take(STALE_BATCH)
      .getMany();
    let closed = 0;
    for (const fault of stale) {
      try {
        await this.move(null, fault.id, 'close', (_fault, now) => ({ closedAt: now }), { kind: 'closed', by: null });
        closed++;
      } catch (error) {
        // Reopened or closed by a person since the query: theirs is the newer decision.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return closed;
  }

  async reassign(actor: Actor, id: number, to: AccountRef): Promise<Fault> {
    this.requireEngineer(actor, 'reassign');
    const fault = await this.store.transaction(async (manager) => {
      const fault = await this.load(manager, id);
      if (fault.state === 'resolved' || fault.state === 'closed') {
        throw new ConflictError('faults.error.cannotMove', { id: formatFaultId(id), state: { key: `faults.state.${fault.state}` }, move: { key: 'faults.move.reassign' } });
      }
      const person = await this.people.personFor(manager, to);
      const roles = await this.people.rolesOf(manager, person.id);
      if (!hasRole(roles, 'engineer')) {
        throw new InvalidInputError('faults.error.assigneeNotEngineer', { person: person.displayName }, 'assignee');
      }
      const before = snapshot(fault);
      await this.apply(manager, fault, { assigneeId: person.id });
      await this.options.sla?.onChange(manager, fault, this.clock.now());
      await this.record(manager, actor, fault, 'reassigned', before, null, person.displayName);
      await this.notify(manager, fault, { kind: 'reassigned', by: actor.personId, to: person.id });
      return fault;
    });
    this.options.onOutbox?.();
    return fault;
  }

  private requireEngineer(actor: Actor, move: FaultMove | 'reassign'): void {
    if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('faults.error.engineerOnly', { move: { key: `faults.move.${move}` } });
  }

  /** Applies one state-machine move; `actor` null means opsdesk itself (a scheduled job). */
  private async move(
    actor: Actor | null,
    id: number,
    move: FaultMove,
    changes: (fault: Fault, now: Date) => Change,
    news: FaultNews,
  ): Promise<Fault> {
    const fault = await this.store.transaction((manager) => this.moveIn(manager, actor, id, move, changes, news));
    this.options.onOutbox?.();
    return fault;
  }

  /**
   * Resolves a fault as opsdesk itself (no person acted), inside the caller's transaction: the
   * monitoring intake when every alert of a fault has cleared. Throws ConflictError when the
   * state machine does not allow it.
   */
  async resolveBySystemIn(manager: EntityManager, id: number, resolution: FaultResolution): Promise<Fault> {
    return this.moveIn(
      manager,
      null,
      id,
      'resolve',
      // The response clock stops too: nobody needs reminding to acknowledge a fault that is over.
      (fault, now) => ({ rootCause: resolution.rootCause, resolutionSteps: resolution.resolutionSteps, resolvedAt: now, acknowledgedAt: fault.acknowledgedAt ?? now }),
      { kind: 'resolved', by: null },
    );
  }

  /** Reopens a resolved fault as opsdesk itself (an alert fired again), inside the caller's transaction. */
  async reopenBySystemIn(manager: EntityManager, id: number): Promise<Fault> {
    return this.moveIn(manager, null, id, 'reopen', () => ({ resolvedAt: null, rootCause: null, resolutionSteps: null }), { kind: 'reopened', by: null });
  }

  /**
   * Writes monitoring alert events (`alert.firing`, `alert.resolved`, ...) on a fault's timeline,
   * in one insert. The single place alert events are stored, so that the timeline's storage can
   * change (record_events) without touching the intake.
   */
  async appendAlertEvents(manager: EntityManager, faultId: number, events: { kind: string; note: string; at: Date }[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => ({ faultId, actorId: null, kind: e.kind.slice(0, 32), fromState: null, toState: null, note: e.note, createdAt: e.at }));
    // SQLite takes at most 999 bound parameters per statement: 7 columns, so batches of 100 rows.
    for (let i = 0; i < rows.length; i += 100) {
      await manager.createQueryBuilder().insert().into(FaultEvent).values(rows.slice(i, i + 100)).updateEntity(false).execute();
    }
  }

  private async moveIn(
    manager: EntityManager,
    actor: Actor | null,
    id: number,
    move: FaultMove,
    changes: (fault: Fault, now: Date) => Change,
    news: FaultNews,
  ): Promise<Fault> {
    {
      const fault = await this.load(manager, id);
      if (actor) this.authorise(actor, fault, move);
      const to = nextState(fault.state, move);
      if (to === undefined) throw await this.refusal(manager, fault, move);
      const before = snapshot(fault);
      const now = this.clock.now();
      await this.apply(manager, fault, { ...changes(fault, now), state: to });
      await this.options.sla?.onChange(manager, fault, now);
      await this.record(manager, actor ?? SYSTEM, fault, move, before, before.state, null);
      await this.notify(manager, fault, news);
      if (move === 'resolve' && this.options.surveys) {
        await this.options.surveys.open(manager, {
          recordType: 'fault',
          recordId: fault.id,
          title: fault.title,
          respondentId: fault.reporterId,
          resolverId: actor?.personId ?? fault.assigneeId,
          platform: fault.reporterPlatform,
          now,
        });
      }
      return fault;
    }
  }

  private authorise(actor: Actor, fault: Fault, move: FaultMove): void {
    if (move === 'reopen' || move === 'close') {
      if (fault.reporterId !== actor.personId && !hasRole(actor.roles, 'engineer')) {
        throw new ForbiddenError('faults.error.reporterOnly', { id: formatFaultId(fault.id) });
      }
      return;
    }
    this.requireEngineer(actor, move);
  }

  /** Why a move is not possible now; a repeated acknowledgement says who was first. */
  private async refusal(manager: EntityManager, fault: Fault, move: FaultMove): Promise<ConflictError> {
    const id = formatFaultId(fault.id);
    const kind = move === 'acknowledge' ? 'acknowledge' : move === 'resolve' ? 'resolve' : undefined;
    if (kind) {
      const earlier = await manager.findOne(FaultEvent, { where: { faultId: fault.id, kind }, order: { id: 'DESC' } });
      if (earlier) {
        const person = earlier.actorId === null ? null : await manager.findOne(Person, { where: { id: earlier.actorId } });
        return new ConflictError(kind === 'acknowledge' ? 'faults.error.alreadyAcknowledged' : 'faults.error.alreadyResolved', {
          id,
          person: person?.displayName ?? '—',
          time: formatTime(earlier.createdAt, this.options.timeZone),
        });
      }
    }
    return new ConflictError('faults.error.cannotMove', { id, state: { key: `faults.state.${fault.state}` }, move: { key: `faults.move.${move}` } });
  }

  private async load(manager: EntityManager, id: number): Promise<Fault> {
    const fault = await manager.findOne(Fault, { where: { id } });
    if (!fault) throw new NotFoundError('faults.error.notFound', { id: formatFaultId(id) });
    return fault;
  }

  /** Writes a change only if nobody changed the fault since it was read (optimistic version). */
  private async apply(manager: EntityManager, fault: Fault, change: Change): Promise<void> {
    if (!(await updateIfUnchanged(manager, Fault, fault, change, this.clock.now()))) {
      throw new ConflictError('faults.error.changedMeanwhile', { id: formatFaultId(fault.id) });
    }
  }

  private async record(
    manager: EntityManager,
    actor: Party,
    fault: Fault,
    kind: string,
    before: ReturnType<typeof snapshot> | null,
    fromState: string | null,
    note: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    await manager.save(
      FaultEvent,
      manager.create(FaultEvent, { faultId: fault.id, actorId: actor.personId, kind, fromState, toState: fault.state, note, createdAt: now }),
    );
    await appendAudit(manager, now, {
      actor,
      action: `fault.${kind}`,
      recordType: 'fault',
      recordId: formatFaultId(fault.id),
      before,
      after: snapshot(fault),
    });
  }

  private async notify(manager: EntityManager, fault: Fault, news: FaultNews): Promise<void> {
    const messages = await faultMessages(fault, news, {
      manager,
      timeZone: this.options.timeZone,
      defaultLocale: this.options.defaultLocale,
      faultChannel: await this.settings.channel('fault_channel'),
      details: fault.source === 'alert' ? await this.options.cardDetails?.(manager, fault) : undefined,
    });
    await enqueue(manager, this.clock.now(), messages);
  }
}

function snapshot(fault: Fault) {
  return {
    state: fault.state,
    priority: fault.priority,
    assigneeId: fault.assigneeId,
    rootCause: fault.rootCause,
    resolutionSteps: fault.resolutionSteps,
  };
}
