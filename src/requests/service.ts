import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { requestMessages, type RequestNews } from './notifications.js';
import { REQUEST_RECORD } from './record.js';
import { formatRequestId, nextRequestState, requestPriority, type RequestMove } from './rules.js';
import { requestCatalog, requestChannel } from './settings.js';
import { translator, type Locale } from '../chat/i18n/catalog.js';
import { matchCi } from '../cis/linking.js';
import { linkRecord } from '../cis/records.js';
import type { Clock } from '../clock.js';
import { type ConflictError, ForbiddenError, InvalidInputError } from '../errors.js';
import type { Level } from '../faults/rules.js';
import type { Actor } from '../people/actor.js';
import { RecordLifecycle, type MessagesOf, type MoveRules } from '../records/lifecycle.js';
import { refuseMove } from '../records/timeline.js';
import { hasRole } from '../people/roles.js';
import type { AccountRef, PeopleService } from '../people/service.js';
import type { SettingsService } from '../settings/service.js';
import type { SlaHook } from '../sla/service.js';
import { type ServiceRequest } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { surveyAbout, type SurveyOpener } from '../feedback/surveys.js';

const level = z.coerce.number().int().min(1).max(3).transform((n) => n as Level);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const REQUEST_LIMITS = { title: 150, details: 3000, fulfilment: 3000, affectedSystem: 150 } as const;

export const requestSubmitSchema = z.object({
  title: z.string().trim().min(1).max(REQUEST_LIMITS.title),
  details: optionalText(REQUEST_LIMITS.details),
  requestType: z.string().trim().toLowerCase().min(1).max(32),
  /** A platform user id from the form's user picker; empty means "for myself". */
  forWhom: optionalText(64),
  importance: level,
  urgency: level,
  /** A configuration item's name or alias (the request is linked to it), or any other text. */
  affectedSystem: optionalText(REQUEST_LIMITS.affectedSystem),
});
export type RequestSubmission = Omit<z.output<typeof requestSubmitSchema>, 'details' | 'forWhom' | 'affectedSystem'> & {
  details?: string | undefined;
  forWhom?: string | undefined;
  affectedSystem?: string | undefined;
};

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
  ) {
    this.lifecycle = new RecordLifecycle(REQUEST_RECORD, store, clock, options);
  }

  private readonly lifecycle: RecordLifecycle<ServiceRequest>;

  /** The request types the form offers (setting `request_catalog`). */
  catalog(): Promise<string[]> {
    return requestCatalog(this.settings);
  }

  async submit(actor: Actor, input: RequestSubmission): Promise<ServiceRequest> {
    const catalog = await this.catalog();
    if (!catalog.includes(input.requestType)) {
      throw new InvalidInputError('requests.error.unknownType', { type: input.requestType.slice(0, 32), types: catalog.join(', ') }, 'requestType');
    }
    return this.lifecycle.run(async (manager) => {
      const now = this.clock.now();
      const beneficiary = input.forWhom ? await this.people.personFor(manager, { platform: actor.platform, userId: input.forWhom }) : undefined;
      const ciId = input.affectedSystem ? await matchCi(manager, input.affectedSystem) : undefined;
      const values = {
        title: input.title,
        details: this.detailsWith(input.details, ciId === undefined ? input.affectedSystem : undefined),
        requestType: input.requestType,
        importance: input.importance,
        urgency: input.urgency,
        priority: requestPriority(input.importance, input.urgency),
        state: 'submitted' as const,
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
      };
      // Linked before the card is drawn, so that the card names the item (as a fault's does).
      const news = this.news(manager, { kind: 'submitted' });
      return this.lifecycle.create(manager, actor, values, 'submitted', async (request) => {
        if (ciId !== undefined) await linkRecord(manager, 'request', request.id, [ciId]);
        return news(request);
      });
    });
  }

  /**
   * A request has no column of its own for the system: one that names a configuration item becomes
   * a link (record_cis), any other text is kept at the end of the details, labelled in the default
   * language, so that nothing typed is lost.
   */
  private detailsWith(details: string | undefined, freeSystem: string | undefined): string | null {
    if (!freeSystem) return details ?? null;
    const line = `${translator(this.options.defaultLocale)('requests.field.affectedSystem')}: ${freeSystem}`;
    return details ? `${details}\n\n${line}` : line;
  }

  async get(id: number): Promise<ServiceRequest> {
    return this.lifecycle.load(this.store.manager, id);
  }

  /** An engineer takes a submitted request: it is assigned to them. */
  async take(actor: Actor, id: number): Promise<ServiceRequest> {
    return this.move(actor, id, 'take', (_r, now) => ({ assigneeId: actor.personId, assignedAt: now }), { kind: 'taken', by: actor.personId });
  }

  /** An engineer assigns the request to an engineer (possibly themselves). */
  async assign(actor: Actor, id: number, to: AccountRef): Promise<ServiceRequest> {
    requireEngineer(actor, 'assign');
    return this.lifecycle.run(async (manager) => {
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
    const stale = await this.lifecycle.staleIds('fulfilled', 'fulfilled_at', cutoff, STALE_BATCH);
    return this.lifecycle.each(stale, (manager, id) => this.moveIn(manager, null, id, 'close', (_r, now) => ({ closedAt: now }), { kind: 'closed', by: null }));
  }

  private async move(actor: Actor, id: number, move: RequestMove, changes: (r: ServiceRequest, now: Date) => Change, news: RequestNews): Promise<ServiceRequest> {
    return this.lifecycle.run((manager) => this.moveIn(manager, actor, id, move, changes, news));
  }

  /** Applies one state-machine move; `actor` null means opsdesk itself (a scheduled job). */
  private moveIn(
    manager: EntityManager,
    actor: Actor | null,
    id: number,
    move: RequestMove,
    fields: (r: ServiceRequest, now: Date) => Change,
    news: RequestNews,
    note: string | null = null,
  ): Promise<ServiceRequest> {
    const then = move === 'fulfil' ? (m: EntityManager, request: ServiceRequest, now: Date) => this.askRequester(m, request, actor, now) : undefined;
    return this.lifecycle.move(manager, actor, id, this.rules, { name: move, fields, note, messages: this.news(manager, news), then });
  }

  /** Asks the requester how satisfied they are once the request is fulfilled (policy 5.3). */
  private async askRequester(manager: EntityManager, request: ServiceRequest, actor: Actor | null, now: Date): Promise<void> {
    await this.options.surveys?.open(manager, surveyAbout('request', request, { id: request.requesterId, platform: request.requesterPlatform }, actor?.personId ?? null, now));
  }

  private readonly rules: MoveRules<ServiceRequest, RequestMove> = {
    authorise,
    next: (request, move) => nextRequestState(request.state, move),
    refusal: (manager, request, move) => this.refusal(manager, request, move),
  };

  /** Why a move is not possible now; a second Take says who was first. */
  private refusal(manager: EntityManager, request: ServiceRequest, move: RequestMove): Promise<ConflictError> {
    const repeated = move === 'take' ? 'requests.error.alreadyTaken' : move === 'fulfil' ? 'requests.error.alreadyFulfilled' : undefined;
    const keys = { id: formatRequestId(request.id), repeated, cannotMove: 'requests.error.cannotMove', state: `requests.state.${request.state}`, move: `requests.move.${move}` } as const;
    return refuseMove(manager, REQUEST_RECORD.kind, request, move, keys, this.options.timeZone);
  }

  /** The messages that tell people about this news of a request. */
  private news(manager: EntityManager, news: RequestNews): MessagesOf<ServiceRequest> {
    const { timeZone, defaultLocale } = this.options;
    return async (request) => requestMessages(request, news, { manager, timeZone, defaultLocale, channel: await requestChannel(this.settings) });
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
