// Loader: answered satisfaction surveys and on-call pages, as plain values (see load-records.ts).
import type { EntityManager } from 'typeorm';
import { formatFaultId } from '../faults/rules.js';
import { formatRequestId } from '../requests/rules.js';
import { Fault, FeedbackSurvey, ServiceRequest, SlaNotice } from '../store/entities/index.js';
import type { PageInput, Period, SurveyAnswer } from './inputs.js';

const refOf = (type: string, id: number) => (type === 'request' ? formatRequestId(id) : formatFaultId(id));

/** Survey answers rated in `period`. */
export async function loadSurveys(manager: EntityManager, period: Period): Promise<SurveyAnswer[]> {
  const rows = await manager
    .createQueryBuilder(FeedbackSurvey, 's')
    .where('s.rated_at >= :from AND s.rated_at < :to', { from: period.from, to: period.to })
    .andWhere('s.rating IS NOT NULL')
    .getMany();
  return rows.map((s) => ({ recordRef: refOf(s.recordType, s.recordId), resolverId: s.resolverId, rating: s.rating as number, comment: s.comment, ratedAt: s.ratedAt as Date }));
}

/** Pages in `period`: SLA reminders, breaches and escalations about a response, sent to a person. */
export async function loadPages(manager: EntityManager, period: Period): Promise<PageInput[]> {
  const notices = await manager
    .createQueryBuilder(SlaNotice, 'n')
    .where('n.sent_at >= :from AND n.sent_at < :to', { from: period.from, to: period.to })
    .andWhere("n.target = 'response'")
    .andWhere('n.recipient_id IS NOT NULL')
    .getMany();
  const ackOf = new Map<string, Date | null>();
  const faultIds = [...new Set(notices.filter((n) => n.recordType === 'fault').map((n) => n.recordId))];
  const requestIds = [...new Set(notices.filter((n) => n.recordType === 'request').map((n) => n.recordId))];
  if (faultIds.length > 0) for (const f of await manager.createQueryBuilder(Fault, 'f').where('f.id IN (:...ids)', { ids: faultIds }).getMany()) ackOf.set(refOf('fault', f.id), f.acknowledgedAt);
  if (requestIds.length > 0) for (const r of await manager.createQueryBuilder(ServiceRequest, 'r').where('r.id IN (:...ids)', { ids: requestIds }).getMany()) ackOf.set(refOf('request', r.id), r.assignedAt);
  return notices.map((n) => {
    const recordRef = refOf(n.recordType, n.recordId);
    return { personId: n.recipientId as number, recordRef, at: n.sentAt, acknowledgedAt: ackOf.get(recordRef) ?? null };
  });
}
