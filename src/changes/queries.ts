import type { ChangeSnapshot } from './cards.js';
import { APPROVED_STATES, formatChangeId } from './rules.js';
import type { ChangeService } from './service.js';
import type { PersonView } from '../chat/format.js';
import { NotFoundError } from '../errors.js';
import { CHANGE_RECORD } from './record.js';
import { readTimeline, type TimelineEntry } from '../records/timeline.js';
import { Change } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const LIST_SCOPES = ['pending', 'scheduled', 'all'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

export const PAGE_SIZE = 10;
/** `/change calendar` looks this far ahead. */
export const CALENDAR_DAYS = 14;
const CALENDAR_MAX = 50;
const DAY_MS = 86_400_000;

export interface ChangePage {
  changes: Change[];
  total: number;
}

export interface ChangeDetail {
  snapshot: ChangeSnapshot;
  timeline: TimelineEntry[];
  people: Map<number, PersonView>;
}

/** Read-only views over changes: lists, one change with its timeline, the calendar of approved windows. */
export class ChangeQueries {
  constructor(
    private readonly store: Store,
    private readonly changes: ChangeService,
  ) {}

  /** pending: waiting for decisions, newest first; scheduled: approved and not ended, by window; all: newest first. */
  async list(scope: ListScope): Promise<ChangePage> {
    const query = this.store.manager.createQueryBuilder(Change, 'c').take(PAGE_SIZE);
    if (scope === 'pending') query.where('c.state = :state', { state: 'submitted' }).orderBy('c.id', 'DESC');
    else if (scope === 'scheduled') query.where('c.state IN (:...states)', { states: APPROVED_STATES }).orderBy('c.window_start', 'ASC').addOrderBy('c.id', 'ASC');
    else query.orderBy('c.id', 'DESC');
    const [changes, total] = await query.getManyAndCount();
    return { changes, total };
  }

  async detail(id: number): Promise<ChangeDetail> {
    const manager = this.store.manager;
    const change = await manager.findOne(Change, { where: { id } });
    if (!change) throw new NotFoundError('changes.error.notFound', { id: formatChangeId(id) });
    const snapshot = await this.changes.snapshotOf(manager, change, await this.changes.policy());
    const others = [change.requesterId, change.implementerId, change.reviewedBy, ...snapshot.decisions.map((d) => d.approverId)];
    const { timeline, people } = await readTimeline(manager, CHANGE_RECORD.kind, id, others);
    return { snapshot, timeline, people };
  }

  /** Approved windows overlapping the coming `CALENDAR_DAYS` days, earliest first. */
  async calendar(from: Date): Promise<Change[]> {
    const to = new Date(from.getTime() + CALENDAR_DAYS * DAY_MS);
    return this.store.manager
      .createQueryBuilder(Change, 'c')
      .where('c.state IN (:...states) AND c.window_start < :to AND c.window_end > :from', { states: APPROVED_STATES, from: from.toISOString(), to: to.toISOString() })
      .orderBy('c.window_start', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(CALENDAR_MAX)
      .getMany();
  }
}
