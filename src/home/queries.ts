// What the personal overview reads (DESIGN "Personal overview"): the person's open records, the
// changes waiting for their decision, their on-call turns, and for managers the state of the whole
// desk. Read-only; everything comes from the records' own tables and the on-call service.
import { Brackets, In, type EntityManager } from 'typeorm';
import type { MessageKey } from '../chat/i18n/catalog.js';
import { decisionRefusal, ENDED_STATES, formatChangeId } from '../changes/rules.js';
import { formatFaultId, type Priority } from '../faults/rules.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { OnCallLevel, Segment } from '../oncall/rotation.js';
import type { LevelNow, OnCallService } from '../oncall/service.js';
import { formatRequestId } from '../requests/rules.js';
import { Change, ChangeApproval, ChangeNotice, Fault, ServiceRequest } from '../store/entities/index.js';
import type { SlaTracked } from '../store/entities/sla-tracked.js';
import type { Store } from '../store/store.js';

/** How many of each list the overview reads; the rest is counted and pointed to. */
export const HOME_LIST_LIMIT = 20;
const MANAGER_LIST_LIMIT = 5;
const DAY_MS = 86_400_000;

export type HomeRecordKind = 'fault' | 'request' | 'change';
export type DeadlineKind = 'respond' | 'resolve' | 'fulfil';

export interface HomeRecord {
  kind: HomeRecordKind;
  /** `INC-4`, `REQ-7`, `CHG-13`. */
  id: string;
  title: string;
  /** The catalog key of the record's state (`faults.state.acknowledged`...). */
  stateKey: MessageKey;
  /** P1..P4 for faults and requests; undefined for changes (they carry a risk instead). */
  priority?: Priority;
  /** Changes only: the catalog key of their risk. */
  riskKey?: MessageKey;
  /**
   * Whether the person reported (requested) it, it is assigned to them (implementer of a change), or
   * someone else asked for it on their behalf (they are the request's beneficiary).
   */
  relation?: 'reported' | 'assigned' | 'forYou';
  /** The nearest SLA deadline still ahead or missed; undefined without one (or while paused). */
  deadline?: { kind: DeadlineKind; at: Date };
  /** The resolution clock stands still (waiting on the user). */
  paused: boolean;
  createdAt: Date;
}

export interface HomeOnCall {
  levels: LevelNow[];
  /**
   * The person's next (or current) turn within the on-call schedule's horizon (14 days). `openEnded`:
   * the turn runs to the horizon (no hand-off within it, e.g. a rotation of one), so its end is not real.
   */
  myNext?: { level: OnCallLevel; segment: Segment; openEnded: boolean };
}

export interface HomeManagement {
  /** Open P1 and P2 faults, most urgent first. */
  urgentFaults: HomeRecord[];
  urgentTotal: number;
  /** SLA targets missed since midnight (UTC day start given by the caller), faults and requests. */
  breachesToday: number;
  /** Changes waiting for decisions for more than a day, oldest first. */
  staleChanges: Change[];
  staleTotal: number;
}

export interface HomeOverview {
  records: HomeRecord[];
  /** All open records of the person, including those beyond `records`. */
  recordTotal: number;
  approvals: Change[];
  approvalTotal: number;
  oncall: HomeOnCall;
  management?: HomeManagement;
}

const OPEN_FAULT_STATES = ['reported', 'acknowledged', 'in_progress', 'waiting_on_user'];
const OPEN_REQUEST_STATES = ['submitted', 'assigned'];
const PRIORITY_RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** The deadline that comes first for a record with SLA columns, as the card shows it. */
function nearestDeadline(sla: SlaTracked, responded: boolean, resolveKind: DeadlineKind): HomeRecord['deadline'] {
  if (!responded && sla.responseDueAt) return { kind: 'respond', at: sla.responseDueAt };
  if (sla.slaStoppedSince === null && sla.resolveDueAt) return { kind: resolveKind, at: sla.resolveDueAt };
  return undefined;
}

function faultRecord(fault: Fault, me: number | undefined): HomeRecord {
  const deadline = nearestDeadline(fault, fault.acknowledgedAt !== null, 'resolve');
  return {
    kind: 'fault',
    id: formatFaultId(fault.id),
    title: fault.title,
    stateKey: `faults.state.${fault.state}`,
    priority: fault.priority,
    ...(me === undefined ? {} : { relation: fault.assigneeId === me ? ('assigned' as const) : ('reported' as const) }),
    ...(deadline ? { deadline } : {}),
    paused: fault.slaStoppedSince !== null,
    createdAt: fault.createdAt,
  };
}

function requestRelation(request: ServiceRequest, me: number): NonNullable<HomeRecord['relation']> {
  if (request.assigneeId === me) return 'assigned';
  return request.requesterId !== me && request.beneficiaryId === me ? 'forYou' : 'reported';
}

function requestRecord(request: ServiceRequest, me: number): HomeRecord {
  const deadline = nearestDeadline(request, request.assignedAt !== null, 'fulfil');
  return {
    kind: 'request',
    id: formatRequestId(request.id),
    title: request.title,
    stateKey: `requests.state.${request.state}`,
    priority: request.priority,
    relation: requestRelation(request, me),
    ...(deadline ? { deadline } : {}),
    paused: request.slaStoppedSince !== null,
    createdAt: request.createdAt,
  };
}

function changeRecord(change: Change, me: number): HomeRecord {
  return {
    kind: 'change',
    id: formatChangeId(change.id),
    title: change.title,
    stateKey: `changes.state.${change.state}`,
    riskKey: `changes.risk.${change.risk}`,
    relation: change.implementerId === me && change.requesterId !== me ? 'assigned' : 'reported',
    paused: false,
    createdAt: change.createdAt,
  };
}

/**
 * Most urgent first: the nearest deadline (a missed one is nearest of all), then records without a
 * deadline by priority, newest first.
 */
export function byUrgency(a: HomeRecord, b: HomeRecord): number {
  const da = a.deadline?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.deadline?.at.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  const pa = a.priority ? PRIORITY_RANK[a.priority] : 5;
  const pb = b.priority ? PRIORITY_RANK[b.priority] : 5;
  if (pa !== pb) return pa - pb;
  return b.createdAt.getTime() - a.createdAt.getTime();
}

/** Reads one person's overview. */
export class HomeQueries {
  constructor(
    private readonly store: Store,
    private readonly oncall: OnCallService,
  ) {}

  /**
   * The overview of `actor` as of `now`. `dayStart` is the start of today in TZ_NAME (for "breaches
   * today"). Lists hold at most HOME_LIST_LIMIT entries; the totals count them all.
   */
  async overview(actor: Actor, now: Date, dayStart: Date): Promise<HomeOverview> {
    const manager = this.store.manager;
    const me = actor.personId;
    const records = [...(await this.openFaults(manager, me)), ...(await this.openRequests(manager, me)), ...(await this.openChanges(manager, me))].sort(byUrgency);
    const approvals = await this.waitingFor(manager, actor);
    const overview: HomeOverview = {
      records: records.slice(0, HOME_LIST_LIMIT),
      recordTotal: records.length,
      approvals: approvals.slice(0, HOME_LIST_LIMIT),
      approvalTotal: approvals.length,
      oncall: await this.onCall(me),
    };
    if (hasRole(actor.roles, 'manager')) overview.management = await this.management(manager, now, dayStart);
    return overview;
  }

  private async openFaults(manager: EntityManager, me: number): Promise<HomeRecord[]> {
    const faults = await manager
      .createQueryBuilder(Fault, 'f')
      .where('f.state IN (:...open)', { open: OPEN_FAULT_STATES })
      .andWhere(new Brackets((q) => q.where('f.reporter_id = :me', { me }).orWhere('f.assignee_id = :me', { me })))
      .getMany();
    return faults.map((f) => faultRecord(f, me));
  }

  private async openRequests(manager: EntityManager, me: number): Promise<HomeRecord[]> {
    const requests = await manager
      .createQueryBuilder(ServiceRequest, 'r')
      .where('r.state IN (:...open)', { open: OPEN_REQUEST_STATES })
      .andWhere(
        new Brackets((q) =>
          q.where('r.requester_id = :me', { me }).orWhere('r.beneficiary_id = :me', { me }).orWhere('r.assignee_id = :me', { me }),
        ),
      )
      .getMany();
    return requests.map((r) => requestRecord(r, me));
  }

  private async openChanges(manager: EntityManager, me: number): Promise<HomeRecord[]> {
    const changes = await manager
      .createQueryBuilder(Change, 'c')
      .where('c.state NOT IN (:...ended)', { ended: [...ENDED_STATES, 'rejected'] })
      .andWhere(new Brackets((q) => q.where('c.requester_id = :me', { me }).orWhere('c.implementer_id = :me', { me })))
      .getMany();
    return changes.map((c) => changeRecord(c, me));
  }

  /**
   * Changes waiting for decisions that were put to this person (they got the approval request by DM)
   * and that they may still decide now, oldest first: the same guard as approving (`decisionRefusal`),
   * so a revoked approver role or an emergency change without the manager role leaves them out.
   */
  private async waitingFor(manager: EntityManager, actor: Actor): Promise<Change[]> {
    const notices = await manager.find(ChangeNotice, { where: { personId: actor.personId, kind: 'approval' } });
    if (notices.length === 0) return [];
    const waiting = await manager.find(Change, { where: { state: 'submitted', id: In(notices.map((n) => n.changeId)) }, order: { createdAt: 'ASC', id: 'ASC' } });
    if (waiting.length === 0) return [];
    const decided = await manager.find(ChangeApproval, { where: { approverId: actor.personId, changeId: In(waiting.map((c) => c.id)) } });
    return waiting.filter((c) => decisionRefusal(actor, c, decided.filter((d) => d.changeId === c.id)) === undefined);
  }

  private async onCall(me: number): Promise<HomeOnCall> {
    const levels = await this.oncall.overview();
    let myNext: HomeOnCall['myNext'];
    for (const { level, segments } of await this.oncall.schedule()) {
      const mine = segments.find((s) => s.personId === me);
      // `timeline` cuts the last segment at the horizon; its end is the horizon, not a hand-off.
      if (mine && (!myNext || mine.start < myNext.segment.start)) myNext = { level, segment: mine, openEnded: mine === segments[segments.length - 1] };
    }
    return { levels, ...(myNext ? { myNext } : {}) };
  }

  private async management(manager: EntityManager, now: Date, dayStart: Date): Promise<HomeManagement> {
    const urgent = await manager.find(Fault, { where: { state: In(OPEN_FAULT_STATES), priority: In(['P1', 'P2']) } });
    const urgentFaults = urgent.map((f) => faultRecord(f, undefined)).sort(byUrgency);
    const since = dayStart.toISOString();
    const breachesToday = (await this.countBreaches(manager, Fault, 'f', since)) + (await this.countBreaches(manager, ServiceRequest, 'r', since));
    const stale = await manager
      .createQueryBuilder(Change, 'c')
      .where('c.state = :state AND c.created_at < :before', { state: 'submitted', before: new Date(now.getTime() - DAY_MS).toISOString() })
      .orderBy('c.created_at', 'ASC')
      .getMany();
    return {
      urgentFaults: urgentFaults.slice(0, MANAGER_LIST_LIMIT),
      urgentTotal: urgentFaults.length,
      breachesToday,
      staleChanges: stale.slice(0, MANAGER_LIST_LIMIT),
      staleTotal: stale.length,
    };
  }

  /** Each missed target counts once: a record that missed both its response and its resolution counts twice. */
  private async countBreaches(manager: EntityManager, entity: typeof Fault | typeof ServiceRequest, alias: string, since: string): Promise<number> {
    const response = await manager.createQueryBuilder(entity, alias).where(`${alias}.response_breached_at >= :since`, { since }).getCount();
    const resolve = await manager.createQueryBuilder(entity, alias).where(`${alias}.resolve_breached_at >= :since`, { since }).getCount();
    return response + resolve;
  }
}
