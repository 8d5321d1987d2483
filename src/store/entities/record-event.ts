import { Column, Entity, Index, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';

/** Extra facts of an event as a JSON object; null when the columns say everything. */
export type EventDetails = Record<string, unknown>;

// Stored as JSON text rather than a native JSON column, so that SQLite and PostgreSQL read the same.
const json: ValueTransformer = {
  to: (value: EventDetails | null | undefined) => (value ? JSON.stringify(value) : null),
  from: (value: string | null): EventDetails | null => {
    if (!value) return null;
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as EventDetails) : null;
  },
};

/**
 * One line of a record's timeline, for every record kind (`fault`, `request`, `change`, and kinds
 * added later). The record is named by kind and id without a foreign key, so a new kind needs no
 * schema change; ids grow in the order events happened, which is the timeline's order.
 */
@Entity('record_events')
@Index('IDX_record_events_record', ['recordKind', 'recordId'])
// record_id last: the reports' search for records touched since an instant reads the index alone.
@Index('IDX_record_events_kind_time', ['recordKind', 'kind', 'createdAt', 'recordId'])
export class RecordEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** `fault`, `request`, `change`, …: the audit log's record type. */
  @VarcharColumn('record_kind', 16)
  recordKind!: string;

  @IntColumn('record_id')
  recordId!: number;

  /** Who acted; null for opsdesk itself (a scheduled job). */
  @IntColumn('actor_id', { nullable: true })
  actorId!: number | null;

  /** What happened: a move of the record's state machine (`acknowledge`) or another step (`reassigned`). */
  @VarcharColumn('kind', 32)
  kind!: string;

  /** The state the record left; null when the event did not move it. */
  @VarcharColumn('from_state', 20, { nullable: true })
  fromState!: string | null;

  @VarcharColumn('to_state', 20, { nullable: true })
  toState!: string | null;

  @TextColumn('note', { nullable: true })
  note!: string | null;

  @Column({ name: 'details', type: 'text', nullable: true, transformer: json })
  details!: EventDetails | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
