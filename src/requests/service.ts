import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { requestMessages, type RequestNews } from './notifications.js';
import { formatRequestId, nextRequestState, requestPriority, type RequestMove } from './rules.js';
import { requestCatalog, requestChannel } from './settings.js';
import { appendAudit } from '../audit/chain.js';
import { formatTime } from '../chat/format.js';
import type { Locale } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { Level } from '../faults/rules.js';
import { enqueue } from '../outbox/outbox.js';
import { SYSTEM, type Actor, type Party } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import type { SettingsService } from '../settings/service.js';
import type { SlaHook } from '../sla/service.js';
import { Person, ServiceRequest, ServiceRequestEvent } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { updateIfUnchanged } from '../store/versioned.js';
import type { SurveyOpener } from '../feedback/surveys.js';

const level = z.coerce.number().int().min(1).max(3).transform((n) => n as Level);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const REQUEST_LIMITS = { title: 150, details: 3000, fulfilment: 3000 } as const;

export const requestSubmitSchema = z.object({
  title: z.string().trim().min(1).max(REQUEST_LIMITS.title),
  details: optionalText(REQUEST_LIMITS.details),
  requestType: z.string().trim().toLowerCase().min(1).max(32),
  /** A platform user id from the form's user picker; empty means "for myself". */
  forWhom: optionalText(64),
  importance: level,
  urgency: level,
});
export type RequestSubmission = Omit<z.output<typeof requestSubmitSchema>, 'details' | 'forWhom'> & { details?: string | undefined; forWhom?: string | undefined };

export const requestFulfilSchema = z.object({ fulfilment: z.string().trim().min(1).max(REQUEST_LIMITS.fulfilment) });

export interface RequestServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: () => void;
  /** Recomputes the SLA clock after every change, in the same transaction. */
  sla?: SlaHook<ServiceRequest>;
  /** Asks the requester how satisfied they are once the request is fulfilled (policy 5.3). */
  surveys?: SurveyOpener;
}

const DAY_MS = 86_400_000;
const STALE_BATCH = 200;

type Change = Partial<Pick<ServiceRequest, 'state' | 'assigneeId' | 'fulfilment' | 'assignedAt' | 'fulfilledAt' | 'closedAt'>>;

/** Service requests (policy 4.3): submit, take or assign, fulfil, confirm; the requester is told at each step. */
export class RequestService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
    private readonly settings: SettingsService,
    private readonly options: RequestServiceOptions,
  ) {}

  /** The request types the form offers (setting `request_catalog`). */
  catalog(): Promise<string[]> {
    return requestCatalog(this.settings);
  }

  async submit(actor: Actor, input: RequestSubmission): Promise<ServiceRequest> {
    const catalog = await this.catalog();
    if (!catalog.includes(input.requestType)) {
      throw new InvalidInputError('requests.error.unknownType', { type: input.requestType.slice(0, 32), types: catalog.join(', ') }, 'requestType');
    }
    const request = await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const beneficiary = input.forWhom ? await this.people.personFor(manager, { platform: actor.platform, userId: input.forWhom }) : undefined;
      const created = await manager.save(
        ServiceRequest,
        manager.create(ServiceRequest, {
          title: input.title,
          details: input.details ?? null,
          requestType: input.requestType,
          importance: input.importance,
          urgency: input.urgency,
          priority: requestPriority(input.importance, input.urgency),
          state: 'submitted',
          requesterId: actor.personId,
          requesterPlatform: actor.platform,
          beneficiaryId: beneficiary && beneficiary.id !== actor.personId ? beneficiary.id : null,
          assigneeId: null,
          fulfilment: null,
          assignedAt: null,
          fulfilledAt: null,
          closedAt: null,
          createdAt: now,
          updatedAt: now,
          slaStops: [],
        }),
      );
      await this.options.sla?.onChange(manager, created, now);
      await this.record(manager, actor, created, 'submitted', null, null, null);
      await this.notify(manager, created, { kind: 'submitted' });
      return created;
    });
    this.options.onOutbox?.();
    return request;
  }

  async get(id: number): Promise<ServiceRequest> {
    const request = await this.store.manager.findOne(ServiceRequest, { where: { id } });
    if (!request) throw new NotFoundError('requests.error.notFound', { id: formatRequestId(id) });
    return request;
  }

  /** An engineer takes a submitted request: it is assigned to them. */
  async take(actor: Actor, id: number): Promise<ServiceRequest> {
    return this.move(actor, id, 'take', (_r, now) => ({ assigneeId: actor.personId, assignedAt: now }), { kind: 'taken', by: actor.personId });
  }

  /** An engineer assigns the request to an engineer (possibly themselves). */
  async assign(actor: Actor, id: number, to: AccountRef): Promise<ServiceRequest> {
    requireEngineer(actor, 'assign');
    const request = await this.store.transaction(async (manager) => {
      const person = await this.people.personFor(manager, to);
      if (!hasRole(await this.people.rolesOf(manager, person.id), 'engineer')) {
        throw new InvalidInputError('requests.error.assigneeNotEngineer', { person: person.displayName }, 'assignee');
      }
      return this.moveIn(manager, actor, id, 'assign', (r, now) => ({ assigneeId: person.id, assignedAt: r.assignedAt ?? now }), {
        kind: 'assigned',
        by: actor.personId,
        to: person.id,
      }, person.displayName);
    });
    this.options.onOutbox?.();
    return request;
  }

  async fulfil(actor: Actor, id: number, fulfilment: string): Promise<ServiceRequest> {
    return this.move(actor, id, 'fulfil', (r, now) => ({ fulfilment, fulfilledAt: now, assigneeId: r.assigneeId ?? actor.personId }), { kind: 'fulfilled', by: actor.personId });
  }

  /** The requester says it is not done after all. */
  async reopen(actor: Actor, id: number): Promise<ServiceRequest> {
    return this.move(actor, id, 'reopen', () => ({ fulfilledAt: null }), { kind: 'reopened', by: actor.personId });
  }

  async close(actor: Actor, id: number): Promise<ServiceRequest> {
    return this.move(actor, id, 'close', (_r, now) => ({ closedAt: now }), { kind: 'closed', by: actor.personId });
  }

  /** Closes requests fulfilled more than `days` ago that the requester neither confirmed nor reopened. */
  async closeStale(days: number): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - days * DAY_MS);
    const stale = await this.store.manager
      .createQueryBuilder(ServiceRequest, 'r')
      .where('r.state = :state AND r.fulfilled_at < :cutoff', { state: 'fulfilled', cutoff: cutoff.toISOString() })
      .orderBy('r.id', 'ASC')
      .take(STALE_BATCH)
      .getMany();
    let closed = 0;
    for (const request of stale) {
      try {
        await this.store.transaction((manager) => this.moveIn(manager, null, request.id, 'close', (_r, now) => ({ closedAt: now }), { kind: 'closed', by: null }));
        closed++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    if (closed > 0) this.options.onOutbox?.();
    return closed;
  }

  private async move(actor: Actor, id: number, move: RequestMove, changes: (r: ServiceRequest, now: Date) => Change, news: RequestNews): Promise<ServiceRequest> {
    const request = await this.store.transaction((manager) => this.moveIn(manager, actor, id, move, changes, news));
    this.options.onOutbox?.();
    return request;
  }

  /** Applies one state-machine move; `actor` null means opsdesk itself (a scheduled job). */
  private async moveIn(
    manager: EntityManager,
    actor: Actor | null,
    id: number,
    move: RequestMove,
    changes: (r: ServiceRequest, now: Date) => Change,
    news: RequestNews,
    note: string | null = null,
  ): Promise<ServiceRequest> {
    const request = await manager.findOne(ServiceRequest, { where: { id } });
    if (!request) throw new NotFoundError('requests.error.notFound', { id: formatRequestId(id) });
    if (actor) authorise(actor, request, move);
    const to = nextRequestState(request.state, move);
    if (to === undefined) throw await this.refusal(manager, request, move);
    const before = snapshot(request);
    const now = this.clock.now();
    const change: Change = { ...changes(request, now), state: to };
    if (!(await updateIfUnchanged(manager, ServiceRequest, request, change, now))) {
      throw new ConflictError('requests.error.changedMeanwhile', { id: formatRequestId(id) });
    }
    await this.options.sla?.onChange(manager, request, now);
    await this.record(manager, actor ?? SYSTEM, request, move, before, before.state, note);
    await this.notify(manager, request, news);
    if (move === 'fulfil' && this.options.surveys) {
      await this.options.surveys.open(manager, {
        recordType: 'request',
        recordId: request.id,
        title: request.title,
        respondentId: request.requesterId,
        resolverId: actor?.personId ?? request.assigneeId,
        platform: request.requesterPlatform,
        now,
      });
    }
    return request;
  }

  /** Why a move is not possible now; a second Take says who was first. */
  private async refusal(manager: EntityManager, request: ServiceRequest, move: RequestMove): Promise<ConflictError> {
    const id = formatRequestId(request.id);
    if (move === 'take' || move === 'fulfil') {
      const earlier = await manager.findOne(ServiceRequestEvent, { where: { requestId: request.id, kind: move }, order: { id: 'DESC' } });
      if (earlier) {
        const person = earlier.actorId === null ? null : await manager.findOne(Person, { where: { id: earlier.actorId } });
        return new ConflictError(move === 'take' ? 'requests.error.alreadyTaken' : 'requests.error.alreadyFulfilled', {
          id,
          person: person?.displayName ?? '—',
          time: formatTime(earlier.createdAt, this.options.timeZone),
        });
      }
    }
    return new ConflictError('requests.error.cannotMove', { id, state: { key: `requests.state.${request.state}` }, move: { key: `requests.move.${move}` } });
  }

  private async record(
    manager: EntityManager,
    actor: Party,
    request: ServiceRequest,
    kind: string,
    before: ReturnType<typeof snapshot> | null,
    fromState: string | null,
    note: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    await manager.save(
      ServiceRequestEvent,
      manager.create(ServiceRequestEvent, { requestId: request.id, actorId: actor.personId, kind, fromState, toState: request.state, note, createdAt: now }),
    );
    await appendAudit(manager, now, {
      actor,
      action: `request.${kind}`,
      recordType: 'request',
      recordId: formatRequestId(request.id),
      before,
      after: snapshot(request),
    });
  }

  private async notify(manager: EntityManager, request: ServiceRequest, news: RequestNews): Promise<void> {
    const messages = await requestMessages(request, news, {
      manager,
      timeZone: this.options.timeZone,
      defaultLocale: this.options.defaultLocale,
      channel: await requestChannel(this.settings),
    });
    await enqueue(manager, this.clock.now(), messages, { kind: 'request', id: request.id });
  }
}

function requireEngineer(actor: Actor, move: RequestMove): void {
  if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('requests.error.engineerOnly', { move: { key: `requests.move.${move}` } });
}

/** Engineers work on requests; the requester confirms (closes) or reopens their own. */
export function authorise(actor: Actor, request: ServiceRequest, move: RequestMove): void {
  if (move === 'reopen' || move === 'close') {
    if (request.requesterId !== actor.personId && !hasRole(actor.roles, 'engineer')) {
      throw new ForbiddenError('requests.error.requesterOnly', { id: formatRequestId(request.id) });
    }
    return;
  }
  requireEngineer(actor, move);
}

function snapshot(request: ServiceRequest) {
  return { state: request.state, priority: request.priority, assigneeId: request.assigneeId, fulfilment: request.fulfilment };
}
