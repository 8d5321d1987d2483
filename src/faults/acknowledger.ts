// Who acknowledged a fault, from its timeline: the card names them, not whoever holds the fault now
// (after a reassignment the assignee is someone else; docs/kpis.md credits the acknowledger likewise).
import type { EntityManager } from 'typeorm';
import { RecordEvent } from '../store/entities/index.js';
import { FAULT_RECORD } from './record.js';

/** The event kind an acknowledgement writes on the timeline. */
export const ACKNOWLEDGE_EVENT = 'acknowledge';

/** The person of the fault's latest acknowledgement; null when none (or opsdesk itself acknowledged). */
export async function acknowledgerOf(manager: EntityManager, faultId: number): Promise<number | null> {
  const event = await manager.findOne(RecordEvent, { where: { recordKind: FAULT_RECORD.kind, recordId: faultId, kind: ACKNOWLEDGE_EVENT }, order: { id: 'DESC' } });
  return event?.actorId ?? null;
}

/** The same, from a timeline already read (oldest first). */
export function acknowledgerIn(events: readonly Pick<RecordEvent, 'kind' | 'actorId'>[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]?.kind === ACKNOWLEDGE_EVENT) return events[i]?.actorId ?? null;
  return null;
}
