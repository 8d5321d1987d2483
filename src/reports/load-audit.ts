// Loader: the audit log's role grants and removals in a period (see load-records.ts).
import type { EntityManager } from 'typeorm';
import { AuditEntry } from '../store/entities/index.js';
import type { AuditLine, Period } from './inputs.js';

export async function loadRoleChanges(manager: EntityManager, period: Period): Promise<AuditLine[]> {
  const rows = await manager
    .createQueryBuilder(AuditEntry, 'a')
    .where('a.created_at >= :from AND a.created_at < :to', { from: period.from, to: period.to })
    .andWhere("a.action IN ('role.grant', 'role.revoke')")
    .orderBy('a.id', 'ASC')
    .getMany();
  return rows.map((a) => ({ id: a.id, at: a.createdAt, actorLabel: a.actorLabel, action: a.action, recordType: a.recordType, recordId: a.recordId, before: a.before, after: a.after }));
}
