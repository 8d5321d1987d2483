import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Change } from './change.js';

/** One line of a change's timeline: decisions, state changes and compliance findings. */
@Entity('change_events')
@Index('IDX_change_events_change', ['changeId'])
@Index('IDX_change_events_kind', ['kind'])
export class ChangeEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('change_id')
  changeId!: number;

  @ManyToOne(() => Change, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'change_id', foreignKeyConstraintName: 'FK_change_events_change' })
  change?: Change;

  @IntColumn('actor_id', { nullable: true })
  actorId!: number | null;

  @VarcharColumn('kind', 32)
  kind!: string;

  @VarcharColumn('from_state', 20, { nullable: true })
  fromState!: string | null;

  @VarcharColumn('to_state', 20, { nullable: true })
  toState!: string | null;

  @TextColumn('note', { nullable: true })
  note!: string | null;

  @DateColumn('created_at')
  createdAt!: Date;
}
