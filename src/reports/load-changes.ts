// Loader: change requests with approvals and timelines, as plain ChangeRecord values (see load-records.ts).
import type { EntityManager } from 'typeorm';
import { formatChangeId } from '../changes/rules.js';
import { Change, ChangeApproval } from '../store/entities/index.js';
import { changeTimelines } from './load-records.js';
import type { ChangeRecord, Period } from './inputs.js';

/** Changes with anything in `period`: created before its end and updated since its start. */
export async function loadChanges(manager: EntityManager, period: Period): Promise<ChangeRecord[]> {
  const changes = await manager
    .createQueryBuilder(Change, 'c')
    .where('c.created_at < :to', { to: period.to })
    .andWhere('c.updated_at >= :from', { from: period.from })
    .getMany();
  if (changes.length === 0) return [];
  const ids = changes.map((c) => c.id);
  const approvals = await manager.createQueryBuilder(ChangeApproval, 'a').where('a.change_id IN (:...ids)', { ids }).getMany();
  const events = await changeTimelines(manager, ids);
  return changes.map((c) => ({
    id: c.id,
    ref: formatChangeId(c.id),
    title: c.title,
    type: c.type,
    risk: c.risk,
    state: c.state,
    createdAt: c.createdAt,
    windowStart: c.windowStart,
    windowEnd: c.windowEnd,
    approvalsRequired: c.approvalsRequired,
    managerRequired: c.managerRequired === 1,
    approvals: approvals.filter((a) => a.changeId === c.id).map((a) => ({ approverId: a.approverId, decision: a.decision, asManager: a.asManager === 1, at: a.createdAt })),
    reviewedAt: c.reviewedAt,
    events: events.get(c.id) ?? [],
  }));
}
