import { Brackets } from 'typeorm';
import { formatRequestId } from './rules.js';
import type { PersonView } from '../chat/format.js';
import { recordCiSummary, type CiSummary } from '../cis/fault-context.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { REQUEST_RECORD } from './record.js';
import { readTimeline, type TimelineEntry } from '../records/timeline.js';
import { ServiceRequest } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const REQUEST_LIST_SCOPES = ['mine', 'open', 'all'] as const;
export type RequestListScope = (typeof REQUEST_LIST_SCOPES)[number];

export const REQUEST_PAGE_SIZE = 10;

export interface RequestPage {
  requests: ServiceRequest[];
  total: number;
}

export interface RequestDetail {
  request: ServiceRequest;
  timeline: TimelineEntry[];
  people: Map<number, PersonView>;
  /** The configuration item the request is on, if any. */
  ci: CiSummary | undefined;
}

const DONE_STATES = ['fulfilled', 'closed'];

/**
 * Read-only views over service requests. Requests can be personal (access, accounts), so everyone
 * sees their own, and engineers see all.
 */
export class RequestQueries {
  constructor(private readonly store: Store) {}

  async list(actor: Actor, scope: RequestListScope): Promise<RequestPage> {
    if (scope !== 'mine' && !hasRole(actor.roles, 'engineer')) throw new ForbiddenError('requests.error.listEngineerOnly');
    const query = this.store.manager.createQueryBuilder(ServiceRequest, 'r').orderBy('r.id', 'DESC').take(REQUEST_PAGE_SIZE);
    if (scope === 'mine') {
      query.where(
        new Brackets((q) =>
          q
            .where('r.requester_id = :me', { me: actor.personId })
            .orWhere('r.beneficiary_id = :me', { me: actor.personId })
            .orWhere('r.assignee_id = :me', { me: actor.personId }),
        ),
      );
    } else if (scope === 'open') {
      query.where('r.state NOT IN (:...done)', { done: DONE_STATES });
    }
    const [requests, total] = await query.getManyAndCount();
    return { requests, total };
  }

  /** A request with its timeline, for its requester, the person it is for, and engineers. */
  async detail(actor: Actor, id: number): Promise<RequestDetail> {
    const manager = this.store.manager;
    const request = await manager.findOne(ServiceRequest, { where: { id } });
    if (!request) throw new NotFoundError('requests.error.notFound', { id: formatRequestId(id) });
    const involved = [request.requesterId, request.beneficiaryId, request.assigneeId].includes(actor.personId);
    if (!involved && !hasRole(actor.roles, 'engineer')) throw new ForbiddenError('requests.error.notYours', { id: formatRequestId(id) });
    const { timeline, people } = await readTimeline(manager, REQUEST_RECORD.kind, id, [request.requesterId, request.beneficiaryId, request.assigneeId]);
    return { request, timeline, people, ci: await recordCiSummary(manager, 'request', id) };
  }
}
