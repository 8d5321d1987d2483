// Who acknowledged a fault, from its timeline: the card names them, not whoever holds the fault now
// (after a reassignment the assignee is someone else; docs/kpis.md credits the acknowledger likewise).
import type { EntityManager } from 'typeorm';
import { RecordEvent } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';
import { FAULT_RECORD } from './record.js';

/** The event kind an acknowledgement writes on the timeline. */
export const ACKNOWLEDGE_EVENT = 'acknowledge';

/**
 * The person of the fault's latest acknowledgement; null when none (or opsdesk itself acknowledged).
 * One fixed statement: every card of a changed fault asks it.
 */
export async function acknowledgerOf(manager: EntityManager, faultId: number): Promise<number | null> {
  const sql = PlainSql.of(manager);
  const { rows } = await sql.run(manager, `SELECT "actor_id" FROM ${sql.table(RecordEvent)} WHERE "record_kind" = ? AND "record_id" = ? AND "kind" = ? ORDER BY "id" DESC LIMIT 1`, [
    FAULT_RECORD.kind,
    faultId,
    ACKNOWLEDGE_EVENT,
  ]);
  const actor = rows[0]?.actor_id;
  return actor === undefined || actor === null ? null : Number(actor);
}

/** The same, from a timeline already read (oldest first). */
export function acknowledgerIn(events: readonly Pick<RecordEvent, 'kind' | 'actorId'>[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]?.kind === ACKNOWLEDGE_EVENT) return events[i]?.actorId ?? null;
  return null;
}
