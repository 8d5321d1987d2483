import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, VarcharColumn } from '../columns.js';
import { Person } from './person.js';

/**
 * An anonymous poll posted to a channel. The counts stay null (hidden) until it closes; then they
 * are filled from the ballots and the ballots are deleted.
 */
@Entity('feedback_polls')
@Index('UQ_feedback_polls_slot', ['slot'], { unique: true })
@Index('IDX_feedback_polls_due', ['closedAt', 'closesAt'])
export class FeedbackPoll {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @VarcharColumn('question', 300)
  question!: string;

  /** Where it was posted (`slack:C123`), so that closing edits that very message. */
  @VarcharColumn('channel', 100)
  channel!: string;

  /** The schedule minute a scheduled poll belongs to (one poll per slot); null for `/feedback poll`. */
  @DateColumn('slot', { nullable: true })
  slot!: Date | null;

  @IntColumn('created_by', { nullable: true })
  createdBy!: number | null;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_feedback_polls_created_by' })
  creator?: Person;

  @DateColumn('posted_at')
  postedAt!: Date;

  @DateColumn('closes_at')
  closesAt!: Date;

  @DateColumn('closed_at', { nullable: true })
  closedAt!: Date | null;

  @IntColumn('votes_1', { nullable: true })
  votes1!: number | null;

  @IntColumn('votes_2', { nullable: true })
  votes2!: number | null;

  @IntColumn('votes_3', { nullable: true })
  votes3!: number | null;

  @IntColumn('votes_4', { nullable: true })
  votes4!: number | null;

  @IntColumn('votes_5', { nullable: true })
  votes5!: number | null;
}
