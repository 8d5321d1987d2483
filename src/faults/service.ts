import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { faultMessages, type FaultNews } from './notifications.js';
import { FAULT_RECORD } from './record.js';
import { FAULT_CATEGORIES, formatFaultId, nextState, priorityOf, type FaultMove, type Level } from './rules.js';
import { linkByText } from '../cis/linking.js';
import { surveyAbout, type SurveyOpener } from '../feedback/surveys.js';
import type { Locale, Translate } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.js';
import { SYSTEM, type Actor, type Party } from '../people/actor.js';
import { RecordLifecycle, type MessagesOf, type MoveRules } from '../records/lifecycle.js';
import { appendEvents, refuseMove } from '../records/timeline.js';
import { hasRole } from '../people/roles.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import type { SettingsService } from '../settings/service.js';
import type { EventDetails, Fault } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

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

/** A monitoring alert's line on a fault's timeline (`alert_firing`, `alert_resolved`, `alert_cleared`, `alert_truncated`, `alert_cleared_truncated`). */
export interface AlertEvent {
  kind: 'alert_firing' | 'alert_resolved' | 'alert_cleared' | 'alert_truncated' | 'alert_cleared_truncated';
  note: string;
  details?: EventDetails;
  at: Date;
}

const DAY_MS = 86_400_000;
const STALE_BATCH = 200;

type Change = Partial<Pick<Fault, 'state' | 'assigneeId' | 'rootCause' | 'resolutionSteps' | 'acknowledgedAt' | 'resolvedAt' | 'closedAt' | 'responseStartedAt'>>;

/** Fault handling (policy 4.1): report, acknowledge, work, resolve with root cause, reopen, close. */
export class FaultService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    private readonly settings: SettingsService,
    private readonly options: FaultServiceOptions,
  ) {
    this.lifecycle = new RecordLifecycle(FAULT_RECORD, store, clock, options);
  }

  private readonly lifecycle: RecordLifecycle<Fault>;

  async report(actor: Actor, input: FaultReport, source: 'chat' | 'alert' = 'chat'): Promise<Fault> {
    return this.lifecycle.run((manager) => this.reportIn(manager, actor, input, { source, platform: actor.platform, createdAt: this.clock.now() }));
  }

  /**
   * Reports a fault inside the caller's transaction, with the same rules as `report` (priority
   * matrix, SLA clocks from `createdAt`, timeline, audit, announcement through the outbox). The
   * monitoring intake uses it with its sender as reporter; `beforeNotify` runs once the fault has
   * its id, before the card is rendered (so that the card can show what it adds). The caller wakes
   * the outbox after its commit.
   */
  async reportIn(
    manager: EntityManager,
    actor: Party & { personId: number },
    input: FaultReport,
    options: { source: 'chat' | 'alert'; platform: string; createdAt: Date; beforeNotify?: (fault: Fault) => Promise<void> },
  ): Promise<Fault> {
    const values = {
      title: input.title,
      description: input.description,
      category: input.category,
      impact: input.impact,
      urgency: input.urgency,
      priority: priorityOf(input.impact, input.urgency),
      state: 'reported' as const,
      affectedSystem: input.affectedSystem ?? null,
      source: options.source,
      reporterId: actor.personId,
      assigneeId: null,
      rootCause: null,
      resolutionSteps: null,
      reporterPlatform: options.platform,
      acknowledgedAt: null,
      resolvedAt: null,
      closedAt: null,
      createdAt: options.createdAt,
      updatedAt: options.createdAt,
    };
    const news = this.news(manager, { kind: 'reported' });
    const { beforeNotify } = options;
    // The kernel builds the messages last in the step, so what beforeNotify writes and the CI link
    // (matched by name or alias) are on the first card, with the item's possible causes.
    const messages: MessagesOf<Fault> = async (fault) => {
      await beforeNotify?.(fault);
      await linkByText(manager, 'fault', fault.id, fault.affectedSystem);
      return news(fault);
    };
    return this.lifecycle.create(manager, actor, values, 'reported', messages);
  }

  async get(id: number): Promise<Fault> {
    return this.lifecycle.load(this.store.manager, id);
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
    const stale = await this.lifecycle.staleIds('resolved', 'resolved_at', cutoff, STALE_BATCH);
    return this.lifecycle.each(stale, (manager, id) => this.moveIn(manager, null, id, 'close', (_fault, now) => ({ closedAt: now }), { kind: 'closed', by: null }));
  }

  async reassign(actor: Actor, id: number, to: AccountRef): Promise<Fault> {
    this.requireEngineer(actor, 'reassign');
    return this.lifecycle.run(async (manager) => {
      const fault = await this.lifecycle.load(manager, id);
      if (fault.state === 'resolved' || fault.state === 'closed') {
        throw new ConflictError('faults.error.cannotMove', { id: formatFaultId(id), state: { key: `faults.state.${fault.state}` }, move: { key: 'faults.move.reassign' } });
      }
      const person = await this.people.personFor(manager, to);
      const roles = await this.people.rolesOf(manager, person.id);
      if (!hasRole(roles, 'engineer')) {
        throw new InvalidInputError('faults.error.assigneeNotEngineer', { person: person.displayName }, 'assignee');
      }
      await this.lifecycle.apply(manager, actor, fault, {
        event: 'reassigned',
        fields: { assigneeId: person.id },
        note: person.displayName,
        messages: this.news(manager, { kind: 'reassigned', by: actor.personId, to: person.id }),
      });
      return fault;
    });
  }

  private requireEngineer(actor: Actor, move: FaultMove | 'reassign'): void {
    if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('faults.error.engineerOnly', { move: { key: `faults.move.${move}` } });
  }

  /**
   * Resolves a fault as opsdesk itself (no person acted), inside the caller's transaction: the
   * monitoring intake when every alert of a fault has cleared. Throws ConflictError when the state
   * machine does not allow it, NotFoundError for an unknown id.
   */
  async resolveBySystemIn(manager: EntityManager, id: number, resolution: FaultResolution): Promise<Fault> {
    // The response clock stops too: nobody needs reminding to acknowledge a fault that is over.
    const fields = (fault: Fault, now: Date): Change => ({ rootCause: resolution.rootCause, resolutionSteps: resolution.resolutionSteps, resolvedAt: now, acknowledgedAt: fault.acknowledgedAt ?? now });
    return this.moveIn(manager, null, id, 'resolve', fields, { kind: 'resolved', by: null });
  }

  /**
   * Reopens a resolved fault as opsdesk itself (an alert fired again), inside the caller's transaction:
   * to In progress (as a person's reopen: the response stays met, the resolution clock runs on without
   * the time it was resolved), or with `unowned` (no assignee) back to Reported with the acknowledgement
   * cleared and the response clock started again at `now` (Fault.responseStartedAt).
   */
  async reopenBySystemIn(manager: EntityManager, id: number, options: { unowned?: boolean } = {}): Promise<Fault> {
    const fields = (): Change => ({ resolvedAt: null, rootCause: null, resolutionSteps: null });
    if (!options.unowned) return this.moveIn(manager, null, id, 'reopen', fields, { kind: 'reopened', by: null });
    // A fault nobody owns (an alert fault resolved when its alerts cleared) goes back to Reported, not
    // to In progress with nobody on it: it needs acknowledging again, and the response clock starts
    // again now (from its creation it would be overdue at once and the sweep would escalate it).
    // Reminder steps that went out before stay done: the SLA kernel never sends a step twice.
    const rules: MoveRules<Fault, FaultMove> = { ...this.rules, next: (fault, move) => (nextState(fault.state, move) === undefined ? undefined : 'reported') };
    return this.lifecycle.move(manager, null, id, rules, {
      name: 'reopen',
      fields: (_fault, now) => ({ ...fields(), acknowledgedAt: null, responseStartedAt: now }),
      messages: this.news(manager, { kind: 'reopened', by: null }),
    });
  }

  /**
   * Writes monitoring alert lines on a fault's timeline (record_events, actor opsdesk itself, the
   * fault's state unchanged), in multi-row inserts: a storm writes hundreds in one transaction.
   */
  async appendAlertEvents(manager: EntityManager, faultId: number, events: readonly AlertEvent[]): Promise<void> {
    const lines = events.map((e) => ({ recordKind: FAULT_RECORD.kind, recordId: faultId, actor: SYSTEM, kind: e.kind, fromState: null, toState: null, note: e.note, details: e.details ?? null, at: e.at }));
    await appendEvents(manager, lines);
  }

  private async move(actor: Actor, id: number, move: FaultMove, changes: (fault: Fault, now: Date) => Change, news: FaultNews): Promise<Fault> {
    return this.lifecycle.run((manager) => this.moveIn(manager, actor, id, move, changes, news));
  }

  /** Applies one state-machine move; `actor` null means opsdesk itself (a scheduled job). */
  private moveIn(manager: EntityManager, actor: Actor | null, id: number, move: FaultMove, fields: (fault: Fault, now: Date) => Change, news: FaultNews): Promise<Fault> {
    const then = move === 'resolve' ? (m: EntityManager, fault: Fault, now: Date) => this.askReporter(m, fault, actor, now) : undefined;
    return this.lifecycle.move(manager, actor, id, this.rules, { name: move, fields, messages: this.news(manager, news), then });
  }

  /** Asks the reporter how satisfied they are (policy 4.1, 5.3). */
  private async askReporter(manager: EntityManager, fault: Fault, actor: Actor | null, now: Date): Promise<void> {
    await this.options.surveys?.open(manager, surveyAbout('fault', fault, { id: fault.reporterId, platform: fault.reporterPlatform }, actor?.personId ?? null, now));
  }

  private readonly rules: MoveRules<Fault, FaultMove> = {
    authorise: (actor, fault, move) => this.authorise(actor, fault, move),
    next: (fault, move) => nextState(fault.state, move),
    refusal: (manager, fault, move) => this.refusal(manager, fault, move),
  };

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
  private refusal(manager: EntityManager, fault: Fault, move: FaultMove): Promise<ConflictError> {
    const repeated = move === 'acknowledge' ? 'faults.error.alreadyAcknowledged' : move === 'resolve' ? 'faults.error.alreadyResolved' : undefined;
    const keys = { id: formatFaultId(fault.id), repeated, cannotMove: 'faults.error.cannotMove', state: `faults.state.${fault.state}`, move: `faults.move.${move}` } as const;
    return refuseMove(manager, FAULT_RECORD.kind, fault, move, keys, this.options.timeZone);
  }

  /** The messages that tell people about this news of a fault. */
  private news(manager: EntityManager, news: FaultNews): MessagesOf<Fault> {
    const { timeZone, defaultLocale } = this.options;
    return async (fault) => {
      const details = fault.source === 'alert' ? await this.options.cardDetails?.(manager, fault) : undefined;
      return faultMessages(fault, news, { manager, timeZone, defaultLocale, faultChannel: await this.settings.channel('fault_channel'), details });
    };
  }
}
