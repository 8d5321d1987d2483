// Loader: faults and service requests with their timelines (`record_events`), as plain ServiceRecord
// values. One of the few files that read the database for the reports (the others are load-*.ts).
import { Brackets, type EntityManager } from 'typeorm';
import { formatFaultId } from '../faults/rules.js';
import { formatRequestId } from '../requests/rules.js';
import { Fault, RecordEvent, ServiceRequest } from '../store/entities/index.js';
import type { Period, ServiceRecord, TimelineEvent } from './inputs.js';

const BATCH = 5000;

function event(e: RecordEvent): TimelineEvent {
  return { at: e.createdAt, actorId: e.actorId, kind: e.kind, fromState: e.fromState, toState: e.toState, note: e.note };
}

function grouped<E extends { createdAt: Date; id: number }>(rows: E[], key: (row: E) => number): Map<number, E[]> {
  const map = new Map<number, E[]>();
  for (const row of rows.sort((a, b) => a.id - b.id)) {
    const list = map.get(key(row)) ?? [];
    list.push(row);
    map.set(key(row), list);
  }
  return map;
}

/** Ids in chunks small enough for an IN list on SQLite and PostgreSQL. */
function chunks(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) out.push(ids.slice(i, i + BATCH));
  return out;
}

/** The timeline events of these records of one kind, through the (record_kind, record_id) index. */
export async function timelines(manager: EntityManager, recordKind: string, ids: number[]): Promise<RecordEvent[]> {
  const events: RecordEvent[] = [];
  for (const chunk of chunks(ids)) {
    events.push(...(await manager.createQueryBuilder(RecordEvent, 'e').where('e.record_kind = :recordKind AND e.record_id IN (:...ids)', { recordKind, ids: chunk }).getMany()));
  }
  return events;
}

/**
 * Faults and requests that matter for `period`: created before its end and either still open or
 * updated since its start (a record untouched since before the period has no step in it).
 */
export async function loadServiceRecords(manager: EntityManager, period: Period): Promise<ServiceRecord[]> {
  const relevant = <T extends 'f' | 'r'>(alias: T) =>
    new Brackets((qb) => qb.where(`${alias}.updated_at >= :from`, { from: period.from }).orWhere(`${alias}.state <> 'closed'`));
  const faults = await manager.createQueryBuilder(Fault, 'f').where('f.created_at < :to', { to: period.to }).andWhere(relevant('f')).getMany();
  const requests = await manager.createQueryBuilder(ServiceRequest, 'r').where('r.created_at < :to', { to: period.to }).andWhere(relevant('r')).getMany();
  const byFault = grouped(await timelines(manager, 'fault', faults.map((f) => f.id)), (e) => e.recordId);
  const byRequest = grouped(await timelines(manager, 'request', requests.map((r) => r.id)), (e) => e.recordId);
  const common = (r: Fault | ServiceRequest) => ({
    id: r.id,
    title: r.title,
    priority: r.priority,
    state: r.state,
    createdAt: r.createdAt,
    resolveDueAt: r.resolveDueAt,
    responseBreachedAt: r.responseBreachedAt,
    resolveBreachedAt: r.resolveBreachedAt,
  });
  return [
    ...faults.map((f): ServiceRecord => ({
      ...common(f),
      kind: 'fault',
      ref: formatFaultId(f.id),
      category: f.category,
      requesterId: f.reporterId,
      rootCause: f.rootCause,
      configItems: f.affectedSystem ? [f.affectedSystem] : [],
      events: (byFault.get(f.id) ?? []).map(event),
    })),
    ...requests.map((r): ServiceRecord => ({
      ...common(r),
      kind: 'request',
      ref: formatRequestId(r.id),
      category: r.requestType,
      requesterId: r.requesterId,
      rootCause: null,
      configItems: [],
      events: (byRequest.get(r.id) ?? []).map(event),
    })),
  ];
}
