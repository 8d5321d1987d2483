import { Brackets } from 'typeorm';
import { formatFaultId } from './rules.js';
import type { PersonView } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import { alertCardDetails } from '../monitoring/card.js';
import { NotFoundError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { FAULT_RECORD } from './record.js';
import { readTimeline, type TimelineEntry } from '../records/timeline.js';
import { Fault } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const LIST_SCOPES = ['mine', 'open', 'all'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

export const PAGE_SIZE = 10;

export interface FaultPage {
  faults: Fault[];
  total: number;
}

export interface FaultDetail {
  fault: Fault;
  timeline: TimelineEntry[];
  people: Map<number, PersonView>;
  /** A monitoring fault's card lines (alerts, "… and N more not listed", the fault it follows); undefined for other faults. */
  alerts: ((t: Translate) => string) | undefined;
}

const CLOSED_STATES = ['resolved', 'closed'];

/** Read-only views over faults: lists and search, newest first, one page at a time. */
export class FaultQueries {
  constructor(private readonly store: Store) {}

  async list(actor: Actor, scope: ListScope): Promise<FaultPage> {
    const query = this.store.manager.createQueryBuilder(Fault, 'f').orderBy('f.id', 'DESC').take(PAGE_SIZE);
    if (scope === 'mine') {
      query.where(new Brackets((q) => q.where('f.reporter_id = :me', { me: actor.personId }).orWhere('f.assignee_id = :me', { me: actor.personId })));
    } else if (scope === 'open') {
      query.where('f.state NOT IN (:...closed)', { closed: CLOSED_STATES });
    }
    const [faults, total] = await query.getManyAndCount();
    return { faults, total };
  }

  /** A fault with its whole timeline, the people it mentions and, for a monitoring fault, its alert lines as the card shows them. */
  async detail(id: number): Promise<FaultDetail> {
    const manager = this.store.manager;
    const fault = await manager.findOne(Fault, { where: { id } });
    if (!fault) throw new NotFoundError('faults.error.notFound', { id: formatFaultId(id) });
    const { timeline, people } = await readTimeline(manager, FAULT_RECORD.kind, id, [fault.reporterId, fault.assigneeId]);
    return { fault, timeline, people, alerts: await alertCardDetails(manager, fault) };
  }
}
