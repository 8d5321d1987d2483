import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, IntColumn, TextColumn, VarcharColumn } from '../columns.js';
import { Fault } from './fault.js';

/** One line of a fault's timeline. */
@Entity('fault_events')
@Index('IDX_fault_events_fault', ['faultId'])
export class FaultEvent {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @IntColumn('fault_id')
  faultId!: number;

  @ManyToOne(() => Fault, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'fault_id', foreignKeyConstraintName: 'FK_fault_events_fault' })
  fault?: Fault;

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
