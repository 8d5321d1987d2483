// The one place the outbox writes to a record's timeline: when a DM could not be delivered, a deleted
// card was posted anew, or a change's approvers cannot be reached in numbers enough.
import type { EntityManager } from 'typeorm';
import type { RecordRef } from './outbox.js';
import { appendEvent } from '../records/timeline.js';
import { SYSTEM } from '../people/actor.js';
import { RecordEvent } from '../store/entities/index.js';

/** Timeline event kinds the outbox writes (labels: `faults.event.*`, `requests.event.*`, `changes.event.*`). */
export type DeliveryNoteKind = 'dm_undeliverable' | 'card_reposted' | 'approvers_unreachable';

/**
 * Appends a system entry (no actor) of `kind` with `note` (shown in brackets, e.g. the person's name)
 * to the record's timeline (`record_events`), inside the caller's transaction. `now` is UTC.
 */
export async function noteOnTimeline(manager: EntityManager, record: RecordRef, kind: DeliveryNoteKind, note: string | null, now: Date): Promise<void> {
  await appendEvent(manager, { recordKind: record.kind, recordId: record.id, actor: SYSTEM, kind, fromState: null, toState: null, note, at: now });
}

/** Whether the record's timeline already has an entry of `kind` (e.g. so that a warning is given once). */
export async function hasTimelineNote(manager: EntityManager, record: RecordRef, kind: DeliveryNoteKind): Promise<boolean> {
  return (await manager.countBy(RecordEvent, { recordKind: record.kind, recordId: record.id, kind })) > 0;
}
