// The one place the outbox writes to a record's timeline: when a DM could not be delivered, a deleted
// card was posted anew, or a change's approvers cannot be reached in numbers enough. It uses today's
// per-kind event tables; when they become one timeline table, only this function changes.
import type { EntityManager } from 'typeorm';
import type { RecordRef } from './outbox.js';
import { ChangeEvent, FaultEvent, ServiceRequestEvent } from '../store/entities/index.js';

/** Timeline event kinds the outbox writes (labels: `faults.event.*`, `requests.event.*`, `changes.event.*`). */
export type DeliveryNoteKind = 'dm_undeliverable' | 'card_reposted' | 'approvers_unreachable';

/**
 * Appends a system entry (no actor) of `kind` with `note` (shown in brackets, e.g. the person's name)
 * to the record's timeline, inside the caller's transaction. `now` is UTC.
 */
export async function noteOnTimeline(manager: EntityManager, record: RecordRef, kind: DeliveryNoteKind, note: string | null, now: Date): Promise<void> {
  const entry = { actorId: null, kind, fromState: null, toState: null, note, createdAt: now };
  switch (record.kind) {
    case 'fault':
      await manager.insert(FaultEvent, { ...entry, faultId: record.id });
      return;
    case 'request':
      await manager.insert(ServiceRequestEvent, { ...entry, requestId: record.id });
      return;
    case 'change':
      await manager.insert(ChangeEvent, { ...entry, changeId: record.id });
      return;
  }
}

/** Whether the record's timeline already has an entry of `kind` (e.g. so that a warning is given once). */
export async function hasTimelineNote(manager: EntityManager, record: RecordRef, kind: DeliveryNoteKind): Promise<boolean> {
  switch (record.kind) {
    case 'fault':
      return (await manager.countBy(FaultEvent, { faultId: record.id, kind })) > 0;
    case 'request':
      return (await manager.countBy(ServiceRequestEvent, { requestId: record.id, kind })) > 0;
    case 'change':
      return (await manager.countBy(ChangeEvent, { changeId: record.id, kind })) > 0;
  }
}
