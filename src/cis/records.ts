// The records (faults, requests, changes) linked to configuration items, read for `/ops ci show`,
// for removal checks and for a fault card's possible causes.
import { In, type EntityManager } from 'typeorm';
import { formatChangeId } from '../changes/rules.js';
import { ENDED_STATES } from '../changes/rules.js';
import { formatFaultId } from '../faults/rules.js';
import { formatRequestId } from '../requests/rules.js';
import { Change, Fault, RecordCi, ServiceRequest } from '../store/entities/index.js';

export type RecordKind = 'fault' | 'request' | 'change';

export interface RecordRef {
  kind: RecordKind;
  id: number;
  /** `INC-4`, `REQ-2`, `CHG-7`. */
  label: string;
  title: string;
  state: string;
  createdAt: Date;
}

const FAULT_DONE = ['resolved', 'closed'];
const REQUEST_DONE = ['fulfilled', 'closed'];
const CHANGE_DONE: readonly string[] = [...ENDED_STATES, 'rejected'];

async function linkedIds(manager: EntityManager, ciIds: number[], kind: RecordKind): Promise<number[]> {
  if (ciIds.length === 0) return [];
  const links = await manager.find(RecordCi, { where: { ciId: In(ciIds), recordKind: kind } });
  return [...new Set(links.map((l) => l.recordId))];
}

/** Open: a fault not resolved, a request not fulfilled, a change not ended or rejected. */
export function isOpen(ref: RecordRef): boolean {
  return !(ref.kind === 'fault' ? FAULT_DONE : ref.kind === 'request' ? REQUEST_DONE : CHANGE_DONE).includes(ref.state);
}

/**
 * Done but not final: a resolved fault and a fulfilled request can be reopened (faults/rules.ts,
 * requests/rules.ts REQUEST_MOVES), and a reopened record keeps its links, so they still concern an item.
 */
export function isReopenable(ref: RecordRef): boolean {
  return (ref.kind === 'fault' && ref.state === 'resolved') || (ref.kind === 'request' && ref.state === 'fulfilled');
}

/** Records linked to the item that are still open, newest first. */
export async function openRecordsOf(manager: EntityManager, ciId: number): Promise<RecordRef[]> {
  return (await linkedRecords(manager, [ciId])).filter(isOpen);
}

/** Every record linked to any of the items, newest first. */
export async function linkedRecords(manager: EntityManager, ciIds: number[]): Promise<RecordRef[]> {
  // One after another: on a transaction's manager these share one PostgreSQL connection, where
  // overlapping queries only queue (and pg 9 refuses them).
  const faultIds = await linkedIds(manager, ciIds, 'fault');
  const requestIds = await linkedIds(manager, ciIds, 'request');
  const changeIds = await linkedIds(manager, ciIds, 'change');
  const refs: RecordRef[] = [];
  if (faultIds.length) for (const f of await manager.find(Fault, { where: { id: In(faultIds) } })) refs.push({ kind: 'fault', id: f.id, label: formatFaultId(f.id), title: f.title, state: f.state, createdAt: f.createdAt });
  if (requestIds.length) for (const r of await manager.find(ServiceRequest, { where: { id: In(requestIds) } })) refs.push({ kind: 'request', id: r.id, label: formatRequestId(r.id), title: r.title, state: r.state, createdAt: r.createdAt });
  if (changeIds.length) for (const c of await manager.find(Change, { where: { id: In(changeIds) } })) refs.push({ kind: 'change', id: c.id, label: formatChangeId(c.id), title: c.title, state: c.state, createdAt: c.createdAt });
  return refs.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Links a record to items (ignoring links it has already). */
export async function linkRecord(manager: EntityManager, kind: RecordKind, recordId: number, ciIds: number[]): Promise<void> {
  for (const ciId of new Set(ciIds)) {
    const exists = await manager.findOne(RecordCi, { where: { recordKind: kind, recordId, ciId } });
    if (!exists) await manager.insert(RecordCi, { recordKind: kind, recordId, ciId });
  }
}
