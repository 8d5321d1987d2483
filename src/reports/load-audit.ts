// Loader: the audit log's role grants and removals in a period (see load-records.ts).
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { AuditEntry, Person } from '../store/entities/index.js';
import type { AuditLine, Period } from './inputs.js';

/** Role grants and removals in `period`, oldest first, each with the display name of the person concerned. */
export async function loadRoleChanges(manager: EntityManager, period: Period): Promise<AuditLine[]> {
  const rows = await manager
    .createQueryBuilder(AuditEntry, 'a')
    .where('a.created_at >= :from AND a.created_at < :to', { from: period.from, to: period.to })
    .andWhere("a.action IN ('role.grant', 'role.revoke')")
    .orderBy('a.id', 'ASC')
    .getMany();
  // A role change's record id is the person's id: the report names the person, not the number.
  const ids = [...new Set(rows.filter((a) => a.recordType === 'person').map((a) => Number(a.recordId)).filter((id) => Number.isInteger(id)))];
  const people = ids.length === 0 ? [] : await manager.find(Person, { where: { id: In(ids) } });
  const names = new Map(people.map((p) => [String(p.id), p.displayName]));
  return rows.map((a) => {
    const name = a.recordType === 'person' ? names.get(a.recordId) : undefined;
    return { id: a.id, at: a.createdAt, actorLabel: a.actorLabel, action: a.action, recordType: a.recordType, recordId: a.recordId, ...(name === undefined ? {} : { subjectName: name }), before: a.before, after: a.after };
  });
}
