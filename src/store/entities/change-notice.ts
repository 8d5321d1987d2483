import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Change } from './change.js';
import { Person } from './person.js';

/**
 * Who was sent what about a change, and when last: the approval request (and its reminders), the
 * implementation prompt, the review task. Reminders come from these rows, so a restart never
 * sends one twice.
 */
@Entity('change_notices')
@Index('UQ_change_notices_change_person_kind', ['changeId', 'personId', 'kind'], { unique: true })
export class ChangeNotice {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('change_id')
  changeId!: number;

  @ManyToOne(() => Change, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'change_id', foreignKeyConstraintName: 'FK_change_notices_change' })
  change?: Change;

  @IntColumn('person_id')
  personId!: number;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_change_notices_person' })
  person?: Person;

  /** `approval`, `implement` or `review`. */
  @VarcharColumn('kind', 16)
  kind!: string;

  /** Reminders sent after the first message (the latest one is `...:reminder:<n>`). */
  @IntColumn('reminders')
  reminders!: number;

  @DateColumn('last_sent_at')
  lastSentAt!: Date;
}
